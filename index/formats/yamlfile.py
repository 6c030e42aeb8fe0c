"""YAML glossaries, with the fields of the JSON format.

Either a list of objects (`- term: ...`, `definition: ...`, optional `aliases`, `related`), the same list under
a top-level `terms`, `entries` or `glossary` key, or a mapping from each term to its definition (text, or an
object with `definition`, `aliases`, `related`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from index.formats.jsonfile import record_from_object
from index.formats.localized import localized_glossary
from index.formats.records import Record, glossary_from_records
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

LIST_KEYS = ("terms", "entries", "glossary")


def parse_yaml(path: Path) -> Glossary:
    loader = yaml.SafeLoader(read_text(path))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise GlossaryParseError(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        lists = [(k, v) for k, v in node.value if k.value in LIST_KEYS and isinstance(v, yaml.SequenceNode)]
        if lists:
            key, node = lists[0]
            data = data[key.value]
    if data is None:
        raise GlossaryParseError(path, None, "no glossary entries found (the file is empty)")
    if isinstance(data, list):
        items = [(item.start_mark.line + 1, value) for item, value in zip(node.value, data, strict=True)]
        if (glossary := localized_glossary(items, path, path.stem)) is not None:
            return glossary
    return glossary_from_records(_records(path, node, data), path, path.stem)


def _records(path: Path, node: yaml.Node, data: object) -> list[Record]:
    if isinstance(data, list):
        return [record_from_object(path, item.start_mark.line + 1, value)
                for item, value in zip(node.value, data, strict=True)]
    if isinstance(data, dict):  # term: definition, or term: {definition, aliases, related}
        records = []
        for (key, _), (term, value) in zip(node.value, data.items(), strict=True):
            obj = {"definition": value} if not isinstance(value, dict) else dict(value)
            obj["term"] = term if isinstance(term, str) else str(term)
            records.append(record_from_object(path, key.start_mark.line + 1, obj))
        return records
    raise GlossaryParseError(path, node.start_mark.line + 1,
                             "expected a list of objects with 'term' and 'definition', or a mapping term: definition")
