"""Fit the fusion weights to one glossary at build time, and check them on questions the fit did not see.

Input: for each generated question (index/questions.py), the feature values of its candidate entries and which
candidate is the right one. The fit is a coordinate search over a small grid of weights, maximising hit@1
averaged over question kinds (so the many sentence questions do not outvote names and how-tos); among weights
within TIE of the best, the one nearest the defaults wins. Questions about one entry in HOLD_OUT are held
back; the fitted weights ship only if they beat dense retrieval alone on those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

HOLD_OUT = 3  # entries whose row % HOLD_OUT == 0 are held back from the fit
ROUNDS = 2
TIE = 0.005  # hit@1 differences below this are noise: prefer the defaults
# The grid per feature (dense, entry, keywords, name, phrase). dense + entry share one unit of weight.
ENTRY_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID = {2: (0.0, 0.1, 0.2, 0.35, 0.5), 3: (0.0, 0.15, 0.3, 0.45, 0.6), 4: (0.0, 0.1, 0.25, 0.4)}


@dataclass(frozen=True)
class Sample:
    values: np.ndarray  # [candidates, features]
    answer: int  # index of the right candidate, -1 when it is not among them
    kind: str
    held_out: bool


@dataclass(frozen=True)
class FitReport:
    weights: tuple[float, ...]  # what ships
    fitted: bool  # False: the fit did not beat dense alone on the held-back questions; dense-led weights ship
    questions: int
    held_out: int
    hit1_fitted: float  # on the held-back questions
    hit1_dense: float  # dense retrieval alone (one "term: definition" vector per entry) on the same questions
    hit1_shipped: float

    def to_json(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        verdict = "fitted ranking" if self.fitted else "fit did not beat dense; dense-led weights"
        return (f"self-test on {self.held_out} held-back questions: hit@1 {self.hit1_shipped:.3f} "
                f"({verdict}) vs dense alone {self.hit1_dense:.3f}")


def hit1(samples: Sequence[Sample], weights: Sequence[float], by_kind: bool = True) -> float:
    if not samples:
        return 0.0
    w = np.asarray(weights, dtype=np.float32)
    kinds: dict[str, list[float]] = {}
    for s in samples:
        scores = s.values @ w
        right = s.answer >= 0 and int(np.argmax(scores)) == s.answer
        kinds.setdefault(s.kind if by_kind else "", []).append(float(right))
    return float(np.mean([np.mean(v) for v in kinds.values()]))


def fit(samples: Sequence[Sample], defaults: Sequence[float], fallback: Sequence[float]) -> FitReport:
    train = [s for s in samples if not s.held_out]
    held = [s for s in samples if s.held_out]
    weights = list(defaults)
    best = hit1(train, weights)
    for _ in range(ROUNDS):
        for slot, options in [(1, ENTRY_SHARES), *GRID.items()]:
            for option in options:
                trial = list(weights)
                if slot == 1:
                    trial[0], trial[1] = 1.0 - option, option
                else:
                    trial[slot] = option
                score = hit1(train, trial)
                if score > best + TIE or (abs(score - best) <= TIE and _nearer(trial, weights, defaults)):
                    best, weights = max(best, score), trial
    plain = [0.0, 1.0] + [0.0] * (len(defaults) - 2)
    fitted_held, dense_held = hit1(held, weights, by_kind=False), hit1(held, plain, by_kind=False)
    fitted = fitted_held > dense_held
    shipped = weights if fitted else list(fallback)
    return FitReport(
        tuple(round(w, 4) for w in shipped), fitted, len(samples), len(held),
        round(fitted_held, 4), round(dense_held, 4), round(hit1(held, shipped, by_kind=False), 4),
    )


def _nearer(trial, current, defaults) -> bool:
    distance = lambda w: sum(abs(a - b) for a, b in zip(w, defaults, strict=True))  # noqa: E731
    return distance(trial) < distance(current)
