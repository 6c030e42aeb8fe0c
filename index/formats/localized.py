"""Objects that hold one block per language (Glosario-style YAML/JSON), read as terminology concepts.

    - slug: abstract_syntax_tree
      ref: [parse]
      en: {term: abstract syntax tree, acronym: AST, def: "A deeply nested [data structure](#data_structure)..."}
      fr: {term: arbre syntaxique abstrait, def: ...}

Each language block gives a term (and maybe an acronym or synonyms) and a markdown definition; `ref` and in-page
links `(#slug)` name related concepts by key. The terminology rules then pick the main language, make the other
languages' terms aliases and keep their definitions as translations (index/formats/terminology.py).
"""

from __future__ import annotations

import re

from index.formats.markdown import markdown_text
from index.formats.terminology import PREFERRED, Concept, Term, clean

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?")
TERM_KEYS = ("term", "name", "title", "label")
DEFINITION_KEYS = ("def", "definition", "description", "meaning")
ABBREVIATION_KEYS = ("acronym", "abbreviation", "abbrev")
SYNONYM_KEYS = ("synonyms", "aliases", "aka")
KEY_KEYS = ("slug", "id", "key")
RELATED_KEYS = ("ref", "related", "see_also")
_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def language_blocks(obj: dict) -> list[tuple[str, dict]]:
    """The (language, block) pairs of an object, [] when it is not one block per language."""
    if any(k in obj for k in TERM_KEYS):
        return []
    return [(k, v) for k, v in obj.items()
            if isinstance(k, str) and _LANGUAGE.fullmatch(k) and isinstance(v, dict)
            and any(isinstance(v.get(t), str) for t in TERM_KEYS)]


def concept_from_object(line: int, obj: dict, where: str) -> Concept:
    terms, definitions, related = [], [], []
    for lang, block in language_blocks(obj):
        code = lang.casefold().replace("_", "-")
        term = next(clean(block[k]) for k in TERM_KEYS if isinstance(block.get(k), str))
        terms.append(Term(term, code, PREFERRED))
        for key in ABBREVIATION_KEYS:
            if isinstance(block.get(key), str) and block[key].strip():
                terms.append(Term(clean(block[key]), code, PREFERRED, abbreviation=True))
        for key in SYNONYM_KEYS:
            values = block.get(key)
            for value in [values] if isinstance(values, str) else values or []:
                if isinstance(value, str) and value.strip():
                    terms.append(Term(clean(value), code, PREFERRED))
        raw = next((block[k] for k in DEFINITION_KEYS if isinstance(block.get(k), str)), "")
        if raw.strip():
            definitions.append((code, markdown_text(raw)[0] or clean(raw)))
            related += _LINK.findall(raw)
    for key in RELATED_KEYS:
        values = obj.get(key)
        related += [v for v in ([values] if isinstance(values, str) else values or []) if isinstance(v, str)]
    key = next((str(obj[k]) for k in KEY_KEYS if obj.get(k) is not None), "")
    return Concept(line=line, key=key, terms=tuple(terms), definitions=tuple(definitions),
                   related_keys=tuple(dict.fromkeys(r for r in related if r != key)), where=where)


def localized_glossary(items: list[tuple[int, object]], path, title: str):
    """The glossary when the objects hold one block per language (judged by the first object), else None."""
    from index.formats.terminology import glossary_from_concepts

    first = next((obj for _, obj in items if isinstance(obj, dict)), None)
    if first is None or not language_blocks(first):
        return None
    concepts = [concept_from_object(line, obj, f"the object on line {line}") for line, obj in items
                if isinstance(obj, dict)]
    return glossary_from_concepts(concepts, path, title)
