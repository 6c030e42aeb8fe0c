"""A loaded index is one reference: a rebuild picked up in the middle of a search cannot mix two indexes,
and a rebuild without options repeats the build the index remembers."""

from __future__ import annotations

import search.engine
from index import build_index
from indexformat import store
from indexformat.manifest import read_manifest
from search import open_index
from tests.conftest import FakeEncoder


def write_glossary(path, terms):
    path.write_text("# Test Glossary\n\n" + "".join(f"## {t}\nThe {t.lower()} of a star and its light.\n\n"
                                                    for t in terms), encoding="utf-8")


def test_a_refresh_during_a_search_answers_from_one_index(tmp_path, monkeypatch):
    glossary, index_dir, encoder = tmp_path / "g.md", tmp_path / "index", FakeEncoder()
    old = [f"Old Term {n}" for n in range(30)]
    write_glossary(glossary, old)
    build_index(glossary, index_dir, encoder=encoder)
    engine = open_index(index_dir, encoder=encoder)
    write_glossary(glossary, ["New Term"])  # the next build has one entry: old rows would not exist in it
    build_index(glossary, index_dir, encoder=encoder)

    clean = search.engine.clean_query

    def refresh_first(query):  # the rebuild lands while this search is under way
        monkeypatch.setattr(search.engine, "clean_query", clean)
        assert engine.refresh()
        return clean(query)

    monkeypatch.setattr(search.engine, "clean_query", refresh_first)
    during = engine.search("old term 29 light", 10)
    assert {h.term for h in during.hits} <= set(old) and len(during.hits) == 10
    assert [h.term for h in engine.search("light", 10).hits] == ["New Term"]


def test_a_rebuild_without_options_repeats_the_remembered_build(tmp_path):
    csv = tmp_path / "terms.txt"  # not an extension that says CSV: only --format does
    csv.write_text("term,definition\nAlpha,The first letter.\nBeta,The second letter.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([csv], index_dir, encoder=FakeEncoder(), format="csv")
    csv.write_text("term,definition\nAlpha,The first letter.\nGamma,The third letter.\n", encoding="utf-8")
    build_index(index_dir=index_dir, encoder=FakeEncoder())  # what the app does when the glossary changed
    manifest = read_manifest(store.live_version(index_dir) / store.MANIFEST)
    assert [g.path for g in manifest.glossaries] == [str(csv.resolve())]
    assert manifest.build.format == "csv" and manifest.entries == 2
    assert open_index(index_dir, encoder=FakeEncoder()).lookup("gamma").term == "Gamma"
