"""The Lens tab in a real browser (Debian chromium through Playwright): marking, hover, keyboard focus, touch at
phone width, and markup in the pasted text shown as text."""

from __future__ import annotations

import pytest

from tests.web.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.real_model]

TEXT = ("Our convolutional network overfits after a few epochs, so we add dropout.\n"
        "It is then trained with SGD.")
TERMS = ["Convolution", "Overfitting", "Epoch", "Dropout", "Stochastic Gradient Descent (SGD)"]


def lens(page, text: str):
    page.get_by_role("tab", name="Lens").click()
    box = page.get_by_role("textbox", name="Text to read")
    box.fill(text)
    page.get_by_role("button", name="Mark the terms").click()
    out = page.locator("#lens-out")
    out.locator(".view-lens .status").wait_for()
    return out


def marked(out) -> list[tuple[str, str]]:
    pairs = out.locator("mark.lens-term").evaluate_all("ms => ms.map(m => [m.firstChild.textContent, m.dataset.term])")
    return [tuple(p) for p in pairs]


def test_marks_every_term_and_keeps_the_text(page, shot):
    out = lens(page, TEXT)
    assert marked(out) == [("convolutional", TERMS[0]), ("overfits", TERMS[1]), ("epochs", TERMS[2]),
                           ("dropout", TERMS[3]), ("SGD", TERMS[4])]
    shown = out.locator(".lens-text").evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('.lens-tip').forEach(t => t.remove());"
        " return c.textContent; }")
    assert shown == TEXT  # line break and the word "It" kept, nothing added
    assert "5 mentions of 5 glossary terms" in out.locator(".status").inner_text()
    shot(page, "lens-desktop")


def test_definition_on_hover_and_on_keyboard_focus(page):
    out = lens(page, TEXT)
    first, tip = out.locator("mark.lens-term").first, out.locator("mark.lens-term").first.locator(".lens-tip")
    assert not tip.is_visible()
    first.hover()
    tip.wait_for(state="visible")
    assert "Convolution" in tip.inner_text() and "mathematical operation" in tip.inner_text()
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    page.get_by_role("button", name="Mark the terms").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.term") == TERMS[0]
    tip.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.term") == TERMS[1]
    assert not tip.is_visible()
    second_tip = out.locator("mark.lens-term").nth(1).locator(".lens-tip")
    second_tip.wait_for(state="visible")
    described = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                              ".textContent")
    assert described.startswith("Overfitting")
    page.keyboard.press("Escape")
    second_tip.wait_for(state="hidden")


def test_tap_at_phone_width_shows_the_definition_on_screen(browser, app_server, open_app, shot):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.app_url = app_server.url
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        open_app(page)
        out = lens(page, TEXT)
        term = out.locator("mark.lens-term").nth(3)
        term.tap()
        tip = term.locator(".lens-tip")
        tip.wait_for(state="visible")
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert "Dropout" in tip.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "lens-phone")
        term.tap()  # a second tap closes it
        tip.wait_for(state="hidden")
    finally:
        context.close()


@pytest.mark.parametrize("payload", ["<img src=x onerror=window.pwned=1>", "<script>window.pwned=1</script>",
                                     "<b onmouseover=window.pwned=1>bold</b>", "\"><svg onload=alert(1)>"])
def test_markup_in_the_text_is_shown_as_text(page, payload):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    out = lens(page, f"{payload} We add dropout. {payload}")
    assert marked(out) == [("dropout", "Dropout")]
    page.wait_for_timeout(300)
    assert out.locator(".lens-text").inner_text().count(payload) == 2
    assert out.locator(".lens-text img, .lens-text script, .lens-text svg, .lens-text b").count() == 0
    assert dialogs == [] and page.evaluate("window.pwned") is None


def test_a_text_without_terms_says_so(page):
    out = lens(page, "The weather was lovely and it rained only once.")
    assert out.locator("mark").count() == 0
    assert "No glossary terms" in out.locator(".status").inner_text()
