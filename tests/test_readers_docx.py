"""Word documents as people keep glossaries in them: a table, bold terms leading paragraphs, or headings."""

import docx
import pytest

from index.sources import load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import by_term


def save(document, path):
    document.save(str(path))
    return path


def bold_paragraph(document, term, rest):
    paragraph = document.add_paragraph()
    paragraph.add_run(term).bold = True
    paragraph.add_run(rest)


def test_a_table_under_a_title_with_synonym_column_names(tmp_path):
    d = docx.Document()
    d.add_heading("Project glossary", 0)
    d.add_paragraph("The terms this team uses. **Not** a term: this introduction.")
    table = d.add_table(rows=0, cols=3)
    for row in (["Term", "Meaning", "Also known as"], ["Latency", "The time a request waits.", "delay"],
                ["Throughput", "Requests served per second.", ""], ["", "A definition without a term.", ""]):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    g = load_glossary(save(d, tmp_path / "terms.docx"))
    assert [e.term for e in g.entries] == ["Latency", "Throughput"]
    assert by_term(g, "Latency").text == "The time a request waits." and by_term(g, "Latency").aliases == ("delay",)
    assert any("empty term" in w for w in g.warnings)  # one bad row is a warning


def test_a_two_column_table_without_a_header(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=0, cols=2)
    for term, text in (("Kernel", "The core of an operating system."), ("Mutex", "A lock one thread holds.")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = term, text
    g = load_glossary(save(d, tmp_path / "t.docx"))
    assert [(e.term, e.text) for e in g.entries] == [("Kernel", "The core of an operating system."),
                                                    ("Mutex", "A lock one thread holds.")]


def test_paragraphs_that_open_with_a_bold_term(tmp_path):
    d = docx.Document()
    d.add_heading("Glossary", 1)
    d.add_heading("A", 2)  # a letter section, not a term
    bold_paragraph(d, "Anchor:", " a fixed point others are measured from.")
    bold_paragraph(d, "Azimuth", " \u2013 the angle along the horizon.")
    d.add_paragraph("A plain paragraph is no entry.")
    d.add_heading("B", 2)
    bold_paragraph(d, "Bearing", ". The direction to a point.")
    g = load_glossary(save(d, tmp_path / "b.docx"))
    assert [(e.term, e.text) for e in g.entries] == [
        ("Anchor", "a fixed point others are measured from."), ("Azimuth", "the angle along the horizon."),
        ("Bearing", "The direction to a point.")]


def test_a_heading_per_term_with_its_paragraphs(tmp_path):
    d = docx.Document()
    d.add_heading("Handbook terms", 1)
    for term, paragraphs in (("Sprint", ["A fixed period of work.", "Usually two weeks."]),
                             ("Backlog", ["The ordered list of work not yet done."])):
        d.add_heading(term, 2)
        for text in paragraphs:
            d.add_paragraph(text)
    g = load_glossary(save(d, tmp_path / "h.docx"))
    assert [e.term for e in g.entries] == ["Sprint", "Backlog"]
    assert by_term(g, "Sprint").text == "A fixed period of work. Usually two weeks."


def test_a_document_without_a_glossary_is_one_clear_error(tmp_path):
    d = docx.Document()
    d.add_paragraph("Minutes of the meeting. Nothing was decided.")
    with pytest.raises(GlossaryParseError, match="no glossary entries"):
        load_glossary(save(d, tmp_path / "m.docx"))


def test_an_acronym_table_whose_header_names_no_definition_column(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=0, cols=2)
    for row in (("Acronym", "Expansion"), ("API", "Application programming interface"),
                ("SLA", "Service level agreement")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    g = load_glossary(save(d, tmp_path / "acronyms.docx"))
    assert [(e.term, e.text) for e in g.entries] == [("API", "Application programming interface"),
                                                    ("SLA", "Service level agreement")]
