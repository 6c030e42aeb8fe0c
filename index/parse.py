"""Read a markdown glossary into entries.

The format is the seed's: a title and preamble, then one entry per heading (`##` or `###`) whose
definition is the text up to the next heading. Headings carry aliases in parentheses
(`Kernel (Filter)`); a definition that opens with a title-case phrase spells an acronym out
(`Adam` -> "Adaptive Moment Estimation."); `See [Loss Function](#loss-function).` makes the entry
an alias of its target; bold text and in-page links refer to related terms.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from index.entry import Entry
from index.errors import GlossaryParseError
from index.text import normalize  # noqa: F401  (readers import it from here too)

if TYPE_CHECKING:
    from markdown_it.token import Token


def _markdown():
    """The CommonMark parser, imported when markdown is parsed: an up-to-date rebuild reads this module's
    ReadReport without paying for markdown-it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


_REDIRECT = re.compile(
    r"^\s*see\s+(?:\[(?P<text>[^\]]+)\]\((?P<href>[^)]*)\)|\*\*(?P<bold>[^*]+)\*\*|(?P<plain>[^.]+?))\s*\.?\s*$",
    re.IGNORECASE,
)
_HEADING_PAREN = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^()]+)\)|<(?P<angle>[^<>]+)>)\s*$")
# Words that open a qualifier rather than a name: `state (of an object)`, `run (as in a process)`.
_FUNCTION_WORDS = {"a", "an", "as", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with", "when",
                   "e.g.", "i.e.", "eg", "ie", "see", "not", "or", "and"}
_WHERE = re.compile(r"^(.+?):(\d+): ")  # "path/to/file.md:12: " at the start of a report line
_SMALL_WORDS = {"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "with", "by"}


@dataclass(frozen=True)
class ReadReport:
    """What reading one glossary found: counts, and every item skipped, merged or worth a look, with file:line."""

    files: int = 1
    items: int = 0  # headings, rows, directive items or pages read
    kind: str = "items"  # what `items` counts, e.g. "headings"
    entries: int = 0
    aliases: int = 0
    redirects: int = 0
    related: int = 0  # links between entries
    skipped: tuple[str, ...] = ()  # "file:line: why", for things that looked like entries but are not
    merged: tuple[str, ...] = ()  # duplicates read as one entry
    kept_apart: tuple[str, ...] = ()  # duplicates kept as separate entries, with a qualifier
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """`450 headings -> 446 entries, 3 redirects, 1 skipped (line 12: ...)`."""
        parts = [_count(self.entries, "entry", "entries")]
        parts += [_count(self.aliases, "alias", "aliases")] * bool(self.aliases)
        parts += [_count(self.redirects, "redirect", "redirects")] * bool(self.redirects)
        parts += [_count(self.related, "related link", "related links")] * bool(self.related)
        parts += [f"{len(self.merged)} merged"] * bool(self.merged)
        parts += [f"{len(self.kept_apart)} kept apart"] * bool(self.kept_apart)
        if self.skipped:
            first = _WHERE.sub(lambda m: f"{Path(m[1]).name}:{m[2]}: ", self.skipped[0], count=1)
            parts.append(f"{len(self.skipped)} skipped ({first}{', ...' * (len(self.skipped) > 1)})")
        parts += [_count(len(self.warnings), "warning", "warnings")] * bool(self.warnings)
        files = f"{self.files} files, " if self.files > 1 and self.kind not in ("pages", "files") else ""
        return f"{files}{self.items} {self.kind} -> " + ", ".join(parts)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ReadReport:
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in fields})


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Link:
    """A reference in a definition: its words, and what it points at when the markup says (an anchor, a slug).
    The target decides; the text names the entry only when there is no target."""

    text: str
    target: str = ""
    mention: bool = False  # bold text: a reference only when it names an entry, never an "undefined" warning


