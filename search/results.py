"""Typed search results, shared by the Python API, the CLI and the web app."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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

    def to_json(self) -> dict:
        data = asdict(self)
        data["aliases"], data["related"] = list(self.aliases), list(self.related)
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    no_match: bool  # nothing answers the question; hits then holds the nearest terms as suggestions

    def to_json(self) -> dict:
        return {"query": self.query, "no_match": self.no_match, "hits": [h.to_json() for h in self.hits]}
