"""SKOS vocabularies in Turtle, RDF/XML or N-Triples, read with rdflib.

Each `skos:Concept` is an entry: `prefLabel` the term, `altLabel` and `hiddenLabel` aliases (in any
language; SKOS-XL labels too), `definition` the definition (`scopeNote` when a concept has no definition),
`note`/`scopeNote` and `example` kept for display, `broader`/`narrower`/`related` the related terms. A concept
marked `owl:deprecated` and `dct:isReplacedBy` another one is not an entry: its labels redirect to the
replacement.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, SKOS

from index.formats.terminology import (
    ADMITTED,
    PREFERRED,
    Concept,
    Term,
    clean,
    glossary_from_concepts,
    is_english,
    language_of,
)
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

_FORMATS = {".ttl": "turtle", ".n3": "turtle", ".nt": "nt", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
            ".skos": "xml"}
_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "xml": "RDF/XML"}
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")  # labels as resources (EuroVoc, AGROVOC)
_LABELS = ((SKOS.prefLabel, PREFERRED), (SKOS.altLabel, ADMITTED), (SKOS.hiddenLabel, ADMITTED),
           (SKOSXL.prefLabel, PREFERRED), (SKOSXL.altLabel, ADMITTED), (SKOSXL.hiddenLabel, ADMITTED))
_LINKS = (SKOS.broader, SKOS.narrower, SKOS.related)
_TITLES = (DCTERMS.title, DC.title, RDFS.label, SKOS.prefLabel)
_SUBJECT = re.compile(r"^\s*(<[^>\s]*>|[\w.-]*:[\w.-]*)")  # a Turtle statement's subject at the start of a line
_ABOUT = re.compile(r"""about=["']([^"']*)["']""")  # rdf:about in RDF/XML


def parse_skos(path: Path) -> Glossary:
    text = read_text(path)
    syntax = rdf_syntax(path, text)
    graph = Graph()
    try:
        graph.parse(data=text, format=syntax, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib's parsers raise many kinds; each becomes one line naming the place
        raise GlossaryParseError(path, _error_line(err), f"not valid {_NAMES[syntax]}: {_error_text(err)}") from None
    subjects = sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str)
    if not subjects:  # untyped concepts: anything labelled that is not a scheme or collection
        schemes = {*graph.subjects(RDF.type, SKOS.ConceptScheme), *graph.subjects(RDF.type, SKOS.Collection)}
        labelled = {*graph.subjects(SKOS.prefLabel, None), *graph.subjects(SKOSXL.prefLabel, None)}
        subjects = sorted(labelled - schemes, key=str)
    if not subjects:
        raise GlossaryParseError(path, None, "no concepts found (expected skos:Concept resources with skos:prefLabel)")
    lines = _subject_lines(text)
    concepts = [_concept(graph, s, lines) for s in subjects]
    concepts.sort(key=lambda c: (c.line or len(lines) + 1, c.key))  # file order where it can be told
    return glossary_from_concepts(concepts, path, _title(graph) or path.stem)


def rdf_syntax(path: Path, text: str) -> str:
    """rdflib's name for the file's syntax: from the extension, else from the first characters."""
    if path.suffix.lower() in _FORMATS:
        return _FORMATS[path.suffix.lower()]
    return "xml" if text.lstrip().startswith("<") and "rdf" in text[:2000].lower() else "turtle"


def _concept(graph: Graph, subject, lines: dict[str, int]) -> Concept:
    terms = [
        Term(text=clean(label), lang=language_of(label.language), status=status)
        for predicate, status in _LABELS
        for label in _literals(graph, subject, predicate)
    ]
    definitions = _texts(graph, subject, SKOS.definition)
    notes = _texts(graph, subject, SKOS.note)
    if definitions:
        notes += _texts(graph, subject, SKOS.scopeNote)
    else:
        definitions = _texts(graph, subject, SKOS.scopeNote)
    replaced_by = ""
    if any(v.toPython() is True or str(v).lower() == "true" for v in graph.objects(subject, OWL.deprecated)):
        replaced_by = str(next(graph.objects(subject, DCTERMS.isReplacedBy), ""))
    key = str(subject)
    return Concept(
        line=lines.get(key) or lines.get(_local(key)) or 0,
        key=key,
        terms=tuple(terms),
        definitions=tuple(definitions),
        notes=tuple(notes),
        examples=tuple(_texts(graph, subject, SKOS.example)),
        related_keys=tuple(dict.fromkeys(str(o) for p in _LINKS for o in graph.objects(subject, p)
                                         if isinstance(o, URIRef))),
        replaced_by=replaced_by,
        where=f"the concept <{key}>",
    )


def _literals(graph: Graph, subject, predicate) -> list[Literal]:
    """Literal values; for a value that is a resource, its `rdf:value` (`skos:definition [ rdf:value ... ]`)
    or its `skosxl:literalForm` (a SKOS-XL label)."""
    found = []
    for value in graph.objects(subject, predicate):
        if not isinstance(value, Literal):
            value = next((v for p in (RDF.value, SKOSXL.literalForm) for v in graph.objects(value, p)
                          if isinstance(v, Literal)), None)
        if value is not None and clean(value):
            found.append(value)
    return sorted(found, key=lambda v: (language_of(v.language), str(v)))  # rdflib's order is not stable


def _texts(graph: Graph, subject, predicate) -> list[tuple[str, str]]:
    return [(language_of(v.language), clean(v)) for v in _literals(graph, subject, predicate)]


def _title(graph: Graph) -> str:
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        for predicate in _TITLES:
            values = _literals(graph, scheme, predicate)
            values.sort(key=lambda v: not (v.language is None or is_english(language_of(v.language))))
            if values:
                return clean(values[0])
    return ""


def _subject_lines(text: str) -> dict[str, int]:
    """Where each resource is first described: full IRIs and local names -> 1-based line."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        tokens = _ABOUT.findall(line)
        if (match := _SUBJECT.match(line)) is not None:
            tokens.append(match[1].strip("<>"))
        for token in tokens:
            found.setdefault(token, number)
            found.setdefault(_local(token), number)
    return found


def _local(iri: str) -> str:
    return re.split(r"[#/:]", iri)[-1]


def _error_line(err: Exception) -> int | None:
    if hasattr(err, "getLineNumber"):  # xml.sax.SAXParseException
        return err.getLineNumber() or None
    lines = getattr(err, "lines", None)  # rdflib's Turtle BadSyntax: 0-based
    return lines + 1 if isinstance(lines, int) else None


def _error_text(err: Exception) -> str:
    why = getattr(err, "_why", None) or (err.getMessage() if hasattr(err, "getMessage") else str(err))
    return " ".join(str(why).split())[:200]
