"""Markdown glossaries as people write them: stray `#` headings, template tags, citations, front matter."""

from pathlib import Path

import pytest

from index.sources import load_glossary
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
