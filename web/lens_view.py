"""HTML for the Lens tab: the pasted text with each glossary term marked, its definition shown on hover or focus.

Everything from the text or the glossary is escaped here, so markup in a pasted text is shown as text. Each
marked term is focusable (Tab, or a tap on a touch screen) and names its definition as its description.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from search.lens import MAX_TEXT_CHARS as MAX_LENS_CHARS
from search.lens import Span
from web.render import status, view


def mark(n: int, span: Span) -> str:
    tip = f"lens-tip-{n}"
    return (f'<mark class="lens-term lens-{escape(span.how)}" tabindex="0" aria-describedby="{tip}" '
            f'data-term="{escape(span.term)}" data-confidence="{span.confidence:.2f}">{escape(span.text)}'
            f'<span class="lens-tip" role="tooltip" id="{tip}"><strong>{escape(span.term)}</strong> '
            f"{escape(span.definition)}</span></mark>")


def lens_html(text: str, spans: Sequence[Span], cut: bool = False) -> str:
    if not text.strip():
        return view("lens", '<p class="hint">Paste a paragraph above and press “Mark the terms”.</p>', None)
    parts, at = [], 0
    for n, span in enumerate(spans, 1):
        parts.append(escape(text[at:span.start]))
        parts.append(mark(n, span))
        at = span.end
    parts.append(escape(text[at:]))
    terms = len({s.term for s in spans})
    head = (f"{len(spans)} mention{'s' if len(spans) != 1 else ''} of {terms} glossary "
            f"term{'s' if terms != 1 else ''}" if spans else "No glossary terms in this text.")
    if cut:
        head += f" Only the first {MAX_LENS_CHARS:,} characters were read."
    body = status(escape(head)) + f'<div class="lens-text">{"".join(parts)}</div>'
    return view("lens", body, None)
