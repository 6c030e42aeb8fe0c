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
    # `weights` fuse a question that names an entry ("what is X", "X", a typo or an acronym of X);
    # `describing` fuse every other question, where names of entries are context (ranking/understand.py).
    weights: tuple[float, ...] = (0.5, 0.5, 0.35, 0.45, 0.25)
    describing: tuple[float, ...] = (0.5, 0.5, 0.35, 0.15, 0.25)
    naming_coverage: float = 1.0  # a question names an entry when the name covers this share of its subject
    # A word this share of the definitions use, which is no entry's name, names the field ("git submodule"): it is
    # left out of the subject when anything else is asked.
    field_share: float = 0.3
    # Candidates: only these entries are scored.
    dense_depth: int = 256  # passages read from FAISS per question
    keyword_depth: int = 64  # best BM25 entries added
    # Keywords: BM25 (bm25s) parameters, and how much the words of a setting ("... in deep learning") count.
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    setting_share: float = 0.5
    # Query analysis.
    long_words: int = 30  # a question this long is a pasted paragraph: its question sentence is embedded too
    focus_mix: float = 0.5  # share of that question sentence in the dense features
    context_share: float = 0.5  # a name after "in"/"for" ("a neuron in deep learning") counts this much
    side_words: int = 6  # a side of "A vs B" longer than this is a sentence joined by "or", not a thing compared
    # Typos: words this short are never touched; one edit is allowed below `typo_long` letters, two from it.
    typo_min_letters: int = 5
    typo_long: int = 8
    # Inside a name of several words typed whole, a word this long may be a one-edit typo of the name's word.
    typo_in_name_letters: int = 3
    # How sure a name match is, by where the name came from (indexformat/lexicon.py).
    sure_written: float = 1.0  # a heading or an alias the glossary writes
    sure_joined: float = 0.9  # "multilayer" for "Multi-Layer"
    sure_initials_seen: float = 0.8  # a multi-word name's initials, written in capitals (glossary or question)
    sure_guess: float = 0.35  # lowercase initials the glossary never writes, or letters matched inside words
    sure_clipped: float = 0.8  # an unknown word that starts exactly one name run together ("batchnorm")
    acronym_weight: float = 2.0  # a capitalised acronym counts as this many question words
    known_dilution: float = 0.5  # a question word the glossary uses dilutes a name this much (a foreign one: 1)
    acronym_letters: tuple[int, int] = (2, 6)  # an acronym is this many letters long
    guess_letters: int = 3  # a lowercase token read as a name's initials has at least this many letters
    clipped_letters: int = 5  # an unknown word read as the start of a name run together has at least this many
    # A name that covers only part of the question counts in proportion to how specific it is: names that
    # many definitions use ("network", "object") are hubs, not answers.
    specificity_floor: float = 0.15
    # Intent rules: they re-order candidates and never change a score.
    intent_rules: bool = True  # off: how-to and comparison questions are ranked like any other (ablation)
    howto_acts: float = 0.3  # a definition holding this share of the target's keywords acts on it
    howto_named: float = 0.5  # the target names an entry when its name score reaches this
    howto_lift: float = 0.45  # an entry whose definition holds all of the target's keywords moves up this much
    howto_related: float = 0.3  # a link from the entry to the target's entry counts as this share of keywords
    # The entry that is the target (in any other how-to: an entry it names) steps back this much, and loses its
    # name credit.
    howto_problem: float = 0.12
    context_name: float = 0.25  # in a describing question, a name covering less than this of it is context
    mention_words: int = 4  # the longest name (in words) looked for in any form of its words (names.mentioned)
    # Late interaction (ranking/late.py): among this many best candidates of a describing or how-to question,
    # an entry moves by this weight times how far its word-piece match is from theirs.
    late_depth: int = 20
    late_weight: float = 0.8
    # A how-to question ("how do I ...", intent.asks_how) says its task in other words than the answer's definition
    # and names what the task works on: its word pieces weigh more (docs/quality.md, ninth round).
    late_weight_howto: float = 1.5
    late_named_lead: float = 0.07  # ... unless the question names its fused leader, this far ahead of the second
    # A hit the stage scored whose word pieces match the question better than `late_sure_floor` (the mean best
    # cosine, ranking/late.py) is surer: its confidence's logit rises by `late_sure_lift` times the excess. It
    # never falls, so the pieces can let a real question through but never refuse one; the floor sits above
    # what everyday questions reach against their first hit (docs/quality.md, ninth round).
    late_sure_floor: float = 0.42
    late_sure_lift: float = 8.0
    # ... up to this confidence: over the no-match line (0.5), under the "good" band (search/results.py: 0.6), so
    # "strong" still means what the fused score says.
    late_sure_cap: float = 0.55
    compare_lift: float = 0.5  # comparison: the best entry for each side moves above everything else
    or_words: int = 3  # "A or B" is a comparison only when both sides are this short and both name entries
    # Explanations: a name explains a hit from this name score; keywords when their share of the fused score
    # is at least this share of the dense one.
    why_name: float = 0.4
    why_keywords: float = 0.5
    # Confidence: a logistic of the fused score, 0.5 at the no-match line of the hit's glossary.
    slope: float = 6.0
    default_line: float = 0.45  # for an index built without a calibration
    lines: tuple[tuple[str, float], ...] = field(default=())  # (source, line); "" is the whole index
    # A describing question of at least `lone_words` words of which the glossary uses at most one ("how do I
    # repot a plant into a bigger container" against a glossary with Container) must clear the line by
    # `lone_margin`, fitted at build time on everyday questions with a glossary word put in: the margin puts
    # the line above `lone_quantile` of them.
    lone_words: int = 3
    lone_quantile: float = 0.9
    lone_margin: float = 0.0
    # A describing question tied to its first hit by at most `homonym_ties` words, which, said without them (at
    # least `homonym_rest` content words left, one the glossary never uses), is no nearer any entry than
    # `homonym_line`, is off-topic (ranking/homonym.py). The line is fitted at build time at `homonym_quantile`
    # of the everyday questions' nearest-entry cosines (below 0: not fitted, the test is off). Its hits are
    # capped at `homonym_cap`, under the no-match confidence of 0.5.
    homonym_ties: int = 2
    homonym_rest: int = 2
    homonym_quantile: float = 0.5
    homonym_line: float = -1.0
    homonym_cap: float = 0.45
    # Calibration of the no-match line (index/calibrate.py): it starts above `negative_quantile` of the
    # off-topic questions' top scores and moves `gap_share` of the way to `positive_quantile` of the generated
    # questions'; a glossary with fewer than `min_positives` generated questions uses the whole index's line.
    negative_quantile: float = 0.95
    positive_quantile: float = 0.05
    gap_share: float = 0.06
    min_positives: int = 20

    def weight(self, feature: str, naming: bool = True) -> float:
        return self.weights_for(naming)[FEATURES.index(feature)]

    def weights_for(self, naming: bool) -> tuple[float, ...]:
        return self.weights if naming else self.describing

    def with_weights(self, weights, describing=None) -> RankingConfig:
        rounded = lambda ws: tuple(round(float(w), 4) for w in ws)  # noqa: E731
        return replace(self, weights=rounded(weights),
                       describing=rounded(describing if describing is not None else self.describing))

    def line(self, source: str | None = None, lone: bool = False) -> float:
        found = dict(self.lines)
        margin = self.lone_margin if lone else 0.0
        if source is not None and source in found:
            return found[source] + margin
        return found.get("", self.default_line) + margin

    def to_json(self) -> dict:
        data = asdict(self)
        data["weights"] = dict(zip(FEATURES, self.weights, strict=True))
        data["describing"] = dict(zip(FEATURES, self.describing, strict=True))
        data["lines"] = dict(self.lines)
        return data

    @classmethod
    def from_json(cls, data: dict) -> RankingConfig:
        data = dict(data)
        weights = data.pop("weights")
        describing = data.pop("describing", weights)  # an index fitted before the naming/describing split
        lines = data.pop("lines", {})
        known = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
                 if k in cls.__dataclass_fields__}
        return cls(weights=tuple(float(weights[f]) for f in FEATURES),
                   describing=tuple(float(describing[f]) for f in FEATURES), lines=tuple(lines.items()), **known)


DEFAULT = RankingConfig()
# Used when the build-time fit does not beat dense retrieval on the questions it held back.
DENSE_LED = DEFAULT.with_weights((0.5, 0.5, 0.1, 0.15, 0.05), (0.5, 0.5, 0.1, 0.05, 0.05))


def read_config(reader: IndexReader) -> RankingConfig:
    """The ranking config fitted for the index version `reader` reads, or the defaults for one built without it."""
    data = reader.json(store.RANKING)
    if data is None:
        return DEFAULT
    return reader.load(store.RANKING, lambda _: RankingConfig.from_json(data["config"]))


def config_hash(config: RankingConfig = DEFAULT) -> str:
    """Part of the index fingerprint: a changed default makes the next build fit again."""
    return hashlib.sha256(json.dumps(config.to_json(), sort_keys=True).encode()).hexdigest()[:16]
