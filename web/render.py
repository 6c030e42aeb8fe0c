"""HTML for the page's views: result cards, one term, the A-Z list, the footer.

Every string that comes from a glossary or a user is escaped here; definitions go through SafeMarkdown.
Each view is one `<div class="view" data-url=...>`: the page script puts data-url in the address bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from pathlib import PurePath
from urllib.parse import urlencode

from indexformat.entry import Entry
from indexformat.manifest import Manifest
from ranking import explain
from ranking.explain import Why
from search.results import Hit, SearchResult, band_of
from web.markdown import SafeMarkdown, term_href

# Explanations that quote one of the entry's sentences (marked in the definition); the others name the term.
SENTENCE_KINDS = {explain.SENTENCE, explain.DEFINITION, explain.KEYWORDS, explain.HOWTO}
BAND_WORDS = {"strong": "Strong match", "good": "Good match", "possible": "Possible match", "weak": "Weak match"}


def confidence(score: float, rank: int = 1) -> tuple[str, str]:
    """Words and a css class for a hit's score and place (the library's band: search.results.band_of)."""
    band = band_of(score, rank)
    return BAND_WORDS[band], band


def page_url(**params: str | None) -> str:
    """The page's address for a view, e.g. page_url(q="dropout") -> "?q=dropout"; empty values left out."""
    return "?" + urlencode({k: v for k, v in params.items() if v})


def term_link(term: str, css: str = "term-link") -> str:
    t = escape(term)
    return f'<a class="{css}" href="{escape(term_href(term))}" data-view="term" data-term="{t}">{t}</a>'


def all_terms_link(text: str = "Browse all terms A–Z") -> str:
    return f'<a class="all-link" href="?view=all" data-view="all">{escape(text)}</a>'


def view(kind: str, body: str, url: str | None) -> str:
    data_url = "" if url is None else f' data-url="{escape(url)}"'
    return f'<div class="view view-{kind}"{data_url}>{body}</div>'


def status(text: str, css: str = "") -> str:
    return f'<p class="status {css}" role="status">{text}</p>'


def why_parts(why: Why | None) -> tuple[str, str, str, str]:
    """(kind, lead, text, typo) for the why line, read from the hit's explanation: `lead` is what matched inside
    `text` (keywords, a how-to's target), `text` the name, alias or the entry's sentence that carried it."""
    if why is None:
        return "", "", "", ""
    typo = ", ".join(f"{a} → {b}" for a, b in why.typos)
    if why.kind == explain.ACRONYM:
        return why.kind, "", f"{why.matched.upper()} = {why.passage}", typo
    if why.kind in SENTENCE_KINDS:
        lead = why.matched if why.kind in (explain.KEYWORDS, explain.HOWTO) else ""
        return why.kind, lead, why.passage, typo
    return why.kind, "", why.matched, typo


def sentence_of(why: Why | None) -> str:
    """The entry's sentence to mark in the definition; names and aliases are shown on the why line instead."""
    return why.passage if why is not None and why.kind in SENTENCE_KINDS else ""


def why_html(why: Why | None, shown_in_definition: bool) -> str:
    """Why the card matched. The matching sentence is marked in the definition when it is there."""
    kind, lead, text, typo = why_parts(why)
    if not (kind or text):
        return ""
    kind = f'<span class="why-kind">{escape(kind)}</span> ' if kind else ""
    lead = f"<mark>{escape(lead)}</mark> " if lead else ""
    if shown_in_definition:
        said = f"{lead}{'in ' if lead else ''}the highlighted sentence"
    else:
        said = f"{lead}{'in ' if lead else ''}<mark>{escape(text)}</mark>"
    typo = f'<p class="why typo"><span class="label">Read as:</span> {escape(typo)}</p>' if typo else ""
    return f'<p class="why"><span class="label">Why it matched:</span> {kind}{said}</p>{typo}'


def card(hit: Hit, md: SafeMarkdown, n: int, match: bool = True, show_source: bool = False,
         focus: bool = False, extra: str = "") -> str:
    """One term. `match`: show confidence and why (search results); `focus`: the page focuses its heading;
    `extra`: more HTML at the end of the card."""
    head_id = f"card-{n}"
    focus_attrs = ' tabindex="-1" data-focus' if focus else ""
    parts = [f'<article class="card" aria-labelledby="{head_id}"><div class="card-head">'
             f'<h3 id="{head_id}"{focus_attrs}>{term_link(hit.term, "term-link card-term")}</h3>']
    if match:
        words, css = confidence(hit.score, hit.rank)
        pct = max(2, min(100, round(hit.score * 100)))
        parts.append(f'<div class="confidence conf-{css}" title="score {hit.score:.2f}">'
                     f'<span class="bar" aria-hidden="true"><span style="width:{pct}%"></span></span>'
                     f'<span class="conf-words">{words}</span></div>')
    parts.append("</div>")
    if hit.aliases:
        parts.append(f'<p class="aliases"><span class="label">Also called:</span> '
                     f'{", ".join(escape(a) for a in hit.aliases)}</p>')
    definition, marked = md.render(hit.definition, sentence_of(hit.explanation) if match else "")
    parts.append(f'<div class="definition">{definition}</div>')
    if match:
        parts.append(why_html(hit.explanation, marked))
    if hit.related:
        links = " ".join(term_link(r, "term-link chip") for r in hit.related)
        parts.append(f'<nav class="related" aria-label="Terms related to {escape(hit.term)}">'
                     f'<span class="label">Related:</span> {links}</nav>')
    parts.append(extra)
    if show_source and hit.source:
        parts.append(f'<p class="source">From {escape(hit.source)}</p>')
    parts.append("</article>")
    return "".join(parts)


