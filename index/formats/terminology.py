"""What the terminology formats (TBX, SKOS, Glossarist) share: concepts with terms in several languages,
each term with a status, turned into `Record`s the same way.

A reader produces `Concept`s. Then, per file: the main language is English when the file has it, else the
language most concepts use. Per concept, the entry's language is the first of the file's languages (main
first) that has both a usable term and a definition. Its preferred term is the entry; admitted terms and
abbreviations are aliases; deprecated, obsolete and superseded terms are aliases marked `deprecated`, so
they redirect to the preferred term. Terms of other languages are aliases too and their definitions go to
`translations`, for a multilingual model. A concept replaced by another one of the file is no entry: its
terms become deprecated aliases of the replacement. A concept with terms but no definition in any language
is skipped with a warning, unless it has two names (an acronym list: "Discussion Paper", "DP"), which then
stand as its definition, "Discussion Paper (DP)"; a concept with no term at all is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, normalize
from indexformat.errors import GlossaryParseError

PREFERRED, ADMITTED, DEPRECATED = "preferred", "admitted", "deprecated"
_ENGLISH = {"en", "eng"}
_MAX_REPLACEMENTS = 20  # how far a chain of "replaced by" is followed before it counts as a loop

# Status words of ISO 12620 / TBX / ISO 10241 / Glossarist, lowercased with separators removed.
_STATUS_WORDS = {
    "preferred": PREFERRED,
    "preferredterm": PREFERRED,
    "preferredtermadmnsts": PREFERRED,
    "standardizedterm": PREFERRED,
    "standardizedtermadmnsts": PREFERRED,
    "normative": PREFERRED,
    "legalterm": PREFERRED,
    "legaltermadmnsts": PREFERRED,
    "regulatedterm": PREFERRED,
    "regulatedtermadmnsts": PREFERRED,
    "admitted": ADMITTED,
    "admittedterm": ADMITTED,
    "admittedtermadmnsts": ADMITTED,
    "permitted": ADMITTED,
    "synonym": ADMITTED,
    "deprecated": DEPRECATED,
    "deprecatedterm": DEPRECATED,
    "deprecatedtermadmnsts": DEPRECATED,
    "superseded": DEPRECATED,
    "supersededterm": DEPRECATED,
    "supersededtermadmnsts": DEPRECATED,
    "obsolete": DEPRECATED,
    "obsoleteterm": DEPRECATED,
    "obsoletetermadmnsts": DEPRECATED,
    "notrecommended": DEPRECATED,
    "rejected": DEPRECATED,
    "retired": DEPRECATED,
}


@dataclass(frozen=True)
class Term:
    text: str
    lang: str = ""
    status: str = PREFERRED
    abbreviation: bool = False  # an abbreviation, acronym or initialism: an alias even when preferred


@dataclass(frozen=True)
class Concept:
    line: int  # where the concept starts in its file (0: unknown)
    key: str = ""  # the format's identifier (TBX id, SKOS IRI, Glossarist id), for references
    terms: tuple[Term, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()  # (lang, text)
    notes: tuple[tuple[str, str], ...] = ()  # (lang, text); lang "" applies to every language
    examples: tuple[tuple[str, str], ...] = ()
    related_keys: tuple[str, ...] = ()  # keys of other concepts
    related_names: tuple[str, ...] = ()  # names of other concepts, resolved like other formats' references
    replaced_by: str = ""  # key of the concept that supersedes this one
    retired: bool = False  # the concept itself is superseded, retired or withdrawn
    where: str = ""  # how to name the concept in messages, e.g. "termEntry 'c12'"
    file: str = ""  # the file it is in, when a glossary is a folder of files


def status_of(value: str | None, default: str = PREFERRED) -> str:
    """`"deprecatedTerm-admn-sts"`, `"Deprecated"`, `"admitted"` -> one of PREFERRED, ADMITTED, DEPRECATED."""
    if not value:
        return default
    word = re.sub(r"[^a-z]", "", value.casefold())
    return _STATUS_WORDS.get(word, default)


def language_of(code: str | None) -> str:
    """`"EN-us"` -> "en-us": language codes compared without case."""
    return (code or "").strip().casefold().replace("_", "-")


def is_english(code: str) -> bool:
    return code.split("-")[0] in _ENGLISH


def clean(text: str | None) -> str:
    """Whitespace collapsed, as every term and definition is stored."""
    return " ".join((text or "").split())


def glossary_from_concepts(concepts: Sequence[Concept], path: Path, title: str) -> Glossary:
    if not concepts:
        raise GlossaryParseError(path, None, "no concepts found")
    for concept in concepts:
        if not any(t.text for t in concept.terms):
            raise GlossaryParseError(concept.file or path, concept.line or None,
                                     f"{concept.where or 'a concept'} has no term")
    concepts = _unique_keys(concepts)
    order = _language_order(concepts)
    explicit = {c.key for c in concepts if c.replaced_by}
    concepts = _same_name_replaces_retired(concepts, order)
    by_key = {c.key: c for c in concepts if c.key}
    replaced = {c.key: _final(c, by_key) for c in concepts if c.replaced_by and c.key}
    replaced = {k: v for k, v in replaced.items() if v is not None}
    chosen = {c.key: _language(c, order) for c in concepts if c.key}

    warnings: list[str] = []
    # key of the replacement -> terms of the concepts it replaces: deprecated when the file says "replaced by",
    # as they were when an old version just has the same name
    redirected: dict[str, list[Term]] = {}
    for key, target in replaced.items():
        redirected.setdefault(target.key, []).extend(
            replace(t, status=DEPRECATED) if key in explicit else t for t in by_key[key].terms)
    kept = []
    for concept in concepts:
        if concept.key in replaced:
            continue
        lang = chosen.get(concept.key) or _language(concept, order)
        if definition := _text_in(concept.definitions, lang) or _spelled_out(concept, lang):
            kept.append((concept, lang, definition))
        else:
            where = f"{concept.file or path}:{concept.line}" if concept.line else str(concept.file or path)
            warnings.append(f"{where}: skipped '{_main_term(concept, lang)}': no definition")
    names = {c.key: _main_term(c, lang) for c, lang, _ in kept if c.key}
    names.update({k: names[t.key] for k, t in replaced.items() if t.key in names})  # refer to the replacement
    records = [
        _record(concept, lang, definition, [names[k] for k in concept.related_keys if k in names],
                redirected.get(concept.key, []))
        for concept, lang, definition in kept
    ]
    if not records:
        raise GlossaryParseError(path, None, "no concept has a definition in any language")
    glossary = glossary_from_records(records, path, title)
    return replace(glossary, warnings=warnings + glossary.warnings)


def _spelled_out(concept: Concept, lang: str) -> str:
    """For a concept without definition that names itself twice (an acronym list: "Discussion Paper", "DP"):
    its names, written as a markdown heading would be, "Discussion Paper (DP)". Else ""."""
    names = _unique(t.text for t in concept.terms if t.text and t.lang == lang and t.status != DEPRECATED)
    if len(names) < 2:
        return ""
    main = _main_term(concept, lang)
    return f"{main} ({', '.join(n for n in names if n != main)})"


def _record(concept: Concept, lang: str, definition: str, related: list[str], inherited: list[Term]) -> Record:
    """`inherited`: terms of the concepts this one replaces."""
    term = _main_term(concept, lang)
    here = [t for t in concept.terms if t.text and t.lang == lang]
    elsewhere = [t for t in concept.terms if t.text and t.lang != lang]
    current = {normalize(t.text) for t in [*here, *elsewhere] if t.status != DEPRECATED}
    deprecated = [t.text for t in [*here, *elsewhere, *inherited] if t.status == DEPRECATED]
    deprecated = [d for d in deprecated if normalize(d) not in current]  # a name still in use is not deprecated
    aliases = [t.text for t in [*here, *elsewhere, *inherited] if t.text and t.status != DEPRECATED]
    aliases += deprecated  # deprecated names still find the entry: they redirect to it
    own = normalize(term)
    unique = _unique(a for a in aliases if normalize(a) != own)
    translations = []
    for other in _unique(t.lang for t in elsewhere if t.status != DEPRECATED):
        own_text = next((text for code, text in concept.definitions if code == other and text), "")
        translations.append((other, _main_term(concept, other), own_text))
    return Record(
        line=concept.line,
        term=term,
        definition=definition,
        aliases=tuple(unique),
        related=tuple(_unique([*related, *concept.related_names])),
        deprecated=tuple(_unique(d for d in deprecated if normalize(d) != own)),
        notes=tuple(_all_in(concept.notes, lang)),
        examples=tuple(_all_in(concept.examples, lang)),
        language=lang,
        translations=tuple(translations),
    )


def _unique_keys(concepts: Sequence[Concept]) -> list[Concept]:
    """A key used twice cannot be referred to: the first concept keeps it, the others stand alone."""
    seen: set[str] = set()
    out = []
    for concept in concepts:
        if concept.key in seen:
            concept = replace(concept, key="", replaced_by="")
        seen.add(concept.key)
        out.append(concept)
    return out


def _same_name_replaces_retired(concepts: Sequence[Concept], order: list[str]) -> list[Concept]:
    """An old version (a retired concept) is replaced by the current concept of the same name, when the file
    has one and says nothing else about what replaces it."""
    current = {}
    for concept in concepts:
        if not concept.retired and concept.key:
            current.setdefault(normalize(_main_term(concept, _language(concept, order))), concept.key)
    keys = {c.key for c in concepts}
    out = []
    for concept in concepts:
        name = normalize(_main_term(concept, _language(concept, order)))
        if concept.retired and concept.key and concept.replaced_by not in keys and name in current:
            concept = replace(concept, replaced_by=current[name])
        out.append(concept)
    return out


def _language_order(concepts: Sequence[Concept]) -> list[str]:
    """The file's languages, most used first, English (in any of its spellings) before all."""
    counts = Counter(lang for c in concepts for lang in _unique(t.lang for t in c.terms if t.text))
    order = [lang for lang, _ in counts.most_common()]
    return sorted(order, key=lambda lang: not is_english(lang))  # stable: keeps frequency order otherwise


