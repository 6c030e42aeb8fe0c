"""The bad-input table of tests/test_bad_input.py through the last two doors: the web API (gradio_client
against the running server) and the page in a real browser (rows a person can type)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.test_bad_input import CASES, XSS, Case, check

pytestmark = pytest.mark.real_model
gradio_client = pytest.importorskip("gradio_client")

IDS = [c.id for c in CASES]


@pytest.fixture(scope="module")
def client(app_server):
    return gradio_client.Client(app_server.url, verbose=False)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_web_api(case: Case, client):
    if "web" in case.skip:
        pytest.skip(case.skip["web"])
    try:
        answer, error = client.predict(case.query, case.k, api_name="/search"), None
    except Exception as err:  # noqa: BLE001 - gradio_client raises AppError carrying the app's message
        answer, error = None, str(err)
    if error is not None:
        assert "Traceback" not in error and "exception" not in error.lower(), error
    check(case, answer, error)


# The page: type the question, press Enter, read what the results area shows.

PAGE_CASES = [c for c in CASES if c.page]


def watch_for_scripts(page) -> list[str]:
    """Dialogs (alert/confirm/prompt) any injected script opens; window.pwned is checked separately."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def results_text(page) -> str:
    page.wait_for_timeout(200)
    return page.locator("#results").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("case", PAGE_CASES, ids=[c.id for c in PAGE_CASES])
def test_page(case: Case, page):
    dialogs = watch_for_scripts(page)
    box = page.get_by_role("textbox", name="Question")
    box.fill(case.query)
    box.press("Enter")
    results = page.locator("#results")
    if case.error:
        if case.query.strip():
            results.locator(".status.error").wait_for()
            message = results.locator(".status.error").inner_text()
            assert re.search(case.error, message) and "\n" not in message.strip(), message
        else:  # an empty box is not an error on the page: the welcome hint stays
            results.locator(".view-welcome").wait_for()
    else:
        results.locator("article.card").first.wait_for()
        cards = results.locator("article.card")
        assert 1 <= cards.count() <= 5
        if case.top:
            assert case.top in results.locator("article.card h3").all_inner_texts()
    assert "Traceback" not in results_text(page)
    assert dialogs == [] and page.evaluate("window.pwned") is None


@pytest.mark.browser
@pytest.mark.parametrize("payload", [XSS, "<script>window.pwned=1</script>", "<svg onload=alert(1)>",
                                     "\"><img src=x onerror=window.pwned=1>", "javascript:alert(1)"])
def test_script_in_the_question_shows_as_text_and_never_runs(page, open_app, payload):
    dialogs = watch_for_scripts(page)
    open_app(page, "?q=" + quote(payload))  # a shared link is the easy way to make someone run it
    results = page.locator("#results")
    results.locator(".status, article.card").first.wait_for()
    page.wait_for_timeout(500)  # give an injected onerror/onload time to fire
    shown = results.inner_text() + page.get_by_role("textbox", name="Question").input_value()
    assert payload in shown
    assert results.locator("script, img[src=x], svg, iframe").count() == 0
    assert dialogs == [] and page.evaluate("window.pwned") is None
