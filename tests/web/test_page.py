"""The page in a real browser (Debian chromium through Playwright) against the real app server."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from indexformat import store

pytestmark = [pytest.mark.browser, pytest.mark.real_model]
expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

OFF_TOPIC = "who won the football world cup final in 1998"


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def question(page):
    return page.get_by_role("textbox", name="Question")


def card(page, term: str):
    heading = page.get_by_role("heading", name=term, exact=True)
    return page.locator("#results article.card").filter(has=heading)


def index_entries(app_server) -> list[dict]:
    return store.read_jsonl(store.live_version(app_server.index_dir) / store.ENTRIES)


def test_question_box_has_focus_on_load(page):
    assert page.evaluate("document.activeElement?.closest('#question') !== null"), \
        "the question box should have the keyboard focus when the page opens"


def test_type_a_question_press_enter_see_dropout(page, shot):
    question(page).fill("how do I avoid overfitting")
    question(page).press("Enter")
    dropout = card(page, "Dropout")
    dropout.wait_for()
    assert "regularization technique" in dropout.locator(".definition").inner_text()
    assert re.fullmatch(r"(Strong|Good|Possible|Weak) match", dropout.locator(".conf-words").inner_text())
    assert "Why it matched" in dropout.locator(".why").inner_text()
    page.wait_for_url(re.compile(r"[?&]q=how"))
    assert params(page)["q"] == ["how do I avoid overfitting"]
    shot(page, "desktop-search")


def test_results_follow_typing_without_enter(page):
    question(page).press_sequentially("dropout regularization", delay=40)
    card(page, "Dropout").wait_for()


def test_clicking_an_example_runs_it(page):
    page.locator("#examples").get_by_role("button", name="what is sgd").click()
    card(page, "Stochastic Gradient Descent (SGD)").wait_for()
    assert question(page).input_value() == "what is sgd"
    page.wait_for_url(re.compile(r"q=what\+is\+sgd"))


def test_related_term_opens_that_term(page, shot):
    question(page).fill("batch normalization")
    question(page).press("Enter")
    source_card = card(page, "Batch Normalization")
    source_card.locator(".related").get_by_role("link", name="Internal Covariate Shift").click()
    page.locator("#results .view-term").wait_for()
    opened = card(page, "Internal Covariate Shift")
    opened.wait_for()
    assert page.locator("#results article.card").count() == 1
    page.wait_for_url(re.compile(r"term=Internal\+Covariate\+Shift"))
    focused = page.evaluate("document.activeElement.innerText")
    assert focused == "Internal Covariate Shift", "the opened term's heading should take the focus"
    # and back: Batch Normalization mentions it
    assert opened.locator(".related").get_by_role("link", name="Batch Normalization").first.is_visible()
    shot(page, "desktop-term")


def test_a_link_inside_a_definition_opens_that_term(page, open_app):
    open_app(page, "?term=Braising")  # "... after [searing](#searing) it."
    card(page, "Braising").locator(".definition").get_by_role("link", name="searing").click()
    card(page, "Searing").wait_for()
    page.wait_for_url(re.compile(r"term=Searing"))


def test_deep_link_runs_the_search_on_load(page, open_app):
    open_app(page, "?q=how+do+I+avoid+overfitting")
    card(page, "Dropout").wait_for()
    assert question(page).input_value() == "how do I avoid overfitting"


def test_deep_link_to_a_term_and_to_a_missing_one(page, open_app):
    open_app(page, "?term=Adam")
    card(page, "Adam").wait_for()
    assert "Adaptive Moment Estimation" in card(page, "Adam").locator(".aliases").inner_text()
    open_app(page, "?term=No+Such+Term")
    assert "no term called “No Such Term”" in page.locator("#results .status").inner_text()


def test_no_match_offers_the_nearest_terms(page, open_app, shot):
    open_app(page, "?q=" + OFF_TOPIC.replace(" ", "+"))
    status = page.locator("#results .status.no-match")
    status.wait_for()
    assert "Nothing in the glossary answers" in status.inner_text()
    assert page.locator("#results article.card").count() >= 1, "nearest terms should still be offered"
    assert page.locator("#results .more").get_by_role("link", name=re.compile("all terms")).is_visible()
    shot(page, "desktop-no-match")


def test_all_terms_a_to_z_and_open_one(page, shot):
    entries = index_entries(page.context.app_server)
    page.locator("#all-terms").click()
    view = page.locator("#results .view-all")
    view.wait_for()
    assert f"All {len(entries)} terms" in view.locator(".status").inner_text()
    links = view.locator("a[data-view=term]")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert sorted(names) == sorted(e["term"] for e in entries)
    assert names == sorted(names, key=str.casefold), "A-Z"
    page.wait_for_url(re.compile(r"view=all"))
    shot(page, "desktop-all-terms")
    view.get_by_role("link", name="Dropout", exact=True).click()
    card(page, "Dropout").wait_for()
    page.wait_for_url(re.compile(r"term=Dropout"))


def glossary_filter(page):
    return page.get_by_role("combobox", name="Glossary")


def test_glossary_filter_limits_the_results(page, open_app):
    expect(glossary_filter(page)).to_be_visible()  # two glossaries in the index
    open_app(page, "?q=cooking+meat&source=Kitchen+Glossary")
    page.locator("#results article.card").first.wait_for()
    sources = page.locator("#results .card .source").all_inner_texts()
    assert sources and set(sources) == {"From Kitchen Glossary"}
    expect(glossary_filter(page)).to_have_value("Kitchen Glossary")


def test_choosing_a_glossary_searches_again(page):
    question(page).fill("cooking meat")
    question(page).press("Enter")
    page.locator("#results article.card").first.wait_for()
    glossary_filter(page).click()
    page.get_by_role("option", name="Deep Learning Glossary").click()
    page.wait_for_url(re.compile(r"source=Deep\+Learning\+Glossary"))
    sources = page.locator("#results .card .source").all_inner_texts()
    assert sources and set(sources) == {"From Deep Learning Glossary"}


def test_markup_in_a_glossary_is_shown_as_text(page, open_app):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, "?term=Tasting+Spoon")
    definition = card(page, "Tasting Spoon").locator(".definition")
    assert "<script>alert('xss')</script>" in definition.inner_text()
    assert definition.locator("script, img").count() == 0
    assert definition.locator("a").count() == 0, "a javascript: link is not a link"
    page.wait_for_timeout(300)
    assert dialogs == []


def test_phone_width(phone_page, shot):
    page = phone_page
    question(page).fill("how do I avoid overfitting")
    question(page).press("Enter")
    card(page, "Dropout").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    box = card(page, "Dropout").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "phone-search")
    page.locator("#all-terms").click()
    page.locator("#results .view-all").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone-all-terms")


def test_keyboard_only(page):
    page.keyboard.type("how do I avoid overfitting")  # the box has the focus on load
    page.keyboard.press("Enter")
    card(page, "Dropout").wait_for()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#results a[data-view=term]')"):
            break
    else:
        pytest.fail("Tab never reached a term link in the results")
    assert not page.get_by_role("option").first.is_visible(), "a list passed on the way stayed open"
    term = page.evaluate("document.activeElement.dataset.term")
    page.keyboard.press("Enter")
    page.locator("#results .view-term").wait_for()
    card(page, term).wait_for()
    assert page.evaluate("document.activeElement.innerText") == term


def test_labels_for_screen_readers(page):
    question(page).fill("what is sgd")
    question(page).press("Enter")
    page.locator("#results article.card").first.wait_for()
    assert page.locator("#results [role=status]").count() == 1
    unnamed = page.evaluate("""() => [...document.querySelectorAll('#results a, #results article, button')]
        .filter(el => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                        || el.innerText.trim()))
        .map(el => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    assert page.get_by_role("button", name="All terms A–Z").is_visible()


def test_footer_shows_the_index_facts(page):
    version = store.live_version(page.context.app_server.index_dir)
    manifest = json.loads((version / store.MANIFEST).read_text())
    footer = page.locator("#index-facts").inner_text()
    for glossary in manifest["glossaries"]:
        assert glossary["name"] in footer
    assert f"{manifest['entries']} terms" in footer
    assert manifest["model"] in footer
    assert manifest["built_at"][:10] in footer
    assert page.locator("#index-facts .stale").count() == 0


def test_stale_index_warning(page, open_app, shot):
    glossary = page.context.app_server.glossary
    before = glossary.read_bytes()
    try:
        glossary.write_bytes(before + b"\n### Whisk\nA tool for beating eggs.\n")
        open_app(page)
        warning = page.locator("#index-facts .stale")
        assert "kitchen_glossary.md changed" in warning.inner_text()
        assert "rebuild-index" in warning.inner_text()
        shot(page, "desktop-stale")
    finally:
        glossary.write_bytes(before)
