from pathlib import Path

import pytest

from index.formats.markdown import parse_file, parse_markdown
from index.parse import HeadingParts, heading_names, heading_parts, slug
from indexformat.errors import GlossaryParseError
from tests.conftest import SEED, by_term


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_seed_has_47_entries_and_a_title(seed):
    assert seed.title == "Deep Learning Glossary"
    assert len(seed.entries) == 47  # 48 headings, one of them the Cost Function redirect
    assert seed.entries[0].term == "Activation Function"  # the one `##` entry counts too
    assert "Deep Learning Glossary" not in [e.term for e in seed.entries]


@pytest.mark.parametrize(
    "term, alias",
    [
        ("Stochastic Gradient Descent (SGD)", "SGD"),
        ("Stochastic Gradient Descent (SGD)", "Stochastic Gradient Descent"),
        ("Batch (Mini-Batch)", "Mini-Batch"),
        ("Kernel (Filter)", "Filter"),
        ("Adam", "Adaptive Moment Estimation"),
        ("BERT", "Bidirectional Encoder Representations from Transformers"),
        ("Loss Function", "Cost Function"),
    ],
)
def test_aliases(seed, term, alias):
    assert alias in by_term(seed, term).aliases


def test_redirect_is_an_alias_not_an_entry(seed):
    assert "Cost Function" not in [e.term for e in seed.entries]


def test_no_false_expansions(seed):
    # Ordinary definitions start with "A ..." sentences, which are not expansions.
    assert by_term(seed, "Dropout").aliases == ()
    assert by_term(seed, "Epoch").aliases == ()


def test_cross_references_resolve_to_entries(seed):
    assert by_term(seed, "Adam").related == ("Momentum",)
    assert by_term(seed, "Convolution").related == ("Kernel (Filter)",)
    assert by_term(seed, "Batch Normalization").related == ("Internal Covariate Shift",)


def test_bold_names_no_entry_are_no_references_and_no_warnings(seed):
    # "**RMSprop**" and "**ResNet**" are bold words of the seed with no entry: emphasis, not broken links.
    assert seed.warnings == []
    assert by_term(seed, "Adam").unresolved == () and by_term(seed, "Adam").related == ("Momentum",)


def test_undefined_links_are_warnings_with_lines():
    g = parse_markdown("### Alpha\nLike [Beta](#beta) and **In short**, [Gamma](#gamma).\n### Gamma\nThree.\n",
                       "g.md")
    assert g.warnings == ["g.md:1: 'Alpha' refers to 'Beta', which is not defined"]
    assert by_term(g, "Alpha").related == ("Gamma",) and by_term(g, "Alpha").unresolved == ("Beta",)


def test_definition_keeps_markdown_and_text_drops_it(seed):
    adam = by_term(seed, "Adam")
    assert "**Momentum**" in adam.definition
    assert "**" not in adam.text and "Momentum" in adam.text


def test_line_and_anchor(seed):
    loss = by_term(seed, "Loss Function")
    assert SEED.read_text().splitlines()[loss.line - 1] == "### Loss Function"
    assert loss.anchor == "loss-function"
    assert slug("Stochastic Gradient Descent (SGD)") == "stochastic-gradient-descent-sgd"


def test_section_headings_are_not_entries():
    g = parse_markdown("# Title\n\n## A\n\n### Apple\nA fruit.\n\n## B\n\n### Banana\nA long fruit.\n")
    assert [e.term for e in g.entries] == ["Apple", "Banana"]
    assert g.title == "Title"


def test_multi_paragraph_definition():
    g = parse_markdown("### Term\nFirst paragraph.\n\nSecond paragraph.\n### Other\nText.\n")
    assert g.entries[0].text == "First paragraph. Second paragraph."


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("Just a preamble, no headings.\n", None, "no glossary entries"),
        ("# Title\n\n### Beta\n", 3, "empty definition"),  # nothing usable at all: then it is an error
        ("### Beta\nSee [Gamma](#gamma).\n", None, "only redirects"),
    ],
)
def test_malformed_glossaries_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryParseError) as err:
        parse_file(path)
    assert message in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}:" if line else f"{path}:")
    assert err.value.line == line


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("### Alpha\nOne.\n### Caf\xe9\nTwo.\n".encode("latin-1"))
    with pytest.raises(GlossaryParseError) as err:
        parse_file(path)
    assert err.value.line == 3 and "UTF-8" in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(GlossaryParseError, match="cannot read"):
        parse_file(Path(tmp_path / "nope.md"))


@pytest.mark.parametrize(
    "heading, name, alias, qualifier",
    [
        ("Stochastic Gradient Descent (SGD)", "Stochastic Gradient Descent", "SGD", ""),
        ("Kernel (Filter)", "Kernel", "Filter", ""),
        ("Batch (Mini-Batch)", "Batch", "Mini-Batch", ""),
        ("SGD (stochastic gradient descent)", "SGD", "stochastic gradient descent", ""),  # initials
        ("Parsec (pc)", "Parsec", "pc", ""),  # an abbreviation of the name
        ("Arcsecond (arcsec)", "Arcsecond", "arcsec", ""),
        ("version (temporal)", "version", "", "temporal"),
        ("state (of an object)", "state", "", "of an object"),
        ("State (Of An Object)", "State", "", "Of An Object"),  # a function word opens a qualifier
        ("arc <geometry>", "arc", "", "geometry"),
        ("Arc <Geometry>", "Arc", "", "Geometry"),  # angle brackets always qualify
        ("bank (river side)", "bank", "", "river side"),
        ("Dropout", "Dropout", "", ""),
        ("Vitamin (A)", "Vitamin", "A", ""),  # one capital letter is a name, not the article
    ],
)
def test_heading_parts_tell_aliases_from_qualifiers(heading, name, alias, qualifier):
    assert heading_parts(heading) == HeadingParts(name, alias, qualifier)
    assert heading_names(heading) == ([name, alias] if alias else [])


def test_qualified_headings_are_found_by_their_name_but_have_no_alias():
    g = parse_markdown("### version (temporal)\nA point in time.\n### Release\nSee also **version**.\n")
    version, release = g.entries
    assert version.aliases == () and version.qualifier == "temporal"
    assert release.related == ("version (temporal)",)


def test_a_book_glossary_names_short_forms_its_definitions_open_with():
    # A printed book's style: the definition carries on from the heading, short forms first in parentheses.
    g = parse_markdown(
        "## Astronomical Unit\n(AU) is a unit of distance, the mean Earth-Sun distance. 56, 422\n"
        "## Ampere\n(A, or Amp) is the SI unit of current. 77\n"
        "## alpha decay\n(a) happens when a nucleus emits an alpha particle. 243\n"
        "## gamma ray\n(y) is a high-energy photon. 244\n"
        "## AC\nalternating current. 77, 215\n"
        "## heat engine\n(such as a car motor) is a machine turning heat into work.\n",
        "book.md")
    assert "AU" in by_term(g, "Astronomical Unit").aliases
    assert by_term(g, "Ampere").aliases == ("Amp",)  # "A" is one letter: a symbol, not a name to match
    assert by_term(g, "alpha decay").aliases == () and by_term(g, "gamma ray").aliases == ()
    assert by_term(g, "AC").aliases == ("alternating current",)  # its letters are the initials, in any case
    assert by_term(g, "heat engine").aliases == ()  # a parenthesis that is not made of the term's letters
