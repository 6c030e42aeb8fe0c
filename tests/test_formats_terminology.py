"""Terminology exchange formats: TBX (v2 martif and v3 tbx), SKOS (Turtle and RDF/XML), Glossarist concept
folders (v1, v2, v3 layouts). Term status, several languages per entry, malformed input.

The fixtures in tests/fixtures/terminology/ are hand-written after real samples (TBX-Basic, the Glossarist
repositories of ISO/TC 211 and ISO/TC 204); the expected values below were checked by reading them.
"""

import dataclasses
import shutil

import pytest

from index import build_index
from index.formats.glossarist import mentions, parse_glossarist
from index.formats.skos import parse_skos
from index.formats.tbx import parse_tbx
from index.formats.terminology import (
    ADMITTED,
    DEPRECATED,
    PREFERRED,
    Concept,
    Term,
    glossary_from_concepts,
    status_of,
)
from index.sources import glossary_files, load_glossaries, load_glossary
from indexformat import store
from indexformat.errors import GlossaryParseError
from indexformat.manifest import read_manifest, stale_glossaries
from search import open_index
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "terminology"


def by_term(glossary):
    return {e.term: e for e in glossary.entries}


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- status and language rules


@pytest.mark.parametrize(
    "written, status",
    [
        ("preferredTerm-admn-sts", PREFERRED),
        ("admittedTerm-admn-sts", ADMITTED),
        ("deprecatedTerm-admn-sts", DEPRECATED),
        ("supersededTerm-admn-sts", DEPRECATED),
        ("standardizedTerm", PREFERRED),
        ("supersededTerm", DEPRECATED),
        ("Deprecated", DEPRECATED),
        ("obsolete", DEPRECATED),
        ("admitted", ADMITTED),
        ("", PREFERRED),
        (None, PREFERRED),
        ("somethingElse", PREFERRED),
    ],
)
def test_status_words(written, status):
    assert status_of(written) == status


def concept(line, key, terms, definitions, **more):
    return Concept(line=line, key=key, terms=tuple(Term(*t) for t in terms), definitions=tuple(definitions), **more)


def test_english_is_the_main_language_even_when_fewer_concepts_use_it(tmp_path):
    concepts = [
        concept(1, "a", [("Haus", "de"), ("house", "en")], [("de", "Gebäude zum Wohnen"), ("en", "a building")]),
        concept(2, "b", [("Baum", "de")], [("de", "Holzpflanze")]),
        concept(3, "c", [("Weg", "de")], [("de", "Strecke")]),
    ]
    entries = glossary_from_concepts(concepts, tmp_path / "t", "t").entries
    assert [(e.term, e.language) for e in entries] == [("house", "en"), ("Baum", "de"), ("Weg", "de")]
    assert entries[0].aliases == ("Haus",)
    assert entries[0].translations == (("de", "Haus", "Gebäude zum Wohnen"),)


def test_without_english_the_most_used_language_leads(tmp_path):
    concepts = [
        concept(1, "a", [("Haus", "de"), ("maison", "fr")], [("de", "Gebäude"), ("fr", "bâtiment")]),
        concept(2, "b", [("arbre", "fr")], [("fr", "plante ligneuse")]),
        concept(3, "c", [("chemin", "fr")], [("fr", "voie")]),
    ]
    entries = glossary_from_concepts(concepts, tmp_path / "t", "t").entries
    assert [e.term for e in entries] == ["maison", "arbre", "chemin"]


def test_an_entry_takes_a_language_that_has_a_definition(tmp_path):
    concepts = [concept(1, "a", [("house", "en"), ("Haus", "de")], [("de", "Gebäude zum Wohnen")])]
    (entry,) = glossary_from_concepts(concepts, tmp_path / "t", "t").entries
    assert (entry.term, entry.definition, entry.language, entry.aliases) == (
        "Haus", "Gebäude zum Wohnen", "de", ("house",))


