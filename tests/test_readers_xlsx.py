"""Excel workbooks as people keep glossaries in them: a title row, synonym column names, notes, other sheets."""

import datetime

import pytest
from openpyxl import Workbook

from index.sources import load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import by_term


def workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def glossary(tmp_path):
    return load_glossary(workbook(tmp_path / "terms.xlsx", {
        "About": [["This workbook lists the terms of our project."], ["Owner", "Docs team"]],
        "A-L": [
            ["Project glossary, 2024"],  # a title row above the header
            [],
            ["Name", "Description", "Synonyms", "Notes"],
            ["Kernel", "The core of an operating system.", "core; nucleus", "check wording"],
            ["Latency", "The time a request waits, about 3 ms here.", None, None, "stray note right of the table"],
            ["Day zero", "The first day, e.g. 2024-05-01.", "", ""],
        ],
        "M-Z": [
            ["Name", "Description"],
            ["Mutex", "A lock only one thread holds at a time."],
            [None, "A definition without a term."],
            ["Port", 8080],  # a number, as a sheet shows it
        ],
    }))


def test_every_glossary_sheet_is_read_below_its_header(glossary):
    assert [e.term for e in glossary.entries] == ["Kernel", "Latency", "Day zero", "Mutex", "Port"]
    assert by_term(glossary, "Kernel").text == "The core of an operating system."
    assert by_term(glossary, "Kernel").aliases == ("core", "nucleus")
    assert by_term(glossary, "Port").definition == "8080"


def test_sheets_and_rows_that_are_no_entries_are_notes_not_failures(glossary):
    assert any("'About'" in w and "skipped" in w for w in glossary.warnings)
    assert any("empty term" in w for w in glossary.warnings)


def test_cells_read_as_the_sheet_shows_them(tmp_path):
    g = load_glossary(workbook(tmp_path / "d.xlsx", {"S": [
        ["term", "definition"], ["Epoch", datetime.datetime(2024, 5, 1)], ["Ratio", 2.5]]}))
    assert [e.definition for e in g.entries] == ["2024-05-01", "2.5"]


@pytest.mark.parametrize("sheets, message", [
    ({"S": [["Name", "Owner"], ["Kernel", "me"]]}, "missing the 'definition' field"),
    ({"S": []}, "no glossary entries"),
])
def test_a_workbook_without_a_glossary_is_one_clear_error(tmp_path, sheets, message):
    with pytest.raises(GlossaryParseError, match=message):
        load_glossary(workbook(tmp_path / "w.xlsx", sheets))
