"""FAISS index choice by size and memory-mapped loading (fast: synthetic vectors and the fake encoder)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from benchmarks.synthetic import clustered_vectors, glossary_text
from index import build_index, vectors
from index.formats.markdown import parse_file
from indexformat import store
from indexformat.vectors import MMAP_BYTES, index_type, read_index, write_index
from search import open_index
from tests.conftest import ROOT, FakeEncoder


def exact_top(x: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ x.T), axis=1, kind="stable")[:, :k]


def test_small_collections_get_an_exact_flat_index():
    x = clustered_vectors(2_000, 64, seed=1)
    index = vectors.make_index(x)
    assert index_type(index) == "IndexFlatIP"
    queries = clustered_vectors(50, 64, seed=1, noise_seed=7)
    _, found = index.search(queries, 10)
    assert vectors.recall_at_k(found, exact_top(x, queries, 10)) == 1.0


def test_large_collections_get_ivf_with_recall_at_least_095(monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_MAX_FLOATS", 64 * 5_000)  # the same rule, scaled down
    x = clustered_vectors(20_000, 64, seed=2)
    index = vectors.make_index(x)
    assert index_type(index).startswith("IndexIVFFlat(nlist=128,")
    assert vectors.MIN_NPROBE <= index.nprobe < index.nlist  # tuned: not an exhaustive scan
    queries = clustered_vectors(200, 64, seed=2, noise_seed=9)  # held out: not the tuning queries
    _, found = index.search(queries, 10)
    assert vectors.recall_at_k(found, exact_top(x, queries, 10)) >= 0.95


def test_ivf_tuning_survives_write_and_read(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_MAX_FLOATS", 32 * 2_000)
    index = vectors.make_index(clustered_vectors(8_000, 32, seed=3))
    write_index(index, tmp_path / "i.faiss")
    loaded = read_index(tmp_path / "i.faiss")
    assert index_type(loaded) == index_type(index) and loaded.ntotal == 8_000


@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_large_index_files_are_memory_mapped(tmp_path, kind):
    """Loading a 77 MB index adds almost nothing to the process's memory until pages are touched."""
    x = clustered_vectors(50_000, 384, seed=4)
    if kind == "flat":
        import faiss

        index = faiss.IndexFlatIP(384)
        index.add(x)
    else:
        index = vectors.make_index(x)
        assert index_type(index).startswith("IndexIVFFlat")
    path = tmp_path / "big.faiss"
    write_index(index, path)
    assert path.stat().st_size > MMAP_BYTES
    code = (
        # faiss imported before measuring: only the index itself counts, not the library's pages.
        "import json, sys, faiss, psutil\nfrom pathlib import Path\nfrom indexformat.vectors import read_index\n"
        "p = psutil.Process(); before = p.memory_info().rss\n"
        f"index = read_index(Path({str(path)!r}))\n"
        "grown = p.memory_info().rss - before\n"
        "scores, rows = index.search(__import__('numpy').ones((1, 384), dtype='float32'), 3)\n"
        "print(json.dumps({'grown': grown, 'ntotal': index.ntotal, 'rows': rows.tolist()}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ntotal"] == 50_000 and len(out["rows"][0]) == 3 and min(out["rows"][0]) >= 0
    assert out["grown"] < 16 << 20  # far below the 77 MB file


def test_synthetic_glossary_parses_with_distinct_terms(tmp_path):
    path = tmp_path / "synthetic.md"
    path.write_text(glossary_text(500, seed=5), encoding="utf-8")
    glossary = parse_file(path)
    terms = [e.term for e in glossary.entries]
    assert len(terms) == 500 and len(set(terms)) == 500
    lengths = [len(e.text.split()) for e in glossary.entries]
    assert 8 <= np.median(lengths) <= 60  # definitions of realistic length
    assert glossary_text(500, seed=5) == path.read_text(encoding="utf-8")  # deterministic


def test_engine_searches_an_ivf_index_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_MAX_FLOATS", 256 * 500)  # ~2,000 passages -> IVF
    path = tmp_path / "synthetic.md"
    path.write_text(glossary_text(400, seed=6), encoding="utf-8")
    encoder = FakeEncoder()
    report = build_index(path, tmp_path / "index", encoder=encoder)
    assert report.manifest.index_type.startswith("IndexIVFFlat")
    manifest = json.loads((store.live_version(tmp_path / "index") / store.MANIFEST).read_text())
    assert manifest["index_type"] == report.manifest.index_type
    engine = open_index(tmp_path / "index", encoder=encoder)
    for entry in engine.entries[::40]:
        assert entry.term in [h.term for h in engine.search(f"{entry.term}: {entry.text}", 5).hits]


class RecordingEncoder(FakeEncoder):
    def __init__(self):
        super().__init__()
        self.batches: list[list[str]] = []

    def encode(self, texts, progress: bool = False):
        self.batches.append(list(texts))
        return super().encode(texts, progress)


def test_build_streams_each_distinct_text_once_in_bounded_chunks(tmp_path, monkeypatch):
    """Passages repeated across entries are embedded once, longest first, in calls no larger than the chunk;
    every stored row is the vector of its own passage text; a forced rebuild re-embeds nothing."""
    from index import build

    monkeypatch.setattr(build, "EMBED_CHUNK", 7)
    glossary = tmp_path / "g.csv"
    rows = [f"Term {i},A shared sentence about models. Own sentence number {i}.,alias{i % 3}" for i in range(20)]
    glossary.write_text("term,definition,aliases\n" + "\n".join(rows) + "\n", encoding="utf-8")
    encoder = RecordingEncoder()
    report = build_index(glossary, tmp_path / "index", encoder=encoder)
    version = store.live_version(tmp_path / "index")
    texts = [row["text"] for row in store.read_jsonl(version / store.PASSAGES)]
    distinct = set(texts)
    assert len(distinct) < len(texts)  # the glossary does repeat texts
    embedding = encoder.batches[: -(-len(distinct) // 7)]  # the calls before calibration's questions
    assert all(len(b) <= 7 for b in embedding)
    assert sorted(t for b in embedding for t in b) == sorted(distinct)  # each distinct text exactly once
    flat = [t for b in embedding for t in b]
    assert [len(t) for t in flat] == sorted((len(t) for t in flat), reverse=True)  # longest first
    assert report.embedded == len(texts)
    stored = np.load(version / store.VECTORS, allow_pickle=False)
    assert np.allclose(stored, FakeEncoder().encode(texts))

    again = build_index(glossary, tmp_path / "index", encoder=RecordingEncoder(), force=True)
    assert again.reused == len(texts) and again.embedded == 0
    assert np.array_equal(np.load(store.live_version(tmp_path / "index") / store.VECTORS), stored)
