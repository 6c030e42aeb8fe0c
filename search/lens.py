"""The glossary lens: every place a glossary term occurs in a text, as spans with the entry and a confidence.

Names come from the index's entries only: each heading, its bare form (`Kernel (Filter)` -> "Kernel"), each
alias and acronym, and hyphen-free spellings ("multilayer"). A name's word matches a word of the text when
it is the same word, an inflected form of it (same Snowball stem and only an inflectional ending changed:
"overfits" ~ "overfitting", "convolutional" ~ "convolution", but "encoding" !~ "encoder"), or a close
misspelling of a long word ("backpropogation"). Short or capitalised names ("IT", "SGD", "pc", "ReLU") match
only as written or in capitals, so the pronoun "it" is never the acronym IT. The longest name wins where
names overlap ("Stochastic Gradient Descent" over "Gradient Descent").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from indexformat.entry import Entry
from indexformat.errors import QueryError
from indexformat.text import STOPWORDS, bare_name, sentences

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_JOIN = re.compile(r"-(\w)")  # "Multi-Layer" is also written "multilayer"
_GAP = re.compile(r"[ \t]*\n?[ \t]*[-‐‑/]?[ \t]*\n?[ \t]*")  # between two words of one name
# Endings that change a word's inflection, not its meaning: plural, tense, participle, the adjective "-al".
# Agent nouns ("-er") and nominalisations ("-ation") are other words ("encoder" vs "encoding").
_INFLECTIONS = frozenset({"", "s", "es", "e", "ed", "d", "ing", "ings", "y", "ies", "ied", "al", "als", "ally",
                          "ae", "'s", "s'"})

# Confidence of a span, by how it matched.
EXACT = 0.95  # a name as written (a multi-word name, a distinctive word, an acronym in capitals)
COMMON_WORD = 0.75  # a one-word name that is also an everyday English word ("star", "attention")
INFLECTED = 0.85  # at least one word of the name in another inflection
MISSPELLED = 0.6  # one word of the name is a close misspelling
LOWERCASE_ACRONYM = 0.6  # "relu" for ReLU: an acronym written in lower case, not itself an English word

COMMON_FREQUENCY = 20_000  # pyspellchecker's count above which an English word is "everyday"
MIN_INFLECTED = 4  # shorter words are compared as written only ("see" is not "seeing")
MIN_MISSPELLED = 6  # shorter words are never taken for misspellings
MAX_CASE_FREE_ACRONYM = 3  # a name word this short is matched with its case ("pc", "Dec", "AU")
SHORT_DEFINITION_CHARS = 240
MAX_TEXT_CHARS = 20_000  # a long article; longer texts are read up to here (the result says so)


@dataclass(frozen=True)
class Span:
    start: int  # character offsets into the text: text[start:end] is what was marked
    end: int
    text: str
    term: str  # the entry's heading
    definition: str  # its first sentence, plain text
    confidence: float  # 0-1, by how it matched (see the constants above)
    how: str  # "name", "alias", "acronym", "inflected", "misspelled"
    source: str = ""
    anchor: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LensResult:
    spans: tuple[Span, ...]
    truncated: bool  # the text was longer than MAX_TEXT_CHARS and only its start was read

    def to_json(self) -> dict:
        return {"spans": [s.to_json() for s in self.spans], "terms": len({s.term for s in self.spans}),
                "truncated": self.truncated}


@dataclass(frozen=True)
class _Name:
    entry: int
    words: tuple[str, ...]  # as written in the glossary
    how: str  # "name" (heading) or "alias"


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    fold: str
    stem: str


class _English:
    """pyspellchecker's English word list, loaded once on first use (~0.3 s)."""

    _lock = threading.Lock()
    _words = None

    @classmethod
    def frequency(cls, word: str) -> int:
        with cls._lock:
            if cls._words is None:
                from spellchecker import SpellChecker

                cls._words = SpellChecker(language="en", distance=1).word_frequency
        return cls._words[word] if word in cls._words else 0


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'")


def _case_bound(word: str, alone: bool = True) -> bool:
    """Acronyms ("SGD", "ReLU", "M31", the "H" of "H-R Diagram") and short names on their own ("pc", "AU",
    "Dec") are matched with their case; the short words of a longer name ("Red Giant") are not."""
    if sum(c.isupper() for c in word) >= 2 or (len(word) == 1 and word.isupper()) or any(c.isdigit() for c in word):
        return True
    return alone and len(word) <= MAX_CASE_FREE_ACRONYM


