"""One record per term, and the one resolver every reader ends in.

Readers turn their format into `Record`s; `glossary_from_records` does the rest the same way for every format:
`See X` redirects become aliases of X, duplicate terms are merged or kept apart with a qualifier, an alias
that is another entry's own name is dropped and reported, references are resolved, and a `ReadReport` says
what was read. A bad record is a warning (file:line, what was done), never a failed read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.parse import (
    Glossary,
    Link,
    ReadReport,
    expansion,
    heading_names,
    heading_parts,
    normalize,
    opening_short_forms,
    redirect_target,
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


class NameTable:
    """Names -> terms, as written: a name spelled exactly as an entry's wins over one that differs only in
    case (Git's `HEAD` and `head` are two entries); in another case, the first entry of that name is found."""

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}

    def add(self, name: str, term: str) -> None:
        self._exact.setdefault(spelling(name), term)
        self._folded.setdefault(normalize(name), term)

    def find(self, name: str) -> str | None:
        return self._exact.get(spelling(name)) or self._folded.get(normalize(name))

    def __contains__(self, name: str) -> bool:
        return self.find(name) is not None


def spelling(name: str) -> str:
    """A name as written, case kept: spacing, hyphens, underscores and slashes ignored."""
    return " ".join(re.sub(r"[-_/]", " ", name).split())


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
    out, as "file:line: why". One bad record never stops the read: it is left out (or kept as it reads) with a
    warning that says so; only a glossary with nothing usable is an error.
    """
    if not records:
        raise GlossaryParseError(path, None, "no glossary entries found")
    notes: list[str] = []  # warnings about the glossary as written, "file:line: what; what was done"
    usable = []
    for record in records:
        if not record.term:
            notes.append(f"{where(record, path)}: an entry has an empty term; skipped")
        elif not record.definition and not record.redirect:
            notes.append(f"{where(record, path)}: the entry '{record.term}' has an empty definition; skipped")
        else:
            usable.append(record)
    if not usable:
        first = notes[0].rsplit("; ", 1)[0]
        raise GlossaryParseError(records[0].file or path, records[0].line, first.split(": ", 1)[1])

    real, redirects = _split_redirects(usable)
    real, redirects, merged, kept_apart = _duplicates(real, redirects, path)
    if not real:
        raise GlossaryParseError(path, None, "the glossary has only redirects ('See ...'), no definitions")

    names, anchors, aliases, qualifiers, anchor_of = _names(real, path, notes)
    extra: dict[str, list[str]] = {r.term: [] for r in real}
    for record, (target_name, href, strict) in _resolve_order(redirects, names):
        target = (anchors.get(href) if href else None) or names.find(target_name) or anchors.get(slug(target_name))
        if target is None and not _outside(href):  # "See `Endianness <https://...>`_." points away: its text
            what = "redirects to" if strict else "reads like a redirect to"
            notes.append(f"{where(record, path)}: '{record.term}' {what} '{target_name}', which is not defined; "
                         "kept as an entry")
        if target is None:
            record = replace(record, related=tuple(  # the redirect's own link: warned about once, above
                r for r in record.related if (r.text if isinstance(r, Link) else r) != target_name))
            real.append(record)
            extra[record.term] = []
            aliases[record.term] = _own_aliases(record)
            names.add(record.term, record.term)  # other entries may refer to it
            continue
        if spelling(record.term) not in {spelling(a) for a in aliases[target]}:
            extra[target].append(record.term)
        names.add(record.term, target)

    entries, warnings = [], []
    real.sort(key=lambda r: (r.file, r.line))  # file order, whatever was merged, qualified or kept late
    for record in real:
        related, unresolved = resolve_references(record.term, record.related, names, anchors,
                                                 where(record, path), warnings)
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
                anchor=record.anchor or anchor_of.get(record.term) or slug(record.term),
                unresolved=tuple(unresolved),
                deprecated=record.deprecated,
                notes=record.notes,
                examples=record.examples,
                language=record.language,
                translations=record.translations,
                qualifier=record.qualifier or qualifiers.get(record.term) or heading_parts(record.term).qualifier,
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
        related=sum(len(e.related) for e in entries),
        skipped=tuple(skipped),
        merged=tuple(merged),
        kept_apart=tuple(kept_apart),
        warnings=tuple(warnings),
    )
    return Glossary(title=title, entries=entries, warnings=warnings, report=report)


def _outside(href: str) -> bool:
    """A link to another site or page, not to an entry of this glossary."""
    return bool(href) and ("://" in href or href.startswith(("mailto:", "/", "..")))


def resolve_references(
    term: str, refs: Sequence[str | Link], names: NameTable, anchors: dict[str, str], where: str,
    warnings: list[str],
) -> tuple[list[str], list[str]]:
    """Split `term`'s references into entries and undefined names, warning once per undefined name.

    A reference is a name, or a `Link`: found by its target (anchor, slug) first and by its text only when it
    has none; bold text (a mention) is a reference only when it names an entry."""
    related, unresolved = [], []
    for ref in refs:
        link = ref if isinstance(ref, Link) else Link(ref)
        if link.target:
            target = anchors.get(link.target) or anchors.get(slug(link.target)) or names.find(link.target)
        else:
            target = names.find(link.text) or (None if link.mention else anchors.get(slug(link.text)))
        if target is None:
            shown = link.text or link.target
            if not link.mention and shown not in unresolved:
                unresolved.append(shown)
                warnings.append(f"{where}: '{term}' refers to '{shown}', which is not defined")
        elif target != term and target not in related:
            related.append(target)
    return related, unresolved


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


def _resolve_order(redirects: list[Record], names: NameTable):
    """Redirects with their targets, those pointing at other redirects after the ones they point at."""
    pending = [(r, _redirect_of(r)) for r in redirects]
    known = {normalize(n) for r in redirects if (n := names.find(r.term))}
    while pending:
        ready = [(r, t) for r, t in pending if t[0] in names or normalize(t[0]) in known or not any(
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
        groups.setdefault(normalize(record.term), []).append(record)  # `HEAD`, `head`: compared, kept apart
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
                if new.term == old.term:
                    continue  # the names differ in case: two entries, each found by its own spelling
                kept_apart.append(f"{where(old, path)}: '{old.term}' is also defined at "
                                  f"{where(senses[0][1], path)} with another meaning; kept apart as '{new.term}'")
            senses = [(pos, new) for (pos, _), new in zip(senses, renamed, strict=True)]
        out.extend(senses)
    out = [r for _, r in sorted(out, key=lambda item: item[0])]

    terms = {spelling(r.term): r for r in out}
    kept_redirects = []
    for record in redirects:
        if (same := terms.get(spelling(record.term))) is not None:
            merged.append(f"{where(record, path)}: '{record.term}' redirects, but is also defined at "
                          f"{where(same, path)}; the definition is kept")
            continue
        kept_redirects.append(record)
    # Two redirects of the same name: the first decides.
    seen: dict[str, Record] = {}
    unique = []
    for record in kept_redirects:
        if (first := seen.get(spelling(record.term))) is not None:
            merged.append(f"{where(record, path)}: '{record.term}' is also a redirect at {where(first, path)};"
                          " the first is kept")
            continue
        seen[spelling(record.term)] = record
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
    """The first sense keeps its name; the others get their qualifier (or a number) and the name as an alias.
    A sense whose name differs from the others' in case (`HEAD`, `head`) keeps its name."""
    out, used, written = [senses[0]], {normalize(senses[0].term)}, {spelling(senses[0].term)}
    for n, record in enumerate(senses[1:], 2):
        if spelling(record.term) not in written:
            written.add(spelling(record.term))
            out.append(record)
            continue
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
    if (found := expansion(record.text or record.definition, record.term)) is not None:
        own.append(found)
    own += opening_short_forms(record.term, record.text or record.definition)
    return tuple(a for a in dict.fromkeys(own) if normalize(a) != normalize(record.term))


