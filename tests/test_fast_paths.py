"""The query side's numpy paths give what the libraries they replace give (fast: fake encoder, synthetic data).

- `ExactIndex` (numpy over vectors.npy) answers a flat index like `faiss.IndexFlatIP`, ties included;
- `KeywordIndex.load` (numpy over bm25s' saved arrays) scores like `bm25s.BM25.load(...).get_scores`;
- opening an index and searching imports neither faiss nor bm25s nor scipy when the index is flat.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from indexformat import store, vectors
from ranking.lexical import KeywordIndex, Lexical
from search import open_index
from tests.conftest import ROOT


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(6))
def test_exact_index_returns_faiss_rows_in_faiss_order_with_duplicate_vectors(seed):
    import faiss

    rng = np.random.default_rng(seed)
    x = _unit(rng.standard_normal((300, 48))).astype(np.float32)
    for _ in range(120):  # identical passages (shared aliases): exact ties that FAISS breaks its own way
        x[rng.integers(300)] = x[rng.integers(300)]
    flat = faiss.IndexFlatIP(48)
    flat.add(x)
    exact = vectors.ExactIndex(x)
    queries = np.vstack([x[rng.integers(300, size=4)], _unit(rng.standard_normal((3, 48)))]).astype(np.float32)
    for k in (1, 2, 7, 50, 299, 300, 310):
        want_scores, want_rows = flat.search(queries, k)
        scores, rows = exact.search(queries, k)
        assert rows.tolist() == want_rows.tolist(), k
        assert np.allclose(scores[rows >= 0], want_scores[want_rows >= 0], atol=1e-6)


def test_keyword_index_scores_equal_bm25s(tmp_path):
    import bm25s

    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(300)]
    docs = [list(rng.choice(vocab, size=int(rng.integers(3, 40)))) for _ in range(500)]
    KeywordIndex.fit(docs, k1=1.5, b=0.6).save(tmp_path / "bm25")
    ours = KeywordIndex.load(tmp_path / "bm25")
    theirs = bm25s.BM25.load(str(tmp_path / "bm25"), mmap=True, allow_pickle=False, show_progress=False)
    assert ours.num_docs == 500 and ours.vocab == theirs.vocab_dict and (theirs.k1, theirs.b) == (1.5, 0.6)
    for _ in range(50):
        query = list(dict.fromkeys(rng.choice(vocab, size=int(rng.integers(1, 6)))))
        assert np.array_equal(ours.get_scores(query), theirs.get_scores(query))  # bit for bit


def test_lexical_from_a_saved_index_scores_like_a_fresh_one(fake_index, fake_encoder, tmp_path):
    engine = open_index(fake_index, encoder=fake_encoder)
    entries = engine.entries
    fresh = Lexical(entries)
    fresh.save(tmp_path / "bm25")
    saved = Lexical.load(tmp_path / "bm25", entries)
    for question in ("how do I avoid overfitting", "gradient descent learning rate", "linux kernel panic"):
        a, b = fresh.scores(question), saved.scores(question)
        assert np.array_equal(a[0], b[0]) and a[1] == b[1]


def test_a_damaged_keyword_index_is_a_one_line_error(fake_index):
    from indexformat.errors import IndexCorruptError

    folder = store.live_version(fake_index) / store.BM25
    (folder / KeywordIndex.PARAMS).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="keyword index .* damaged"):
        open_index(fake_index)


def test_a_flat_index_opens_and_answers_without_faiss_bm25s_or_scipy(fake_index):
    manifest = json.loads((store.live_version(fake_index) / store.MANIFEST).read_text())
    assert manifest["index_type"] == "IndexFlatIP"
    code = (
        "import sys, json\n"
        "from search import open_index\n"
        "from tests.conftest import FakeEncoder\n"
        f"engine = open_index({str(fake_index)!r}, encoder=FakeEncoder())\n"
        "hits = engine.search('how do I avoid overfitting', 5).hits\n"
        "print(json.dumps([len(hits)] + sorted(m for m in ('faiss', 'bm25s', 'scipy', 'numba') if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found[0] > 0 and found[1:] == [], found


def test_the_cached_word_list_answers_like_pyspellchecker(tmp_path, monkeypatch):
    from ranking import wordlist

    monkeypatch.setenv("GLOSSARY_WORDS_CACHE", str(tmp_path / "words"))
    first = wordlist.english_words()  # no cache yet: pyspellchecker itself, and the cache is written
    cached = wordlist.english_words()
    assert isinstance(cached, wordlist.SortedWords) and not isinstance(first, wordlist.SortedWords)
    words = sorted(wordlist._spellchecker().word_frequency.dictionary)
    rng = np.random.default_rng(0)
    sample = [words[i] for i in rng.choice(len(words), 3000, replace=False)]
    probes = sample + [w[:-1] for w in sample] + [w + "q" for w in sample] + ["", "Bread", "SGD", "zzzzzz", words[0],
                                                                            words[-1]]
    assert [p in cached for p in probes] == [p in first for p in probes]
    assert sum(p in cached for p in probes) >= 3000  # it does find words


def test_an_unwritable_word_cache_falls_back_to_pyspellchecker(tmp_path, monkeypatch):
    from ranking import wordlist

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GLOSSARY_WORDS_CACHE", str(blocker / "words"))
    assert "bread" in wordlist.english_words() and "sgd" not in wordlist.english_words()


def test_a_flat_index_above_the_numpy_size_is_read_by_faiss(fake_index, fake_encoder, monkeypatch):
    monkeypatch.setattr(vectors, "NUMPY_MAX_FLOATS", 10)
    engine = open_index(fake_index, encoder=fake_encoder)
    assert type(engine.loaded.ranker.features.faiss_index).__name__ == "IndexFlatIP"
    monkeypatch.undo()
    small = open_index(fake_index, encoder=fake_encoder)
    assert isinstance(small.loaded.ranker.features.faiss_index, vectors.ExactIndex)
    for question in ("how do I avoid overfitting", "what is a learning rate"):
        assert engine.search(question, 5).hits == small.search(question, 5).hits


def test_phrase_shares_equal_a_direct_count_over_every_entry():
    from indexformat.entry import Entry

    rng = np.random.default_rng(3)
    vocab = ["linear", "threshold", "unit", "gradient", "descent", "loss", "layer", "batch", "norm", "rate"]
    texts = [" ".join(rng.choice(vocab, size=int(rng.integers(2, 12)))) for _ in range(80)]
    entries = [Entry(term=f"Term {i}", definition=text, text=text,
                     aliases=(" ".join(rng.choice(vocab, size=2)),) if i % 3 == 0 else ())
               for i, text in enumerate(texts)]
    lexical = Lexical(entries)
    for _ in range(60):
        question = " ".join(rng.choice(vocab + ["the", "of"], size=int(rng.integers(1, 7))))
        rows = np.flatnonzero(rng.random(len(entries)) < 0.6)
        said = lexical.stems(question)
        pairs = list(zip(said, said[1:], strict=False))
        want = np.zeros(len(entries), dtype=np.float32)
        for row in rows:
            held = set()
            for text in (entries[row].text, *entries[row].aliases):
                found = lexical.stems(text)
                held.update(zip(found, found[1:], strict=False))
            want[row] = sum(pair in held for pair in pairs) / len(pairs) if pairs else 0.0
        assert np.array_equal(lexical.phrases(question, rows), want), question


def test_the_question_cleaner_keeps_what_its_character_scan_keeps():
    import random
    import unicodedata

    from search import query

    def scanned(text: str) -> str:  # the rule itself, one character at a time
        kept: list[str] = []
        for ch in text:
            if ch.isspace():
                if kept and kept[-1] != " ":
                    kept.append(" ")
            elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
                kept.append(ch)
        return "".join(kept).strip()

    rng = random.Random(5)
    alphabet = " ab\u00a0\t\n\u200b\u2028\u202eé😀\x00"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        if scanned(text):
            assert query.clean_query(text) == scanned(text), repr(text)
