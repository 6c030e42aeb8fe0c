"""Fit the fusion weights to one glossary at build time, and check them on questions the fit did not see.

Input: for each generated question (index/questions.py), the feature values of its candidate entries, which
candidate is the right one, its kind, and whether the ranking understands it as naming an entry
(ranking/understand.py). Two weight vectors are fitted, each on its own questions: one for questions that name
an entry, one for the rest (describing, how-to), so the describing questions can learn that names of entries
are context while the naming ones keep trusting them. Each fit is a coordinate search over a small grid,
maximising hit@1 weighted as people ask (questions.KIND_MIX: each group of kinds its share, the kinds of a
group equal); among weights within TIE of the best, the one nearest the defaults wins. Questions about one
entry in HOLD_OUT are held back; the fitted weights ship only if they beat dense retrieval alone on those,
weighted the same way, and the self-test reports both per kind.

The gain the build claims is graded apart (`as_asked`): on the held-back questions that do not quote the
answer's own definition (QUOTING kinds train the fit, since their words are how the keyword and phrase
features learn, but nobody asks that way), every question of a group one vote. Measured on 12 eval sets, the
fit's own weighting claimed 10-35 points more gain than the eval questions showed; this one 1-24 (docs/quality.md).
Each group of kinds is also claimed on its own (`by_group`): a test made of one kind is compared with its group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from index.questions import GROUP, KIND_MIX

HOLD_OUT = 3  # entries whose row % HOLD_OUT == 0 are held back from the fit
ROUNDS = 2
TIE = 0.005  # hit@1 differences below this are noise: prefer the defaults
# The grid per feature (dense, entry, keywords, name, phrase). dense + entry share one unit of weight.
ENTRY_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID = {2: (0.0, 0.1, 0.2, 0.35, 0.5), 3: (0.0, 0.05, 0.15, 0.3, 0.45, 0.6), 4: (0.0, 0.1, 0.25, 0.4)}
PLAIN = (0.0, 1.0, 0.0, 0.0, 0.0)  # dense retrieval alone: the whole "term: definition" vector
QUOTING = frozenset({"cut", "mention"})  # kinds that quote the answer's definition word for word


@dataclass(frozen=True)
class Sample:
    values: np.ndarray  # [candidates, features]
    answer: int  # index of the right candidate, -1 when it is not among them
    kind: str  # a key of questions.GROUP
    held_out: bool
    naming: bool  # the ranking understands the question as naming an entry: the naming weights fuse it


@dataclass(frozen=True)
class KindResult:
    questions: int
    fitted: float  # hit@1 of the shipped weights
    dense: float  # hit@1 of dense alone


@dataclass(frozen=True)
class GroupClaim:
    questions: int  # held-back questions of the group that do not quote the definition
    shipped: float  # their hit@1 with the shipped weights
    dense: float

    @property
    def gain(self) -> float:
        return round(self.shipped - self.dense, 4)


@dataclass(frozen=True)
class FitReport:
    weights: tuple[float, ...]  # what ships for naming questions
    describing: tuple[float, ...]  # what ships for the others
    fitted: bool  # False: the fit did not beat dense alone on the held-back questions; dense-led weights ship
    questions: int
    held_out: int
    hit1_fitted: float  # on the held-back questions, weighted as people ask
    hit1_dense: float  # dense retrieval alone (one "term: definition" vector per entry) on the same questions
    hit1_shipped: float
    per_kind: dict[str, KindResult] = field(default_factory=dict)  # held-back questions, by kind
    asked_shipped: float = 0.0  # hit@1 as people ask (`as_asked`): what the claim is made of
    asked_dense: float = 0.0
    # The claim of each group of kinds on its own: a test made of one kind of question (a reverse dictionary is all
    # describing) is compared with its group, not with the mix (docs/quality.md: "the self-test against the truth").
    by_group: dict[str, GroupClaim] = field(default_factory=dict)

    @property
    def claimed_gain(self) -> float:
        return round(self.asked_shipped - self.asked_dense, 4)

    def to_json(self) -> dict:
        data = asdict(self)
        data["claimed_gain"] = self.claimed_gain
        for group, claim in self.by_group.items():
            data["by_group"][group]["gain"] = claim.gain
        return data

    def line(self) -> str:
        verdict = "fitted ranking" if self.fitted else "fit did not beat dense; dense-led weights"
        kinds = ", ".join(f"{k} {r.fitted:.2f}/{r.dense:.2f}" for k, r in self.per_kind.items())
        groups = ", ".join(f"{g} {100 * c.gain:+.0f} ({c.questions})" for g, c in self.by_group.items())
        return (f"self-test on {self.held_out} held-back questions, as people ask (no quotes of the definition): "
                f"hit@1 {self.asked_shipped:.3f} ({verdict}) vs dense alone {self.asked_dense:.3f}; "
                f"gain by group of kinds: {groups} (per kind, ranking/dense: {kinds})")


def _right(s: Sample, naming: Sequence[float], describing: Sequence[float]) -> bool:
    w = np.asarray(naming if s.naming else describing, dtype=np.float32)
    return s.answer >= 0 and int(np.argmax(s.values @ w)) == s.answer


def mixed(samples: Sequence[Sample], naming: Sequence[float], describing: Sequence[float]) -> float:
    """hit@1 weighted as people ask: each group of kinds its KIND_MIX share, the kinds inside it equal."""
    if not samples:
        return 0.0
    kinds: dict[str, list[float]] = {}
    for s in samples:
        kinds.setdefault(s.kind, []).append(float(_right(s, naming, describing)))
    groups: dict[str, list[float]] = {}
    for kind, rights in kinds.items():
        groups.setdefault(GROUP.get(kind, "other"), []).append(float(np.mean(rights)))
    return _by_group(groups)


def as_asked(samples: Sequence[Sample], naming: Sequence[float], describing: Sequence[float]) -> float:
    """hit@1 as people ask, for the claim: each group of kinds its KIND_MIX share, every question in a group one
    vote (a kind with one question does not weigh as much as one with a hundred), QUOTING kinds left out."""
    groups: dict[str, list[float]] = {}
    for s in samples:
        if s.kind not in QUOTING:
            groups.setdefault(GROUP.get(s.kind, "other"), []).append(float(_right(s, naming, describing)))
    return _by_group(groups) if groups else 0.0


def by_group(samples: Sequence[Sample], naming: Sequence[float], describing: Sequence[float]) -> dict[str, GroupClaim]:
    """`as_asked` of each group of kinds alone, with dense alone beside it, in KIND_MIX order."""
    claims = {}
    for group in KIND_MIX:
        some = [s for s in samples if GROUP.get(s.kind, "other") == group and s.kind not in QUOTING]
        if some:
            claims[group] = GroupClaim(len(some), round(as_asked(some, naming, describing), 4),
                                       round(as_asked(some, PLAIN, PLAIN), 4))
    return claims


def _by_group(groups: dict[str, list[float]]) -> float:
    """The mean of each group's values, weighted by the groups' KIND_MIX shares."""
    share = sum(KIND_MIX[g] for g in groups)
    return float(sum(KIND_MIX[g] * np.mean(v) for g, v in groups.items()) / share)


def _search(train: Sequence[Sample], defaults: Sequence[float], score) -> list[float]:
    weights = list(defaults)
    best = score(weights)
    for _ in range(ROUNDS):
        for slot, options in [(1, ENTRY_SHARES), *GRID.items()]:
            for option in options:
                trial = list(weights)
                if slot == 1:
                    trial[0], trial[1] = 1.0 - option, option
                else:
                    trial[slot] = option
                value = score(trial)
                if value > best + TIE or (abs(value - best) <= TIE and _nearer(trial, weights, defaults)):
                    best, weights = max(best, value), trial
    return weights


def fit(samples: Sequence[Sample], defaults: Sequence[float], describing: Sequence[float],
        fallback: tuple[Sequence[float], Sequence[float]]) -> FitReport:
    train = [s for s in samples if not s.held_out]
    held = [s for s in samples if s.held_out]
    naming_train = [s for s in train if s.naming]
    describing_train = [s for s in train if not s.naming]
    # Each vector is fitted on its own questions; the other vector does not change their answers.
    naming_w = _search(naming_train, defaults, lambda w: mixed(naming_train, w, w))
    describing_w = _search(describing_train, describing, lambda w: mixed(describing_train, w, w))
    fitted_held, dense_held = mixed(held, naming_w, describing_w), mixed(held, PLAIN, PLAIN)
    fitted = fitted_held > dense_held
    shipped = (naming_w, describing_w) if fitted else (list(fallback[0]), list(fallback[1]))
    per_kind = {}
    for kind in sorted({s.kind for s in held}, key=lambda k: (list(KIND_MIX).index(GROUP.get(k, "other")), k)):
        some = [s for s in held if s.kind == kind]
        per_kind[kind] = KindResult(
            len(some), round(float(np.mean([_right(s, *shipped) for s in some])), 4),
            round(float(np.mean([_right(s, PLAIN, PLAIN) for s in some])), 4))
    return FitReport(
        tuple(round(w, 4) for w in shipped[0]), tuple(round(w, 4) for w in shipped[1]), fitted, len(samples),
        len(held), round(fitted_held, 4), round(dense_held, 4), round(mixed(held, *shipped), 4), per_kind,
        round(as_asked(held, *shipped), 4), round(as_asked(held, PLAIN, PLAIN), 4), by_group(held, *shipped),
    )


def _nearer(trial, current, defaults) -> bool:
    distance = lambda w: sum(abs(a - b) for a, b in zip(w, defaults, strict=True))  # noqa: E731
    return distance(trial) < distance(current)
