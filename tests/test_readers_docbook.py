"""DocBook glossaries (XML and SGML): terms, acronyms as aliases, See as a redirect, links by their target id."""

from __future__ import annotations

import pytest

from index.formats.docbook import parse_docbook
from index.sources import format_of, load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import REAL_GLOSSARIES, by_term

TINY = """\
<?xml version="1.0"?>
<!DOCTYPE glossary PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN"
  "http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd" [
<!ENTITY product "Widget">
]>
<glossary><title>Tiny &product; Glossary</title>
 <glossdiv><title>A</title>
  <glossentry id="g-ac">
   <glossterm>Atomic commit</glossterm>
   <acronym>AC</acronym>
   <indexterm><primary>commit</primary></indexterm>
   <glossdef>
    <para>All or nothing &mdash; see <glossterm linkend="g-tx">transactions</glossterm>.</para>
    <para>A second <emphasis>paragraph</emphasis> with <literal>code</literal>, see <xref linkend="chapter-x"/>.</para>
    <glossseealso otherterm="g-rb"/>
   </glossdef>
  </glossentry>
 </glossdiv>
 <glossdiv><title>R - U</title>
  <glossentry id="g-rb">
   <glossterm>Rollback</glossterm>
   <glossdef><para>Undo&nbsp;a <glossterm linkend="g-tx">TX</glossterm>.</para>
    <itemizedlist><listitem><para>first step</para></listitem><listitem><para>second step</para></listitem>
    </itemizedlist></glossdef>
  </glossentry>
  <glossentry id="g-tx">
   <glossterm>Transaction</glossterm>
   <abbrev>TX</abbrev>
   <glossdef><para>A unit of work; compare <link linkend="g-ac">all-or-nothing commits</link>.</para></glossdef>
  </glossentry>
  <glossentry><glossterm>Unit of work</glossterm><glosssee otherterm="g-tx"/></glossentry>
  <glossentry><glossterm>Dangling</glossterm><glosssee otherterm="g-nowhere"/></glossentry>
  <glossentry id="g-empty"><glossterm>Empty</glossterm></glossentry>
 </glossdiv>
</glossary>
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.xml"
    path.write_text(TINY, encoding="utf-8")
    return parse_docbook(path)


def test_entries_names_and_title(tiny):
    assert tiny.title == "Tiny Widget Glossary"
    assert [e.term for e in tiny.entries] == ["Atomic commit", "Rollback", "Transaction"]
    assert by_term(tiny, "Atomic commit").anchor == "g-ac"


def test_acronyms_abbreviations_and_see_entries_are_aliases(tiny):
    assert by_term(tiny, "Atomic commit").aliases == ("AC",)
    assert by_term(tiny, "Transaction").aliases == ("TX", "Unit of work")
    assert tiny.report.redirects == 1


def test_links_resolve_by_their_target_id(tiny):
    assert by_term(tiny, "Atomic commit").related == ("Transaction", "Rollback")
    assert by_term(tiny, "Transaction").related == ("Atomic commit",)  # by linkend, not "all-or-nothing commits"
    assert by_term(tiny, "Rollback").related == ("Transaction",)
    assert all(not e.unresolved for e in tiny.entries)


def test_definition_text_is_plain(tiny):
    ac = by_term(tiny, "Atomic commit")
    assert ac.text == ("All or nothing — see transactions. A second paragraph with code, see chapter-x.")
    assert "commit" not in ac.text.split("see")[0].replace("All or nothing", "")  # the index term is left out
    assert by_term(tiny, "Rollback").text == "Undo a TX. first step second step"
    assert "- first step\n- second step" in by_term(tiny, "Rollback").definition
    assert "<" not in "".join(e.text + e.definition for e in tiny.entries)


def test_bad_entries_are_warnings(tiny):
    assert len(tiny.warnings) == 2
    dangling, empty = tiny.warnings
    assert "'Dangling' says see 'g-nowhere'" in dangling and dangling.endswith("left out")
    assert "the entry 'Empty' has an empty definition; skipped" in empty
    assert tiny.report.items == 6


SGML = """\
<glossary id=gl>
<title>Old style</title>
<glossentry id=g-one><glossterm>One</glossterm><acronym>1</acronym>
<glossdef><para>The first &amp; only one&hellip;<para>It has a &unknownentity; second part.</glossdef>
</glossentry>
<glossentry id=g-two><glossterm>Two</glossterm>
<glossdef><para>After <glossterm linkend=g-one>one</glossterm>.</para></glossdef></glossentry>
</glossary>
"""


def test_sgml_entities_unquoted_attributes_and_omitted_end_tags(tmp_path):
    path = tmp_path / "old.sgml"
    path.write_text(SGML, encoding="utf-8")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["One", "Two"]
    one = by_term(glossary, "One")
    assert one.aliases == ("1",)
    assert one.text == "The first & only one… It has a second part."
    assert by_term(glossary, "Two").related == ("One",)


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "leak.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE glossary [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
                    "<glossary><glossentry><glossterm>Probe</glossterm><glossdef><para>before &leak; after"
                    "</para></glossdef></glossentry></glossary>\n", encoding="utf-8")
    (entry,) = load_glossary(path).entries
    assert "TOPSECRET" not in entry.text and entry.text == "before after"


def test_chosen_by_extension_and_by_content(tmp_path):
    for name in ("g.xml", "g.docbook", "g.dbk", "g.sgml", "glossary"):
        path = tmp_path / name
        path.write_text(TINY, encoding="utf-8")
        assert format_of(path) == "docbook", name
    tbx = tmp_path / "terms.xml"
    tbx.write_text('<?xml version="1.0"?>\n<martif type="TBX"><text><body/></text></martif>\n', encoding="utf-8")
    assert format_of(tbx) == "tbx"


def test_xml_without_glossary_entries_is_one_clear_error(tmp_path):
    path = tmp_path / "book.xml"
    path.write_text("<book><chapter><para>No glossary here.</para></chapter></book>\n", encoding="utf-8")
    with pytest.raises(GlossaryParseError, match="no glossary entries found"):
        load_glossary(path)


POSTGRES = REAL_GLOSSARIES / "postgres" / "glossary.sgml"


@pytest.mark.skipif(not POSTGRES.is_file(), reason="the shared real glossaries are not here")
def test_postgres_glossary_reads_as_published():
    glossary = load_glossary(POSTGRES)
    assert glossary.title == "Glossary"
    assert len(glossary.entries) >= 137
    assert glossary.report.items == 153 and not glossary.warnings
    assert glossary.report.entries == 153 - 16  # the 16 See entries are names of the entries they point at
    assert by_term(glossary, "Asynchronous I/O").aliases == ("AIO",)
    assert "WAL" in by_term(glossary, "Write-ahead log").aliases
    assert "Analytic function" in by_term(glossary, "Window function (routine)").aliases
    acid = by_term(glossary, "ACID")
    assert acid.related == ("Atomicity", "Consistency", "Isolation", "Durability")
    assert "Window function (routine)" in by_term(glossary, "Aggregate function (routine)").related
    assert sum(len(e.related) for e in glossary.entries) > 250 and not any(e.unresolved for e in glossary.entries)
    for entry in glossary.entries:
        assert "&mdash;" not in entry.text and "<glossterm" not in entry.definition
