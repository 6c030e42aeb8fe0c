"""Glossarist concept datasets (geolexica, ISO/TC 211, ISO/TC 204, OSGeo, IEV): one concept per file, in any
of the three layouts Glossarist has written.

- v1: `concept-*.yaml`, one mapping per concept with `termid` and a block per language (`eng:`, `fra:`),
  each with `terms` (or the older `term`, `abbrev`, `synonyms`, `classification`) and `definition`.
- v2: `concept/<id>.yaml` naming its localizations (`data.localized_concepts: {eng: <uuid>}`) and
  `localized_concept/<uuid>.yaml` holding each language's terms and definition.
- v3: one file per concept, the concept first and its localizations after it as further YAML documents.

Designations carry `normative_status` (preferred, admitted, deprecated, superseded); `related` links
(broader, narrower, see, ...) become related terms and `superseded_by`/`supersedes` redirect the old concept's
terms to the new one. Mentions such as `{{urn:iso:std:iso:14812:3.5.3.4,user,users}}` are shown as their
text ("users") and refer to the term ("user").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from index.formats.terminology import (
    ADMITTED,
    Concept,
    Term,
    clean,
    glossary_from_concepts,
    language_of,
    status_of,
)
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

SUFFIXES = (".yaml", ".yml")
_MENTION = re.compile(r"\{\{([^{}]+)\}\}")
_LANGUAGE_KEY = re.compile(r"^[a-z]{3}$")  # v1 language blocks are keyed by ISO 639-2 codes
_REPLACED_BY = {"superseded_by", "supersededby", "replaced_by", "deprecated_by"}
_REPLACES = {"supersedes", "deprecates", "replaces"}
_NOT_RELATED = {"equivalent", "close_match", "exact_match", "broad_match", "narrow_match", "related_match",
                "homograph", "false_friend"}  # links to other vocabularies or mere look-alikes
_RETIRED = {"superseded", "retired", "withdrawn", "notvalid", "invalid"}  # entry or concept status
_SNIFF_FILES = 5  # YAML files looked at to tell whether a folder is a Glossarist dataset
_V2_FOLDERS = {"concept", "localized_concept"}
_CONTAINER_NAMES = {"concepts", "concept"}  # a dataset folder named so takes its title from its parent


@dataclass
class _Doc:
    data: dict
    file: Path
    line: int


def is_glossarist_folder(folder: Path) -> bool:
    """Whether `folder` is a Glossarist dataset: concept files directly in it, or in its `concept/` folder
    (the v2 layout). Judged by the first few of them."""
    candidates = [p for where in (folder, folder / "concept") if where.is_dir() for p in sorted(where.iterdir())
                  if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(".")]
    for path in candidates[:_SNIFF_FILES]:
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        if "localized_concepts:" in head or (
            re.search(r"^termid:", head, re.M) and re.search(r"^[a-z]{3}:\s*$", head, re.M)
        ):
            return True
    return False


def dataset_folders(folder: Path) -> list[Path]:
    """Glossarist datasets below `folder`, outermost first, each to be read whole as one glossary."""
    found: list[Path] = []
    holders = sorted({p.parent for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                      and not any(part.startswith(".") for part in p.relative_to(folder).parts)})
    for holder in holders:
        root = holder.parent if holder.name in _V2_FOLDERS else holder
        if root == folder or folder not in root.parents or any(r == root or r in root.parents for r in found):
            continue
        if is_glossarist_folder(root):
            found.append(root)
    return found


def parse_glossarist(path: Path) -> Glossary:
    files = _files(path)
    docs = [doc for file in files for doc in _documents(file)]
    localized = {str(d.data.get("id") or d.file.stem): d for d in docs if _is_localized(d.data)}
    warnings: list[str] = []
    read: list[tuple[Concept, list[str]]] = []  # each concept, with the keys of those it supersedes
    for doc in docs:
        if "localized_concepts" in (doc.data.get("data") or {}):
            read.append(_managed(doc, localized, warnings))
        elif _language_blocks(doc.data):
            read.append(_v1(doc))
        elif not _is_localized(doc.data):
            warnings.append(f"{doc.file}:{doc.line}: skipped: not a Glossarist concept")
    if not read:
        raise GlossaryParseError(path, None, "no concepts found (expected Glossarist concept YAML files)")
    concepts = _apply_supersedes(read)
    glossary = glossary_from_concepts(concepts, path, _title(path))
    return replace(glossary, warnings=warnings + glossary.warnings)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise GlossaryParseError(path, None, "the folder holds no YAML concept files")
    return files


def _documents(file: Path) -> list[_Doc]:
    """Every YAML document of the file that is a mapping, with the line it starts on."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(read_text(file))  # libyaml when built with it
    docs = []
    try:
        while loader.check_node():
            node = loader.get_node()
            data = loader.construct_document(node)
            if isinstance(data, dict):
                docs.append(_Doc(data, file, node.start_mark.line + 1))
            elif data is not None:
                raise GlossaryParseError(file, node.start_mark.line + 1, "expected a concept (a YAML mapping)")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise GlossaryParseError(file, mark.line + 1 if mark else None,
                                 f"not valid YAML: {err.problem or err.context}") from None
    except yaml.YAMLError as err:
        raise GlossaryParseError(file, None, f"not valid YAML: {err}") from None
    finally:
        loader.dispose()
    return docs


def _is_localized(data: dict) -> bool:
    inner = data.get("data")
    return isinstance(inner, dict) and ("terms" in inner or "definition" in inner) and "localized_concepts" not in inner


def _language_blocks(data: dict) -> dict[str, dict]:
    return {k: v for k, v in data.items() if isinstance(k, str) and _LANGUAGE_KEY.match(k) and isinstance(v, dict)
            and any(f in v for f in ("terms", "term", "definition"))}


