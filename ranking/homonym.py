"""A word used in another sense: "what does the helm do on a sailboat" against a glossary with Helm Chart.

The question's only tie to its first hit is one or two words; the rest holds a word the glossary never uses
("sailboat"), and said without the ties ("what does the do on a sailboat") it is no nearer any entry than the
everyday questions the build measured (`homonym_line`, fitted per glossary in index/calibrate.py). Such a
question is off-topic, however well the shared word scores. Only such questions pay for a second encoder run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from indexformat.text import content_words, words
from ranking.config import RankingConfig


def rest_without_ties(question: str, matched: Sequence[str], stems: Callable[[str], list[str]],
                      knows: Callable[[str], bool], config: RankingConfig) -> str | None:
    """The question without the words that tie it to the hit (`matched`: the hit's stems the question holds),
    or None when the test does not apply: no tie, more ties than `homonym_ties`, too little left, or nothing
    left that the glossary does not use (`knows`)."""
    held = set(matched)
    asked = words(question)
    ties = {w for w in asked if held.intersection(stems(w))}
    if not ties or len(ties) > config.homonym_ties:
        return None
    rest = " ".join(w for w in asked if w not in ties)
    said = content_words(rest)
    return rest if len(said) >= config.homonym_rest and not all(map(knows, said)) else None


def nearest(vector: np.ndarray, entry_vectors: np.ndarray) -> float:
    """The cosine of the entry nearest to `vector` (unit vectors)."""
    return float((entry_vectors @ vector).max()) if len(entry_vectors) else 0.0
