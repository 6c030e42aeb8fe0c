"""TBX term bases (ISO 30042): TBX v2 / TBX-Basic `<martif>` with termEntry/langSet/tig, and TBX v3 `<tbx>`
with conceptEntry/langSec/termSec, in either the DCA style (`<termNote type="administrativeStatus">`) or the
DCT style (`<basic:administrativeStatus>`).

Elements are matched by local name, whatever their namespace. Per term: `administrativeStatus`,
`normativeAuthorization` or `usageStatus` gives its status, `termType` marks abbreviations. Per concept or language:
`definition` is the definition, `note` the notes, `context`/`example` the examples, and cross references
(`<ref target=...>`, related-concept descriptions) the related terms.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from index.formats.terminology import Concept, Term, clean, glossary_from_concepts, language_of, status_of
from index.parse import Glossary
from indexformat.errors import GlossaryParseError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ROOTS = ("martif", "tbx")
_ENTRIES = ("termEntry", "conceptEntry")
_LANGS = ("langSet", "langSec")
_TERMS = ("tig", "ntig", "termSec")
_STATUS = ("administrativeStatus", "normativeAuthorization", "usageStatus")
_ABBREVIATIONS = {"abbreviation", "acronym", "initialism", "shortform", "clippedterm"}
_EXAMPLES = ("context", "example")
# Data categories that link one concept to another (ISO 12620 concept relations).
_LINKS = ("crossReference", "relatedConcept", "relatedConceptBroader", "relatedConceptNarrower",
          "broaderConceptGeneric", "broaderConceptPartitive", "superordinateConceptGeneric",
          "superordinateConceptPartitive", "subordinateConceptGeneric", "subordinateConceptPartitive",
          "coordinateConceptGeneric", "coordinateConceptPartitive")


def parse_tbx(path: Path) -> Glossary:
    root = read_xml(path)
    if _name(root) not in _ROOTS:
        raise GlossaryParseError(
            path, root.sourceline, f"not a TBX file: the root element is <{_name(root)}>, expected <martif> or <tbx>"
        )
    entries = [el for el in root.iter() if _name(el) in _ENTRIES]
    if not entries:
        raise GlossaryParseError(path, None, "no concepts found (expected <termEntry> or <conceptEntry> elements)")
    term_owner = {
        term.get("id"): entry.get("id")
        for entry in entries
        for term in entry.iter()
        if _name(term) == "term" and term.get("id") and entry.get("id")
    }
    default_lang = language_of(root.get(_XML_LANG))
    concepts = [_concept(entry, default_lang, term_owner) for entry in entries]
    return glossary_from_concepts(concepts, path, _title(root) or path.stem)


def read_xml(path: Path) -> etree._Element:
    """The parsed document; no DTD is loaded, no entity expanded, nothing fetched from the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                             remove_pis=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as err:
        problem = re.sub(r",? line \d+, column \d+$", "", str(err.msg))  # the line is reported separately
        raise GlossaryParseError(path, err.lineno or None, f"not valid XML: {problem}") from None
    except OSError as err:
        raise GlossaryParseError(path, None, f"cannot read the glossary ({err.strerror or err})") from None


def _concept(entry, default_lang: str, term_owner: dict[str, str]) -> Concept:
    key = entry.get("id") or ""
    terms, definitions, notes, examples = [], [], [], []
    related_keys, related_names = [], []
    for el in entry.iter():
        name = _name(el)
        kind = el.get("type") or name  # DCA: <descrip type="definition">; DCT: <definition>
        lang = _lang_of(el, entry, default_lang)
        if name == "term" and clean(_text(el)):
            terms.append(_term(el, lang))
        elif kind == "definition":
            definitions.append((lang, clean(_text(el))))
        elif name == "note":
            notes.append((lang, clean(_text(el))))
        elif kind in _EXAMPLES:
            examples.append((lang, clean(_text(el))))
        elif kind in _LINKS and name not in ("termNote",):
            target = (el.get("target") or "").lstrip("#")
            target = term_owner.get(target, target)
            if target:
                related_keys.append(target)
            elif clean(_text(el)):
                related_names.append(clean(_text(el)))
    where = f"{_name(entry)} '{key}'" if key else f"the <{_name(entry)}> on line {entry.sourceline}"
    return Concept(
        line=entry.sourceline or 0,
        key=key,
        terms=tuple(terms),
        definitions=tuple(definitions),
        notes=tuple(notes),
        examples=tuple(examples),
        related_keys=tuple(k for k in related_keys if k != key),
        related_names=tuple(related_names),
        where=where,
    )


def _term(term_el, lang: str) -> Term:
    """A term with the status and type noted beside it in its tig/ntig/termSec."""
    group = term_el.getparent()
    while group is not None and _name(group) not in _TERMS and _name(group) not in _LANGS:
        group = group.getparent()
    status, kind = "", ""
    for el in (group.iter() if group is not None and _name(group) in _TERMS else ()):
        name = _name(el)
        category = el.get("type") if name == "termNote" else name
        if category in _STATUS:
            status = status or _text(el)
        elif category == "termType":
            kind = kind or _text(el)
    return Term(
        text=clean(_text(term_el)),
        lang=lang,
        status=status_of(status),
        abbreviation=clean(kind).casefold().replace(" ", "") in _ABBREVIATIONS,
    )


def _lang_of(el, entry, default: str) -> str:
    """The language of the nearest langSet/langSec; "" for what belongs to the whole concept."""
    while el is not None and el is not entry:
        if _name(el) in _LANGS:
            return language_of(el.get(_XML_LANG)) or default
        el = el.getparent()
    return ""


def _title(root) -> str:
    for header in root:
        if isinstance(header.tag, str) and _name(header).endswith("Header"):
            for el in header.iter():
                if _name(el) == "title" and clean(_text(el)):
                    return clean(_text(el))
    return ""


def _name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return "".join(el.itertext())
