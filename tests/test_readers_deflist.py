"""Markdown definition lists, found by content in .md files or named with --format deflist."""

from pathlib import Path

import pytest

from index.sources import load_glossary
from tests.conftest import by_term

FIXTURE = Path(__file__).parent / "fixtures" / "deflist.md"


@pytest.fixture(scope="module")
def tiny():
    return load_glossary(FIXTURE)  # a .md file: the content says it is a definition list


def test_terms_lines_and_title(tiny):
    assert tiny.title == "Tiny Definition List"  # front matter before the `#` heading
    assert [e.term for e in tiny.entries] == ["Gradient", "Learning Rate", "Epoch"]
    lines = FIXTURE.read_text().splitlines()
    assert [lines[e.line - 1] for e in tiny.entries] == ["Gradient", "Learning Rate", "Epoch"]
    assert tiny.report.items == 4 and tiny.report.redirects == 1 and tiny.report.kind == "terms"


def test_definitions_continue_over_indented_lines_and_repeated_colons(tiny):
    assert by_term(tiny, "Gradient").text == (
        "The vector of partial derivatives of a function. It points uphill; see Learning Rate."
    )
    assert by_term(tiny, "Learning Rate").text == (
        "How far each update moves the weights. A hyperparameter tuned on a validation set."
    )
    epoch = by_term(tiny, "Epoch")  # kramdown: a blank line between term and definition
    assert epoch.text == "One pass over the training data. A second paragraph of the same definition."
    assert "    for batch in data:" in epoch.definition and "for batch" not in epoch.text
    assert "include" not in epoch.definition


def test_second_term_line_and_redirect_are_aliases_bold_is_related(tiny):
    assert by_term(tiny, "Learning Rate").aliases == ("Step Size", "LR")
    assert by_term(tiny, "Gradient").related == ("Learning Rate",)


def test_preamble_is_not_an_entry(tiny):
    assert not any("preamble" in e.text for e in tiny.entries)


def test_format_named_and_headings_file_unchanged(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("Alpha\n: The first letter.\n\nBeta\n: The second letter.\n", encoding="utf-8")
    assert [e.term for e in load_glossary(path, "deflist").entries] == ["Alpha", "Beta"]
    mixed = tmp_path / "headings.md"  # headings with an odd `: x` line stay a heading glossary
    mixed.write_text("### Alpha\nThe first letter.\n\n### Beta\nThe second\n: letter.\n", encoding="utf-8")
    assert [e.term for e in load_glossary(mixed).entries] == ["Alpha", "Beta"]