def _inflection_of(a: str, b: str) -> bool:
    """Whether two words with the same stem differ only by an inflectional ending ("overfit", "overfitting")."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    tails = [a[n:], b[n:]]
    for i, tail in enumerate(tails):  # a doubled consonant before the ending: "overfitting", "padded"
        if n and tail[:1] == a[n - 1] and tail[1:] in _INFLECTIONS:
            tails[i] = tail[1:]
    return all(t in _INFLECTIONS for t in tails)


class Lens:
    """Built once per loaded index from its entries; `find` is thread-safe."""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = list(entries)
        stem = _stemmer().stemWord
        self._names: list[_Name] = []
        for row, entry in enumerate(self.entries):
            for name, how in self._written(entry):
                words = tuple(_TOKEN.findall(name))
                # A name that is an everyday little word counts only as an acronym in capitals ("IT", not "it").
                if not words or (len(words) == 1 and _fold(words[0]) in STOPWORDS
                                 and sum(c.isupper() for c in words[0]) < 2):
                    continue
                self._names.append(_Name(row, words, how))
        self._by_fold: dict[str, list[_Name]] = {}
        self._by_stem: dict[str, list[_Name]] = {}
        for name in dict.fromkeys(self._names):
            first = _fold(name.words[0])
            self._by_fold.setdefault(first, []).append(name)
            if not _case_bound(name.words[0], len(name.words) == 1) and len(first) >= MIN_INFLECTED:
                self._by_stem.setdefault(stem(first), []).append(name)
        self._glossary_words = {_fold(w) for e in self.entries for t in (e.term, *e.aliases, e.text)
                                for w in _TOKEN.findall(t)}
        self._firsts = sorted({f for f in self._by_fold if len(f) >= MIN_MISSPELLED})

    @staticmethod
    def _written(entry: Entry) -> list[tuple[str, str]]:
        names = [(entry.term, "name"), (bare_name(entry.term), "name")]
        names += [(a, "alias") for a in entry.aliases]
        names += [(_JOIN.sub(lambda m: m.group(1).lower(), n), how) for n, how in list(names) if "-" in n]
        return list(dict.fromkeys(names))

    def read(self, text: object, source: str | None = None) -> LensResult:
        """`find` for text from a user: checked (text, not empty, a known glossary) and cut to MAX_TEXT_CHARS."""
        if not isinstance(text, str):
            raise QueryError("the text must be text")
        if not text.strip():
            raise QueryError("the text is empty; give the text whose glossary terms you want marked")
        return LensResult(self.find(text[:MAX_TEXT_CHARS], source), len(text) > MAX_TEXT_CHARS)

    def find(self, text: str, source: str | None = None) -> tuple[Span, ...]:
        """Every glossary term in `text`, left to right, never overlapping; `source`: one glossary only."""
        stem = _stemmer().stemWord
        wanted = self._source(source)
        tokens = [_Token(m.start(), m.end(), m.group(), _fold(m.group()), stem(_fold(m.group())))
                  for m in _TOKEN.finditer(text)]
        found = []
        for i, token in enumerate(tokens):
            for name in self._candidates(token):
                entry = self.entries[name.entry]
                if wanted is not None and entry.source.casefold() != wanted:
                    continue
                matched = self._match(name, tokens, i, text)
                if matched is not None:
                    found.append((i, *matched, name))
        chosen: list[tuple] = []
        taken: list[tuple[int, int]] = []
        # Longest first (in words, then characters); a heading before an alias; then the surer match.
        for i, j, confidence, how, name in sorted(
                found, key=lambda f: (-(f[1] - f[0]), -(tokens[f[1] - 1].end - tokens[f[0]].start),
                                      f[4].how != "name", -f[2], f[0])):
            start, end = tokens[i].start, tokens[j - 1].end
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            chosen.append(self._span(text, start, end, confidence, how, name))
        return tuple(sorted(chosen, key=lambda s: s.start))

    def _source(self, source: str | None) -> str | None:
        if source is None or not source.strip():
            return None
        wanted = " ".join(source.split()).casefold()
        labels = list(dict.fromkeys(e.source for e in self.entries))
        if wanted not in {s.casefold() for s in labels}:
            raise QueryError(f"no glossary '{source[:80]}' in this index; it holds: {', '.join(labels)}")
        return wanted

    def _candidates(self, token: _Token) -> list[_Name]:
        names = list(self._by_fold.get(token.fold, ()))
        if token.fold.endswith("s"):  # "ANNs", "CCDs"
            names += self._by_fold.get(token.fold[:-1], ())
        if len(token.fold) >= MIN_INFLECTED:
            names += self._by_stem.get(token.stem, ())
        if self._misspelling(token.fold):
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            near = process.extract(token.fold, [f for f in self._firsts if f[0] == token.fold[0]],
                                   scorer=OSA.distance, score_cutoff=self._edits(token.fold), limit=3)
            for first, _, _ in near:
                names += self._by_fold[first]
        return list(dict.fromkeys(names))

    def _misspelling(self, fold: str) -> bool:
        """Only a long word that is neither the glossary's nor English may be a misspelling."""
        return (len(fold) >= MIN_MISSPELLED and fold.isalpha() and fold not in self._glossary_words
                and fold not in STOPWORDS and _English.frequency(fold) == 0)

    @staticmethod
    def _edits(word: str) -> int:
        return 1 if len(word) < 9 else 2

    def _match(self, name: _Name, tokens: list[_Token], i: int, text: str) -> tuple[int, float, str] | None:
        """(end token, confidence, how) when the name's words stand at tokens[i:], else None."""
        if i + len(name.words) > len(tokens):
            return None
        how = "acronym" if len(name.words) == 1 and _case_bound(name.words[0]) else name.how
        confidence = EXACT
        misspelled = 0
        for n, word in enumerate(name.words):
            token = tokens[i + n]
            if n and not _GAP.fullmatch(text, tokens[i + n - 1].end, token.start):
                return None  # punctuation between the words: "descent. Gradient" is not one name
            kind = self._word(word, token, alone=len(name.words) == 1, last=n == len(name.words) - 1)
            if kind is None:
                return None
            if kind == "lower-acronym":
                confidence, how = min(confidence, LOWERCASE_ACRONYM), "acronym"
            elif kind == "inflected":
                confidence, how = min(confidence, INFLECTED), "inflected"
            elif kind == "misspelled":
                misspelled += 1
                confidence, how = min(confidence, MISSPELLED), "misspelled"
        if misspelled > 1:
            return None
        if len(name.words) == 1 and how in ("name", "alias") and _English.frequency(tokens[i].fold) >= COMMON_FREQUENCY:
            confidence = COMMON_WORD
        return i + len(name.words), confidence, how

    def _word(self, word: str, token: _Token, alone: bool, last: bool) -> str | None:
        """How a word of a name matches a word of the text: "exact", "inflected", ...; None when it does not."""
        if _case_bound(word, alone):
            if token.text == word or (any(c.isupper() for c in word) and token.text == word.upper()):
                return "exact"
            if last and word[-1].isupper() and token.text in (word + "s", word.upper() + "s"):
                return "exact"  # a plural acronym: "ANNs"
            if (sum(c.isupper() for c in word) >= 2 and len(word) > MAX_CASE_FREE_ACRONYM
                    and token.fold == _fold(word) and _English.frequency(token.fold) == 0):
                return "lower-acronym"
            return None
        fold = _fold(word)
        if token.fold == fold:
            return "exact"
        if (min(len(token.fold), len(fold)) >= MIN_INFLECTED and token.stem == _stemmer().stemWord(fold)
                and _inflection_of(fold, token.fold)):
            return "inflected"
        if len(fold) >= MIN_MISSPELLED and self._misspelling(token.fold) and fold[0] == token.fold[0]:
            from rapidfuzz.distance import OSA

            if OSA.distance(fold, token.fold) <= self._edits(fold):
                return "misspelled"
        return None

    def _span(self, text: str, start: int, end: int, confidence: float, how: str, name: _Name) -> Span:
        entry = self.entries[name.entry]
        return Span(start=start, end=end, text=text[start:end], term=entry.term, definition=short_definition(entry),
                    confidence=confidence, how=how, source=entry.source, anchor=entry.anchor)


def short_definition(entry: Entry) -> str:
    """The definition's first sentence as plain text, at most SHORT_DEFINITION_CHARS."""
    first = next(iter(sentences(entry.text)), entry.text).strip()
    if len(first) > SHORT_DEFINITION_CHARS:
        first = first[: SHORT_DEFINITION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return first
