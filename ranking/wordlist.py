"""The English word list the speller consults, as a plain sorted file that loads in milliseconds.

pyspellchecker ships its list as gzipped JSON with frequencies; building a SpellChecker from it takes 0.2-0.7 s,
and the ranking only asks whether a word is in it. The first process that needs the list writes its words
(lowercased, sorted, one a line) into the user cache, named after pyspellchecker's file (size and time), and
every later process reads that file: the build does it first, so queries find it written. When the cache
cannot be written or read, pyspellchecker's own list answers, as before.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

from indexformat.paths import words_cache_dir

LANGUAGE = "en"


class SortedWords:
    """Membership in a text of sorted, lowercased words one a line, by binary search over the text itself: no
    list or set of 160k strings to build at load (that alone took 10-30 ms)."""

    def __init__(self, text: str):
        self._text = text

    def __contains__(self, word: str) -> bool:
        word, text = word.lower(), self._text
        lo, hi = 0, len(text)  # lo and hi are always the start of a line (or the end)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1  # the line holding position mid
            end = text.find("\n", mid)
            end = len(text) if end < 0 else end
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                lo = end + 1
            else:
                hi = start
        return False


def english_words():
    """Something `word in` works on, with pyspellchecker's English membership (case ignored)."""
    cached = _cache_file()
    if cached is not None:
        try:
            return SortedWords(cached.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            pass
    checker = _spellchecker()
    if cached is not None:
        _write(cached, sorted(checker.word_frequency.dictionary))
    return checker


def _spellchecker():
    from spellchecker import SpellChecker

    return SpellChecker(language=LANGUAGE, distance=1)


def _cache_file() -> Path | None:
    """The cache file for the installed pyspellchecker list, or None when that list cannot be found."""
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or not spec.origin:
        return None
    source = Path(spec.origin).parent / "resources" / f"{LANGUAGE}.json.gz"
    try:
        stat = source.stat()
    except OSError:
        return None
    return words_cache_dir() / f"{LANGUAGE}-{stat.st_size}-{stat.st_mtime_ns}.txt"


def _write(path: Path, words: list[str]) -> None:
    """Written whole or not at all (a temporary file renamed), so a reader never sees half a list."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=".tmp-") as f:
            f.write("\n".join(words))
        os.replace(f.name, path)
    except OSError:
        pass  # a read-only cache: the next process loads pyspellchecker again
