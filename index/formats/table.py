"""Spreadsheet glossaries: CSV, TSV, Excel and LibreOffice workbooks, a header row naming `term, definition[,
aliases][, related]` (or their synonyms: `Name, Description, Synonyms, ...`), then a row per term.

Aliases and related terms are separated by `;` or `|`. CSV follows RFC 4180 quoting (a quoted definition may
span lines); TSV has no quoting, one row per line, as most spreadsheet exports write it. A workbook (`.xlsx`
read with openpyxl, `.ods` with lxml) is read sheet by sheet: every sheet with such a header adds its rows,
others (an "About" sheet) are passed over with a note. A title row or two above the header ("Glossary of terms,
2024") is not the header: the first of the first HEADER_ROWS rows that names a term and a definition column is.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from index.formats.lenient import glossary_with_notes
from index.formats.records import Record, field_of, glossary_from_records, map_fields, split_names
from index.parse import NAME_WORDS, Glossary, read_text
from indexformat.errors import GlossaryParseError

HEADER_ROWS = 5  # a header is looked for among this many first non-empty rows
MIN_ROWS = 2  # a headerless table needs this many rows of names (parse.NAME_WORDS) to be read as a glossary

Rows = Iterable[tuple[int, list[str]]]  # (line or row number, cells)


def parse_csv(path: Path) -> Glossary:
    return _parse_text(path, delimiter=",", quoting=csv.QUOTE_MINIMAL)


def parse_tsv(path: Path) -> Glossary:
    return _parse_text(path, delimiter="\t", quoting=csv.QUOTE_NONE)


def parse_xlsx(path: Path) -> Glossary:
    import zipfile

    from openpyxl import load_workbook  # only for a workbook: most builds never import it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)  # data_only: a formula's value, as shown
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise GlossaryParseError(path, None, f"not a readable .xlsx workbook ({err}); save it as .xlsx or CSV"
                                 ) from None
    try:
        sheets = [(sheet.title, [(n, [_cell(v) for v in row])
                                 for n, row in enumerate(sheet.iter_rows(values_only=True), 1)])
                  for sheet in book.worksheets]
    finally:
        book.close()
    return _sheets_glossary(path, sheets)


def _sheets_glossary(path: Path, sheets: list[tuple[str, list[tuple[int, list[str]]]]]) -> Glossary:
    """Every sheet's records under its header; a sheet with none is a note, and no records at all the first
    sheet's error."""
    records: list[Record] = []
    notes: list[str] = []
    first_error: GlossaryParseError | None = None
    width = len(str(len(sheets)))
    for number, (title, rows) in enumerate(sheets, 1):
        # where a row is, in warnings: the sheet too when there are several (numbered: they sort in order)
        where = f"{path}, sheet {number:0{width}d} '{title}'" if len(sheets) > 1 else ""
        try:
            records += [replace(r, file=where) for r in records_under_header(path, rows, wide_rows=True)]
        except (GlossaryParseError, OneColumnHeader) as err:
            if isinstance(err, GlossaryParseError):
                first_error = first_error or err
            if any(any(cells) for _, cells in rows):
                notes.append(f"{path}: the sheet '{title}' has no term and definition columns; skipped")
    if not records:
        raise first_error or GlossaryParseError(path, None, "no glossary entries found (the workbook is empty)")
    return glossary_with_notes(records, path, path.stem, "rows", notes)


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def parse_ods(path: Path) -> Glossary:
    """An OpenDocument spreadsheet (LibreOffice `.ods`): its content.xml read with lxml, sheet by sheet like a
    workbook; repeated empty cells and rows (how ODS pads a sheet) count once."""
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("content.xml"), etree.XMLParser(resolve_entities=False))
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as err:
        raise GlossaryParseError(path, None, f"not a readable .ods spreadsheet ({err}); save it as .ods or .xlsx"
                                 ) from None
    table, text = "{" + _ODS["table"] + "}", "{" + _ODS["text"] + "}"
    sheets = []
    for sheet in root.iter(table + "table"):
        rows, number = [], 0
        for row in sheet.iter(table + "table-row"):
            cells = []
            for cell in row.iter(table + "table-cell", table + "covered-table-cell"):
                value = "\n".join("".join(p.itertext()) for p in cell.iter(text + "p"))
                repeat = int(cell.get(table + "number-columns-repeated", "1") or 1)
                cells += [value] * (repeat if value else 1)
            number += 1
            rows.append((number, cells))
            if not any(cells):
                number += int(row.get(table + "number-rows-repeated", "1") or 1) - 1
        sheets.append((sheet.get(table + "name", ""), rows))
    return _sheets_glossary(path, sheets)


