"""The ranking fitted to each glossary when the index is built: fusion weights, then the no-match lines.

Positives are questions generated from the glossary itself (index/questions.py); negatives are a fixed list of
everyday off-topic questions that belong to no glossary (index/offtopic.py), and everyday questions with one
of the glossary's own words put in ("where can I buy a cheap kernel": off-topic that shares a word). All go
through the real ranking's stages once; the two weight vectors (naming, describing) are fitted on part of the
positives and checked on the rest (index/fit.py), then each glossary's no-match line sits between its
positives' and the negatives' top scores, much nearer the negatives, because real questions score lower than
generated ones. Everything goes to `ranking.json`; the numbers are `ranking.config.RankingConfig`'s.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np

from index.aliases import build_lexicon
from index.fit import HOLD_OUT, FitReport, Sample, fit
from index.offtopic import OFF_TOPIC
from index.questions import generated_questions, shared_word_negatives
from indexformat import store
from indexformat.entry import Entry
from indexformat.vectors import ExactIndex, index_type, numpy_scan
from indexformat.writer import IndexWriter
from ranking.config import DEFAULT, DENSE_LED, RankingConfig, config_hash
from ranking.rank import Ranker, entry_vectors

FILE = store.RANKING
SCHEME = 6  # bump when the name table, the keyword index, the generated questions or the calibration change


@dataclass(frozen=True)
class Calibration:
    source: str  # "" for the whole index
    no_match_below: float
    positives: int
    negatives: int
    positive_rejected: float  # shares of each set the line refuses
    negative_rejected: float
    # everyday questions with a glossary word put in that the whole ranking refuses (measured, not fitted on)
    sharing_rejected: float = 0.0


@dataclass(frozen=True)
class RankingFit:
    config: RankingConfig
    fit: FitReport
    calibrations: tuple[Calibration, ...]
    seconds: float

    def line(self) -> str:
        main = self.calibrations[0]
        return (f"{self.fit.line()}; no-match line {main.no_match_below:.3f} refuses "
                f"{main.negative_rejected:.0%} of off-topic questions and {main.sharing_rejected:.0%} of those "
                f"sharing a glossary word ({self.seconds:.1f} s)")


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
    batched = _Batched(encoder)
    questions = generated_questions(entries, encode=batched.encode)
    ranker = Ranker(entries, passages, _searched_like_queries(faiss_index, vectors), batched, dim, lexicon,
                    DEFAULT, entry_vectors(vectors, passages, len(entries)))
    ranker.lexical.save(writer.path(store.BM25))
    # What the encoder will be asked: the analysis may spell acronyms out or split comparisons. Each text is
    # analysed once, here, and its analysis reused by the ranking below.
    shared = shared_word_negatives(entries)
    texts = [q.text for q in questions] + list(OFF_TOPIC) + shared
    analyses = {text: ranker.analyse(text) for text in dict.fromkeys(texts)}
    batched.prefill([t for a in analyses.values() for t in a.embed])

    def candidates(text: str) -> tuple[np.ndarray, np.ndarray, bool, bool]:
        signals = ranker.signals(text, analyses.get(text))
        rows = np.flatnonzero(signals.main.candidate)
        return rows, signals.main.values[rows], signals.understanding.naming, signals.understanding.lone

    samples, positives = [], []
    for q in questions:
        rows, values, naming, lone = candidates(q.text)
        where = np.flatnonzero(rows == q.entry)
        samples.append(Sample(values, int(where[0]) if len(where) else -1, q.kind, q.entry % HOLD_OUT == 0,
                              naming))
        positives.append((q.entry, rows, values, naming, lone))
    negatives = [candidates(q) for q in OFF_TOPIC]
    sharing = [candidates(q) for q in shared]
    report = fit(samples, DEFAULT.weights, DEFAULT.describing, (DENSE_LED.weights, DENSE_LED.describing))
    config = DEFAULT.with_weights(report.weights, report.describing)
    calibrations = _calibrate(entries, positives, negatives, config)
    config = replace(config, lone_margin=_lone_margin(negatives + sharing, calibrations[0].no_match_below, config),
                     homonym_line=_homonym_line(batched.encode(list(OFF_TOPIC)), ranker.features.entry_vectors,
                                                config))
    calibrations = _calibrate(entries, positives, negatives, config)
    config = replace(config, lines=tuple((c.source, c.no_match_below) for c in calibrations))
    ranker.config = config
    calibrations = [replace(c, sharing_rejected=_refused(ranker, entries, shared, c.source)) for c in calibrations]
    result = RankingFit(config, report, tuple(calibrations), round(time.perf_counter() - started, 2))
    writer.write_json(FILE, {
        "config": config.to_json(),
        "fit": report.to_json(),
        "calibration": [asdict(c) for c in calibrations],
        "seconds": result.seconds,
    }, indent=2)
    return result


def _searched_like_queries(faiss_index, vectors: np.ndarray):
    """What the query side will search with: the numpy scan of a small flat index (same rows, same order as
    FAISS, without its per-call threading: ~5x faster per question here), else the FAISS index itself."""
    if numpy_scan(index_type(faiss_index), len(vectors), vectors.shape[1]):
        return ExactIndex(vectors)
    return faiss_index


def _calibrate(entries: list[Entry], positives, negatives, config: RankingConfig) -> list[Calibration]:
    """The whole index's line first, then one per glossary with enough generated questions."""
    source = np.array([e.source for e in entries], dtype=object)
    labels = ["", *dict.fromkeys(e.source for e in entries)] if len(set(source)) > 1 else [""]
    vectors = {naming: np.asarray(config.weights_for(naming), dtype=np.float32) for naming in (True, False)}
    found = []
    for label in labels:

        def top(rows: np.ndarray, values: np.ndarray, naming: bool, lone: bool = False, label: str = label
                ) -> float:
            keep = np.ones(len(rows), bool) if not label else source[rows] == label
            # a lone question must clear the line by the margin: as good as scoring that much lower
            best = float((values[keep] @ vectors[naming]).max()) if keep.any() else 0.0
            return best - (config.lone_margin if lone else 0.0)

        pos = np.array([top(*p[1:]) for p in positives if not label or entries[p[0]].source == label])
        neg = np.array([top(*n) for n in negatives])
        if label and len(pos) < config.min_positives:
            continue
        line = _line(np.array([top(*p[1:4]) for p in positives if not label or entries[p[0]].source == label]),
                     np.array([top(*n[:3]) for n in negatives]), config)
        found.append(Calibration(label, round(line, 4), len(pos), len(neg),
                                 round(float((pos < line).mean()), 4) if len(pos) else 0.0,
                                 round(float((neg < line).mean()), 4) if len(neg) else 0.0))
    return found


