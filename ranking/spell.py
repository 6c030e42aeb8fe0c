"""Typo correction against the glossary's own words (rapidfuzz): "dropuot" -> "dropout".

Only words that are neither in the glossary nor in an English word list (pyspellchecker's) are touched,
and only when exactly one glossary word is within one edit (two for long words), a swap of neighbours
counting as one edit. So "learning rat" and "bread" stay as typed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from indexformat.text import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+")


class Speller:
    def __init__(self, vocab: Sequence[str], min_letters: int = 5, long_letters: int = 8):
        """Words shorter than `min_letters` stay as typed; from `long_letters` on, two edits are allowed
        (ranking.config's typo_min_letters, typo_long)."""
        self._min, self._long = min_letters, long_letters
        self._known = set(vocab)
        self._by_first: dict[str, list[str]] = {}
        for word in vocab:
            self._by_first.setdefault(word[0], []).append(word)

    @functools.cached_property
    def _english(self):
        """pyspellchecker's English word list (~160k words): loaded on the first question that needs it, not when
        an index opens; from a plain file in the user cache (ranking/wordlist.py: ~10 ms instead of 0.2-0.7 s)."""
        from ranking.wordlist import english_words

        return english_words()

    def is_english(self, word: str) -> bool:
        return word in self._english

    def _fix(self, word: str) -> str | None:
        low = word.casefold()
        if len(low) < self._min or low in self._known or low in STOPWORDS:
            return None
        from rapidfuzz import process  # only for a word that may be a typo: "what is sgd" never imports it
        from rapidfuzz.distance import OSA

        limit = 1 if len(low) < self._long else 2
        # Typos rarely hit the first letter; comparing with same-initial words keeps this fast and precise.
        found = process.extract(
            low, self._by_first.get(low[0], []), scorer=OSA.distance, score_cutoff=limit, limit=3
        )
        if not found or self.is_english(low):  # a real word near a glossary word is not a typo of it
            return None
        best = min(d for _, d, _ in found)
        choices = [w for w, d, _ in found if d == best]
        return choices[0] if len(choices) == 1 else None  # two equally close words: leave it alone

    def correct(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """The text with typos fixed, and the (typo, fix) pairs."""
        fixes: list[tuple[str, str]] = []

        def swap(match: re.Match) -> str:
            fixed = self._fix(match.group(0))
            if fixed is None:
                return match.group(0)
            fixes.append((match.group(0), fixed))
            return fixed

        return _WORD.sub(swap, text), fixes
