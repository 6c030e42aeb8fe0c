"""Typo correction against the glossary's own words (rapidfuzz): "dropuot" -> "dropout".

Only words that are neither in the glossary nor in an English word list (pyspellchecker's) are touched,
and only when exactly one glossary word is within one edit (two for long words), a swap of neighbours
counting as one edit. So "bread" stays as typed. A real word is fixed only inside a whole name of several words,
the others typed as written: "learning rat too high" -> "learning rate", "gradient decent" -> "gradient
descent", while "a rat in the kitchen" stays.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from indexformat.text import STOPWORDS

_WORD = re.compile(r"[^\W\d_]+")


class Speller:
    def __init__(self, vocab: Sequence[str], min_letters: int = 5, long_letters: int = 8,
                 names: Sequence[str] = (), in_name_letters: int = 3):
        """Words shorter than `min_letters` stay as typed; from `long_letters` on, two edits are allowed
        (ranking.config's typo_min_letters, typo_long). `names`: the glossary's names; inside a name of several
        words typed whole, a word of `in_name_letters` or more may be a one-edit typo of the name's word."""
        self._min, self._long, self._in_name = min_letters, long_letters, in_name_letters
        self._known = set(vocab)
        self._by_first: dict[str, list[str]] = {}
        for word in vocab:
            self._by_first.setdefault(word[0], []).append(word)
        # names of several words, by their first and by their second word (one of the two is typed as written)
        self._names: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            said = tuple(_WORD.findall(name.casefold()))
            for word in said[:2] if len(said) > 1 else ():
                self._names.setdefault(word, set()).add(said)

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

        fixed = _WORD.sub(swap, text)
        return self._in_names(fixed, fixes) if self._names else (fixed, fixes)

    def _in_names(self, text: str, fixes: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
        """Real words fixed by the name they stand in: the question holds a whole name of several words, in
        order, with one word one edit away (not a plural of it), and that word stands in no other such name."""
        found = list(_WORD.finditer(text))
        said = [m.group(0).casefold() for m in found]
        close: dict[int, set[str]] = {}
        for at, word in enumerate(said):
            for start, name in {(at - k, n) for k in (0, 1) for n in self._names.get(word, ())}:
                if start < 0 or start + len(name) > len(said):
                    continue
                window = said[start:start + len(name)]
                differ = [i for i, (typed, want) in enumerate(zip(window, name, strict=True)) if typed != want]
                if len(differ) != 1:
                    continue
                typed, want = window[differ[0]], name[differ[0]]
                if (len(typed) < self._in_name or typed in self._known or typed in STOPWORDS
                        or typed.rstrip("s") == want.rstrip("s")):
                    continue
                from rapidfuzz.distance import OSA  # only for a name typed with one word off: rarely imported

                if OSA.distance(typed, want) == 1:
                    close.setdefault(start + differ[0], set()).add(want)
        swaps = {at: next(iter(wants)) for at, wants in close.items() if len(wants) == 1}
        if not swaps:
            return text, fixes
        pieces, done = [], 0
        for at, m in enumerate(found):
            if at in swaps:
                pieces += [text[done:m.start()], swaps[at]]
                done = m.end()
                fixes.append((m.group(0), swaps[at]))
        return "".join(pieces) + text[done:], fixes
