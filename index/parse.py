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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from indexformat.entry import Entry
from indexformat.errors import GlossaryParseError
from indexformat.text import normalize  # noqa: F401  (readers import it from here too)

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


def expansion(text: str, term: str = "") -> str | None:
    """A definition opening with a short title-case phrase ("Adaptive Moment Estimation.") spells the term out;
    so does one of any case whose words' initials are the term's letters (`AC`: "alternating current.")."""
    first = text.split(". ", 1)[0].rstrip(".")
    words = first.split()
    if not 2 <= len(words) <= 8:
        return None
    if term.isupper() and _initials(first) == term.casefold():
        return first
    if len(first) == len(text.rstrip(".")):
        return None
    if all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and words[0][0].isupper():
        return first
    return None


# "(AU) is a unit of distance ...", "(A, or Amp) is the SI unit of current": a book glossary's definition that
# carries on from its heading and opens with the term's short forms in parentheses.
_OPENING_SHORT = re.compile(r"^\((?P<short>[^()]{2,30})\)\s+(?:is|are|was|refers|describes|means|denotes)\b")


def opening_short_forms(term: str, text: str) -> list[str]:
    """The short forms a definition opens with (`(AU) is ...` under Astronomical Unit -> ["AU"]): each one
    made of the term's letters, in order, and at least two long (a lone "(a)" is a symbol, not a name)."""
    match = _OPENING_SHORT.match(text)
    if not match:
        return []
    said = [s.strip() for s in re.split(r",\s*(?:or\s+)?|\s+or\s+", match["short"]) if s.strip()]
    return [s for s in said if len(s) >= 2 and _abbreviates(s, heading_parts(term).name)]


# What follows a term written in bold at the start of a paragraph or list item: "**Latency**: ...", " - ", " – ".
_LEAD_SEPARATOR = re.compile(r"^\s*(?:[:\u2013\u2014-]|\.(?=\s))\s*")
NAME_WORDS = 8  # a term is at most this many words: a longer bold lead is emphasis, a longer cell a sentence


def bold_lead(bold: str, rest: str) -> tuple[str, str] | None:
    """(term, definition) of a paragraph that opens with `bold` and goes on with `rest` ("Latency:", " the time
    a request waits" -> ("Latency", "the time a request waits")); None when it is not a term and its text."""
    term = " ".join(bold.split()).rstrip(":\u2013\u2014- ").strip()
    rest = _LEAD_SEPARATOR.sub("", rest, count=1).strip()
    if not term or not rest or len(term.split()) > NAME_WORDS:
        return None
    return term, rest


def with_source(glossary: Glossary, source: str) -> Glossary:
    return replace(glossary, entries=[replace(e, source=source) for e in glossary.entries])
