"""Candidates and their features, the second and third ranking stages.

Candidates are the union of the entries owning one of the best passages (dense), the best BM25 entries and the
entries a name in the question points at; nothing else is scored. Each candidate gets one value per
`config.FEATURES` name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexformat.text import content_words
from ranking.config import FEATURES, RankingConfig
from ranking.names import CONTEXT, NameMatch, NameScores

_DENSE, _ENTRY, _KEYWORDS, _NAME, _PHRASE = (FEATURES.index(f) for f in FEATURES)


@dataclass(frozen=True)
class Dense:
    best: np.ndarray  # per entry: cosine of its best passage among those read (the lowest read if none)
    passage: np.ndarray  # per entry: the row of that passage, -1 when none was read
    vector: np.ndarray  # the question's vector


@dataclass(frozen=True)
class Features:
    values: np.ndarray  # [entries, len(FEATURES)]
    candidate: np.ndarray  # bool per entry: the only entries that may be ranked
    passage: np.ndarray  # best passage row per entry, -1 when not retrieved
    stems: tuple[str, ...]  # the question's stems the glossary uses
    named: dict[int, NameMatch]

    def column(self, feature: str) -> np.ndarray:
        return self.values[:, FEATURES.index(feature)]

    def fused(self, weights) -> np.ndarray:
        fused = self.values @ np.asarray(weights, dtype=np.float32)
        fused[~self.candidate] = -np.inf
        return fused


class FeatureBuilder:
    def __init__(self, faiss_index, passage_entry: np.ndarray, entry_vectors, lexical, config: RankingConfig):
        self.faiss_index = faiss_index
        self.passage_entry = passage_entry  # passage row -> entry row
        self.entry_vectors = entry_vectors  # entry row -> its "term: definition" vector (may be memory-mapped)
        self.lexical = lexical
        self.config = config
        self.size = len(entry_vectors)

    def dense(self, vectors: np.ndarray) -> list[Dense]:
        depth = min(len(self.passage_entry), self.config.dense_depth)
        scores, rows = self.faiss_index.search(np.ascontiguousarray(vectors, dtype=np.float32), depth)
        found = []
        for vector, score_row, passage_row in zip(vectors, scores, rows, strict=True):
            keep = passage_row >= 0
            score_row, passage_row = score_row[keep], passage_row[keep]
            floor = float(score_row[-1]) if len(score_row) else 0.0
            best = np.full(self.size, floor, dtype=np.float32)
            which = np.full(self.size, -1, dtype=np.int64)
            # FAISS returns rows best first: reversed, the last write per entry is its best passage.
            owners = self.passage_entry[passage_row]
            best[owners[::-1]] = score_row[::-1]
            which[owners[::-1]] = passage_row[::-1]
            found.append(Dense(best, which, vector))
        return found

    def build(self, expanded: str, dense: Dense, names: NameScores, focus: Dense | None = None) -> Features:
        name, named = names.score, names.matches
        keywords, stems = self.lexical.scores(*setting_apart(expanded), self.config.setting_share)
        candidate = (dense.passage >= 0) | (name > 0)
        if keywords.any():
            depth = min(self.config.keyword_depth, self.size)
            top = np.argpartition(-keywords, depth - 1)[:depth]
            candidate[top[keywords[top] > 0]] = True
        rows = np.flatnonzero(candidate)
        values = np.zeros((self.size, len(FEATURES)), dtype=np.float32)
        best, passage = dense.best, dense.passage
        candidates = self.entry_vectors[rows]
        entry = candidates @ dense.vector
        if focus is not None:  # a pasted paragraph: its question sentence weighs as much as the whole
            mix = self.config.focus_mix
            best = mix * focus.best + (1 - mix) * best
            passage = np.where(focus.best > dense.best, focus.passage, dense.passage)
            entry = mix * (candidates @ focus.vector) + (1 - mix) * entry
        values[:, _DENSE] = best
        values[:, _ENTRY] = best  # entries never scored keep a neutral value; candidates get their own
        values[rows, _ENTRY] = entry
        values[:, _KEYWORDS] = keywords
        values[:, _NAME] = name
        values[:, _PHRASE] = self.lexical.phrases(expanded, rows)
        return Features(values, candidate, passage, tuple(stems), named)


def setting_apart(text: str) -> tuple[str, str]:
    """ "what is a neuron in deep learning" -> ("what is a neuron", "deep learning"): subject, setting."""
    tokens = text.split()
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i].casefold() in CONTEXT and content_words(" ".join(tokens[:i])):
            return " ".join(tokens[:i]), " ".join(tokens[i + 1 :])
    return text, ""
