"""Typed search results, shared by the Python API, the CLI and the web app."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from ranking.explain import Why

# How sure a hit is, in words; the CLI, the JSON and the page all say the same. Calibrated on the six eval sets
# (docs/quality.md, "Confidence bands"; `python -m search.bands` measures them): "strong" means "answers the
# question". Only the first hit can be strong: below it, even a confident hit is the right answer 3-11 % of the
# time (a related entry: Underfitting beside Dropout), unless it is as sure as a name the question says.
STRONG_FLOOR = 0.9  # the first hit at or above: the right term 93 % of the time (the old 0.75 for any hit: 39 %)
GOOD_FLOOR = 0.6  # the first hit: right about half of the time
POSSIBLE_FLOOR = 0.5  # the calibrated no-match line: below it the engine says "no match"
TIED_FLOOR = 0.99  # a later hit this sure (a second name the question says, as in a comparison) is "good"
# Hit.score at or above each floor, for the first hit; a later hit is capped by `band_of`.
CONFIDENCE_BANDS = ((STRONG_FLOOR, "strong"), (GOOD_FLOOR, "good"), (POSSIBLE_FLOOR, "possible"), (0.0, "weak"))


def band_of(score: float, rank: int = 1) -> str:
    """The band of a hit with this score at this place (1 = first) in its result."""
    band = next(name for floor, name in CONFIDENCE_BANDS if score >= floor)
    if rank > 1 and band in ("strong", "good"):
        return "good" if score >= TIED_FLOOR else "possible"
    return band


@dataclass(frozen=True)
class Hit:
    term: str  # the entry's exact heading text
    score: float  # relevance in [0, 1]; higher is better
    definition: str  # markdown, as written in the glossary
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    why: str = ""  # what carried the match: an alias, a definition sentence, a keyword
    source: str = ""  # glossary name
    anchor: str = ""
    explanation: Why | None = None  # `why` as data: kind, what matched, the entry's sentence, typo fixes
    rank: int = 1  # place in its result, 1 = first (set by SearchResult)

    @property
    def band(self) -> str:
        """How sure the match is, in words: the same cut-offs for the CLI, the API and the page."""
        return band_of(self.score, self.rank)

    def to_json(self) -> dict:
        data = asdict(self)
        data["aliases"], data["related"] = list(self.aliases), list(self.related)
        data["explanation"] = self.explanation.to_json() if self.explanation else None
        data["band"] = self.band
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    no_match: bool  # nothing answers the question; hits then holds the nearest terms as suggestions
    note: str | None = None  # about the question itself, e.g. that it was cut to the longest length read

    def __post_init__(self):  # each hit knows its place, which its band depends on
        if any(h.rank != n for n, h in enumerate(self.hits, 1)):
            object.__setattr__(self, "hits", tuple(replace(h, rank=n) for n, h in enumerate(self.hits, 1)))

    def to_json(self) -> dict:
        data = {"query": self.query, "no_match": self.no_match, "hits": [h.to_json() for h in self.hits]}
        if self.note:
            data["note"] = self.note
        return data