def _language(concept: Concept, order: list[str]) -> str:
    """The concept's entry language: the first of `order` with a term and a definition, else with a term."""
    with_term = [lang for lang in order if any(t.text and t.lang == lang for t in concept.terms)]
    defined = [lang for lang in with_term if _text_in(concept.definitions, lang)]
    return (defined or with_term or [""])[0]


def _main_term(concept: Concept, lang: str) -> str:
    """The preferred term in `lang`: a full form before an abbreviation, then admitted, then deprecated."""
    terms = [t for t in concept.terms if t.text and t.lang == lang] or [t for t in concept.terms if t.text]
    rank = {PREFERRED: 0, ADMITTED: 1, DEPRECATED: 2}
    return min(terms, key=lambda t: (rank[t.status], t.abbreviation)).text


def _text_in(pairs: Iterable[tuple[str, str]], lang: str) -> str:
    """The first text in `lang`, else in a variant of it ("en-gb" for "en-us"); a text without language counts
    for every language, and a concept whose language is unknown takes a text in any language."""
    pairs = [(code, text) for code, text in pairs if text]
    if not lang:
        return next((text for _, text in pairs), "")
    base = lang.split("-")[0]
    return (next((text for code, text in pairs if code == lang), "")
            or next((text for code, text in pairs if code.split("-")[0] == base), "")  # "en" for "en-us"
            or next((text for code, text in pairs if not code), ""))


def _all_in(pairs: Iterable[tuple[str, str]], lang: str) -> list[str]:
    return _unique(text for code, text in pairs if text and code in (lang, ""))


def _final(concept: Concept, by_key: dict[str, Concept]) -> Concept | None:
    """The concept that finally replaces `concept` (a chain followed), or None when it leaves the file."""
    current = concept
    for _ in range(_MAX_REPLACEMENTS):
        target = by_key.get(current.replaced_by)
        if target is None:  # replaced by something outside the file: the last one inside stands
            return None if current is concept else current
        if target.key == concept.key:  # a loop: nothing is replaced
            return None
        if not target.replaced_by:
            return target
        current = target
    return None


def _unique(values: Iterable[str]) -> list[str]:
    """First spelling of each name, in order, case and spacing ignored."""
    seen, out = set(), []
    for value in values:
        key = normalize(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out
