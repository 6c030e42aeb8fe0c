"""One glossary entry, as the parser produces it and the index stores it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Entry:
    term: str  # exact heading text, e.g. "Stochastic Gradient Descent (SGD)"
    definition: str  # the definition as written (markdown)
    text: str  # the definition as plain text, markup removed
    aliases: tuple[str, ...] = ()  # other names: heading parentheses, expansions, redirects
    related: tuple[str, ...] = ()  # terms of this glossary the definition refers to
    source: str = ""  # glossary name
    line: int = 0  # 1-based line of the heading in the source file
    anchor: str = ""  # markdown anchor of the heading, e.g. "loss-function"
    unresolved: tuple[str, ...] = field(default=(), compare=False)  # references to undefined terms
    # Terminology formats (TBX, SKOS, Glossarist) also carry these; other formats leave them empty.
    deprecated: tuple[str, ...] = ()  # names the glossary marks deprecated/superseded; also in `aliases`
    notes: tuple[str, ...] = ()  # notes for display, kept out of `text`
    examples: tuple[str, ...] = ()  # examples for display, kept out of `text`
    language: str = ""  # language code of term and definition, when the glossary says
    translations: tuple[tuple[str, str, str], ...] = ()  # (language, term, definition) in other languages
    qualifier: str = ""  # sense or domain label, e.g. "temporal" for `version (temporal)`

    def to_json(self) -> dict:
        # asdict's dict without its deep copy (the fields are strings and tuples): 10k entries in ms, not seconds
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        tuples = {"aliases", "related", "unresolved", "deprecated", "notes", "examples"}
        data = {k: tuple(v) if k in tuples else v for k, v in data.items()}
        if "translations" in data:
            data["translations"] = tuple(tuple(t) for t in data["translations"])
        return cls(**data)


def mentioned_in(entries: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """Per term, the other terms whose definitions refer to it (their `related`), sorted case-free."""
    found: dict[str, set[str]] = {}
    for e in entries:
        for name in e.related:
            if name != e.term:
                found.setdefault(name, set()).add(e.term)
    return {term: tuple(sorted(names, key=str.casefold)) for term, names in found.items()}
