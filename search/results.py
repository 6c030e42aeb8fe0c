"""Typed search results, shared by the Python API, the CLI and the web app."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ranking.explain import Why

# Hit.score at or above each floor, in words; 0.5 is the calibrated no-match line. The CLI, the JSON and the page
# all say the same.
CONFIDENCE_BANDS = ((0.75, "strong"), (0.6, "good"), (0.5, "possible"), (0.0, "weak"))


def band_of(score: float) -> str:
    return next(name for floor, name in CONFIDENCE_BANDS if score >= floor)


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

    @property
    def band(self) -> str:
        """How sure the match is, in words: the same cut-offs for the CLI, the API and the page."""
        return band_of(self.score)

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

    def to_json(self) -> dict:
        data = {"query": self.query, "no_match": self.no_match, "hits": [h.to_json() for h in self.hits]}
        if self.note:
            data["note"] = self.note
        return data
