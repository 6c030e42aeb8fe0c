"""Intent rules, the last ranking stage before confidence: they re-order candidates and never change a score.

How-to ("how do I avoid X", X naming an entry): entries whose definitions act on X move above the entry that is
X. Comparison ("A vs B"): the best entry for each side comes first, in the order asked.
"""

from __future__ import annotations

import numpy as np

from ranking.config import RankingConfig
from ranking.features import Features

# Order keys only: added to a copy of the fused scores to move entries, never shown as a score.
ACTS_ON = 0.45  # how-to: an entry whose definition holds all of the target's keywords moves up this much
RELATED = 0.3  # how-to: a link from the entry to the target's entry counts as this share of the keywords
PROBLEM = 0.12  # how-to: the entry that is the target steps back this much, and loses its name credit
COMPARED = 0.5  # comparison: the best entry for each side moves above everything else


def howto(target: str, features: Features, target_names: np.ndarray, acts: np.ndarray, related: set[int],
          key: np.ndarray, config: RankingConfig, name_weight: float) -> set[int]:
    """Move the entries acting on `target` up; returns them. `target_names`: the name score of the target."""
    problems = {int(e) for e in np.flatnonzero(target_names >= config.howto_named)}
    if not problems:  # X names nothing in the glossary: words alone are too weak a sign of acting on it
        return set()
    helpers = ({int(e) for e in np.flatnonzero(acts >= config.howto_acts)} | related) - problems
    helpers &= {int(e) for e in np.flatnonzero(features.candidate)}
    for e in helpers:
        key[e] += ACTS_ON * min(1.0, float(acts[e]) + (RELATED if e in related else 0.0))
    for p in problems:
        key[p] -= PROBLEM + name_weight * float(features.values[p, 3])
    return helpers


def compare(sides: list[np.ndarray], key: np.ndarray, allowed: np.ndarray | None) -> list[int]:
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
        key[best] = max(key[best], side[best]) + COMPARED - 1e-3 * n
    return chosen
