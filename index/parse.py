"""Read a markdown glossary into entries.

The format is the seed's: a title and preamble, then one entry per heading (`##` or `###`) whose
definition is the text up to the next heading. Headings carry aliases in parentheses
(`Kernel (Filter)`); a definition that opens with a title-case phrase spells an acronym out
(`Adam` -> "Adaptive Moment Estimation."); `See [Loss Function](#loss-function).` makes the entry
an alias of its target; bold text and in-page links refer to related terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.entry import Entry
from index.errors import GlossaryParseError

_REDIRECT = re.compile(
    r"^\s*see\s+(?:\[(?P<text>[^\]]+)\]\((?P<href>[^)]*)\)|\*\*(?P<bold>[^*]+)\*\*|(?P<plain>[^.]+?))\s*\.?\s*$",
    re.IGNORECASE,
)
_HEADING_ALIAS = re.compile(r"^(?P<name>.+?)\s*\((?P<alias>[^()]+)\)\s*$")
_SMALL_WORDS = {"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "with", "by"}


@dataclass
class Glossary:
    title: str
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Raw:
    term: str
    level: int
    line: int
    definition: str
    text: str
    refs: list[str]


def normalize(name: str) -> str:
    """Key for matching names written in different ways: case, spacing and hyphens ignored."""
    return " ".join(re.sub(r"[-_/]", " ", name.casefold()).split())


def slug(heading: str) -> str:
    """GitHub-style anchor: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def read_text(path: Path) -> str:
    """Decode a glossary file as UTF-8, naming the line of the first bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise GlossaryParseError(path, line, "not valid UTF-8 text; save the file as UTF-8") from None


def parse_file(path: str | Path, source: str | None = None) -> Glossary:
    path = Path(path)
    try:
        text = read_text(path)
    except OSError as err:
        raise GlossaryParseError(path, None, f"cannot read the glossary ({err.strerror})") from None
    return parse_markdown(text, path, source)


def parse_markdown(text: str, path: str | Path = "<glossary>", source: str | None = None) -> Glossary:
    tokens = MarkdownIt("commonmark").parse(text)
    lines = re.split(r"\r\n?|\n", text)  # markdown-it's line breaks (splitlines() also breaks on \x85...)
    title, raws = _split_entries(tokens, lines, path)
    if not raws:
        raise GlossaryParseError(path, None, "no glossary entries found (expected '## Term' or '### Term' headings)")
    return _resolve(raws, title or Path(str(path)).stem, path, source)


def _split_entries(tokens: list[Token], lines: list[str], path) -> tuple[str, list[_Raw]]:
    """Group block tokens under their headings. A heading followed directly by a deeper one is a section."""
    title = ""
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    if headings and headings[0] > 0:  # preamble: its first line names the glossary
        first_inline = next((t for t in tokens[: headings[0]] if t.type == "inline"), None)
        if first_inline:
            title = first_inline.content.splitlines()[0].strip()
    raws: list[_Raw] = []
    for n, start in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(tokens)
        level = int(tokens[start].tag[1])
        term = tokens[start + 1].content.strip()
        line = tokens[start].map[0] + 1
        body = tokens[start + 3 : end]
        if level == 1:
            title = title or term
            continue
        if not any(t.type == "inline" and t.content.strip() for t in body):
            next_level = int(tokens[end].tag[1]) if end < len(tokens) else 0
            if next_level > level:
                continue  # a section heading such as "## A"
            raise GlossaryParseError(path, line, f"the entry '{term}' has an empty definition")
        if not term:
            raise GlossaryParseError(path, line, "a heading has no term; write the term after the '#' marks")
        blocks = [t for t in body if t.map and t.level == 0]
        first, last = blocks[0].map[0], blocks[-1].map[1]
        definition = "\n".join(lines[first:last]).strip()
        inlines = [t for t in body if t.type == "inline"]
        plain = " ".join(_plain(t) for t in inlines).strip()
        refs = [r for t in inlines for r in _references(t)]
        raws.append(_Raw(term, level, line, definition, plain, refs))
    return title, raws


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _references(inline: Token) -> list[str]:
    """Names in **bold** and in in-page links [Name](#anchor)."""
    refs, stack = [], []
    for child in inline.children or []:
        if child.type in ("strong_open", "link_open"):
            is_ref = child.type == "strong_open" or str(child.attrs.get("href", "")).startswith("#")
            stack.append(([], is_ref))
        elif child.type in ("strong_close", "link_close") and stack:
            words, is_ref = stack.pop()
            if is_ref and "".join(words).strip():
                refs.append(" ".join("".join(words).split()))
        elif child.type == "text" and stack:
            stack[-1][0].append(child.content)
    return refs


def heading_names(term: str) -> list[str]:
    """`Stochastic Gradient Descent (SGD)` -> ["Stochastic Gradient Descent", "SGD"]."""
    match = _HEADING_ALIAS.match(term)
    if not match:
        return []
    return [match["name"].strip(), match["alias"].strip()]


def _expansion(text: str) -> str | None:
    """A definition opening with a short title-case phrase ("Adaptive Moment Estimation.") spells the term out."""
    first = text.split(". ", 1)[0].rstrip(".")
    words = first.split()
    if not 2 <= len(words) <= 8 or len(first) == len(text.rstrip(".")):
        return None
    if all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and words[0][0].isupper():
        return first
    return None


def _resolve(raws: list[_Raw], title: str, path, source: str | None) -> Glossary:
    warnings: list[str] = []
    seen: dict[str, _Raw] = {}
    for raw in raws:
        key = normalize(raw.term)
        if key in seen:
            raise GlossaryParseError(
                path, raw.line, f"duplicate term '{raw.term}' (first defined on line {seen[key].line})"
            )
        seen[key] = raw

    redirects = {raw.term: m for raw in raws if (m := _REDIRECT.match(raw.definition))}
    real = [raw for raw in raws if raw.term not in redirects]
    if not real:
        raise GlossaryParseError(path, None, "the glossary has only redirects ('See ...'), no definitions")

    # Every way of naming a real entry -> its term.
    names: dict[str, str] = {}
    for raw in real:
        for name in [raw.term, *heading_names(raw.term)]:
            names.setdefault(normalize(name), raw.term)
    anchors = {slug(raw.term): raw.term for raw in real}
    anchors.update({slug(heading_names(raw.term)[0]): raw.term for raw in real if heading_names(raw.term)})

    extra_aliases: dict[str, list[str]] = {raw.term: [] for raw in real}
    for term, match in redirects.items():
        raw = seen[normalize(term)]
        target_name = match["text"] or match["bold"] or match["plain"] or ""
        href = (match["href"] or "").lstrip("#")
        target = names.get(normalize(target_name)) or anchors.get(href)
        if target is None:
            raise GlossaryParseError(path, raw.line, f"'{term}' redirects to '{target_name}', which is not defined")
        extra_aliases[target].append(term)
        names.setdefault(normalize(term), target)

    entries = []
    source = source or title
    for raw in real:
        aliases = [*heading_names(raw.term)]
        if (expansion := _expansion(raw.text)) is not None:
            aliases.append(expansion)
        aliases += extra_aliases[raw.term]
        related, unresolved = resolve_references(raw.term, raw.refs, names, f"{path}:{raw.line}", warnings)
        entries.append(
            Entry(
                term=raw.term,
                definition=raw.definition,
                text=raw.text,
                aliases=tuple(dict.fromkeys(aliases)),
                related=tuple(related),
                source=source,
                line=raw.line,
                anchor=slug(raw.term),
                unresolved=tuple(unresolved),
            )
        )
    return Glossary(title=title, entries=entries, warnings=warnings)


def resolve_references(
    term: str, refs: list[str] | tuple[str, ...], names: dict[str, str], where: str, warnings: list[str]
) -> tuple[list[str], list[str]]:
    """Split `term`'s references into entries (`names`: normalized name -> term) and undefined names,
    warning once per undefined name."""
    related, unresolved = [], []
    for ref in refs:
        target = names.get(normalize(ref))
        if target is None:
            if ref not in unresolved:
                unresolved.append(ref)
                warnings.append(f"{where}: '{term}' refers to '{ref}', which is not defined")
        elif target != term and target not in related:
            related.append(target)
    return related, unresolved


def with_source(glossary: Glossary, source: str) -> Glossary:
    return replace(glossary, entries=[replace(e, source=source) for e in glossary.entries])