def results_html(result: SearchResult, md: SafeMarkdown, source: str | None = None,
                 show_source: bool = False) -> str:
    q = escape(result.query)
    where = f" in {escape(source)}" if source else ""
    if result.no_match:
        text = f"<strong>Nothing in the glossary{where} answers “{q}”.</strong>"
        text += " These are the nearest terms:" if result.hits else ""
        head = status(text, "no-match")
    else:
        n = len(result.hits)
        head = status(f"{n} term{'s' if n != 1 else ''}{where} for “{q}”")
    cards = "".join(card(h, md, i, show_source=show_source) for i, h in enumerate(result.hits, 1))
    tail = f'<p class="more">Not what you wanted? {all_terms_link()}</p>' if result.no_match else ""
    return view("results", head + cards + tail, page_url(q=result.query, source=source))


def hit_of(entry: Entry) -> Hit:
    return Hit(term=entry.term, score=1.0, definition=entry.definition, aliases=entry.aliases,
               related=entry.related, source=entry.source, anchor=entry.anchor)


def term_html(entry: Entry, mentioned: Sequence[str], md: SafeMarkdown, show_source: bool = False) -> str:
    """One term opened on its own, with the terms whose definitions mention it (`Engine.mentioned_in`) that
    its own Related line does not list already."""
    mentioned = [t for t in mentioned if t not in entry.related]
    extra = ""
    if mentioned:
        links = " ".join(term_link(t, "term-link chip") for t in mentioned)
        extra = (f'<nav class="related mentioned" aria-label="Terms that mention {escape(entry.term)}">'
                 f'<span class="label">Mentioned in:</span> {links}</nav>')
    body = card(hit_of(entry), md, 1, match=False, show_source=show_source, focus=True, extra=extra)
    body += f'<p class="more">{all_terms_link()}</p>'
    return view("term", body, page_url(term=entry.term))


def initial(term: str) -> str:
    first = next((ch for ch in term if ch.isalnum()), "#")
    return first.upper() if first.isalpha() else "#"


def all_terms_html(entries: Iterable[Entry], source: str | None = None) -> str:
    """The whole glossary A-Z, grouped by first letter, each term a link that opens it."""
    groups: dict[str, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: e.term.casefold()):
        groups.setdefault(initial(e.term), []).append(e)
    count = sum(len(g) for g in groups.values())
    letters = " ".join(f'<a href="#az-{escape(k)}">{escape(k)}</a>' for k in groups)
    where = f" in {escape(source)}" if source else ""
    parts = [status(f"All {count} terms{where}, A–Z"),
             f'<nav class="az-letters" aria-label="Jump to letter">{letters}</nav>']
    for letter, group in groups.items():
        items = "".join(
            f"<li>{term_link(e.term)}"
            + (f' <span class="aka">({", ".join(escape(a) for a in e.aliases)})</span>' if e.aliases else "")
            + "</li>"
            for e in group
        )
        parts.append(f'<section class="az-group" aria-labelledby="az-{escape(letter)}">'
                     f'<h3 id="az-{escape(letter)}">{escape(letter)}</h3><ul>{items}</ul></section>')
    return view("all", "".join(parts), page_url(view="all", source=source))


def welcome_html() -> str:
    return view("welcome", f'<p class="hint">Type a question and press Enter, pick an example, or '
                           f"{all_terms_link('browse all terms A–Z')}.</p>", "")


def message_html(text: str, url: str | None = None) -> str:
    """A one-line problem (bad question, unreadable index), shown where the results go."""
    return view("message", status(escape(text), "error"), url)


def model_name(model: str) -> str:
    return PurePath(model).name if "/" in model or "\\" in model else model


def built_text(built_at: str) -> str:
    try:
        return datetime.fromisoformat(built_at).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return built_at


def footer_html(manifest: Manifest, stale: Sequence[str]) -> str:
    names = ", ".join(g.name for g in manifest.glossaries) or "glossary"
    facts = [f"<span><strong>{escape(names)}</strong></span>",
             f"<span>{manifest.entries} terms</span>",
             f"<span>model {escape(model_name(manifest.model))}</span>",
             f'<span>built <time datetime="{escape(manifest.built_at)}">'
             f"{escape(built_text(manifest.built_at))}</time></span>"]
    out = f'<div class="facts">{" · ".join(facts)}</div>'
    if stale:
        files = ", ".join(escape(PurePath(p).name) for p in stale)
        out += (f'<p class="stale" role="alert">⚠ The index is out of date: {files} changed since it was '
                "built. Run <code>rebuild-index</code> to include the changes.</p>")
    return out
