"""The glossary lens (search/lens.py) on the bundled glossaries and a small made-up one; no model needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.formats.markdown import parse_file, parse_markdown
from indexformat.errors import QueryError
from search.lens import MAX_TEXT_CHARS, Lens
from search.lens_eval import evaluate, read_rows, unmark
from tests.conftest import ROOT, SEED

ASTRONOMY = ROOT / "data" / "astronomy_glossary.md"
OFFICE = """Office Glossary
Terms from an office.

### Information Technology (IT)
The department that looks after the computers.

### Printer
A machine that puts text on paper.
"""


@pytest.fixture(scope="module")
def lens() -> Lens:
    return Lens(parse_file(SEED).entries + parse_file(ASTRONOMY).entries)


def marks(lens: Lens, text: str, source: str | None = None) -> list[tuple[str, str]]:
    return [(s.text, s.term) for s in lens.find(text, source)]


def test_names_aliases_acronyms_and_inflected_forms(lens):
    text = "Our convolutional network overfits; we add dropout, lower the learning rate and use SGD."
    assert marks(lens, text) == [("convolutional", "Convolution"), ("overfits", "Overfitting"),
                                 ("dropout", "Dropout"), ("learning rate", "Learning Rate"),
                                 ("SGD", "Stochastic Gradient Descent (SGD)")]
    assert marks(lens, "Cost functions and ANNs") == [("Cost functions", "Loss Function"),
                                                      ("ANNs", "Artificial Neural Network (ANN)")]
    assert marks(lens, "a multilayer perceptron, fine-tuned") == [
        ("multilayer perceptron", "Multi-Layer Perceptron (MLP)"), ("fine-tuned", "Fine-Tuning")]


def test_spans_point_into_the_text(lens):
    text = "The\tCNN's <b>bias</b> & the Hertzsprung-Russell\ndiagram, 3 pc away."
    spans = lens.find(text)
    assert [s.term for s in spans] == ["Bias", "Hertzsprung-Russell Diagram (H-R Diagram)", "Parsec (pc)"]
    for s in spans:
        assert text[s.start:s.end] == s.text and s.definition and 0 < s.confidence <= 1


def test_the_longest_name_wins(lens):
    assert marks(lens, "stochastic gradient descent") == [("stochastic gradient descent",
                                                           "Stochastic Gradient Descent (SGD)")]
    assert marks(lens, "a supernova remnant and a supernova") == [("supernova remnant", "Supernova Remnant"),
                                                                 ("supernova", "Supernova")]


def test_short_acronyms_need_their_capitals():
    office = Lens(parse_markdown(OFFICE, source="Office").entries)
    assert marks(office, "It is broken, so it goes to IT with the printer.") == [
        ("IT", "Information Technology (IT)"), ("printer", "Printer")]
    assert marks(office, "it it It iT") == []


def test_everyday_words_that_are_terms_are_still_marked(lens):
    spans = lens.find("Add a bias to each neuron; the star is bright.")
    assert [s.term for s in spans] == ["Bias", "Neuron", "Star"]
    star = spans[-1]
    assert star.confidence < spans[1].confidence  # an everyday word is less sure than a distinctive one


def test_a_close_misspelling_but_not_another_real_word(lens):
    found = lens.find("the backpropogation step")
    assert [(s.term, s.how) for s in found] == [("Backpropagation", "misspelled")]
    assert found[0].confidence < 0.7
    assert marks(lens, "a neutron and an encoding") == []  # real words, not typos of Neuron or Encoder
    assert marks(lens, "we transform the normal tokens") == []  # not Transformer, Normalization, Tokenization


def test_punctuation_breaks_a_name(lens):
    assert marks(lens, "gradient. Descent") == []


def test_source_keeps_one_glossary(lens):
    assert marks(lens, "dropout near a black hole", "Astronomy Glossary") == [("black hole", "Black Hole")]
    with pytest.raises(QueryError, match="no glossary 'Cooking'"):
        lens.find("dropout", "Cooking")


def test_read_checks_and_cuts_the_text(lens):
    with pytest.raises(QueryError, match="empty"):
        lens.read("   ")
    with pytest.raises(QueryError, match="must be text"):
        lens.read(b"dropout")
    result = lens.read("dropout " * (MAX_TEXT_CHARS // 4))
    assert result.truncated and result.spans[-1].end <= MAX_TEXT_CHARS
    assert result.to_json()["terms"] == 1


def test_hostile_markup_is_only_text(lens):
    text = "<img src=x onerror=alert(1)> dropout <script>alert('x')</script>"
    assert marks(lens, text) == [("dropout", "Dropout")]


def test_one_lens_per_loaded_index(fake_index, fake_encoder):
    from index import build_index
    from search import open_index

    engine = open_index(fake_index, encoder=fake_encoder)
    first = engine.lens
    assert engine.lens is first  # built once for the loaded version
    build_index(SEED, fake_index, encoder=fake_encoder, force=True)
    assert engine.refresh() and engine.lens is not first  # swapped with the version


def test_unmark_reads_the_labels():
    text, gold = unmark("We add [[dropout|Dropout]] and [[SGD|Stochastic Gradient Descent (SGD)]].")
    assert text == "We add dropout and SGD."
    assert [(text[g.start:g.end], g.term) for g in gold] == [("dropout", "Dropout"),
                                                             ("SGD", "Stochastic Gradient Descent (SGD)")]


@pytest.mark.parametrize("name", ["deep_learning", "astronomy"])
def test_the_labelled_set_keeps_its_measured_quality(lens, name):
    """docs/lens.md reports these numbers; a change to the lens that loses much of them fails here."""
    rows = read_rows(Path(ROOT / "data" / "eval" / "lens" / f"{name}.jsonl"))
    assert len(rows) >= 10
    result = evaluate(rows, lens)
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9, result
