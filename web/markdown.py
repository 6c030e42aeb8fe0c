"""Glossary markdown to safe HTML: raw HTML is shown as text, links go to other terms or http(s) only."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from markdown_it import MarkdownIt

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
        self.md.add_render_rule("link_open", self._link_open)

    def _link_open(self, tokens, idx, options, env):
        token = tokens[idx]
        href = token.attrGet("href") or ""
        if href.startswith("#"):
            term = self.terms_by_anchor.get(href[1:])
            if term is not None:
                token.attrSet("href", term_href(term))
                token.attrSet("data-term", term)
                token.attrSet("class", "term-link")
        else:
            token.attrSet("rel", "nofollow noopener noreferrer")
            token.attrSet("target", "_blank")
        return self.md.renderer.renderToken(tokens, idx, options, env)

    def render(self, text: str) -> str:
        return self.md.render(text)
