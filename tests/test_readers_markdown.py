"""Markdown glossaries as people write them: stray `#` headings, template tags, citations, front matter."""

from pathlib import Path

import pytest

from index.sources import load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import by_term

FIXTURE = Path(__file__).parent / "fixtures" / "gitbook.md"


@pytest.fixture(scope="module")
def gitbook():
    return load_glossary(FIXTURE)


def test_a_top_level_heading_after_entries_is_an_entry_with_a_warning(gitbook):
    assert gitbook.title == "Machine Learning Terms"
    assert [e.term for e in gitbook.entries] == ["Activation", "Backpropagation", "PPP", "Perceptron"]
    assert by_term(gitbook, "PPP").text == "Pointwise pseudo-probability, a made-up term of this fixture."
    assert f"{FIXTURE}:9: '# PPP' is a top-level heading among the entries; read as an entry" in gitbook.warnings


def test_template_tags_are_not_text(gitbook):
    last = by_term(gitbook, "Perceptron")
    assert "include" not in last.definition and "BIBLIOGRAPHY" not in last.text


def test_citations_are_dropped_links_keep_their_text(gitbook):
    assert by_term(gitbook, "Activation").text == "A function applied to each neuron's output."
    assert by_term(gitbook, "Activation").definition == "A function applied to each neuron's output."
    assert by_term(gitbook, "Backpropagation").text == "Computes gradients layer by layer, as the PyTorch guide shows."
    perceptron = by_term(gitbook, "Perceptron")
    assert perceptron.text == "A single-layer linear classifier. Trained like Backpropagation, see Activation."
    assert perceptron.related == ("Backpropagation", "Activation")  # an in-page reference link stays a link
    assert "example.org" not in perceptron.definition and "[1]" not in perceptron.definition


def test_front_matter_names_the_glossary_and_is_not_an_entry(tmp_path):
    path = tmp_path / "g.md"
    path.write_text("---\ntitle: Jekyll Terms\nlayout: page\n---\n## Alpha\nThe first letter.\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.title == "Jekyll Terms"
    assert [(e.term, e.line) for e in glossary.entries] == [("Alpha", 5)]


def test_a_top_level_heading_with_nothing_under_it_is_skipped_and_reported(tmp_path):
    path = tmp_path / "g.md"
    path.write_text("# Title\n## Alpha\nOne.\n# Appendix\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Alpha"]
    assert glossary.report.skipped == (f"{path}:4: '# Appendix' is a top-level heading with no text",)


def test_a_glossary_table_in_a_readme(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("# Our terms\n\nWhat the team means by them.\n\n| Term | Definition | Synonyms |\n|---|---|---|\n"
                    "| **Latency** | The time a request `waits`. | delay |\n"
                    "| Throughput | Requests served per second. | |\n")
    g = load_glossary(path)
    assert [(e.term, e.text, e.aliases) for e in g.entries] == [
        ("Latency", "The time a request waits.", ("delay",)), ("Throughput", "Requests served per second.", ())]
    assert g.report.kind == "table rows" and g.entries[0].line == 7


def test_a_two_column_table_without_a_known_header(tmp_path):
    path = tmp_path / "terms.md"
    path.write_text("| Word | What it means |\n|---|---|\n| Kernel | The core of an operating system. |\n"
                    "| Mutex | A lock one thread holds at a time. |\n")
    assert [e.term for e in load_glossary(path).entries] == ["Kernel", "Mutex"]


def test_other_tables_of_a_page_are_not_entries(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("| Version | Date | Author |\n|---|---|---|\n| 1.0 | 2024 | Ann |\n| 1.1 | 2025 | Bo |\n\n"
                    "| Term | Definition |\n|---|---|\n| SLA | What we promise. |\n| SLO | What we aim at. |\n")
    assert [e.term for e in load_glossary(path).entries] == ["SLA", "SLO"]


@pytest.mark.parametrize("text", [
    "# Glossary\n\n- **Latency**: the time a request waits.\n- **Throughput** - requests served per second.\n"
    "- A plain item is no entry.\n",
    "**Latency:** the time a request waits.\n\n**Throughput** \u2013 requests served per second.\n\n"
    "Some paragraph with **bold** later on.\n",
])
def test_items_and_paragraphs_that_open_with_a_bold_term(tmp_path, text):
    path = tmp_path / "g.md"
    path.write_text(text)
    assert [(e.term, e.text) for e in load_glossary(path).entries] == [
        ("Latency", "the time a request waits."), ("Throughput", "requests served per second.")]


def test_a_heading_glossary_that_bolds_its_first_words_stays_a_heading_glossary(tmp_path):
    path = tmp_path / "g.md"
    path.write_text("## Kernel\n**Kernel**: the core of an operating system.\n\n## Mutex\n**A lock** one thread "
                    "holds. See [Kernel](#kernel).\n")
    g = load_glossary(path)
    assert g.report.kind == "headings" and [e.term for e in g.entries] == ["Kernel", "Mutex"]
    assert g.entries[1].related == ("Kernel",)


@pytest.mark.parametrize("name, text", [
    ("plain.txt", "Latency: the time a request waits.\nThroughput - requests served per second.\n"),
    ("lines.md", "**Latency**: the time a request waits.\n**Throughput** \u2014 requests served per second.\n"),
])
def test_lines_that_open_with_a_term(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    g = load_glossary(path)
    assert [(e.line, e.term, e.text) for e in g.entries] == [
        (1, "Latency", "the time a request waits."), (2, "Throughput", "requests served per second.")]


def test_one_line_with_a_colon_in_a_page_of_prose_is_no_glossary(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("Note: this page is a draft.\n\nWe will write the glossary later, once the terms settle.\n")
    with pytest.raises(GlossaryParseError, match="no glossary entries"):
        load_glossary(path)


def test_a_lead_line_goes_on_over_the_next_lines_of_its_paragraph(tmp_path):
    path = tmp_path / "glossary.txt"
    path.write_text("Agency - ability to act.\n\nTulpa - a thought form, made real\nand independent of its maker.\n\n"
                    "Actor\n\nWex - connections between elements.\n")
    g = load_glossary(path)
    assert [(e.term, e.text) for e in g.entries] == [
        ("Agency", "ability to act."), ("Tulpa", "a thought form, made real and independent of its maker."),
        ("Wex", "connections between elements.")]