def test_a_definition_in_a_variant_of_the_language_serves_and_translations_keep_their_own_text(tmp_path):
    concepts = [concept(1, "a", [("colour", "en-gb"), ("Farbe", "de")], [("en", "what the eye sees"), ("", "x")])]
    (entry,) = glossary_from_concepts(concepts, tmp_path / "t", "t").entries
    assert (entry.term, entry.definition) == ("colour", "what the eye sees")
    assert entry.translations == (("de", "Farbe", ""),)  # not the text written for no language in particular


def test_a_key_used_twice_leaves_both_concepts_as_entries(tmp_path):
    concepts = [
        concept(1, "k", [("alpha", "en")], [("en", "first")]),
        concept(2, "k", [("beta", "en")], [("en", "second")], retired=True),
        concept(3, "r", [("gamma", "en")], [("en", "third")], related_keys=("k",)),
    ]
    entries = by_term(glossary_from_concepts(concepts, tmp_path / "t", "t"))
    assert sorted(entries) == ["alpha", "beta", "gamma"]
    assert entries["gamma"].related == ("alpha",)  # the key's first holder


def test_a_preferred_full_form_beats_a_preferred_abbreviation(tmp_path):
    terms = [Term("TM", "en", PREFERRED, abbreviation=True), Term("translation memory", "en", PREFERRED)]
    (entry,) = glossary_from_concepts([Concept(1, "a", tuple(terms), (("en", "a store"),))], tmp_path, "t").entries
    assert entry.term == "translation memory" and entry.aliases == ("TM",)


def test_replacement_chains_end_at_the_last_concept_and_loops_replace_nothing(tmp_path):
    concepts = [
        concept(1, "old", [("old name", "en")], [("en", "first")], replaced_by="mid"),
        concept(2, "mid", [("middle name", "en")], [("en", "second")], replaced_by="new"),
        concept(3, "new", [("new name", "en")], [("en", "third")]),
        concept(4, "x", [("ping", "en")], [("en", "one")], replaced_by="y"),
        concept(5, "y", [("pong", "en")], [("en", "two")], replaced_by="x"),
        concept(6, "z", [("gone", "en")], [("en", "replaced from outside")], replaced_by="elsewhere"),
    ]
    entries = by_term(glossary_from_concepts(concepts, tmp_path / "t", "t"))
    assert sorted(entries) == ["gone", "new name", "ping", "pong"]
    assert entries["new name"].deprecated == ("old name", "middle name")
    assert set(entries["new name"].aliases) == {"old name", "middle name"}


def test_an_old_version_of_the_same_name_gives_its_names_to_the_current_one_without_deprecating_them(tmp_path):
    concepts = [
        concept(1, "old", [("coverage", "en"), ("couverture", "fr")], [("en", "old text")], retired=True),
        concept(2, "new", [("coverage", "en")], [("en", "new text")]),
        concept(3, "gone", [("lonely", "en")], [("en", "retired, nothing replaces it")], retired=True),
    ]
    entries = by_term(glossary_from_concepts(concepts, tmp_path / "t", "t"))
    assert sorted(entries) == ["coverage", "lonely"]  # no duplicate: the old version redirects
    assert entries["coverage"].definition == "new text"
    assert entries["coverage"].aliases == ("couverture",) and entries["coverage"].deprecated == ()


def test_an_acronym_entry_without_definition_is_spelled_out_by_its_names(tmp_path):
    terms = [Term("Discussion Paper", "en"), Term("DP", "en", PREFERRED, abbreviation=True)]
    glossary = glossary_from_concepts([Concept(4, "dp", tuple(terms))], tmp_path / "t", "t")
    (entry,) = glossary.entries
    assert (entry.term, entry.definition, entry.aliases) == ("Discussion Paper", "Discussion Paper (DP)", ("DP",))
    assert glossary.warnings == []