def _names(real: list[Record], path: Path, notes: list[str]):
    """Every way of naming an entry -> its term; anchors -> term; each entry's aliases. An alias that is
    another entry's own name is dropped, with a note: the name belongs to that entry. A heading's parenthesis
    that names another entry (`Node (DOM)` beside `DOM (Document Object Model)`) says which sense is meant:
    it becomes the entry's qualifier, without a note."""
    own = NameTable()  # each entry's own names: its term, and its term without a qualifier (`DOM (...)`: "DOM")
    by_term = {r.term: r for r in real}
    for record in real:
        own.add(record.term, record.term)
    for record in real:
        own.add(heading_parts(record.term).name, record.term)
    names = NameTable()
    aliases: dict[str, tuple[str, ...]] = {}
    qualifiers: dict[str, str] = {}
    anchor_of: dict[str, str] = {}
    for record in real:
        kept, paren, skip = [], heading_parts(record.term).alias, set()
        for alias in _own_aliases(record):
            if alias in skip:
                continue
            other = by_term.get(own.find(alias) or "")
            if other is not None and other is not record and not _is_sense_alias(record, alias):
                bare = heading_parts(record.term).name
                if paren and alias in (paren, bare) and not record.qualifier:
                    # `Block (CSS)` beside `Block`, `Node (DOM)` beside `DOM`: the parenthesis names the sense
                    qualifiers[record.term] = paren
                    kept = [k for k in kept if k not in (paren, bare)]
                    skip.update((paren, bare))
                    continue
                notes.append(f"{where(record, path)}: '{record.term}' has the alias '{alias}', which is an entry "
                             f"of its own ({where(other, path)}); the alias is dropped")
                continue
            kept.append(alias)
        aliases[record.term] = tuple(kept)
    for record in real:
        names.add(record.term, record.term)
    for record in real:
        for name in aliases[record.term]:
            names.add(name, record.term)
    anchors: dict[str, str] = {}
    for record in real:
        anchor = record.anchor or slug(record.term)
        if not record.anchor:  # GitHub numbers a repeated anchor: `HEAD` -> "head", then `head` -> "head-1"
            n, base = 0, anchor
            while anchor in anchors:
                n += 1
                anchor = f"{base}-{n}"
            anchor_of[record.term] = anchor
        anchors.setdefault(anchor, record.term)
    for record in real:
        if (bare := heading_parts(record.term).name) != record.term:
            anchors.setdefault(slug(bare), record.term)
            names.add(bare, record.term)  # `version (temporal)` is found as "version"
    return names, anchors, aliases, qualifiers, anchor_of


def _is_sense_alias(record: Record, alias: str) -> bool:
    """A qualified sense (`Alpha (2)`) carries its bare name, which the first sense owns: that is intended."""
    return bool(record.qualifier) and normalize(heading_parts(record.term).name) == normalize(alias)
