"""Glossary markdown to safe HTML: raw HTML is shown as text, links go to other terms or http(s) only."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("http://", "https://")


def term_href(term: str) -> str:
    return "?" + urlencode({"term": term})


def _allowed(url: str) -> bool:
    return url.startswith("#") or url.lower().startswith(SAFE_SCHEMES)


class SafeMarkdown:
    """One parser per glossary: `#anchor` links become links that open that term."""

    def __init__(self, terms_by_anchor: Mapping[str, str]):
        self.terms_by_anchor = dict(terms_by_anchor)
        # commonmark with html=False: any <tag> in a definition is escaped and shown as text.
        self.md = MarkdownIt("commonmark", {"html": False})
        self.md.disable("image")  # no remote images (tracking pixels) in someone else's glossary
        self.md.validateLink = _allowed
        self.md.renderer.rules["link_open"] = self._link_open  # add_render_rule would rebind `self`

    def _link_open(self, tokens, idx, options, env):
        token = tokens[idx]
        href = token.attrGet("href") or ""
        if href.startswith("#"):
            term = self.terms_by_anchor.get(href[1:])
            if term is not None:
                token.attrSet("href", term_href(term))
                token.attrSet("data-view", "term")
                token.attrSet("data-term", term)
                token.attrSet("class", "term-link")
        else:
            token.attrSet("rel", "nofollow noopener noreferrer")
            token.attrSet("target", "_blank")
        return self.md.renderer.renderToken(tokens, idx, options, env)

    def render(self, text: str, highlight: str = "") -> tuple[str, bool]:
        """HTML for `text`, with `highlight` (plain text: the sentence that matched) marked where found."""
        tokens = self.md.parse(text)
        found = bool(highlight.strip()) and any(
            _mark(t, highlight.strip()) for t in tokens if t.type == "inline" and t.children
        )
        return self.md.renderer.render(tokens, self.md.options, {}), found


def _mark(inline: Token, target: str) -> bool:
    """Wrap the text of `inline` that spells `target` in <mark>, piece by piece so tags stay nested."""
    pieces, plain = [], ""
    for child in inline.children:
        if child.type in ("text", "code_inline"):
            text = child.content
        else:
            text = " " if "break" in child.type else ""
        pieces.append((len(plain), len(plain) + len(text)))
        plain += text
    start = plain.find(target)
    if start < 0 and target.endswith("."):
        target = target.rstrip(".")
        start = plain.find(target) if target else -1
    if start < 0:
        return False
    end = start + len(target)
    children = []
    for child, (a, b) in zip(inline.children, pieces, strict=True):
        lo, hi = max(a, start), min(b, end)
        if lo >= hi or child.type not in ("text", "code_inline"):
            children.append(child)
        elif child.type == "code_inline":
            children += [_html("<mark>"), child, _html("</mark>")]
        else:
            text = child.content
            children += [_text(text[: lo - a]), _html("<mark>"), _text(text[lo - a: hi - a]),
                         _html("</mark>"), _text(text[hi - a:])]
    inline.children = [c for c in children if not (c.type == "text" and not c.content)]
    return True


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _html(content: str) -> Token:
    # Only this module makes html_inline tokens: the parser itself runs with html disabled.
    return Token("html_inline", "", 0, content=content)