def _refused(ranker: Ranker, entries: list[Entry], texts: list[str], source: str) -> float:
    """The share of `texts` the whole ranking answers with no match (`source`: one glossary's, "" the index's):
    more than its line alone refuses, since the homonym test refuses some above it."""
    if not texts:
        return 0.0
    allowed = np.array([e.source == source for e in entries]) if source else None
    return round(float(np.mean([ranker.rank(t, 1, allowed, source or None).no_match for t in texts])), 4)


def _lone_margin(negatives, line: float, config: RankingConfig) -> float:
    """How far above the line a lone question (describing, at most one glossary word) must score: enough to
    refuse `lone_quantile` of the off-topic questions that are lone, everyday ones and those with a glossary
    word put in."""
    vectors = {naming: np.asarray(config.weights_for(naming), dtype=np.float32) for naming in (True, False)}
    lone = [float((values @ vectors[naming]).max()) for rows, values, naming, is_lone in negatives
            if is_lone and len(rows)]
    if not lone:
        return 0.0
    return round(max(0.0, float(np.quantile(lone, config.lone_quantile)) - line), 4)


def _homonym_line(everyday: np.ndarray, vectors: np.ndarray, config: RankingConfig) -> float:
    """How near its nearest entry an everyday question comes in this glossary (`homonym_quantile` of them): a
    question that comes no nearer once its shared words are taken out is off-topic (ranking/homonym.py)."""
    if not len(everyday) or not len(vectors):
        return -1.0
    return round(float(np.quantile((everyday @ vectors.T).max(axis=1), config.homonym_quantile)), 4)


def _line(pos: np.ndarray, neg: np.ndarray, config: RankingConfig) -> float:
    if not len(pos) or not len(neg):
        return 0.0
    # Generated questions quote the glossary, so they score far higher than real ones: the line stays
    # near the negatives, moved a small share of the gap towards the positives.
    low = float(np.quantile(neg, config.negative_quantile))
    high = float(np.quantile(pos, config.positive_quantile))
    # Describing questions that share few words with the glossary may score as low as everyday ones; the line
    # still never drops below the everyday questions' quantile.
    return low + config.gap_share * (high - low) if high > low else low


def config_fingerprint() -> str:
    """The ranking defaults' hash: changing a number in ranking/config.py makes the next build fit again."""
    return config_hash()
