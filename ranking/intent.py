"""What kind of question this is, from its wording alone: a how-to aimed at a problem, or a comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ranking.config import DEFAULT

# "how do I avoid X", "ways to prevent X", "what helps reduce X": the answer acts on X, it is not X itself.
_ACT = (
    r"avoid|prevent|reduce|fix|stop|deal with|handle|combat|mitigate|tackle|overcome|solve|address|"
    r"escape|counter|cure|get rid of|minimi[sz]e|lower|limit|beat|fight|correct|remedy|cope with|"
    r"get around|work around|eliminate|decrease|suppress|avoiding|preventing|reducing|fixing|"
    # improving X is acting on X too
    r"speed up|accelerate|improve|stabili[sz]e|regulari[sz]e|make(?=\s.+\b(?:faster|quicker|better|"
    r"more|less|converge\w*|stable|robust|smaller|cheaper|generali[sz]e\w*)\b)"
)
_HOWTO = re.compile(
    rf"\b(?:how\s+(?:do|can|could|should|would|to|might|does|did)?\s*(?:i|we|you|one|people|someone)?\s*"
    rf"|ways?\s+(?:to|of)\s+|what\s+(?:helps?|can|should|would|technique|method)\s+(?:\w+\s+)?(?:to\s+)?"
    rf"|techniques?\s+(?:to|for)\s+|methods?\s+(?:to|for)\s+|tips?\s+(?:to|for)\s+)"
    rf"(?:{_ACT})\s+(?P<target>.+)$",
    re.IGNORECASE,
)
# Any how-to, whatever the verb ("how do I push my commits", "ways to share a branch"): the answer is what does
# the task; the entries it names are what the task works on.
# "how do controllers work" asks what they are: a task has someone doing it ("how do I", "how can my app") or "to".
_TASK = re.compile(r"^\W*(?:how\s+(?:(?:do|can|could|should|would|might)\s+(?:i|we|you|one|my|our)\b|to\b)"
                   r"|(?:what\s+is\s+the\s+)?(?:best\s+)?ways?\s+to\b)", re.IGNORECASE)
_TRAILING = re.compile(r"[\s?.!]+$|\s+(?:in|during|when|while|for|with)\s+.*$", re.IGNORECASE)

_BETWEEN = re.compile(r"\bdifferences?\s+between\s+(?P<parts>.+)$", re.IGNORECASE)
_VERSUS = re.compile(r"\s+(?:vs\.?|versus|v\.|compared\s+(?:to|with))\s+", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_LIST = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+", re.IGNORECASE)
_FILLER = re.compile(r"^(?:the|a|an|is|are|what|which|whats|what's)\s+|[\s?.!,]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Intent:
    target: str | None = None  # how-to: what the asker wants to act on ("overfitting")
    parts: tuple[str, ...] = ()  # comparison: the things compared, in the order asked
    by_or: bool = False  # the sides are only joined by "or": a comparison only if both sides are names


def asks_how(text: str) -> bool:
    """Whether the question asks how to do something (any task, not only acting on a problem)."""
    return _TASK.search(text) is not None


def howto_target(text: str) -> str | None:
    match = _HOWTO.search(text)
    if not match:
        return None
    target = _TRAILING.sub("", match["target"]).strip()
    target = re.sub(r"^(?:and|or|also|then)\s+", "", target, flags=re.IGNORECASE)
    return target or None


def comparison_parts(text: str, side_words: int = DEFAULT.side_words,
                     splitter: re.Pattern = _VERSUS) -> tuple[str, ...]:
    """`A vs B`, `difference between A, B and C` -> the parts; () when not a comparison."""
    text = text.strip()
    if splitter is _VERSUS and (match := _BETWEEN.search(text)):
        parts = _LIST.split(match["parts"])
    else:
        parts = splitter.split(text, maxsplit=3)
        if len(parts) < 2:
            return ()
    cleaned = []
    for part in parts:
        part = part.strip()
        for _ in range(3):
            part = _FILLER.sub("", part).strip()
        if part:
            cleaned.append(part)
    # Long sides are sentences joined by "or", not things being compared.
    if len(cleaned) < 2 or any(len(p.split()) > side_words for p in cleaned):
        return ()
    return tuple(cleaned)


def read_intent(text: str, side_words: int = DEFAULT.side_words) -> Intent:
    """`side_words`: a side of "A vs B" longer than this is a sentence joined by "or", not a thing compared."""
    target = howto_target(text)
    parts = comparison_parts(text, side_words)
    if parts or target:
        return Intent(target=target, parts=parts)
    # "A or B" is ambiguous ("a tool that measures speed or distance"): the rules decide once names are known.
    parts = comparison_parts(text, side_words, _OR)
    return Intent(parts=parts, by_or=bool(parts))
