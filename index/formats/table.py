"""CSV and TSV glossaries: a header row naming `term, definition[, aliases][, related]`, then a row per term.

Aliases and related terms are separated by `;` or `|`. CSV follows RFC 4180 quoting (a quoted definition may
span lines); TSV has no quoting, one row per line, as most spreadsheet exports write it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from index.formats.records import Record, glossary_from_records, map_fields, split_names
from index.parse import Glossary, read_text
from indexformat.errors import GlossaryParseError


def parse_csv(path: Path) -> Glossary:
    return _parse(path, delimiter=",", quoting=csv.QUOTE_MINIMAL)


def parse_tsv(path: Path) -> Glossary:
    return _parse(path, delimiter="\t", quoting=csv.QUOTE_NONE)


def _parse(path: Path, delimiter: str, quoting: int) -> Glossary:
    reader = csv.reader(
        io.StringIO(read_text(path), newline=""), delimiter=delimiter, quoting=quoting, strict=True
    )
    header: list[str] | None = None
    records: list[Record] = []
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if len(set(header)) != len(header):
                    raise GlossaryParseError(path, line, "a column name appears twice in the header")
                if len(header) == 1 and any(sep in header[0] for sep in ",;\t"):
                    raise GlossaryParseError(
                        path,
                        line,
                        f"the header is one column, '{header[0]}': separate the columns with "
                        + ("tabs (a .tsv file)" if delimiter == "\t" else "commas (a .csv file)"),
                    )
                fields = map_fields(path, line, header)
                header = [fields.get(name, f"\0{name}") for name in header]  # unmapped columns: ignored
                continue
            if len(row) > len(header):
                raise GlossaryParseError(
                    path, line, f"this row has {len(row)} fields but the header names {len(header)}"
                )
            cells: dict[str, str] = {}
            for name, cell in zip(header, (cell.strip() for cell in row), strict=False):  # short rows: blank
                cells[name] = f"{cells[name]}; {cell}" if cells.get(name) and cell else cells.get(name) or cell
            records.append(
                Record(
                    line=line,
                    term=" ".join(cells["term"].split()),
                    definition=cells.get("definition", ""),
                    aliases=split_names(cells.get("aliases", "")),
                    related=split_names(cells.get("related", "")),
                )
            )
    except csv.Error as err:
        raise GlossaryParseError(
            path, start, f"not valid {_name(delimiter)} in the row starting here: {err}"
        ) from None
    if header is None:
        raise GlossaryParseError(path, None, "no glossary entries found (the file is empty)")
    return glossary_from_records(records, path, path.stem, kind="rows")


def _name(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"