@dataclass
class Glossary:
    title: str
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)
    report: ReadReport = field(default_factory=ReadReport)


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
    # The shared resolver and the markup cleaners build on this module's helpers, hence imported here.
    from index.formats.markup import drop_citations, drop_templates, front_matter
    from index.formats.records import glossary_from_records

    meta, text = front_matter(text)
    text = drop_citations(drop_templates(text))
    tokens = _markdown().parse(text)
    lines = re.split(r"\r\n?|\n", text)  # markdown-it's line breaks (splitlines() also breaks on \x85...)
    title, records, skipped, notes = _split_entries(tokens, lines, path)
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found (expected '## Term' or '### Term' headings)")
    if meta and isinstance(meta.get("title"), str) and meta["title"].strip():
        title = meta["title"].strip()
    title = title or Path(str(path)).stem
    glossary = glossary_from_records(records, Path(str(path)), source or title, kind="headings", skipped=skipped)
    if notes:
        glossary.warnings[:0] = notes
        glossary.report = replace(glossary.report, warnings=(*notes, *glossary.report.warnings))
    return replace(glossary, title=title)


def _split_entries(tokens: list[Token], lines: list[str], path):
    """Group block tokens under their headings. A heading followed directly by a deeper one is a section.

    Returns (title, records, skipped, notes). The first `#` heading before any entry names the glossary; one
    after entries is an entry too (with a note), never a silent second title.
    """
    from index.formats.records import Record

    title = ""
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    if headings and headings[0] > 0:  # preamble: its first line names the glossary
        first_inline = next((t for t in tokens[: headings[0]] if t.type == "inline"), None)
        if first_inline:
            title = first_inline.content.splitlines()[0].strip()
    records, skipped, notes = [], [], []
    for n, start in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(tokens)
        level = int(tokens[start].tag[1])
        term = " ".join(tokens[start + 1].content.split())
        line = tokens[start].map[0] + 1
        body = tokens[start + 3 : end]
        has_body = any(t.type == "inline" and t.content.strip() for t in body)
        next_level = int(tokens[end].tag[1]) if end < len(tokens) else 0
        if level == 1 and not records:  # before any entry: the glossary's title (its text is an introduction)
            title = title or term
            continue
        if not has_body and next_level > level:
            continue  # a section heading such as "## A"
        if level == 1:
            if not has_body:
                skipped.append(f"{path}:{line}: '# {term}' is a top-level heading with no text")
                continue
            notes.append(f"{path}:{line}: '# {term}' is a top-level heading among the entries; read as an entry")
        if not has_body:
            records.append(Record(line=line, term=term, definition=""))
            continue
        blocks = [t for t in body if t.map and t.level == 0]
        first, last = blocks[0].map[0], blocks[-1].map[1]
        definition = "\n".join(lines[first:last]).strip()
        inlines = [t for t in body if t.type == "inline"]
        plain = " ".join(_plain(t) for t in inlines).strip()
        refs = [r for t in inlines for r in _references(t)]
        records.append(Record(line=line, term=term, definition=definition, related=tuple(refs), text=plain))
    return title, records, skipped, notes


def markdown_text(text: str, target: Callable[[str], str | None] | None = None) -> tuple[str, list[Link]]:
    """Markdown -> (plain text, references), as the heading reader reads a definition. `target` says which
    link addresses point into the glossary, and at what (default: in-page anchors, `#loss` -> "loss")."""
    inlines = [t for t in _markdown().parse(text) if t.type == "inline"]
    return " ".join(_plain(t) for t in inlines).strip(), [r for t in inlines for r in _references(t, target)]


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def in_page(href: str) -> str | None:
    """`#loss-function` -> "loss-function"; None for a link out of the page."""
    return href[1:] if href.startswith("#") and len(href) > 1 else None


