"""Every tunable number of the ranking, in one frozen config.

The build writes the config it fitted into the index (`ranking.json`), and the code's defaults are part of the
index fingerprint, so changing a number here makes the next `rebuild-index` fit again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace

from indexformat import store
from indexformat.reader import IndexReader

# Signals computed for every candidate entry (search/features.py), in this order.
FEATURES = ("dense", "entry", "keywords", "name", "phrase")


@dataclass(frozen=True)
class RankingConfig:
    # Fusion: fused = sum(weight * feature). dense is the best passage's cosine, entry the cosine of the whole
    # "term: definition" vector, keywords BM25 as a share of the question's IDF mass, name how much of the
    # question one of the entry's names covers (times how specific the name is), phrase the share of the
    # question's word pairs found side by side in the entry.
    weights: tuple[float, ...] = (0.5, 0.5, 0.35, 0.45, 0.25)
    # Candidates: only these entries are scored.
    dense_depth: int = 256  # passages read from FAISS per question
    keyword_depth: int = 64  # best BM25 entries added
    # Query analysis.
    long_words: int = 30  # a question this long is a pasted paragraph: its question sentence is embedded too
    focus_mix: float = 0.5  # share of that question sentence in the dense features
    context_share: float = 0.5  # a name after "in"/"for" ("a neuron in deep learning") counts this much
    # How sure a name match is, by where the name came from (indexformat/lexicon.py).
    sure_written: float = 1.0  # a heading or an alias the glossary writes
    sure_joined: float = 0.9  # "multilayer" for "Multi-Layer"
    sure_initials_seen: float = 0.8  # a multi-word name's initials, written in capitals (glossary or question)
    sure_guess: float = 0.35  # lowercase initials the glossary never writes, or letters matched inside words
    sure_clipped: float = 0.8  # an unknown word that starts exactly one name run together ("batchnorm")
    acronym_weight: float = 2.0  # a capitalised acronym counts as this many question words
    # A name that covers only part of the question counts in proportion to how specific it is: names that
    # many definitions use ("network", "object") are hubs, not answers.
    specificity_floor: float = 0.15
    # Intent rules: they re-order candidates and never change a score.
    intent_rules: bool = True  # off: how-to and comparison questions are ranked like any other (ablation)
    howto_acts: float = 0.3  # a definition holding this share of the target's keywords acts on it
    howto_named: float = 0.5  # the target names an entry when its name score reaches this
    or_words: int = 3  # "A or B" is a comparison only when both sides are this short and both name entries
    # Confidence: a logistic of the fused score, 0.5 at the no-match line of the hit's glossary.
    slope: float = 6.0
    default_line: float = 0.45  # for an index built without a calibration
    lines: tuple[tuple[str, float], ...] = field(default=())  # (source, line); "" is the whole index

    def weight(self, feature: str) -> float:
        return self.weights[FEATURES.index(feature)]

    def with_weights(self, weights) -> RankingConfig:
        return replace(self, weights=tuple(round(float(w), 4) for w in weights))

    def line(self, source: str | None = None) -> float:
        found = dict(self.lines)
        if source is not None and source in found:
            return found[source]
        return found.get("", self.default_line)

    def to_json(self) -> dict:
        data = asdict(self)
        data["weights"] = dict(zip(FEATURES, self.weights, strict=True))
        data["lines"] = dict(self.lines)
        return data

    @classmethod
    def from_json(cls, data: dict) -> RankingConfig:
        data = dict(data)
        weights = data.pop("weights")
        lines = data.pop("lines", {})
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(weights=tuple(float(weights[f]) for f in FEATURES), lines=tuple(lines.items()), **known)


DEFAULT = RankingConfig()
# Used when the build-time fit does not beat dense retrieval on the questions it held back.
DENSE_LED = DEFAULT.with_weights((0.5, 0.5, 0.1, 0.15, 0.05))


def read_config(reader: IndexReader) -> RankingConfig:
    """The ranking config fitted for the index version `reader` reads, or the defaults for one built without it."""
    data = reader.json(store.RANKING)
    if data is None:
        return DEFAULT
    return reader.load(store.RANKING, lambda _: RankingConfig.from_json(data["config"]))


def config_hash(config: RankingConfig = DEFAULT) -> str:
    """Part of the index fingerprint: a changed default makes the next build fit again."""
    return hashlib.sha256(json.dumps(config.to_json(), sort_keys=True).encode()).hexdigest()[:16]
