"""Text helpers shared by the build and the query side: words, sentences, stopwords."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")

# Words that say how a question is asked, not what it is about. Generic English, no glossary terms.
STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren as at be because been before being below
between both but by can cannot could did didn do does doesn doing don down during each else even ever every
few for from further had has have having he her here hers herself him himself his how however i if in into is
isn it its itself just let like lot lots me more most much must my myself need no nor not now of off often on
once only or other our ours ourselves out over own please quite rather really same say says she should so some
something such tell than that the their theirs them themselves then there these they thing things this those
through to too under until up upon us use used using very want was wasn way ways we were what whats when where
whether which while who whom whose why will with within without would you your yours yourself yourselves
anyone someone somebody called call name named term word mean means meaning meant define defined definition
explain explained describe example examples exactly actually basically kind sort type types get got give
know understand difference differences between versus vs compare compared comparison
""".split()
)


def normalize(name: str) -> str:
    """The one key for matching names written in different ways: case, spacing, hyphens, underscores and
    slashes ignored ("Multi-Head Attention" = "multi head attention")."""
    return " ".join(re.sub(r"[-_/]", " ", name.casefold()).split())


def words(text: str) -> list[str]:
    """Lowercase words, apostrophes kept inside ("kepler's")."""
    return [w.casefold() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def sentences(text: str) -> list[str]:
    """Split at sentence ends followed by a capital (keeps "e.g., Max" and "vs. semantic" whole)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def bare_name(term: str) -> str:
    """`Kernel (Filter)` -> `Kernel`: the heading without its trailing parenthesis."""
    return _TRAILING_PARENS.sub("", term).strip() or term
