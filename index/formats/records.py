"""One record per term, and the one resolver every reader ends in.

Readers turn their format into `Record`s; `glossary_from_records` does the rest the same way for every format:
`See X` redirects become aliases of X, duplicate terms are merged or kept apart with a qualifier, an alias
that is another entry's own name is dropped and reported, references are resolved, and a `ReadReport` says
what was read. Every problem of a glossary is reported in one error, not one per run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.parse import (
    Glossary,
    ReadReport,
    expansion,
    heading_names,
    heading_parts,
    normalize,
    redirect_target,
    resolve_references,
    slug,
)
from indexformat.entry import Entry
from indexformat.errors import GlossaryParseError
from indexformat.text import content_words

FIELDS = ("term", "definition", "aliases", "related")
REQUIRED = ("term", "definition")
_SEPARATORS = re.compile(r"[;|]")
# Two definitions of one term are one concept when they share this much of their content words (Jaccard), or
# one holds this much of the other's: a reworded or extended version, not a different sense.
SAME_CONCEPT_OVERLAP = 0.6
SAME_CONCEPT_CONTAINED = 0.85
MAX_PROBLEMS_SHOWN = 5  # in the one-line error; the count says how many more


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
    text: str = ""  # the definition as plain text, when the reader knows it better than "markup as written"
    file: str = ""  # the file the record is in, when a glossary is a folder of files
    anchor: str = ""  # default: the slug of the term
    redirect: str = ""  # the term this one stands for, when the format says so (else `See X` is looked for)
    qualifier: str = ""  # sense or domain label that tells it from an entry of the same name


def split_names(value: str) -> tuple[str, ...]:
    """`"SGD; stochastic GD | online GD"` -> ("SGD", "stochastic GD", "online GD")."""
    return tuple(name for part in _SEPARATORS.split(value) if (name := " ".join(part.split())))


# What people call each field in spreadsheets and JSON/YAML glossaries (compared without case, spaces, - or _).
FIELD_NAMES = {
    "term": ("term", "name", "title", "word", "label", "headword", "concept", "preflabel", "preferredterm"),
    "definition": ("definition", "def", "description", "meaning", "desc", "explanation", "gloss",
                   "shortdescription", "summary"),
    "aliases": ("aliases", "alias", "synonyms", "synonym", "aka", "alsoknownas", "acronym", "acronyms",
                "abbreviation", "abbreviations", "abbrev", "altlabel", "alternativenames", "othernames", "variants"),
    "related": ("related", "relatedterms", "seealso", "see", "ref", "refs", "references", "links"),
}
LISTS = ("aliases", "related")  # fields several columns may fill
_FIELD_OF = {name: field for field, names in FIELD_NAMES.items() for name in names}


def field_of(name: str) -> str | None:
    return _FIELD_OF.get(re.sub(r"[\s_\-]+", "", str(name).casefold()))


def map_fields(path: Path, line: int, names: list[str]) -> dict[str, str]:
    """Given field or column names -> the field each one fills; other names (a "category" column) are ignored.
    The first name that fills `term` or `definition` wins, names and references add up; `term` and `definition`
    must be there."""
    mapping: dict[str, str] = {}
    for name in names:
        field = field_of(name)
        if field is not None and (field in LISTS or field not in mapping.values()):
            mapping[name] = field
    missing = [f for f in REQUIRED if f not in mapping.values()]
    if missing:
        known = ", ".join(FIELD_NAMES[missing[0]][:4])
        raise GlossaryParseError(path, line, f"missing the '{missing[0]}' field (a column or key named {known}, ...)")
    return mapping


class _Problems:
    """Problems that stop the read, collected so that one run names them all."""

    def __init__(self, path: Path):
        self.path = path
        self.found: list[tuple[str, int | None, str]] = []

    def add(self, record: Record | None, problem: str) -> None:
        self.found.append((record.file if record and record.file else str(self.path), record.line if record else None,
                           problem))

    def raise_if_any(self) -> None:
        if not self.found:
            return
        found = sorted(self.found, key=lambda f: (f[0], f[1] or 0))  # in file order, whatever found them
        (where, line, problem), rest = found[0], found[1:]
        if rest:
            shown = "; ".join(f"{_where(w, ln, str(self.path))}{p}" for w, ln, p in rest[:MAX_PROBLEMS_SHOWN])
            more = f" and {len(rest) - MAX_PROBLEMS_SHOWN} more" if len(rest) > MAX_PROBLEMS_SHOWN else ""
            problem = f"{problem} (also {shown}{more})"
        raise GlossaryParseError(where, line, problem)


def _where(file: str, line: int | None, path: str) -> str:
    place = "" if file == path else f"{file}:"
    return f"{place}line {line}: " if line else (f"{file}: " if place else "")


def where(record: Record, path: Path) -> str:
    return f"{record.file or path}:{record.line}"


def glossary_from_records(
    records: Sequence[Record],
    path: Path,
    title: str,
    kind: str = "records",
    skipped: Sequence[str] = (),
    files: int = 1,
) -> Glossary:
    """Entries from records: checked, redirects and duplicates resolved, references linked, a report made.

    `kind` names what each record was in the file ("headings", "rows"); `skipped` lists what the reader left
    out, as "file:line: why".
    """
    problems = _Problems(path)
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found")
    usable = []
    for record in records:
        if not record.term:
            problems.add(record, "an entry has an empty term")
        elif not record.definition and not record.redirect:
            problems.add(record, f"the entry '{record.term}' has an empty definition")
        else:
            usable.append(record)

    notes: list[str] = []  # warnings about the glossary as written
    real, redirects = _split_redirects(usable)
    real, redirects, merged, kept_apart = _duplicates(real, redirects, path)
    if not real:
        problems.raise_if_any()
        raise GlossaryParseError(path, None, "the glossary has only redirects ('See ...'), no definitions")

    names, anchors, aliases = _names(real, path, notes)
    extra: dict[str, list[str]] = {r.term: [] for r in real}
    for record, (target_name, href, strict) in _resolve_order(redirects, names):
        target = names.get(normalize(target_name)) or anchors.get(href) or anchors.get(slug(target_name))
        if target is None and strict:
            problems.add(record, f"'{record.term}' redirects to '{target_name}', which is not defined")
            continue
        if target is None:  # "See the chapter on X." is text, not a redirect
            notes.append(f"{where(record, path)}: '{record.term}' reads like a redirect to '{target_name}', "
                         "which is not defined; kept as an entry")
            real.append(record)
            extra[record.term] = []
            aliases[record.term] = _own_aliases(record)
            continue
        if normalize(record.term) not in {normalize(a) for a in aliases[target]}:
            extra[target].append(record.term)
        names.setdefault(normalize(record.term), target)
    problems.raise_if_any()

    entries, warnings = [], []
    real.sort(key=lambda r: (r.file, r.line))  # file order, whatever was merged, qualified or kept late
    for record in real:
        related, unresolved = resolve_references(record.term, record.related, names, where(record, path), warnings)
        entry_aliases = tuple(dict.fromkeys([*aliases[record.term], *extra[record.term]]))
        entries.append(
            Entry(
                term=record.term,
                definition=record.definition,
                text=" ".join((record.text or record.definition).split()),
                aliases=entry_aliases,
                related=tuple(related),
                source=title,
                line=record.line,
                anchor=record.anchor or slug(record.term),
                unresolved=tuple(unresolved),
                deprecated=record.deprecated,
                notes=record.notes,
                examples=record.examples,
                language=record.language,
                translations=record.translations,
                qualifier=record.qualifier or heading_parts(record.term).qualifier,
            )
        )
    warnings = [*notes, *merged, *kept_apart, *warnings]
    report = ReadReport(
        files=files,
        items=len(records) + len(skipped),
        kind=kind,
        entries=len(entries),
        aliases=sum(len(e.aliases) for e in entries),
        redirects=sum(len(v) for v in extra.values()),
        skipped=tuple(skipped),
        merged=tuple(merged),
        kept_apart=tuple(kept_apart),
        warnings=tuple(warnings),
    )
    return Glossary(title=title, entries=entries, warnings=warnings, report=report)


def _split_redirects(records: Sequence[Record]) -> tuple[list[Record], list[Record]]:
    real, redirects = [], []
    for record in records:
        (redirects if record.redirect or redirect_target(record.definition) else real).append(record)
    return real, redirects


def _redirect_of(record: Record) -> tuple[str, str, bool]:
    """(target name, target anchor, strict): a link, bold name or explicit target must exist."""
    if record.redirect:
        return record.redirect, "", True
    target = redirect_target(record.definition)
    assert target is not None
    return target


def _resolve_order(redirects: list[Record], names: dict[str, str]):
    """Redirects with their targets, those pointing at other redirects after the ones they point at."""
    pending = [(r, _redirect_of(r)) for r in redirects]
    known = set(names)
    while pending:
        ready = [(r, t) for r, t in pending if normalize(t[0]) in known or not any(
            normalize(t[0]) == normalize(o.term) for o, _ in pending if o is not r)]
        if not ready:  # a cycle of redirects: let the first one fail
            ready = pending[:1]
        for item in ready:
            pending.remove(item)
            known.add(normalize(item[0].term))
            yield item


def _duplicates(real: list[Record], redirects: list[Record], path: Path):
    """Merge records of one concept, qualify records of different senses. Returns (real, redirects, merged,
    kept apart), the last two as report lines."""
    merged, kept_apart = [], []
    groups: dict[str, list[Record]] = {}
    for record in real:
        groups.setdefault(normalize(record.term), []).append(record)
    out: list[tuple[int, Record]] = []  # (position of the first version, record)
    position = {id(r): i for i, r in enumerate(real)}
    for group in groups.values():
        senses: list[tuple[int, Record]] = []
        for record in group:
            same = next((n for n, (_, s) in enumerate(senses) if _same_concept(s, record)), None)
            if same is None:
                senses.append((position[id(record)], record))
                continue
            first = senses[same][1]
            senses[same] = (senses[same][0], _merge(first, record))
            merged.append(f"{where(record, path)}: '{record.term}' is also defined at {where(first, path)}"
                          " with the same meaning; merged into one entry")
        if len(senses) > 1:
            renamed = _qualify([s for _, s in senses])
            for (_, old), new in zip(senses[1:], renamed[1:], strict=True):
                kept_apart.append(f"{where(old, path)}: '{old.term}' is also defined at "
                                  f"{where(senses[0][1], path)} with another meaning; kept apart as '{new.term}'")
            senses = [(pos, new) for (pos, _), new in zip(senses, renamed, strict=True)]
        out.extend(senses)
    out = [r for _, r in sorted(out, key=lambda item: item[0])]

    terms = {normalize(r.term): r for r in out}
    kept_redirects = []
    for record in redirects:
        if (same := terms.get(normalize(record.term))) is not None:
            merged.append(f"{where(record, path)}: '{record.term}' redirects, but is also defined at "
                          f"{where(same, path)}; the definition is kept")
            continue
        kept_redirects.append(record)
    # Two redirects of the same name: the first decides.
    seen: dict[str, Record] = {}
    unique = []
    for record in kept_redirects:
        if (first := seen.get(normalize(record.term))) is not None:
            merged.append(f"{where(record, path)}: '{record.term}' is also a redirect at {where(first, path)};"
                          " the first is kept")
            continue
        seen[normalize(record.term)] = record
        unique.append(record)
    return out, unique, merged, kept_apart


def _same_concept(a: Record, b: Record) -> bool:
    wa, wb = set(content_words(a.text or a.definition)), set(content_words(b.text or b.definition))
    if not wa or not wb:
        return normalize(a.definition) == normalize(b.definition)
    shared = len(wa & wb)
    return shared / len(wa | wb) >= SAME_CONCEPT_OVERLAP or shared / min(len(wa), len(wb)) >= SAME_CONCEPT_CONTAINED


def _merge(a: Record, b: Record) -> Record:
    """One record from two versions of a concept: the fuller definition, every name and reference."""
    fuller = b if len(b.text or b.definition) > len(a.text or a.definition) else a
    return replace(
        a,
        definition=fuller.definition,
        text=fuller.text,
        aliases=tuple(dict.fromkeys([*a.aliases, *b.aliases])),
        related=tuple(dict.fromkeys([*a.related, *b.related])),
    )


def _qualify(senses: list[Record]) -> list[Record]:
    """The first sense keeps its name; the others get their qualifier (or a number) and the name as an alias."""
    out, used = [senses[0]], {normalize(senses[0].term)}
    for n, record in enumerate(senses[1:], 2):
        label = record.qualifier if record.qualifier and normalize(record.qualifier) not in used else str(n)
        term = f"{record.term} ({label})"
        used.add(normalize(label))
        out.append(replace(record, term=term, qualifier=label, anchor=slug(term),
                           aliases=(record.term, *record.aliases)))
    return out


def _own_aliases(record: Record) -> tuple[str, ...]:
    parts = heading_parts(record.term)
    own = [*heading_names(record.term)] if not record.qualifier or parts.alias != record.qualifier else []
    own += record.aliases
    if (found := expansion(record.text or record.definition)) is not None:
        own.append(found)
    return tuple(a for a in dict.fromkeys(own) if normalize(a) != normalize(record.term))


def _names(real: list[Record], path: Path, notes: list[str]):
    """Every way of naming an entry -> its term; anchors -> term; each entry's aliases. An alias that is
    another entry's own name is dropped, with a note: the name belongs to that entry."""
    own = {normalize(r.term): r for r in real}
    names: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for record in real:
        kept = []
        for alias in _own_aliases(record):
            other = own.get(normalize(alias))
            if other is not None and other is not record and normalize(alias) == normalize(other.term) \
                    and not _is_sense_alias(record, alias):
                notes.append(f"{where(record, path)}: '{record.term}' has the alias '{alias}', which is an entry "
                             f"of its own ({where(other, path)}); the alias is dropped")
                continue
            kept.append(alias)
        aliases[record.term] = tuple(kept)
    for record in real:
        names.setdefault(normalize(record.term), record.term)
    for record in real:
        for name in aliases[record.term]:
            names.setdefault(normalize(name), record.term)
    anchors = {record.anchor or slug(record.term): record.term for record in real}
    for record in real:
        if (bare := heading_parts(record.term).name) != record.term:
            anchors.setdefault(slug(bare), record.term)
            names.setdefault(normalize(bare), record.term)  # `version (temporal)` is found as "version"
    return names, anchors, aliases


def _is_sense_alias(record: Record, alias: str) -> bool:
    """A qualified sense (`Alpha (2)`) carries its bare name, which the first sense owns: that is intended."""
    return bool(record.qualifier) and normalize(heading_parts(record.term).name) == normalize(alias)