def test_a_concept_without_definition_is_skipped_with_a_warning_and_no_terms_is_an_error(tmp_path):
    glossary = glossary_from_concepts(
        [concept(1, "a", [("alpha", "en")], [("en", "first")]), concept(7, "b", [("beta", "en")], [])],
        tmp_path / "t.tbx", "t",
    )
    assert [e.term for e in glossary.entries] == ["alpha"]
    assert glossary.warnings == [f"{tmp_path / 't.tbx'}:7: skipped 'beta': no definition"]
    with pytest.raises(GlossaryParseError, match=r"t.tbx:3: the entry 'c' has no term"):
        glossary_from_concepts([concept(3, "c", [], [("en", "x")], where="the entry 'c'")], tmp_path / "t.tbx", "t")
    with pytest.raises(GlossaryParseError, match="no concept has a definition"):
        glossary_from_concepts([concept(7, "b", [("beta", "en")], [])], tmp_path / "t.tbx", "t")


# ---------------------------------------------------------------- TBX


def test_tbx_basic_reads_terms_by_status():
    glossary = parse_tbx(FIXTURES / "basic.tbx")
    assert glossary.title == "Translation technology"
    assert [e.term for e in glossary.entries] == ["machine translation", "translation memory", "fuzzy matcher"]
    mt, tm, fuzzy = glossary.entries
    assert mt.definition == "translation of a text by a computer program, without human involvement"
    assert mt.line == 12 and mt.language == "en-us"
    # admitted abbreviation and the French term are aliases; the deprecated term redirects and is marked
    assert mt.aliases == ("MT", "traduction automatique", "automatic translation")
    assert mt.deprecated == ("automatic translation",)
    assert mt.translations == (("fr", "traduction automatique",
                                "traduction d'un texte par un logiciel, sans intervention humaine"),)
    # notes and examples are kept for display, not mixed into the text that is matched
    assert mt.notes == ("Entered for the test suite.",)
    assert mt.examples == ("The draft was produced by machine translation and then post-edited.",)
    assert "post-edited" not in mt.text and "test suite" not in mt.text
    # a preferred acronym stays an alias; a superseded term (normativeAuthorization) is deprecated
    assert tm.aliases == ("TM", "translation archive") and tm.deprecated == ("translation archive",)
    assert tm.related == ("machine translation",)  # <ref target=...> names a term id of c1
    assert fuzzy.related == ("translation memory",)  # a relatedConcept written as a name
    assert glossary.warnings == [f"{FIXTURES / 'basic.tbx'}:65: skipped 'termbase': no definition"]


def test_tbx_v3_with_a_namespace_and_no_english():
    glossary = parse_tbx(FIXTURES / "v3.tbx")
    assert glossary.title == "v3"  # no title in the header: the file name
    heat, cop = glossary.entries
    assert (heat.term, heat.language, heat.line) == ("Wärmepumpe", "de", 10)
    assert heat.aliases == ("bomba de calor", "termobomba", "Wärmetauscherpumpe")
    assert heat.deprecated == ("termobomba", "Wärmetauscherpumpe")  # usageStatus, administrativeStatus
    assert heat.translations == (("es", "bomba de calor", ""),)  # a language with only deprecated terms: none
    assert cop.line == 34 and cop.term == "Leistungszahl" and cop.aliases == ("COP", "coeficiente de rendimiento")
    assert cop.related == ("Wärmepumpe",)
    assert cop.notes == ("Verhältnis von Nutzwärme zu eingesetzter Energie.",)
    assert cop.translations == (("es", "coeficiente de rendimiento", "medida de la eficiencia de una bomba de calor"),)


