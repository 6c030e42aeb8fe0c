"""Markup that is not glossary text, removed before markdown is read: site-generator templates, shortcodes,
reference-style citations, YAML front matter. Every function keeps the line count, so lines still match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

# `{% include "x" %}` (Jekyll, GitBook, Liquid), `{{< shortcode >}}` and `{{% shortcode %}}` (Hugo).
_TEMPLATE = re.compile(r"(?P<pre>[ \t]*)(?:\{%.*?%\}|\{\{<.*?>\}\}|\{\{%.*?%\}\})", re.S)
_ATTR = re.compile(r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>%]+))""")
_SHORTCODE_NAME = re.compile(r"^\{\{[<%]\s*/?\s*(?P<name>[\w-]+)")
# `[label]: url` reference definitions; `[text][label]` and `[label][]` uses.
_REF_DEF = re.compile(
    r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<url><[^>]*>|\S+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$"
)
_REF_USE = re.compile(r"\[(?P<text>[^\[\]]+)\]\[(?P<label>[^\[\]]*)\]")
# `[Graves, 1-3]`, `[Graves 2013]`, `[1]`: a citation, not words of the sentence.
_CITATION = re.compile(r"^[^\W\d][\w.&' -]*,?\s*[\d][\d\-–, ]*$|^[\d][\d\-–, ]*$")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)

Shortcode = Callable[[str, dict[str, str]], str]  # (name, attributes) -> replacement text


def _blank(match: re.Match) -> str:
    return "\n" * match.group(0).count("\n")


def drop_templates(text: str, shortcode: Shortcode | None = None) -> str:
    """Template tags out, line breaks kept; `shortcode` may give a tag's text instead (a Hugo tooltip's text)."""

    def replace(match: re.Match) -> str:
        tag = match.group(0)[len(match["pre"]):]
        text = ""
        if shortcode is not None and (name := _SHORTCODE_NAME.match(tag)):
            attrs = {m["key"]: m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
                     for m in _ATTR.finditer(tag)}
            text = shortcode(name["name"], attrs)
        after = match.string[match.end():match.end() + 1]
        # Keep the space before the tag unless punctuation or the line's end follows ("text {% x %}." -> "text.").
        pre = match["pre"] if text or (after and after not in ".,;:!?)\n") else ""
        return pre + text + _blank(match)

    return _TEMPLATE.sub(replace, text)


def drop_citations(text: str) -> str:
    """Reference-style links to outside pages: citations (`[Graves, 1-3][Graves]`) go, other links keep their
    text, and their `[label]: url` definitions go. In-page references (`[Loss][loss]`, `[loss]: #loss`) stay."""
    lines = text.split("\n")
    outside = set()
    for n, line in enumerate(lines):
        if (match := _REF_DEF.match(line)) and not match["url"].strip("<>").startswith("#"):
            outside.add(_label(match["label"]))
            lines[n] = ""
    if not outside:
        return text

    def replace(match: re.Match) -> str:
        label = _label(match["label"] or match["text"])
        if label not in outside:
            return match.group(0)
        return "" if _CITATION.match(match["text"].strip()) or label == _label(match["text"]) else match["text"]

    cleaned = _REF_USE.sub(replace, "\n".join(lines))
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)  # "as shown [1]." -> "as shown."


def _label(label: str) -> str:
    return " ".join(label.casefold().split())


def front_matter(text: str) -> tuple[dict | None, str]:
    """(YAML front matter, text with it blanked) — (None, text) when the file has none or it is not a mapping."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    try:
        data = yaml.safe_load(match["yaml"])
    except yaml.YAMLError:
        return None, text
    if not isinstance(data, dict):
        return None, text
    return data, _blank(match) + text[match.end():]
