"""The page in a real browser (Debian chromium through Playwright) against the real app server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.real_model]


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def card(page, term: str):
    heading = page.get_by_role("heading", name=term, exact=True)
    return page.locator("#results article.card").filter(has=heading)


def test_question_box_has_focus_on_load(page):
    focused = page.evaluate("document.activeElement?.closest('#question') !== null")
    assert focused, "the question box should have the keyboard focus when the page opens"


def test_type_a_question_press_enter_see_dropout(page, shot):
    box = page.get_by_role("textbox", name="Question")
    box.fill("how do I avoid overfitting")
    box.press("Enter")
    dropout = card(page, "Dropout")
    dropout.wait_for()
    assert "regularization technique" in dropout.locator(".definition").inner_text()
    assert dropout.locator(".confidence .conf-words").inner_text().endswith("match")
    page.wait_for_url(re.compile(r"[?&]q=how"))
    assert query_of(page)["q"] == ["how do I avoid overfitting"]
    shot(page, "desktop-search-dropout")
