"""The format of a file whose extension does not say (`.txt`, `.xml`, none), told from its content."""

from __future__ import annotations

import re
from pathlib import Path

AMBIGUOUS = (".txt", ".text", ".xml", "")  # extensions several formats use
SNIFF_CHARS = 2_000_000  # enough of a file to tell its format
_XML_ROOT = re.compile(r"<(?!\?|!)(?:[\w.-]+:)?(?P<root>[\w.-]+)[\s>/]")


def sniff_format(path: Path) -> str | None:
    """`docbook`, `tbx`, `skos`, `html` or `asciidoc` when the content is one; None when it says nothing."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as file:
            text = file.read(SNIFF_CHARS)
    except OSError:
        return None
    # The readers' tests, imported only for a file that needs sniffing (the DocBook and HTML ones load lxml).
    from index.formats.asciidoc import is_asciidoc
    from index.formats.docbook import is_docbook
    from index.formats.htmlpage import is_html

    if is_docbook(text):
        return "docbook"
    stripped = re.sub(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", "", text[:100_000], flags=re.S)
    root = _XML_ROOT.search(stripped)
    if root is not None and stripped.lstrip().startswith("<"):
        name = root["root"].casefold()
        if name in ("martif", "tbx"):
            return "tbx"
        if name == "rdf":
            return "skos"
    if is_html(text):
        return "html"
    if is_asciidoc(text):
        return "asciidoc"
    return None
