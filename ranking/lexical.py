"""Keyword retrieval: BM25 (bm25s) over each entry's name, aliases and definition, with English stemming.

Scores are calibrated to [0, 1] as the share of the question's IDF mass an entry matches (one occurrence
in a definition of average length counting in full), words the glossary never uses counting at the highest
IDF, so "linux kernel panic" matching only "kernel" scores low.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence

import numpy as np

from index.entry import Entry
from index.text import STOPWORDS, bare_name

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s' default token pattern


class Lexical:
    def __init__(self, entries: Sequence[Entry]):
        import bm25s
        import Stemmer

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on itself and logs every index
        self._stemmer = Stemmer.Stemmer("english")
        self._stem_of: dict[str, str] = {}  # a word's stem, remembered (queries repeat words)
        # The name counts twice: a word in the heading says more than one in passing.
        docs = [" ".join([bare_name(e.term)] * 2 + [e.term, *e.aliases, e.text]) for e in entries]
        tokens = self._tokens(docs)
        self._model = bm25s.BM25(k1=1.2, b=0.75)
        self._model.index(tokens, show_progress=False)
        self._entry_stems = [set(doc) for doc in tokens]
        self._pairs: dict[tuple[str, str], set[int]] = {}  # two stems side by side -> entries that hold them
        for row, e in enumerate(entries):
            for text in (e.text, *e.aliases):
                found = self.stems(text)
                for pair in zip(found, found[1:], strict=False):
                    self._pairs.setdefault(pair, set()).add(row)
        n = len(entries)
        df: dict[str, int] = {}
        for doc in tokens:
            for word in set(doc):
                df[word] = df.get(word, 0) + 1
        self._idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)
        # One occurrence in a definition of average length scores idf / (1 + k1) (bm25s' Lucene formula).
        self._ceiling = 1 / (1 + self._model.k1)
        self.size = n

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        # bm25s.tokenize's own splitting, without the progress bar it builds on every call (~0.5 ms).
        return [self.stems(t) for t in texts]

    def knows(self, word: str) -> bool:
        """Whether the glossary uses the word (after stemming)."""
        stems = self.stems(word)
        return bool(stems) and all(s in self._idf for s in stems)

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

    def scores(self, text: str, context: str = "") -> tuple[np.ndarray, list[str]]:
        """Calibrated score per entry, and the question's stems found in the glossary.

        Words of `context` (the setting a question names: "... in deep learning") count half.
        """
        parts = [(list(dict.fromkeys(self.stems(t))), weight) for t, weight in ((text, 1.0), (context, 0.5))]
        raw = np.zeros(self.size, dtype=np.float32)
        mass, found = 0.0, []
        for stems, weight in parts:
            known = [s for s in stems if s in self._idf]
            mass += weight * sum(self._idf.get(s, self._idf_unseen) for s in stems) * self._ceiling
            if known:
                raw += weight * np.asarray(self._model.get_scores(known), dtype=np.float32)
                found += known
        if not found:
            return raw, []
        return np.clip(raw / mass, 0.0, 1.0), list(dict.fromkeys(found))

    def phrases(self, text: str) -> np.ndarray:
        """Per entry, the share of the question's word pairs ("linear threshold", "threshold unit") it has."""
        found = self.stems(text)
        pairs = list(zip(found, found[1:], strict=False))
        share = np.zeros(self.size, dtype=np.float32)
        for pair in pairs:
            for row in self._pairs.get(pair, ()):
                share[row] += 1.0 / len(pairs)
        return share

    def matched(self, row: int, stems: Sequence[str]) -> list[str]:
        """Which of `stems` entry `row` holds (for Hit.why)."""
        return [s for s in stems if s in self._entry_stems[row]]