DCT = """<?xml version="1.0"?>
<tbx style="dct" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><titleStmt><title>Energy</title></titleStmt></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="e1">
      <langSec xml:lang="en">
        <basic:definition>energy from sunlight converted into electricity</basic:definition>
        <termSec>
          <term>solar power</term>
          <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus>
        </termSec>
        <termSec>
          <term>heliopower</term>
          <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>
        </termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_v3_dct_style(tmp_path):
    glossary = parse_tbx(write(tmp_path, "energy.tbx", DCT))
    (entry,) = glossary.entries
    assert (glossary.title, entry.term, entry.definition) == (
        "Energy", "solar power", "energy from sunlight converted into electricity")
    assert entry.deprecated == ("heliopower",) and entry.aliases == ("heliopower",)


def test_tbx_never_expands_external_entities(tmp_path):
    secret = write(tmp_path, "secret.txt", "TOPSECRET")
    text = (
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        '<martif type="TBX"><text><body><termEntry id="a"><langSet xml:lang="en">'
        "<descrip type=\"definition\">before &leak; after</descrip><tig><term>probe</term></tig>"
        "</langSet></termEntry></body></text></martif>\n"
    )
    (entry,) = parse_tbx(write(tmp_path, "x.tbx", text)).entries
    assert "TOPSECRET" not in entry.definition and entry.definition.startswith("before")


TBX_ERRORS = [
    ("", 1, "not valid XML: Document is empty"),
    ("<martif><text><body><termEntry>\n</martif>\n", 2, "not valid XML"),
    ("<glossary><entry/></glossary>\n", 1, "not a TBX file: the root element is <glossary>"),
    ("<martif><text><body/></text></martif>\n", None, "no concepts found"),
    (
        '<martif><text><body>\n<termEntry id="c7"><langSet xml:lang="en">'
        '<descrip type="definition">x</descrip></langSet></termEntry>\n</body></text></martif>\n',
        2,
        "termEntry 'c7' has no term",
    ),
    (
        '<martif><text><body>\n<termEntry id="c8"><langSet xml:lang="en"><tig><term>a</term></tig></langSet>'
        "</termEntry>\n</body></text></martif>\n",
        None,
        "no concept has a definition",
    ),
]


@pytest.mark.parametrize("text, line, message", TBX_ERRORS)
def test_tbx_errors_are_one_line_with_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, "bad.tbx", text)
    with pytest.raises(GlossaryParseError) as caught:
        load_glossary(path)
    err = caught.value
    assert err.path == str(path) and err.line == line and message in err.problem and "\n" not in str(err)


# ---------------------------------------------------------------- SKOS


def test_skos_turtle_concepts():
    glossary = parse_skos(FIXTURES / "vocab.ttl")
    assert glossary.title == "Water cycle"
    entries = by_term(glossary)
    assert list(entries) == ["evaporation", "phase change", "precipitation"]
    evaporation = entries["evaporation"]
    assert evaporation.line == 9
    assert evaporation.definition == "change of liquid water into water vapour at the surface"
    assert evaporation.aliases == ("vaporisation", "evaporaton", "évaporation")  # alt, hidden, other language
    assert evaporation.related == ("phase change", "precipitation")  # broader, related
    assert evaporation.notes == ("Use for open water and soil surfaces.",)
    assert evaporation.examples == ("A puddle drying in the sun.",)
    assert evaporation.translations == (("fr", "évaporation", "passage de l'eau liquide à l'état de vapeur"),)
    assert entries["phase change"].related == ("evaporation",)  # narrower
    precipitation = entries["precipitation"]
    assert precipitation.definition == "water falling from clouds as rain, snow or hail"  # the scopeNote
    assert precipitation.notes == ("Measured in millimetres.",)
    assert precipitation.deprecated == ("rainfall",) and precipitation.aliases == ("rainfall",)  # replaced by
    assert glossary.warnings == [f"{FIXTURES / 'vocab.ttl'}:37: skipped 'runoff': no definition"]


def test_skos_rdf_xml_reads_the_same_vocabulary():
    turtle, xml = parse_skos(FIXTURES / "vocab.ttl"), parse_skos(FIXTURES / "vocab.rdf")
    assert [e.line for e in xml.entries] == [10, 23, 28]

    def unplaced(glossary):
        return [dataclasses.replace(e, line=0) for e in glossary.entries]

    assert unplaced(turtle) == unplaced(xml) and xml.title == turtle.title


def test_skos_extensions_pick_the_reader(tmp_path):
    shutil.copy(FIXTURES / "vocab.ttl", tmp_path / "w.ttl")
    shutil.copy(FIXTURES / "vocab.rdf", tmp_path / "w.rdf")
    assert [len(g.entries) for g in load_glossaries(glossary_files([tmp_path]))] == [3, 3]


def test_skos_untyped_concepts_with_labels_are_read(tmp_path):
    text = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://x.org/a> skos:prefLabel "arbre"@fr ; skos:definition "plante ligneuse"@fr .\n'
        '<http://x.org/s> a skos:ConceptScheme ; skos:prefLabel "Forêt"@fr .\n'
    )
    glossary = parse_skos(write(tmp_path, "f.ttl", text))
    assert [(e.term, e.language, e.line) for e in glossary.entries] == [("arbre", "fr", 2)]
    assert glossary.title == "Forêt"


def test_skos_xl_labels(tmp_path):
    text = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .\n"
        "<http://x.org/c1> a skos:Concept ;\n"
        '    skosxl:prefLabel [ skosxl:literalForm "soil erosion"@en ] ;\n'
        '    skosxl:altLabel [ skosxl:literalForm "erosion of soil"@en ] ;\n'
        '    skos:definition "removal of topsoil by water or wind"@en .\n'
    )
    (entry,) = parse_skos(write(tmp_path, "xl.ttl", text)).entries
    assert (entry.term, entry.aliases, entry.line) == ("soil erosion", ("erosion of soil",), 3)


OGC = ROOT / "data" / "glossaries" / "ogc" / "ogc_glossary.ttl"  # on main since 38a6832, as published


@pytest.mark.skipif(not OGC.is_file(), reason="the OGC glossary comes with main's data/glossaries (38a6832)")
def test_the_ogc_glossary_reads_as_published():
    glossary = parse_skos(OGC)
    entries = by_term(glossary)
    assert glossary.title == "OGC Glossary of Terms"
    # 480 concepts: 21 without a definition are skipped, and the 11 defined as "See X" ("WFS": "See Web Feature
    # Service.") are names of their target, not entries.
    assert sum("no definition" in w for w in glossary.warnings) == 21
    assert len(entries) == 480 - 21 - 11
    assert "WFS" in entries["Web Feature Service (WFS)"].aliases and "WFS" not in entries
    assert (glossary.entries[0].term, glossary.entries[0].line) == ("schema", 16)
    assert entries["Data Catalog Vocabulary"].aliases == ("DCAT",)  # its altLabel
    assert entries["UML"].aliases == ("Unified Modeling Language",)  # its second prefLabel
    assert "Landing page" in entries  # the published label ends with a space


SKOS_ERRORS = [
    ("v.ttl", '@prefix ex: <http://x.org/> .\nex:a ex:b "x" .\nex:c ex:d ;; junk\n', 3, "not valid Turtle"),
    ("v.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a></b>\n', 2, "not valid RDF/XML"),
    ("v.ttl", '@prefix ex: <http://x.org/> .\nex:a ex:b "x" .\n', None, "no concepts found"),
    (
        "v.ttl",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<http://x.org/c9> a skos:Concept .\n",
        3,
        "the concept <http://x.org/c9> has no term",
    ),
]


@pytest.mark.parametrize("name, text, line, message", SKOS_ERRORS)
def test_skos_errors_are_one_line_with_file_and_line(tmp_path, name, text, line, message):
    path = write(tmp_path, name, text)
    with pytest.raises(GlossaryParseError) as caught:
        load_glossary(path)
    err = caught.value
    assert err.path == str(path) and err.line == line and message in err.problem and "\n" not in str(err)


# ---------------------------------------------------------------- Glossarist


def test_glossarist_v1_concept_files():
    folder = FIXTURES / "glossarist-v1"
    glossary = parse_glossarist(folder)
    assert glossary.title == "glossarist-v1"
    gsd, pixel = glossary.entries
    assert (gsd.term, gsd.language, gsd.line) == ("ground sampling distance", "eng", 2)
    assert gsd.aliases == ("GSD", "Bodenauflösung")  # the old `abbrev` field, the German term
    assert gsd.notes == ("This definition also applies for water surfaces.",)
    assert gsd.translations == (("deu", "Bodenauflösung", "Abstand zwischen Pixelmittelpunkten auf dem Boden"),)
    assert pixel.term == "pixel"
    # a mention shows its text and refers to its term
    assert pixel.definition.endswith("spaced by the GSD") and pixel.related == ("ground sampling distance",)
    # deprecated designation, and concept 3 superseded by this one: both redirect here
    assert pixel.aliases == ("picture element", "pel", "image element")
    assert pixel.deprecated == ("pel", "image element")
    assert pixel.examples == ("one cell of a 1024 by 768 raster",)
    assert glossary.warnings == [f"{folder / 'concept-4.yaml'}:2: skipped 'raster': no definition"]


def test_glossarist_v2_concept_and_localized_concept_folders():
    glossary = parse_glossarist(FIXTURES / "glossarist-v2")
    service, user = glossary.entries
    assert service.term == "service"
    assert service.definition == "provision of a capability to users by a provider"
    assert service.aliases == ("prestation",)  # the French preferred term is the same word, not repeated
    french = "fourniture d'une capacité à un utilisateur par un fournisseur"
    assert service.translations == (("fra", "service", french),)
    assert service.related == ("user",)  # from the mention {{urn:...,user,users}}
    assert service.notes == ("A service can be free of charge.",)
    assert user.related == ("service",)  # `see`; the `broader` link to a section outside the dataset is dropped
    assert user.deprecated == ("customer",)
    assert glossary.warnings == []


def test_glossarist_v3_multi_document_files():
    glossary = parse_glossarist(FIXTURES / "glossarist-v3" / "concepts")
    assert glossary.title == "glossarist-v3"  # a folder named `concepts` is named for its parent
    membership, financial = glossary.entries
    assert membership.term == "membership-based"
    assert membership.aliases == ("会員制",)
    assert membership.translations[0][:2] == ("jpn", "会員制")
    assert membership.related == ("financial model",)
    assert financial.aliases == ("FM", "payment model")  # the superseded concept 3.5.8.0 redirects here
    assert financial.deprecated == ("payment model",) and financial.related == ("membership-based",)


@pytest.mark.parametrize(
    "text, shown, names",
    [
        ("a {{urn:iso:std:iso:14812:3.5.3.4,user,users}} b", "a users b", ["user"]),
        ("of {{urn:iso:std:iso:14812:3.5.8.1,financial model}}", "of financial model", ["financial model"]),
        ("{{person,Person}}, object", "Person, object", ["person"]),
        ("an {{entity data type}}", "an entity data type", ["entity data type"]),
        ("no mention", "no mention", []),
    ],
)
def test_glossarist_mentions(text, shown, names):
    assert mentions(text) == (shown, names)


def test_a_glossarist_folder_is_one_glossary_and_other_folders_still_expand(tmp_path):
    for layout in ("glossarist-v1", "glossarist-v2", "glossarist-v3/concepts"):
        assert glossary_files([FIXTURES / layout]) == [FIXTURES / layout]
    write(tmp_path, "a.csv", "term,definition\nA,first\n")
    write(tmp_path, "b.tbx", (FIXTURES / "v3.tbx").read_text(encoding="utf-8"))
    assert [p.name for p in glossary_files([tmp_path])] == ["a.csv", "b.tbx"]
    # datasets inside a folder of glossaries are each one glossary; the folder itself is not a dataset
    shutil.copytree(FIXTURES / "glossarist-v2", tmp_path / "its")
    shutil.copytree(FIXTURES / "glossarist-v3", tmp_path / "tc204")
    files = glossary_files([tmp_path])
    assert files == [tmp_path / "a.csv", tmp_path / "b.tbx", tmp_path / "its", tmp_path / "tc204" / "concepts"]
    assert [g.title for g in load_glossaries(files)] == ["a", "b", "its", "tc204"]


def test_glossarist_errors(tmp_path):
    bad = write(tmp_path, "g1/concept-1.yaml", "termid: 1\neng:\n  terms: [\n")
    with pytest.raises(GlossaryParseError, match="not valid YAML") as caught:
        parse_glossarist(bad.parent)
    assert caught.value.path == str(bad) and caught.value.line == 4
    no_term = write(tmp_path, "g2/concept-1.yaml", "termid: 1\neng:\n  terms: []\n  definition: a thing\n")
    with pytest.raises(GlossaryParseError, match="the concept '1' has no term") as caught:
        parse_glossarist(no_term.parent)
    assert caught.value.path == str(no_term) and caught.value.line == 1
    write(tmp_path, "g3/other.yaml", "title: not a concept\n")
    with pytest.raises(GlossaryParseError, match="no concepts found"):
        load_glossary(tmp_path / "g3", "glossarist")
    (tmp_path / "g4").mkdir()
    with pytest.raises(GlossaryParseError, match="holds no YAML concept files"):
        load_glossary(tmp_path / "g4", "glossarist")


def test_glossarist_missing_localization_is_a_warning(tmp_path):
    folder = tmp_path / "ds"
    shutil.copytree(FIXTURES / "glossarist-v2", folder)
    (folder / "localized_concept" / "11111111-aaaa-bbbb-cccc-000000000002.yaml").unlink()
    glossary = parse_glossarist(folder)
    assert glossary.entries[0].translations == ()
    assert glossary.warnings == [
        f"{folder / 'concept' / '3.5.2.1.yaml'}:2: the 'fra' localization "
        "'11111111-aaaa-bbbb-cccc-000000000002' is not in the dataset"
    ]


# ---------------------------------------------------------------- building an index


def test_build_and_search_a_glossarist_folder_and_a_tbx_file(tmp_path, fake_encoder):
    folder = tmp_path / "its"
    shutil.copytree(FIXTURES / "glossarist-v2", folder)
    tbx = shutil.copy(FIXTURES / "basic.tbx", tmp_path / "tt.tbx")
    index_dir = tmp_path / "index"
    report = build_index([folder, tbx], index_dir, encoder=fake_encoder)
    assert [(g.name, g.terms) for g in report.manifest.glossaries] == [("its", 2), ("Translation technology", 3)]
    engine = open_index(index_dir, encoder=fake_encoder)
    stored = {e.term: e for e in engine.entries}
    assert stored["machine translation"].deprecated == ("automatic translation",)  # the new fields are stored
    assert stored["service"].translations[0][0] == "fra"
    assert engine.search("automatic translation", k=1).hits[0].term == "machine translation"  # a deprecated name
    assert engine.search("customer", k=1).hits[0].term == "user"

    # the folder's digest covers its files: changing one makes the index stale, then rebuilds
    manifest = read_manifest(store.live_version(index_dir) / store.MANIFEST)
    assert stale_glossaries(manifest) == []
    write(folder, "localized_concept/11111111-aaaa-bbbb-cccc-000000000003.yaml",
          (folder / "localized_concept/11111111-aaaa-bbbb-cccc-000000000003.yaml").read_text(encoding="utf-8")
          .replace("designation: customer", "designation: client"))
    assert stale_glossaries(manifest) == [str(folder.resolve())]
    again = build_index([folder, tbx], index_dir, encoder=fake_encoder)
    assert not again.skipped
    assert open_index(index_dir, encoder=fake_encoder).search("client", k=1).hits[0].term == "user"


def test_a_term_in_another_language_finds_its_entry_by_name(tmp_path, fake_encoder):
    build_index([FIXTURES / "glossarist-v1", FIXTURES / "glossarist-v3" / "concepts"], tmp_path / "ix",
                encoder=fake_encoder)
    engine = open_index(tmp_path / "ix", encoder=fake_encoder)
    for question, term in [("Bodenauflösung", "ground sampling distance"), ("会員制", "membership-based"),
                           ("pel", "pixel")]:
        hit = engine.search(question, k=1).hits[0]
        assert hit.term == term and question in hit.why  # found by the name, not by chance
