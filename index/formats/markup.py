"""Markup that is not glossary text, removed before markdown is read: site-generator templates, shortcodes,
reference-style citations, YAML front matter. Every function keeps the line count, so lines still match.
"""

from __future__ import annotations

import json
import re

import tomllib
import yaml

from index.formats.macros import blank_lines

# `[label]: url` reference definitions; `[text][label]` and `[label][]` uses.
_REF_DEF = re.compile(
    r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<url><[^>]*>|\S+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$"
)
_REF_USE = re.compile(r"\[(?P<text>[^\[\]]+)\]\[(?P<label>[^\[\]]*)\]")
# `[Graves, 1-3]`, `[Graves 2013]`, `[1]`: a citation, not words of the sentence.
_CITATION = re.compile(r"^[^\W\d][\w.&' -]*,?\s*[\d][\d\-–, ]*$|^[\d][\d\-–, ]*$")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_TOML_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(?P<toml>.*?)(?:\r?\n)\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)


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
    """(front matter, text with it blanked) — (None, text) when the file has none or it is not a mapping.

    YAML between `---` lines (Jekyll, Hugo, Docusaurus, MkDocs), TOML between `+++` lines or a JSON object
    opening the file (Hugo)."""
    body = text.lstrip("\ufeff")
    if body.startswith("{"):
        return _json_front_matter(text, len(text) - len(body))
    match = _FRONT_MATTER.match(text) or _TOML_FRONT_MATTER.match(text)
    if not match:
        return None, text
    try:
        data = yaml.safe_load(match["yaml"]) if match.re is _FRONT_MATTER else tomllib.loads(match["toml"])
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return None, text
    if not isinstance(data, dict):
        return None, text
    return data, blank_lines(match) + text[match.end():]


def _json_front_matter(text: str, start: int) -> tuple[dict | None, str]:
    try:
        data, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return None, text
    if not isinstance(data, dict):
        return None, text
    return data, "\n" * text.count("\n", 0, end) + text[end:]
