"""AsciiDoc labelled-list glossaries: names, aliases, references by target anchor, macros read as their text."""

from __future__ import annotations

import pytest

from index.formats.asciidoc import is_asciidoc, parse_asciidoc
from index.sources import format_of, load_glossary
from tests.conftest import REAL_GLOSSARIES, by_term

TINY = """\
= Tiny Glossary
:product: Widget

Text before the list is no entry.

[[def_alpha]]alpha::
\tThe first <<def_beta,letter>> of the {product} set; see
\tlinkgit:git-alpha[1] and link:https://example.org/a[the site].
+
A second paragraph with `code`, _emphasis_ and *strong* words.

// a comment line, not text
[[def_beta]]beta, b::
    Second letter; compare <<def_alpha>> and https://example.org[an outside page].

[[def_gamma]]gamma (also third)::
\tA list:
\t* one item
\t* two items
+
--
nested;;
\tNested item text.
--

[[def_empty]]empty::

[[def_delta]]delta:: Refers to <<sec_outside,an outside section>> and <<def_gamma,the third one>>.
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.adoc"
    path.write_text(TINY, encoding="utf-8")
    return parse_asciidoc(path)


def test_items_are_entries_with_their_anchors(tiny):
    assert tiny.title == "Tiny Glossary"
    assert [e.term for e in tiny.entries] == ["alpha", "beta", "gamma", "delta"]
    assert by_term(tiny, "alpha").anchor == "def_alpha"
    assert by_term(tiny, "alpha").line == 6


def test_listed_names_and_also_are_aliases(tiny):
    assert by_term(tiny, "beta").aliases == ("b",)
    assert by_term(tiny, "gamma").aliases == ("third",)


def test_references_resolve_by_their_target_not_their_text(tiny):
    assert by_term(tiny, "alpha").related == ("beta",)  # <<def_beta,letter>>: no entry is called "letter"
    assert by_term(tiny, "beta").related == ("alpha",)
    assert by_term(tiny, "delta").related == ("gamma",)  # the outside section is text only
    assert not by_term(tiny, "delta").unresolved


def test_macros_and_markup_become_text(tiny):
    alpha = by_term(tiny, "alpha").text
    assert "The first letter of the Widget set" in alpha
    assert "git-alpha(1)" in alpha and "the site" in alpha
    assert "A second paragraph with code, emphasis and strong words." in alpha
    beta = by_term(tiny, "beta").text
    assert beta == "Second letter; compare alpha and an outside page."
    assert "an outside section" in by_term(tiny, "delta").text and "the third one" in by_term(tiny, "delta").text
    for entry in tiny.entries:
        for text in (entry.text, entry.definition):
            assert "<<" not in text and "linkgit:" not in text and "link:" not in text and "{product}" not in text
        assert "`" not in entry.text and "_emphasis_" not in entry.text and "*strong*" not in entry.text


def test_lists_and_nested_items_stay_in_the_entry(tiny):
    gamma = by_term(tiny, "gamma")
    assert "one item" in gamma.text and "two items" in gamma.text
    assert "nested: Nested item text." in gamma.text
    assert "- one item\n- two items" in gamma.definition


def test_an_empty_entry_is_a_warning_not_a_failure(tiny):
    assert "empty" not in [e.term for e in tiny.entries]
    assert [w for w in tiny.warnings if w.endswith("tiny.adoc:26: the entry 'empty' has an empty definition; skipped")]
    assert tiny.report.items == 5 and tiny.report.entries == 4


def test_case_distinct_names_are_two_entries(tmp_path):
    path = tmp_path / "refs.adoc"
    path.write_text("[[def_head]]head::\n\tA named reference to a commit.\n\n"
                    "[[def_HEAD]]HEAD::\n\tThe current branch, in a checkout of a repository.\n", encoding="utf-8")
    terms = [e.term for e in load_glossary(path).entries]
    assert terms == ["head", "HEAD"]


def test_chosen_by_extension_and_by_content(tmp_path):
    text = tmp_path / "glossary.txt"
    text.write_text(TINY, encoding="utf-8")
    assert format_of(text) == "asciidoc"
    assert [e.term for e in load_glossary(text).entries] == ["alpha", "beta", "gamma", "delta"]
    plain = tmp_path / "notes.txt"
    plain.write_text("## Alpha\n\nThe first letter: not AsciiDoc.\n", encoding="utf-8")
    assert format_of(plain) == "markdown"
    assert format_of(tmp_path / "x.asciidoc") == "asciidoc"
    assert not is_asciidoc("A line with std::vector in it.\nAnother :: line.\n")


def test_no_items_is_one_clear_error(tmp_path):
    from indexformat.errors import GlossaryParseError

    path = tmp_path / "empty.adoc"
    path.write_text("= Title\n\nJust a paragraph.\n", encoding="utf-8")
    with pytest.raises(GlossaryParseError, match="no glossary entries"):
        parse_asciidoc(path)


GIT = REAL_GLOSSARIES / "git" / "glossary-content.adoc"


@pytest.mark.skipif(not GIT.is_file(), reason="the shared real glossaries are not here")
def test_git_glossary_reads_as_published():
    glossary = load_glossary(GIT)
    assert len(glossary.entries) == 92
    terms = [e.term for e in glossary.entries]
    assert "head" in terms and "HEAD" in terms and not glossary.warnings
    assert "HEAD" in by_term(glossary, "detached HEAD").related  # <<def_HEAD>> reaches HEAD, not head
    for entry in glossary.entries:
        for text in (entry.text, entry.definition):
            assert "<<def_" not in text and "linkgit:" not in text
    assert by_term(glossary, "commit-ish").aliases == ("committish",)
    assert set(by_term(glossary, "object identifier").aliases) == {"object ID", "oid"}
    branch = by_term(glossary, "branch")
    assert {"commit", "ref", "repository", "working tree"} <= set(branch.related)  # "referenced" -> ref
    assert "parent" in by_term(glossary, "chain").related  # <<def_parent,parents>>
    assert "git-pack-refs(1)" in by_term(glossary, "head").text
    pathspec = by_term(glossary, "pathspec").text
    assert "top: The magic word top" in pathspec and "exclude: After a path matches" in pathspec
    assert sum(len(e.unresolved) for e in glossary.entries) == 0


def test_a_glossary_table(tmp_path):
    path = tmp_path / "terms.adoc"
    path.write_text('= Terms\n\n[options="header"]\n|===\n| Term | Description | Synonyms\n'
                    "| Proposal | A formal document that asks for an *addition*. | RFC; request\n"
                    "| Candidate\n| Work in progress after a proposal was\naccepted. |\n|===\n", encoding="utf-8")
    glossary = parse_asciidoc(path)
    assert [(e.term, e.aliases, e.line) for e in glossary.entries] == [
        ("Proposal", ("RFC", "request"), 6), ("Candidate", (), 7)]
    assert by_term(glossary, "Proposal").text == "A formal document that asks for an addition."
    assert by_term(glossary, "Candidate").text == "Work in progress after a proposal was accepted."
