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


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
 <office:body><office:spreadsheet>
  <table:table table:name="Notes">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Kept by the docs team</text:p>
   </table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row>
  </table:table>
  <table:table table:name="Terms">
   <table:table-row><table:table-cell><text:p>Glossary, 2024</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell>
    <table:table-cell><text:p>Description</text:p></table:table-cell>
    <table:table-cell table:number-columns-repeated="1022"/></table:table-row>
   <table:table-row><table:table-cell><text:p>Kernel</text:p></table:table-cell>
    <table:table-cell><text:p>The core of an</text:p><text:p>operating system.</text:p></table:table-cell>
   </table:table-row>
   <table:table-row table:number-rows-repeated="40"><table:table-cell table:number-columns-repeated="1024"/>
   </table:table-row>
   <table:table-row><table:table-cell><text:p>Mutex</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="2"><text:p>A lock one thread holds.</text:p>
    </table:table-cell></table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document-content>
"""


def test_an_opendocument_spreadsheet_reads_like_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "terms.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", ODS_CONTENT)
    g = load_glossary(path)
    assert [(e.term, e.text) for e in g.entries] == [("Kernel", "The core of an operating system."),
                                                    ("Mutex", "A lock one thread holds.")]
    assert by_term(g, "Mutex").line == 3 + 40 + 1  # row numbers as LibreOffice shows them: 40 padded empty rows
    assert any("'Notes'" in w and "skipped" in w for w in g.warnings)