def _cell(value) -> str:
    """A cell as the sheet shows it: 3.0 as "3", a date as 2024-05-01, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def _parse_text(path: Path, delimiter: str, quoting: int) -> Glossary:
    reader = csv.reader(
        io.StringIO(read_text(path), newline=""), delimiter=delimiter, quoting=quoting, strict=True
    )

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = 1
        try:
            for row in reader:
                line, start = start, reader.line_num + 1
                yield line, row
        except csv.Error as err:
            raise GlossaryParseError(
                path, start, f"not valid {'TSV' if delimiter == chr(9) else 'CSV'} in the row starting here: {err}"
            ) from None

    try:
        records = records_under_header(path, rows(), wide_rows=False)
    except OneColumnHeader as err:
        raise GlossaryParseError(
            path, err.line,
            f"the header is one column, '{err.header}': separate the columns with "
            + ("tabs (a .tsv file)" if delimiter == "\t" else "commas (a .csv file)"),
        ) from None
    return glossary_from_records(records, path, path.stem, kind="rows")


class OneColumnHeader(Exception):
    """The first row is one column that holds separators: the file's columns are split by another character."""

    def __init__(self, line: int, header: str):
        self.line, self.header = line, header


def records_under_header(path: Path, rows: Rows, wide_rows: bool) -> list[Record]:
    """The records under the header. `wide_rows`: cells right of the header's columns are ignored (a
    workbook's notes column); in a text file they are an error, since they mean a quoting mistake."""
    header: list[str] | None = None
    seen: list[tuple[int, list[str]]] = []  # non-empty rows before the header
    records: list[Record] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            names = [cell.strip().lower() for cell in row]
            while names and not names[-1]:
                names.pop()  # a sheet's empty cells right of the header
            seen.append((line, names))
            try:
                fields = map_fields(path, line, names)
            except GlossaryParseError:
                if len(seen) < HEADER_ROWS:
                    continue
                _raise_for_first(path, seen)
            if len({n for n in names if n}) != len([n for n in names if n]):
                raise GlossaryParseError(path, line, "a column name appears twice in the header")
            header = [fields.get(name, f"\0{name}") for name in names]  # unmapped columns: ignored
            continue
        if len(row) > len(header) and not wide_rows and any(cell.strip() for cell in row[len(header):]):
            raise GlossaryParseError(path, line, f"this row has {len(row)} fields but the header names {len(header)}")
        cells: dict[str, str] = {}
        for name, cell in zip(header, (cell.strip() for cell in row), strict=False):  # short rows: blank
            cells[name] = f"{cells[name]}; {cell}" if cells.get(name) and cell else cells.get(name) or cell
        records.append(Record(line=line, term=" ".join(cells.get("term", "").split()),
                              definition=cells.get("definition", ""), aliases=split_names(cells.get("aliases", "")),
                              related=split_names(cells.get("related", ""))))
    if header is None:
        if seen:
            _raise_for_first(path, seen)
        raise GlossaryParseError(path, None, "no glossary entries found (the file is empty)")
    return records


def _raise_for_first(path: Path, seen: list[tuple[int, list[str]]]) -> None:
    """No row names the columns: the error is the first row's, read as the header."""
    line, names = seen[0]
    if len(names) == 1 and any(sep in names[0] for sep in ",;\t"):
        raise OneColumnHeader(line, names[0])
    map_fields(path, line, names)  # raises, saying which field is missing


def document_table(path: Path, rows: Rows, header_row: bool = False) -> list[Record]:
    """A table inside a document (Word, markdown): the records under a header the spreadsheet reader knows, or,
    with no such header, exactly two columns whose first holds short names; [] for any other table. `header_row`: the
    first row is a header whatever it says (markdown's syntax makes it one); so is one that names a column."""
    rows = list(rows)
    try:
        return records_under_header(path, rows, wide_rows=True)
    except (GlossaryParseError, OneColumnHeader):
        pass
    # a first row naming a column as people do ("Acronym | Expansion") is a header the table's shape hides
    if rows and (header_row or any(field_of(cell) for cell in rows[0][1])):
        rows = rows[1:]
    if any(len(cells) != 2 for _, cells in rows):
        return []  # a wider table without a known header is some other table (versions, options, authors)
    pairs = [cells for _, cells in rows if cells[0] and cells[1]]
    if len(pairs) >= MIN_ROWS and all(len(cells[0].split()) <= NAME_WORDS for cells in pairs):
        return [Record(line=n, term=" ".join(cells[0].split()), definition=cells[1]) for n, cells in rows
                if cells[0]]
    return []
