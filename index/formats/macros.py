"""Macros of documentation systems, read as the text they show: MDN's KumaScript (`{{Glossary("HTTP")}}`,
`{{domxref("Window.fetch()")}}`), Hugo shortcodes (`{{< glossary_tooltip text="nodes" term_id="node" >}}`),
Liquid/Jekyll tags (`{% include x %}`) and GitHub-style callout markers (`> [!NOTE]`).

A macro that links to a glossary entry tells its caller (`link(target)`), so the reader can make the entry a
related term; the text is what a reader of the published page sees. Macros that show nothing (`{{Sidebar}}`,
`{% include %}`, live-sample embeds) go. Every function keeps the line count, so lines still match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# `{% include "x" %}` (Jekyll, GitBook, Liquid), `{{< shortcode >}}` and `{{% shortcode %}}` (Hugo).
_TEMPLATE = re.compile(r"(?P<pre>[ \t]*)(?:\{%.*?%\}|\{\{<.*?>\}\}|\{\{%.*?%\}\})", re.S)
_ATTR = re.compile(r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>%]+))""")
_SHORTCODE_NAME = re.compile(r"^\{\{[<%]\s*/?\s*(?P<name>[\w-]+)")
# KumaScript: `{{Name}}`, `{{ Name("a", 'b', 3) }}`.
_KUMA = re.compile(
    r"\{\{\s*(?P<name>[A-Za-z_][\w-]*)\s*(?:\((?P<args>(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^)\"'])*)\))?\s*\}\}"
)
_ARG = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|([^,\s][^,]*)")
_CALLOUT = re.compile(r"^(?P<quote>[ \t]*(?:>[ \t]*)+)\[!(?P<kind>[A-Za-z]+)\][ \t]*", re.M)

# KumaScript macros by what they show (names compared in lowercase).
GLOSSARY_MACROS = {"glossary"}  # (target, text): a link to another entry of the glossary
CODE_MACROS = {"domxref", "cssxref", "jsxref", "httpheader", "httpmethod", "htmlelement", "svgelement", "svgattr",
               "htmlattrxref", "csp", "mathmlelement", "webextapiref", "event"}  # shown as code
ELEMENT_MACROS = {"htmlelement", "svgelement", "mathmlelement"}  # shown as `<name>`
HIDDEN_MACRO_PREFIXES = ("embed", "previous", "next", "compat", "specifications", "interactiveexample")

Shortcode = Callable[[str, dict[str, str]], str]  # (name, attributes) -> replacement text
Link = Callable[[str], None]  # told the target of each glossary link


def blank_lines(match: re.Match) -> str:
    """What replaces a removed block: its line breaks, so later line numbers stay right."""
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
        return pre + text + blank_lines(match)

    return _TEMPLATE.sub(replace, text)


def macro_args(args: str | None) -> list[str]:
    """`"Window/fetch", 'fetch()', 1` -> ["Window/fetch", "fetch()", "1"]."""
    if not args:
        return []
    found = []
    for m in _ARG.finditer(args):
        value = m[1] if m[1] is not None else m[2] if m[2] is not None else m[3].strip()
        found.append(re.sub(r"\\(.)", r"\1", value))
    return found


def kuma_text(name: str, args: list[str], link: Link | None = None) -> str:
    """What one KumaScript macro shows on the page (markdown), telling `link` about glossary links."""
    kind = name.casefold()
    if not args or kind.startswith(HIDDEN_MACRO_PREFIXES) or kind.endswith("sidebar"):
        return ""  # `{{GlossarySidebar}}`, `{{optional_inline}}`, `{{EmbedLiveSample("x")}}`: nothing to read
    first, shown = args[0], next((a for a in args[1:2] if a.strip()), "")
    if kind in GLOSSARY_MACROS:
        if link is not None:
            link(first)
        return shown or first
    if kind == "rfc":
        return f"RFC {first}" + (f": {shown}" if shown else "")
    if kind in ELEMENT_MACROS:
        return f"`<{first}>`"
    if kind == "htmlattrxref":  # (attribute, element)
        return f"`{first}`"
    if kind in CODE_MACROS:
        text = shown or (first.replace("/", ".") if kind == "domxref" else first)
        return f"`{text}`" if "`" not in text else text
    return shown or first


def expand_macros(text: str, link: Link | None = None, shortcode: Shortcode | None = None) -> str:
    """Every macro of the text as the text it shows: KumaScript, Hugo shortcodes and Liquid tags, callout
    markers. `link` is told the target of each glossary link (`{{Glossary("HTTP")}}` -> "HTTP")."""
    text = drop_templates(text, shortcode)
    text = _KUMA.sub(lambda m: kuma_text(m["name"], macro_args(m["args"]), link) + blank_lines(m), text)
    return _CALLOUT.sub(lambda m: m["quote"], text)


def has_macros(text: str) -> bool:
    return bool(_KUMA.search(text) or _TEMPLATE.search(text) or _CALLOUT.search(text))
