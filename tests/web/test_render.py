"""The page's HTML without a server: safe markdown, cards, views, footer."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from indexformat.entry import Entry, mentioned_in
from indexformat.manifest import GlossaryFile, Manifest
from ranking.explain import Why, why_text
from search.results import CONFIDENCE_BANDS, Hit, SearchResult
from web import render
from web.markdown import SafeMarkdown

MD = SafeMarkdown({"loss-function": "Loss Function", "dropout": "Dropout"})


class Tags(HTMLParser):
    """Every start tag with its attributes, and a check that tags nest properly."""

    VOID = {"br", "hr", "img", "input", "meta", "link"}

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def named(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


def html_of(text: str) -> str:
    return MD.render(text)[0]


def test_markdown_bold_and_term_links():
    html = html_of("Like **Dropout**, see [Loss Function](#loss-function).")
    assert "<strong>Dropout</strong>" in html
    (link,) = Tags(html).named("a")
    assert link["href"] == "?term=Loss+Function"
    assert link["data-term"] == "Loss Function" and link["data-view"] == "term"


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<div onclick='alert(1)'>x</div>",
    "<iframe src='https://evil.example'></iframe>",
    "<svg/onload=alert(1)>",
])
def test_raw_html_in_a_definition_is_text(text):
    html = html_of(text)
    assert Tags(html).named("p") == [{}] and [t for t, _ in Tags(html).tags] == ["p"]
    assert "&lt;" in html


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "java&#x73;cript:alert(1)", "java%73cript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd",
    "//evil.example/x", "other.md",
])
def test_links_other_than_terms_and_http_are_not_links(url):
    for text in (f"[click]({url})", f"<{url}>"):
        assert Tags(html_of(text)).named("a") == [], text


def test_http_links_open_safely_in_a_new_tab():
    (link,) = Tags(html_of("[paper](https://arxiv.org/abs/1207.0580)")).named("a")
    assert link["href"] == "https://arxiv.org/abs/1207.0580"
    assert link["target"] == "_blank" and "noopener" in link["rel"]


def test_images_are_not_loaded():
    assert Tags(html_of("![pixel](https://tracker.example/p.gif)")).named("img") == []


def test_highlight_marks_the_sentence_across_bold_and_keeps_tags_nested():
    html, found = MD.render("A **Transfer Learning** strategy. Second sentence.",
                            "A Transfer Learning strategy.")
    assert found
    assert "<mark>A </mark><strong><mark>Transfer Learning</mark></strong><mark> strategy.</mark>" in html
    assert "Second sentence." in html and "<mark>Second" not in html
    assert Tags(html).stack == []


def test_highlight_not_found_leaves_the_definition_alone():
    html, found = MD.render("Plain words here.", "something else entirely")
    assert not found and "<mark>" not in html


def hit(**kw) -> Hit:
    sentence = "A regularization technique for networks."
    base = dict(term="Dropout", score=0.8, definition=f"{sentence} It helps.", aliases=(), related=(),
                why=Why("definition", passage=sentence), source="DL")
    why = {**base, **kw}.pop("why")
    return Hit(**{**base, **kw, "why": why_text(why), "explanation": why})


def test_card_escapes_every_glossary_string():
    evil = '<img src=x onerror=alert(1)>"'
    html = render.card(hit(term=evil, aliases=(evil,), related=(evil,), why=Why("alias", evil), source=evil),
                       MD, 1, show_source=True)
    tags = Tags(html)
    assert tags.named("img") == [] and tags.stack == []
    assert all(a["data-term"] == evil for a in tags.named("a"))  # attribute survives intact, as text


def test_card_shows_confidence_in_words_and_a_bar():
    html = render.card(hit(score=0.9), MD, 1)
    assert "Strong match" in html and 'style="width:90%"' in html
    assert "Weak match" in render.card(hit(score=0.05), MD, 1)


def test_confidence_words_never_rise_as_the_score_falls():
    order = [render.BAND_WORDS[band] for _, band in CONFIDENCE_BANDS]
    seen = [order.index(render.confidence(s / 100)[0]) for s in range(100, -1, -1)]
    assert seen == sorted(seen)


@pytest.mark.parametrize("why, expected", [
    (Why("name", "Dropout"), ("name", "", "Dropout", "")),
    (Why("alias", "cost function"), ("alias", "", "cost function", "")),
    (Why("keywords", "cook, meat", "Browning meat."), ("keywords", "cook, meat", "Browning meat.", "")),
    (Why("acronym", "ics", "Internal Covariate Shift"), ("acronym", "", "ICS = Internal Covariate Shift", "")),
    (Why("name", "Overfitting", typos=(("overfiting", "overfitting"),)),
     ("name", "", "Overfitting", "overfiting → overfitting")),
])
def test_the_why_line_reads_the_explanation(why, expected):
    assert render.why_parts(why) == expected


def test_why_marks_the_matching_sentence_in_the_definition():
    html = render.card(hit(), MD, 1)
    marked = "<p><mark>A regularization technique for networks.</mark> It helps.</p>"
    assert f'<div class="definition">{marked}' in html
    assert "the highlighted sentence" in html


def test_why_shows_an_alias_on_its_own_line():
    html = render.card(hit(why=Why("alias", "dropping units")), MD, 1)
    assert "<mark>dropping units</mark>" in html and "highlighted sentence" not in html
    named = hit(definition="A regularization technique. It helps.", why=Why("name", "regularization"))
    html = render.card(named, MD, 1)
    assert '<p class="why"><span class="label">Why it matched:</span> <span class="why-kind">name</span> ' \
           "<mark>regularization</mark></p>" in html and "<p><mark>" not in html


def test_why_marks_a_short_sentence_too():
    html = render.card(hit(definition="Generative Pre-trained Transformer. A model.",
                           why=Why("definition", passage="Generative Pre-trained Transformer.")), MD, 1)
    assert "<p><mark>Generative Pre-trained Transformer.</mark> A model.</p>" in html


def test_related_terms_are_links_that_open_the_term():
    links = Tags(render.card(hit(related=("Overfitting",)), MD, 1)).named("a")
    assert {"href": "?term=Overfitting", "data-view": "term", "data-term": "Overfitting",
            "class": "term-link chip"} in links


def test_results_view_names_its_address_and_the_no_match_state():
    result = SearchResult("pizza & wine", (hit(score=0.1),), no_match=True)
    html = render.results_html(result, MD)
    (view,) = [a for t, a in Tags(html).tags if t == "div" and "view" in a.get("class", "")]
    assert view["data-url"] == "?q=pizza+%26+wine"
    assert "Nothing in the glossary answers “pizza &amp; wine”" in html and "nearest terms" in html
    filtered = render.results_html(result, MD, source="DL")
    assert 'data-url="?q=pizza+%26+wine&amp;source=DL"' in filtered and "answers “pizza" in filtered


def entry(term: str, **kw) -> Entry:
    return Entry(term=term, definition=kw.pop("definition", "Words."), text="Words.", **kw)


def test_all_terms_lists_every_term_once_grouped_a_to_z():
    entries = [entry("zeta"), entry("Alpha"), entry("beta"), entry("1-bit Adam"),
               entry("Ångström", aliases=("Å",))]
    html = render.all_terms_html(entries)
    terms = [a["data-term"] for a in Tags(html).named("a") if "data-term" in a]
    assert sorted(terms) == sorted(e.term for e in entries) and len(terms) == len(set(terms))
    letters = [a["href"] for a in Tags(html).named("a") if a.get("href", "").startswith("#az-")]
    assert letters == ["#az-#", "#az-A", "#az-B", "#az-Z", "#az-Å"]
    assert "All 5 terms, A–Z" in html


def test_term_view_focuses_its_heading_and_lists_terms_that_mention_it():
    entries = [entry("Dropout"), entry("Overfitting", related=("Dropout",))]
    html = render.term_html(entries[0], mentioned_in(entries)["Dropout"], MD)
    assert "data-focus" in html and 'data-url="?term=Dropout"' in html
    assert 'data-term="Overfitting"' in html and "Mentioned in" in html
    both_ways = [entry("Dropout", related=("Overfitting",)), entry("Overfitting", related=("Dropout",))]
    assert "Mentioned in" not in render.term_html(both_ways[0], mentioned_in(both_ways)["Dropout"], MD)  # Related


def manifest(**kw) -> Manifest:
    base = dict(schema=1, model="/models/all-MiniLM-L6-v2", dim=384, fingerprint="f",
                glossaries=[GlossaryFile("Deep <Learning>", "/g.md", "0", 47)], entries=47, passages=65,
                index_type="IndexFlatIP", built_at="2026-11-24T05:37:03+00:00", build_seconds=1.0)
    return Manifest(**{**base, **kw})


def test_footer_shows_the_index_facts():
    html = render.footer_html(manifest(), [])
    for fact in ("Deep &lt;Learning&gt;", "47 terms", "model all-MiniLM-L6-v2", "2026-11-24 05:37 UTC"):
        assert fact in html
    assert "stale" not in html


def test_footer_warns_when_the_index_is_stale():
    html = render.footer_html(manifest(), ["/data/deep_learning_glossary.md"])
    assert 'class="stale" role="alert"' in html and "deep_learning_glossary.md changed" in html
    assert "rebuild-index" in html
