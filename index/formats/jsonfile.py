"""JSON glossaries (a list of objects) and JSON Lines (one object per line).

Each object has `term` and `definition`, optionally `aliases` and `related`: a list of names or one string
with names separated by `;` or `|`.
"""

from __future__ import annotations

import json
from pathlib import Path

from index.formats.localized import localized_glossary
from index.formats.records import LISTS, Record, glossary_from_records, map_fields, split_names
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError

_WHITESPACE = " \t\r\n"


def parse_json(path: Path) -> Glossary:
    text = read_text(path)
    try:
        json.loads(text)  # reports the first syntax error with its line
    except json.JSONDecodeError as err:
        raise GlossaryParseError(
            path, err.lineno, f"not valid JSON: {err.msg} (column {err.colno})"
        ) from None
    items = list(_array_items(path, text))
    if (glossary := localized_glossary(items, path, path.stem)) is not None:
        return glossary
    records = [record_from_object(path, line, obj) for line, obj in items]
    return glossary_from_records(records, path, path.stem)


def parse_jsonl(path: Path) -> Glossary:
    records = []
    for line, raw in enumerate(read_text(path).splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as err:
            raise GlossaryParseError(path, line, f"not valid JSON: {err.msg} (column {err.colno})") from None
        records.append(record_from_object(path, line, obj))
    return glossary_from_records(records, path, path.stem)


def _array_items(path: Path, text: str):
    """(line, value) for each item of the top-level array, so errors can name the item's line."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        raise GlossaryParseError(path, _line(text, pos), "expected a JSON list of objects, one per term")
    pos = _skip(text, pos + 1)
    while not text.startswith("]", pos):
        value, end = decoder.raw_decode(text, pos)  # valid: checked by json.loads first
        yield _line(text, pos), value
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def record_from_object(path: Path, line: int, obj: object) -> Record:
    if not isinstance(obj, dict):
        raise GlossaryParseError(
            path, line, f"expected an object with 'term' and 'definition', not {_kind(obj)}"
        )
    mapping = map_fields(path, line, list(obj))
    given, obj = obj, {}
    for name, field in mapping.items():
        value = given[name]
        if field in LISTS and field in obj:  # "acronym" and "synonyms" both name the entry
            value = [*_as_list(obj[field]), *_as_list(value)]
        obj[field] = value
    for name in ("term", "definition"):
        if not isinstance(obj[name], str):
            raise GlossaryParseError(path, line, f"'{name}' must be text, not {_kind(obj[name])}")
    return Record(
        line=line,
        term=" ".join(obj["term"].split()),
        definition=obj["definition"].strip(),
        aliases=_names(path, line, obj, "aliases"),
        related=_names(path, line, obj, "related"),
    )


def _names(path: Path, line: int, obj: dict, field: str) -> tuple[str, ...]:
    value = obj.get(field)
    if value is None:
        return ()
    if isinstance(value, str):
        return split_names(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(name for v in value if (name := " ".join(v.split())))
    raise GlossaryParseError(
        path, line, f"'{field}' must be a list of names or one string, not {_kind(value)}"
    )


def _as_list(value: object) -> list:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else [value]


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )
