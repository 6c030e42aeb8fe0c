"""Intent rules, the last ranking stage before confidence: they re-order candidates and never change a score.

How-to ("how do I avoid X", X naming an entry): entries whose definitions act on X move above the entry that is
X. Any other how-to ("how do I push my commits"): the entries it names step back; so do, in a describing question,
entries whose names cover little of it. Comparison ("A vs B"): the best entry for each side comes first, in the
order asked.
"""

from __future__ import annotations

import numpy as np

from ranking.config import RankingConfig
from ranking.features import Features

# The moves (config.howto_lift, howto_related, howto_problem, compare_lift) are order keys only: added to a
# copy of the fused scores to move entries, never shown as a score.


def howto(features: Features, target_names: np.ndarray, acts: np.ndarray, related: set[int],
          key: np.ndarray, config: RankingConfig, name_weight: float) -> set[int]:
    """Move the entries acting on `target` up; returns them. `target_names`: the name score of the target."""
    problems = {int(e) for e in np.flatnonzero(target_names >= config.howto_named)}
    if not problems:  # X names nothing in the glossary: words alone are too weak a sign of acting on it
        return set()
    helpers = ({int(e) for e in np.flatnonzero(acts >= config.howto_acts)} | related) - problems
    helpers &= {int(e) for e in np.flatnonzero(features.candidate)}
    for e in helpers:
        key[e] += config.howto_lift * min(1.0, float(acts[e]) + (config.howto_related if e in related else 0.0))
    names = features.column("name")
    for p in problems:
        key[p] -= config.howto_problem + name_weight * float(names[p])
    return helpers


def task(features: Features, mentioned: set[int], key: np.ndarray, config: RankingConfig,
         name_weight: float) -> None:
    """ "how do I push my commits": the entries the question mentions (Commit) step back and lose their name
    credit, as the target of "how do I avoid X" does. What does the task is rarely named in it (in the eval
    sets' how-to questions, 1 answer in 169 was)."""
    _step_back(features, mentioned | set(features.named), key, config, name_weight)


def context(features: Features, mentioned: set[int], key: np.ndarray, config: RankingConfig,
            name_weight: float) -> None:
    """A describing question ("one lost packet at the front holds up everything behind it"): an entry whose name
    covers little of it (Packet) is context, not the answer, and steps back the same way (no paraphrase in the
    eval sets names its answer)."""
    names = features.column("name")
    _step_back(features, {e for e in mentioned | set(features.named) if names[e] < config.context_name}, key,
               config, name_weight)


def _step_back(features: Features, rows: set[int], key: np.ndarray, config: RankingConfig,
               name_weight: float) -> None:
    names = features.column("name")
    for e in rows:
        key[e] -= config.howto_problem + name_weight * float(names[e])


def compare(sides: list[np.ndarray], key: np.ndarray, allowed: np.ndarray | None, config: RankingConfig
            ) -> list[int]:
    """The best entry of each side goes to the top, in the order asked; returns them."""
    chosen: list[int] = []
    for n, side in enumerate(sides):
        side = side.copy()
        side[chosen] = -np.inf
        if allowed is not None:
            side[~allowed] = -np.inf
        best = int(np.argmax(side))
        if not np.isfinite(side[best]):
            continue
        chosen.append(best)
        # Ties keep the order asked in ("encoder vs decoder": Encoder first).
        key[best] = max(key[best], side[best]) + config.compare_lift - 1e-3 * n
    return chosen
