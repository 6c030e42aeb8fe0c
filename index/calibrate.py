"""The ranking fitted to each glossary when the index is built: fusion weights, then the no-match lines.

Positives are questions generated from the glossary itself (index/questions.py); negatives are a fixed list of
everyday off-topic questions that belong to no glossary (index/offtopic.py). Both go through the real ranking's
feature stages once; the weights are fitted on part of the positives and checked on the rest (index/fit.py),
then each glossary's no-match line sits between its positives' and the negatives' top scores, much nearer the
negatives, because real questions score lower than generated ones. Everything goes to `ranking.json`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np

from index.aliases import build_lexicon
from index.fit import HOLD_OUT, FitReport, Sample, fit
from index.offtopic import OFF_TOPIC
from index.questions import generated_questions
from indexformat import store
from indexformat.entry import Entry
from indexformat.writer import IndexWriter
from ranking.analysis import analyse
from ranking.config import DEFAULT, DENSE_LED, config_hash
from ranking.rank import Ranker, entry_vectors

FILE = store.RANKING
SCHEME = 4  # bump when the name table, the keyword index, the generated questions or the calibration change
NEGATIVE_QUANTILE = 0.95  # the line starts above this share of the off-topic list's scores...
POSITIVE_QUANTILE = 0.05  # ...and moves GAP_SHARE of the way to this low quantile of the generated questions'
GAP_SHARE = 0.06  # off-topic rejection is flat from 0.05 to 0.15 on both seed sets; false refusals grow with it
MIN_POSITIVES = 20  # a glossary with fewer generated questions uses the whole index's line


@dataclass(frozen=True)
class Calibration:
    source: str  # "" for the whole index
    no_match_below: float
    positives: int
    negatives: int
    positive_rejected: float  # shares of each set the line refuses
    negative_rejected: float


@dataclass(frozen=True)
class RankingFit:
    config: object  # ranking.config.RankingConfig
    fit: FitReport
    calibrations: tuple[Calibration, ...]
    seconds: float

    def line(self) -> str:
        main = self.calibrations[0]
        return (f"{self.fit.line()}; no-match line {main.no_match_below:.3f} refuses "
                f"{main.negative_rejected:.0%} of off-topic questions ({self.seconds:.1f} s)")


class _Batched:
    """The build's encoder, with the generated questions embedded in one batch up front (`prefill`)."""

    def __init__(self, encoder):
        self.name, self._encoder = encoder.name, encoder
        self._known: dict[str, np.ndarray] = {}

    def prefill(self, texts: list[str]) -> None:
        unique = [t for t in dict.fromkeys(texts) if t not in self._known]
        if unique:
            self._known.update(zip(unique, self._encoder.encode(unique), strict=True))

    def encode(self, texts, progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._encoder.encode(missing), strict=True))
        return np.stack([self._known[t] for t in texts])


def write_ranking_files(writer: IndexWriter, entries: list[Entry], passages, faiss_index, encoder, dim: int,
                        vectors: np.ndarray) -> RankingFit:
    """Build time: the name table, the keyword index, the fitted weights and the no-match lines, written into
    the version being built."""
    started = time.perf_counter()
    lexicon = build_lexicon(entries)
    writer.write_lexicon(lexicon)
    questions = generated_questions(entries)
    batched = _Batched(encoder)
    ranker = Ranker(entries, passages, faiss_index, batched, dim, lexicon, DEFAULT,
                    entry_vectors(vectors, passages, len(entries)))
    ranker.lexical.save(writer.path(store.BM25))
    # What the encoder will be asked: the analysis may spell acronyms out or split comparisons.
    texts = [q.text for q in questions] + list(OFF_TOPIC)
    batched.prefill([t for q in texts for t in analyse(q, ranker.speller, ranker.names, DEFAULT).embed])

    def candidates(text: str) -> tuple[np.ndarray, np.ndarray]:
        _, features, _ = ranker.signals(text)
        rows = np.flatnonzero(features.candidate)
        return rows, features.values[rows]

    samples, positives = [], []
    for q in questions:
        rows, values = candidates(q.text)
        where = np.flatnonzero(rows == q.entry)
        samples.append(Sample(values, int(where[0]) if len(where) else -1, q.kind, q.entry % HOLD_OUT == 0))
        positives.append((q.entry, rows, values))
    negatives = [candidates(q) for q in OFF_TOPIC]
    report = fit(samples, DEFAULT.weights, DENSE_LED.weights)
    config = DEFAULT.with_weights(report.weights)
    calibrations = _calibrate(entries, positives, negatives, np.asarray(config.weights, dtype=np.float32))
    config = replace(config, lines=tuple((c.source, c.no_match_below) for c in calibrations))
    result = RankingFit(config, report, tuple(calibrations), round(time.perf_counter() - started, 2))
    writer.write_json(FILE, {
        "config": config.to_json(),
        "fit": report.to_json(),
        "calibration": [asdict(c) for c in calibrations],
        "seconds": result.seconds,
    }, indent=2)
    return result


def _calibrate(entries: list[Entry], positives, negatives, weights: np.ndarray) -> list[Calibration]:
    """The whole index's line first, then one per glossary with enough generated questions."""
    source = np.array([e.source for e in entries], dtype=object)
    labels = ["", *dict.fromkeys(e.source for e in entries)] if len(set(source)) > 1 else [""]
    found = []
    for label in labels:

        def top(rows: np.ndarray, values: np.ndarray, label: str = label) -> float:
            keep = np.ones(len(rows), bool) if not label else source[rows] == label
            return float((values[keep] @ weights).max()) if keep.any() else 0.0

        pos = np.array([top(rows, values) for entry, rows, values in positives
                        if not label or entries[entry].source == label])
        neg = np.array([top(rows, values) for rows, values in negatives])
        if label and len(pos) < MIN_POSITIVES:
            continue
        line = _line(pos, neg)
        found.append(Calibration(label, round(line, 4), len(pos), len(neg),
                                 round(float((pos < line).mean()), 4) if len(pos) else 0.0,
                                 round(float((neg < line).mean()), 4) if len(neg) else 0.0))
    return found


def _line(pos: np.ndarray, neg: np.ndarray) -> float:
    if not len(pos) or not len(neg):
        return 0.0
    # Generated questions quote the glossary, so they score far higher than real ones: the line stays
    # near the negatives, moved a small share of the gap towards the positives.
    low, high = float(np.quantile(neg, NEGATIVE_QUANTILE)), float(np.quantile(pos, POSITIVE_QUANTILE))
    return low + GAP_SHARE * (high - low) if high > low else high


def config_fingerprint() -> str:
    """The ranking defaults' hash: changing a number in ranking/config.py makes the next build fit again."""
    return config_hash()
