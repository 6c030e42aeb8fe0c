"""LaTeX glossaries (the glossaries package): entries, long entries, acronyms, and the markup inside them."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.sources import load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import by_term

FIXTURE = Path(__file__).parent / "fixtures" / "glossary.tex"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(FIXTURE)


def test_every_kind_of_definition_is_an_entry_named_as_printed(glossary):
    assert [e.term for e in glossary.entries] == [
        "zero address", "DNS", "capability", "default data capability (DDC)", "eta", "ERC", "EVM"]
    assert by_term(glossary, "zero address").anchor == "zero"  # the label is the anchor references use


def test_markup_reads_as_the_words_it_prints(glossary):
    assert by_term(glossary, "zero address").text == (
        "The address made only of zeroes, i.e. 0x0000. Tokens sent there with ERC contracts are burnt 100% of "
        "the time")
    assert by_term(glossary, "capability").text == (
        "A capability holds a zero address, resolved names and other capabilities, as in Permit_Invoke. Its "
        "rights never grow \u2014 they only shrink.")


def test_references_link_entries(glossary):
    assert by_term(glossary, "capability").related == ("zero address", "DNS")
    assert by_term(glossary, "DNS").related == ("zero address",)  # seealso=
    assert by_term(glossary, "default data capability (DDC)").related == ("capability",)


def test_acronyms_spell_out_their_long_form(glossary):
    assert by_term(glossary, "ERC").text == "Ethereum Request for Comments"
    evm = by_term(glossary, "EVM")
    assert "Ethereum Virtual Machine" in evm.aliases and evm.text == "A machine that runs contracts, see capability"
    assert "DDC" in by_term(glossary, "default data capability (DDC)").aliases  # the heading's parenthesis


def test_a_symbol_without_printable_name_is_named_by_its_label(glossary):
    assert by_term(glossary, "eta").text == "Pseudorapidity"


def test_broken_and_empty_definitions_are_warnings_not_failures(glossary):
    warnings = " ".join(glossary.warnings)
    broken = FIXTURE.read_text().splitlines().index("\\newglossaryentry{broken}") + 1
    assert f"{FIXTURE}:{broken}: \\newglossaryentry without its 2 arguments" in warnings
    assert "'empty' has an empty definition" in warnings


def test_a_tex_file_without_glossary_entries_is_one_clear_error(tmp_path):
    path = tmp_path / "thesis.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}Hello\\end{document}\n")
    with pytest.raises(GlossaryParseError, match="no glossary entries") as err:
        load_glossary(path)
    assert "\n" not in str(err.value)


def test_bib2gls_entries_read_like_the_commands(tmp_path):
    path = tmp_path / "terms.bib"
    path.write_text("""% bib2gls
@entry{bird, name={bird}, description={a feathered animal, like a \\gls{duck}}}
@entry{duck, name={duck}, description={a \\gls{bird} that swims}, seealso={goose}}
@abbreviation{html, short={HTML}, long={hypertext markup language}}
@index{goose}
@symbol{pi, name={\\ensuremath{\\pi}}, description={the ratio of a circle's circumference to its diameter}}
""")
    g = load_glossary(path)
    assert [e.term for e in g.entries] == ["bird", "duck", "HTML", "pi"]
    assert by_term(g, "bird").text == "a feathered animal, like a duck" and by_term(g, "bird").related == ("duck",)
    assert by_term(g, "HTML").aliases == ("hypertext markup language",)


def test_a_bibliography_is_not_a_glossary(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{knuth84, author={Donald Knuth}, title={Literate Programming}, year=1984}\n")
    with pytest.raises(GlossaryParseError, match="a bibliography, not a glossary"):
        load_glossary(path)


LATEX_PIECES = ["\\newglossaryentry", "\\longnewglossaryentry", "\\newacronym", "{", "}", "[", "]", "name=",
                "description=", "see=", ",", "%", "\\", "\\gls", "\\glslink", "\\emph", "\\DDC", "$", "alpha",
                "Beta gamma", "\n", "~", "\\%", "label"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(LATEX_PIECES), max_size=60))
def test_any_latex_gives_entries_or_one_parse_error(tmp_path, pieces):
    entries_or_one_error(tmp_path / "fuzz.tex", "".join(pieces))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.lists(st.sampled_from(LATEX_PIECES), max_size=8),
       description=st.lists(st.sampled_from(LATEX_PIECES), max_size=20))
def test_any_markup_inside_an_entry_gives_entries_or_one_parse_error(tmp_path, name, description):
    entry = "\\newglossaryentry{a}{name={" + "".join(name) + "}, description={" + "".join(description) + "}}\n"
    entries_or_one_error(tmp_path / "fuzz.tex", entry + "\\newglossaryentry{b}{name=Beta, description={Beta is "
                         "\\gls{a}}}\n")


def entries_or_one_error(path, text):
    path.write_text(text)
    try:
        glossary = load_glossary(path)
    except GlossaryParseError as err:
        assert "\n" not in str(err)
        return
    assert glossary.entries and all(e.term.strip() and e.text.strip() for e in glossary.entries)
