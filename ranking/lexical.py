"""Keyword retrieval: BM25 (bm25s) over each entry's name, aliases and definition, with English stemming.

Scores are calibrated to [0, 1] as the share of the question's IDF mass an entry matches (one occurrence
in a definition of average length counting in full), words the glossary never uses counting at the highest
IDF, so "linux kernel panic" matching only "kernel" scores low.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexformat.entry import Entry
from indexformat.errors import IndexCorruptError
from indexformat.text import STOPWORDS, bare_name
from ranking.config import DEFAULT

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s' default token pattern


class KeywordIndex:
    """bm25s' eager BM25 index: per stem, a CSC column of precomputed per-entry scores.

    bm25s builds it (at build time); the query side reads its saved arrays memory-mapped with numpy alone, so
    opening an index imports neither bm25s nor what bm25s pulls in (scipy.sparse, numba: ~0.3 s). The files
    are bm25s' own layout (`BM25.save`), so either side can read the other's.
    """

    DATA, INDICES, INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
    VOCAB, PARAMS = "vocab.index.json", "params.index.json"

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, vocab: dict[str, int],
                 params: dict):
        self.data, self.indices, self.indptr = data, indices, indptr
        self.vocab = vocab  # stem -> column
        self.params = params  # bm25s' parameters (k1, b, method, num_docs, ...), saved beside the arrays
        self.k1 = float(params["k1"])
        self.num_docs = int(params["num_docs"])

    @classmethod
    def fit(cls, documents: list[list[str]], k1: float, b: float) -> KeywordIndex:
        """bm25s' index of `documents` with `k1` and `b` (ranking.config's bm25_k1, bm25_b)."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on itself and logs every index
        model = bm25s.BM25(k1=k1, b=b)
        model.index(documents, show_progress=False)
        params = {"k1": model.k1, "b": model.b, "delta": model.delta, "method": model.method,
                  "idf_method": model.idf_method, "dtype": model.dtype, "int_dtype": model.int_dtype,
                  "num_docs": int(model.scores["num_docs"]), "version": bm25s.__version__, "backend": model.backend}
        s = model.scores
        return cls(np.asarray(s["data"]), np.asarray(s["indices"]), np.asarray(s["indptr"]), dict(model.vocab_dict),
                   params)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in ((self.DATA, self.data), (self.INDICES, self.indices), (self.INDPTR, self.indptr)):
            np.save(folder / name, array, allow_pickle=False)
        (folder / self.VOCAB).write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
        (folder / self.PARAMS).write_text(json.dumps(self.params, indent=4), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        try:
            params = json.loads((folder / cls.PARAMS).read_text(encoding="utf-8"))
            vocab = json.loads((folder / cls.VOCAB).read_text(encoding="utf-8"))
            arrays = [np.asarray(np.load(folder / name, mmap_mode="r", allow_pickle=False))  # no memmap subclass cost
                      for name in (cls.DATA, cls.INDICES, cls.INDPTR)]
            index = cls(*arrays, vocab, params)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise IndexCorruptError(f"the keyword index in {folder} is damaged ({err}); run rebuild-index") from None
        if params.get("method", "lucene") != "lucene" or len(index.indptr) < len(vocab):  # vocab may hold "" too
            raise IndexCorruptError(f"the keyword index in {folder} is not one this version reads; run rebuild-index")
        return index

    def get_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Per entry, the sum of the tokens' BM25 scores: bm25s' `get_scores` (numpy backend), same order of
        additions, so the same float32 numbers."""
        scores = np.zeros(self.num_docs, dtype=self.data.dtype)
        for column in (self.vocab[t] for t in tokens if t in self.vocab):
            start, end = int(self.indptr[column]), int(self.indptr[column + 1])
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores


class Lexical:
    def __init__(self, entries: Sequence[Entry], keywords: KeywordIndex | None = None,
                 k1: float = DEFAULT.bm25_k1, b: float = DEFAULT.bm25_b):
        """`keywords`: the BM25 index the build saved for these entries (`Lexical.load`); else it is built here
        with `k1` and `b` (ranking.config's bm25_k1, bm25_b; a saved index keeps its own)."""
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        self._stem_of: dict[str, str] = {}  # a word's stem, remembered (queries repeat words)
        self._entries = entries
        if keywords is None:
            keywords = KeywordIndex.fit(self._tokens([_document(e) for e in entries]), k1, b)
        self._keywords = keywords
        self._doc_stems: dict[int, set[str]] = {}  # entry -> its stems, filled as explanations need them
        self._doc_pairs: dict[int, set[tuple[str, str]]] = {}  # entry -> stem pairs side by side, as ranked
        n = len(entries)
        # Document frequency = the entries a token scores in: the nonzero rows of its column (bm25s stores CSC).
        df = np.diff(np.asarray(keywords.indptr))
        self._idf = {w: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for w, i in keywords.vocab.items() if w}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)
        self._df = df
        # One occurrence in a definition of average length scores idf / (1 + k1) (bm25s' Lucene formula).
        self._ceiling = 1 / (1 + keywords.k1)
        self.size = n

    def save(self, folder: Path) -> None:
        """The BM25 index in bm25s' layout (arrays and JSON, no pickle), so opening the index rebuilds nothing."""
        self._keywords.save(folder)

    @classmethod
    def load(cls, folder: Path, entries: Sequence[Entry]) -> Lexical:
        keywords = KeywordIndex.load(folder)
        if keywords.num_docs != len(entries):
            raise IndexCorruptError(f"the keyword index in {folder} does not match the entries; run rebuild-index")
        return cls(entries, keywords)

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        # bm25s.tokenize's own splitting, without the progress bar it builds on every call (~0.5 ms).
        return [self.stems(t) for t in texts]

    def knows(self, word: str) -> bool:
        """Whether the glossary uses the word (after stemming)."""
        stems = self.stems(word)
        return bool(stems) and all(s in self._idf for s in stems)

    def share(self, word: str) -> float:
        """The share of entries whose text uses the word (its least used stem)."""
        columns = [self._keywords.vocab.get(s) for s in self.stems(word)]
        return min((0.0 if i is None else float(self._df[i]) / max(self.size, 1) for i in columns), default=0.0)

    def stems(self, text: str) -> list[str]:
        found = []
        for word in _TOKEN.findall(text.lower()):
            if word in STOPWORDS:
                continue
            stem = self._stem_of.get(word)
            if stem is None:
                stem = self._stem_of[word] = self._stemmer.stemWord(word)
            found.append(stem)
        return found

    def scores(self, text: str, context: str = "", context_share: float = 0.5) -> tuple[np.ndarray, list[str]]:
        """Calibrated score per entry, and the question's stems found in the glossary.

        Words of `context` (the setting a question names: "... in deep learning") count `context_share`
        (ranking.config's setting_share).
        """
        parts = [(list(dict.fromkeys(self.stems(t))), weight) for t, weight in ((text, 1.0), (context, context_share))]
        raw = np.zeros(self.size, dtype=np.float32)
        mass, found = 0.0, []
        for stems, weight in parts:
            known = [s for s in stems if s in self._idf]
            mass += weight * sum(self._idf.get(s, self._idf_unseen) for s in stems) * self._ceiling
            if known:
                raw += weight * np.asarray(self._keywords.get_scores(known), dtype=np.float32)
                found += known
        if not found:
            return raw, []
        return np.clip(raw / mass, 0.0, 1.0), list(dict.fromkeys(found))

    def phrases(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Per entry of `rows`, the share of the question's word pairs ("linear threshold", "threshold unit") it
        has side by side in its definition or an alias; 0 for the others."""
        found = self.stems(text)
        pairs = list(zip(found, found[1:], strict=False))
        share = np.zeros(self.size, dtype=np.float32)
        if not pairs:
            return share
        wanted = np.zeros(self.size, dtype=bool)
        wanted[rows] = True
        counts: Counter[int] = Counter()
        for pair in pairs:  # a repeated pair counts each time it is said
            # Only entries holding both stems can hold the pair: their keyword columns, intersected.
            for row in self._holding_both(pair):
                if wanted[row] and pair in self._pairs_of(int(row)):
                    counts[int(row)] += 1
        for row, count in counts.items():
            share[row] = count / len(pairs)
        return share

    def _holding_both(self, pair: tuple[str, str]) -> np.ndarray:
        """The entries whose keyword document holds both stems of `pair` (a superset of those holding it)."""
        vocab, indptr, indices = self._keywords.vocab, self._keywords.indptr, self._keywords.indices
        columns = [vocab.get(stem) for stem in pair]
        if None in columns:
            return np.empty(0, dtype=np.int64)
        first, second = (indices[indptr[c]:indptr[c + 1]] for c in columns)
        return np.intersect1d(first, second, assume_unique=True)

    def matched(self, row: int, stems: Sequence[str]) -> list[str]:
        """Which of `stems` entry `row` holds (for Hit.why)."""
        if row not in self._doc_stems:
            self._doc_stems[row] = set(self.stems(_document(self._entries[row])))
        return [s for s in stems if s in self._doc_stems[row]]

    def _pairs_of(self, row: int) -> set[tuple[str, str]]:
        if row not in self._doc_pairs:
            entry, held = self._entries[row], set()
            for text in (entry.text, *entry.aliases):
                found = self.stems(text)
                held.update(zip(found, found[1:], strict=False))
            self._doc_pairs[row] = held
        return self._doc_pairs[row]


def _document(entry: Entry) -> str:
    """What BM25 reads of an entry: the name counts twice, since a word in the heading says more than one in
    passing."""
    return " ".join([bare_name(entry.term)] * 2 + [entry.term, *entry.aliases, entry.text])
