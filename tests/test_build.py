import json

import numpy as np
import pytest

from index import build_index
from indexformat import store
from indexformat.errors import GlossaryParseError
from search import open_index
from tests.conftest import SEED, FakeEncoder


def live_files(index_dir):
    return {p.name for p in store.live_version(index_dir).iterdir()}


def test_build_writes_index_folder_with_manifest(fake_index):
    assert live_files(fake_index) == {"manifest.json", "entries.jsonl", "passages.jsonl", "vectors.npy", "index.faiss",
                                      "lexicon.json", "ranking.json", "bm25"}
    manifest = json.loads((store.live_version(fake_index) / "manifest.json").read_text())
    assert manifest["entries"] == 47 and manifest["model"] == "fake-encoder" and manifest["dim"] == 256
    assert manifest["glossaries"][0]["sha256"] and manifest["glossaries"][0]["terms"] == 47
    assert manifest["passages"] > manifest["entries"]  # aliases get vectors of their own
    assert {"faiss-cpu", "numpy", "glossary-search"} <= set(manifest["versions"])
    assert manifest["built_at"].endswith("+00:00")


def test_round_trip_entries_and_vectors(fake_index):
    engine = open_index(fake_index, encoder=FakeEncoder())
    assert len(engine.entries) == 47
    loss = next(e for e in engine.entries if e.term == "Loss Function")
    assert loss.aliases == ("Cost Function",)
    vectors = np.load(store.live_version(fake_index) / "vectors.npy")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_unchanged_rebuild_embeds_nothing(fake_index):
    encoder = FakeEncoder()
    report = build_index(SEED, fake_index, encoder=encoder)
    assert report.skipped and encoder.calls == []


def test_changing_one_entry_reembeds_only_that_entry(tmp_path, fake_index):
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text().replace("This helps prevent overfitting.", "It reduces overfitting."))
    encoder = FakeEncoder()
    report = build_index(glossary, fake_index, encoder=encoder)
    # The entry's passage and its changed sentence; the calls after the first are the no-match calibration.
    assert not report.skipped and report.embedded == 2 and encoder.calls[0] == 2


def test_bad_glossary_leaves_previous_index_intact(tmp_path, fake_index):
    before = store.current_marker(fake_index)
    bad = tmp_path / "bad.md"
    bad.write_text("### Alpha\n")
    with pytest.raises(GlossaryParseError):
        build_index(bad, fake_index, encoder=FakeEncoder())
    assert store.current_marker(fake_index) == before
    assert open_index(fake_index, encoder=FakeEncoder()).search("dropout", 1).hits


def test_crash_while_embedding_keeps_previous_index(tmp_path, fake_index):
    class Exploding(FakeEncoder):
        def encode(self, texts, progress=False):
            raise RuntimeError("boom")

    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
    before = store.current_marker(fake_index)
    with pytest.raises(RuntimeError):
        build_index(glossary, fake_index, encoder=Exploding())
    assert store.current_marker(fake_index) == before
    report = build_index(glossary, fake_index, encoder=FakeEncoder())  # the next build succeeds
    assert report.manifest.entries == 48


def test_rebuild_replaces_version_and_prunes_old(tmp_path, fake_index):
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
    old = store.current_marker(fake_index)
    build_index(glossary, fake_index, encoder=FakeEncoder())
    versions = [p.name for p in fake_index.iterdir() if p.name.startswith(("v-", ".tmp-"))]
    assert versions == [store.current_marker(fake_index)] and old not in versions
