"""Query analysis, the first ranking stage: typos fixed, intent read, acronyms spelled out, the question found."""

from __future__ import annotations

from dataclasses import dataclass

from indexformat.text import content_words, sentences
from ranking.config import RankingConfig
from ranking.intent import read_intent
from ranking.names import NameMatcher


@dataclass(frozen=True)
class Analysis:
    text: str  # the question, typos fixed
    fixes: tuple[tuple[str, str], ...]  # (as typed, fixed)
    target: str | None  # how-to: what the asker wants to act on
    parts: tuple[str, ...]  # comparison: the sides, in the order asked
    by_or: bool  # the sides were only joined by "or"
    focus: str | None  # a pasted paragraph's question sentence
    embed: tuple[str, ...]  # what the encoder sees: the question, then each side, then the focus


def analyse(text: str, speller, names: NameMatcher, config: RankingConfig) -> Analysis:
    fixed, fixes = speller.correct(text)
    intent = read_intent(fixed, config.side_words)
    target = intent.target if intent.target and content_words(intent.target) else None
    focus = asked(fixed, config.long_words)
    embed = (names.expand(fixed), *map(names.expand, intent.parts), *([focus] if focus else []))
    return Analysis(fixed, tuple(fixes), target, intent.parts, intent.by_or, focus, embed)


def asked(text: str, long_words: int) -> str | None:
    """The question in a long paragraph: its last sentence with a question mark, if the text is long."""
    if len(text.split()) < long_words:
        return None
    found = [s for s in sentences(text) if s.rstrip().endswith("?")]
    return found[-1] if found else None