def _managed(doc: _Doc, localized: dict[str, _Doc], warnings: list[str]) -> tuple[Concept, list[str]]:
    """A v2/v3 concept and the localized concepts it names."""
    data = doc.data["data"]
    blocks = []
    for lang, ref in (data.get("localized_concepts") or {}).items():
        found = localized.get(str(ref))
        if found is None:
            warnings.append(f"{doc.file}:{doc.line}: the '{lang}' localization '{ref}' is not in the dataset")
            continue
        blocks.append((language_of(found.data["data"].get("language_code") or lang), found.data["data"]))
    key = str(data.get("identifier") or doc.data.get("id") or doc.file.stem)
    concept, replaces = _concept(doc, key, blocks, doc.data.get("related"))
    return replace(concept, retired=str(doc.data.get("status", "")).casefold() in _RETIRED), replaces


def _v1(doc: _Doc) -> tuple[Concept, list[str]]:
    blocks = [(language_of(v.get("language_code") or k), v) for k, v in _language_blocks(doc.data).items()]
    key = str(doc.data.get("termid") or doc.data.get("id") or doc.file.stem)
    concept, replaces = _concept(doc, key, blocks, doc.data.get("related"))
    retired = bool(blocks) and all(str(b.get("entry_status", "")).casefold() in _RETIRED for _, b in blocks)
    return replace(concept, retired=retired), replaces


def _concept(doc: _Doc, key: str, blocks: list[tuple[str, dict]], related) -> tuple[Concept, list[str]]:
    terms, definitions, notes, examples, names = [], [], [], [], []
    for lang, block in blocks:
        terms += _terms(block, lang)
        for field, out in (("definition", definitions), ("notes", notes), ("examples", examples)):
            for text in _contents(block.get(field)):
                shown, mentioned = mentions(text)
                out.append((lang, shown))
                names += mentioned
        for ref in block.get("references") or []:
            if isinstance(ref, dict) and isinstance(ref.get("term"), str):
                names.append(clean(ref["term"]))
    related_keys, replaces, replaced_by = [], [], ""
    for link in related or []:
        kind = str(link.get("type", "")).casefold() if isinstance(link, dict) else ""
        target = _ref_id(link.get("ref")) if kind else ""
        if kind in _REPLACED_BY and target and target != key:
            replaced_by = target
        elif kind in _REPLACES and target and target != key:
            replaces.append(target)
        elif kind and kind not in _REPLACES and kind not in _NOT_RELATED and target and target != key:
            related_keys.append(target)
    concept = Concept(
        line=doc.line,
        key=key,
        terms=tuple(terms),
        definitions=tuple(definitions),
        notes=tuple(notes),
        examples=tuple(examples),
        related_keys=tuple(related_keys),
        related_names=tuple(names),
        replaced_by=replaced_by,
        where=f"the concept '{key}'",
        file=str(doc.file),
    )
    return concept, replaces


def _terms(block: dict, lang: str) -> list[Term]:
    found = []
    for item in block.get("terms") or []:
        if isinstance(item, dict) and clean(str(item.get("designation") or "")):
            kind = str(item.get("type", "")).casefold()
            found.append(Term(clean(str(item["designation"])), language_of(item.get("language")) or lang,
                              status_of(item.get("normative_status")), "abbreviation" in kind))
    # v0/v1 spellings: term (its status in `classification`), alt, abbrev, synonyms
    old = [("term", status_of(block.get("classification")), False), ("alt", status_of(block.get("classification")),
           False), ("abbrev", ADMITTED, True), ("synonyms", ADMITTED, False)]
    for field, status, abbreviation in old:
        values = block.get(field)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, (str, int, float)) and clean(str(value)):
                found.append(Term(clean(str(value)), lang, status, abbreviation))
    return found  # a localization's `entry_status` is about its text, not its terms: it leaves them as they are


def _contents(value) -> list[str]:
    """`"text"`, `["text"]` or `[{content: "text"}]` -> the texts."""
    items = value if isinstance(value, list) else [value]
    texts = [item.get("content") if isinstance(item, dict) else item for item in items]
    return [clean(str(t)) for t in texts if isinstance(t, (str, int, float)) and clean(str(t))]


def mentions(text: str) -> tuple[str, list[str]]:
    """`"a {{urn:x:3.1,user,users}} of {{service}}"` -> ("a users of service", ["user", "service"]).

    A mention is `{{term}}`, `{{term,shown}}` or `{{urn-or-id,term[,shown]}}`.
    """
    names = []

    def shown(match: re.Match) -> str:
        parts = [p.strip() for p in match[1].split(",")]
        if len(parts) > 1 and (parts[0].startswith("urn:") or re.fullmatch(r"[\w.:-]*\d[\w.:-]*", parts[0])):
            parts = parts[1:]  # the concept's identifier first
        parts = [p for p in parts if p] or [match[1].strip()]
        names.append(parts[0])
        return parts[-1]

    return clean(_MENTION.sub(shown, text)), names


def _ref_id(ref) -> str:
    if isinstance(ref, dict):
        return str(ref.get("id") or ref.get("concept_id") or "")
    return str(ref or "")


def _apply_supersedes(read: list[tuple[Concept, list[str]]]) -> list[Concept]:
    """A concept that says it supersedes another of the dataset: the other one is replaced by it."""
    newer = {old: concept.key for concept, olds in read for old in olds}
    return [replace(c, replaced_by=newer[c.key]) if c.key in newer and not c.replaced_by else c for c, _ in read]


def _title(path: Path) -> str:
    folder = path if path.is_dir() else path.parent
    if folder.name.casefold() in _CONTAINER_NAMES and folder.parent.name:
        return folder.parent.name
    return folder.name if path.is_dir() else path.stem
