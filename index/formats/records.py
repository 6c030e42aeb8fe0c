"""What the tabular formats (CSV, TSV, JSON, JSON Lines) share: one record per term, checked the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from index.entry import Entry
from index.errors import GlossaryParseError
from index.parse import Glossary, heading_names, normalize, resolve_references, slug

FIELDS = ("term", "definition", "aliases", "related")
REQUIRED = ("term", "definition")
_SEPARATORS = re.compile(r"[;|]")


@dataclass(frozen=True)
class Record:
    line: int  # 1-based line where the record starts
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    # Optional, from terminology formats (see `Entry`): passed through unchanged.
    deprecated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    language: str = ""
    translations: tuple[tuple[str, str, str], ...] = ()


def split_names(value: str) -> tuple[str, ...]:
    """`"SGD; stochastic GD | online GD"` -> ("SGD", "stochastic GD", "online GD")."""
    return tuple(name for part in _SEPARATORS.split(value) if (name := " ".join(part.split())))


def check_fields(path: Path, line: int, names: list[str]) -> None:
    """Field or column names must be known and include the required ones."""
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise GlossaryParseError(
            path, line, f"unknown field '{unknown[0]}'; the fields are {', '.join(FIELDS)}"
        )
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise GlossaryParseError(path, line, f"missing the '{missing[0]}' field")


def glossary_from_records(records: list[Record], path: Path, title: str) -> Glossary:
    """Entries from records, with the markdown parser's checks: no entries, empty fields, duplicate terms."""
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found")
    seen: dict[str, Record] = {}
    for record in records:
        if not record.term:
            raise GlossaryParseError(path, record.line, "an entry has an empty term")
        if not record.definition:
            raise GlossaryParseError(path, record.line, f"the entry '{record.term}' has an empty definition")
        key = normalize(record.term)
        if key in seen:
            raise GlossaryParseError(
                path, record.line, f"duplicate term '{record.term}' (first defined on line {seen[key].line})"
            )
        seen[key] = record

    names: dict[str, str] = {}  # every way of naming an entry -> its term
    aliases: dict[str, tuple[str, ...]] = {}
    for record in records:
        own = [*heading_names(record.term), *record.aliases]
        aliases[record.term] = tuple(a for a in dict.fromkeys(own) if normalize(a) != normalize(record.term))
        for name in [record.term, *aliases[record.term]]:
            names.setdefault(normalize(name), record.term)

    warnings: list[str] = []
    entries = []
    for record in records:
        related, unresolved = resolve_references(record.term, record.related, names, f"{path}:{record.line}",
                                                 warnings)
        entries.append(
            Entry(
                term=record.term,
                definition=record.definition,
                text=" ".join(record.definition.split()),
                aliases=aliases[record.term],
                related=tuple(related),
                source=title,
                line=record.line,
                anchor=slug(record.term),
                unresolved=tuple(unresolved),
                deprecated=record.deprecated,
                notes=record.notes,
                examples=record.examples,
                language=record.language,
                translations=record.translations,
            )
        )
    return Glossary(title=title, entries=entries, warnings=warnings)
