"""Late interaction, a reranking stage over the best candidates: word pieces against word pieces.

One vector per entry misses a question that says the same things in another order or with other names around
them. Here each of the question's content pieces (indexformat/late.py) finds its closest piece in an entry's
"term: definition", and the entry scores the mean of those cosines (ColBERT's MaxSim, over the encoder's own
token vectors). Among the `late_depth` best candidates, each moves by `late_weight` times how far its score is
from their mean. The scores stay the fused ones, and "no match" is decided on the answer the rules chose
(ranking/rank.py); a hit whose pieces match the question well is surer (`sureness`), so the pieces can let a
real question through, never refuse one.
"""

from __future__ import annotations

import numpy as np

from indexformat.late import LateVectors


def maxsim(question: np.ndarray, entry: np.ndarray) -> float:
    """Mean over the question's pieces of the best cosine with one of the entry's (both unit rows)."""
    if not len(question) or not len(entry):
        return 0.0
    return float((question @ entry.T.astype(np.float32)).max(axis=1).mean())


def rerank(key: np.ndarray, question: np.ndarray, pieces: LateVectors, depth: int, weight: float
           ) -> dict[int, float]:
    """Move the `depth` best entries by `key` (in place) by their late-interaction score, centred on theirs;
    return those scores (entry -> maxsim), which the confidence reads."""
    top = [int(e) for e in np.argsort(-key, kind="stable")[:depth] if np.isfinite(key[e])]
    if len(top) < 2 or not len(question):
        return {}
    scores = np.array([maxsim(question, pieces.of(e)) for e in top])
    key[top] += weight * (scores - scores.mean())
    return dict(zip(top, scores.tolist(), strict=True))


def sureness(match: float | None, floor: float, lift: float) -> float:
    """How much a hit's word-piece match adds to its confidence's logit: `lift` per unit above `floor`, never
    less than nothing (None: the stage did not score the hit)."""
    return lift * max(0.0, match - floor) if match is not None else 0.0