def _references(inline: Token, target: Callable[[str], str | None] | None = None) -> list[Link]:
    """In-page links [Name](#anchor), by their anchor, and **bold** names (mentions)."""
    target = target or in_page
    refs, stack = [], []
    for child in inline.children or []:
        if child.type == "strong_open":
            stack.append(([], Link("", mention=True)))
        elif child.type == "link_open":
            points = target(str(child.attrs.get("href", "")))
            stack.append(([], Link("", target=points) if points else None))
        elif child.type in ("strong_close", "link_close") and stack:
            words, link = stack.pop()
            text = " ".join("".join(words).split())
            if link is not None and (text or link.target):
                refs.append(replace(link, text=text))
        elif child.type in ("text", "code_inline") and stack:
            for words, _ in stack:
                words.append(child.content)
    return refs


@dataclass(frozen=True)
class HeadingParts:
    name: str  # the heading without a trailing parenthesis or <label>
    alias: str = ""  # `Stochastic Gradient Descent (SGD)` -> "SGD"
    qualifier: str = ""  # `version (temporal)`, `state (of an object)`, `arc <geometry>`: a sense or domain


def heading_parts(term: str) -> HeadingParts:
    """Split a heading's trailing `(...)` or `<...>` into an alias or a qualifier.

    A parenthesis is another name when it looks like one: an acronym or capitalised name (`(SGD)`, `(Filter)`,
    `(Mini-Batch)`) or the initials of the rest (`SGD (stochastic gradient descent)`). Lowercase labels, text
    opening with a function word and anything in angle brackets qualify the term instead: they are no name
    anyone would search for on their own. A lowercase abbreviation of the name (`Parsec (pc)`) is a name.
    """
    match = _HEADING_PAREN.match(term)
    if not match:
        return HeadingParts(term.strip())
    name = match["name"].strip()
    if match["angle"] is not None:
        return HeadingParts(name, qualifier=match["angle"].strip())
    paren = " ".join(match["paren"].split())
    words = paren.split()
    if len(words) > 1 and words[0].casefold() in _FUNCTION_WORDS or paren in _FUNCTION_WORDS:
        return HeadingParts(name, qualifier=paren)
    if (_initials(name) == paren.casefold() or _initials(paren) == name.casefold()
            or any(c.isupper() for c in paren) or _abbreviates(paren, name)):
        return HeadingParts(name, alias=paren)
    return HeadingParts(name, qualifier=paren)


def redirect_target(definition: str) -> tuple[str, str, bool] | None:
    """`See [Loss Function](#loss-function).` -> ("Loss Function", "loss-function", True); None if no redirect.

    The flag says the target was marked as a name (a link or bold) and must exist; a plain `See the chapter
    on X.` may just be text."""
    match = _REDIRECT.match(definition)
    if match is None:
        return None
    name = match["text"] or match["bold"] or match["plain"] or ""
    return " ".join(name.split()), (match["href"] or "").lstrip("#"), match["plain"] is None


def heading_names(term: str) -> list[str]:
    """`Stochastic Gradient Descent (SGD)` -> ["Stochastic Gradient Descent", "SGD"]; [] when no alias."""
    parts = heading_parts(term)
    return [parts.name, parts.alias] if parts.alias else []


def _abbreviates(short: str, name: str) -> bool:
    """`arcsec` for Arcsecond, `pc` for Parsec: a shorter word made of the name's letters, in order."""
    letters = iter(c for c in name.casefold() if c.isalnum())
    short = short.casefold()
    if " " in short or len(short) >= sum(c.isalnum() for c in name) or not short[:1] == name[:1].casefold():
        return False
    return all(c in letters for c in short)


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-/]+", name) if p]
    return "".join(p[0] for p in parts).casefold() if len(parts) > 1 else ""


def expansion(text: str) -> str | None:
    """A definition opening with a short title-case phrase ("Adaptive Moment Estimation.") spells the term out."""
    first = text.split(". ", 1)[0].rstrip(".")
    words = first.split()
    if not 2 <= len(words) <= 8 or len(first) == len(text.rstrip(".")):
        return None
    if all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and words[0][0].isupper():
        return first
    return None


def with_source(glossary: Glossary, source: str) -> Glossary:
    return replace(glossary, entries=[replace(e, source=source) for e in glossary.entries])
