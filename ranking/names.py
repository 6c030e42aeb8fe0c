"""Names in a question: which entries its words name, and acronyms spelled out before embedding.

The name table comes from the build (index/aliases.py, `lexicon.json`). A name is credited with the share of the
question it covers; words the glossary also uses dilute it half as much as foreign ones ("BN layer" scores high,
"linux kernel panic" low). A name that covers only part of the question is scaled by how specific it is, so a
hub name ("network", "object") inside a question about something more specific does not win it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from indexformat.entry import Entry
from indexformat.lexicon import INITIALS, JOINED, WRITTEN, Lexicon
from indexformat.text import STOPWORDS, bare_name, words
from ranking.config import RankingConfig

# How a name was matched: WRITTEN, JOINED, INITIALS come from the name table (index/aliases.py); these two are
# found at query time.
How = Literal["written", "joined", "initials", "acronym", "clipped"]
ACRONYM = "acronym"  # a capitalised token that spells out a multi-word name, found at query time
CLIPPED = "clipped"  # an unknown word that starts one name run together ("batchnorm"), found at query time
CONTEXT = frozenset({"in", "for", "within", "inside", "during", "of"})  # words that introduce a setting
# A name matched in another case than the question writes it, while another entry's name is written exactly so
# (Git's `HEAD` and `head`): credited this share, so the entry named as asked comes first.
OTHER_CASE = 0.95
DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "their", "this", "that", "these", "those"})


@dataclass(frozen=True)
class NameMatch:
    words: str  # the question's words that named the entry
    how: How
    full: bool  # the name covers every content word of the question


@dataclass(frozen=True)
class NameScores:
    """The name matcher's answer for one text: per entry how much of it one of the entry's names covers."""

    score: np.ndarray  # [entries] 0..1
    matches: dict[int, NameMatch]


class NameMatcher:
    def __init__(self, entries: Sequence[Entry], lexicon: Lexicon, knows, english, config: RankingConfig, stems):
        self.entries = entries
        self.lexicon = lexicon
        self._knows = knows  # does the glossary use this word (stemmed)?
        self._english = english  # is_english(word): consulted last, since it may load a word list
        self.config = config
        self._stems = stems  # text -> the keyword index's stems (Lexical.stems): any form of a word, one stem
        self._stemmed_names: dict[str, set[int]] | None = None  # a name's stems, joined -> its entries
        self._joined = sorted(
            {("".join(words(n)), row) for row, e in enumerate(entries) for n in (bare_name(e.term), *e.aliases)}
        )
        self._long_names: dict[str, list[tuple[int, list[str]]]] = {}
        for row, entry in enumerate(entries):
            for name in dict.fromkeys([bare_name(entry.term), *entry.aliases]):
                parts = words(name.replace("-", " "))
                if len(parts) >= 2:
                    self._long_names.setdefault(parts[0][0], []).append((row, parts))

    def _sure(self, how: str, gram: str, upper: set[str]) -> float:
        c = self.config
        if how == INITIALS:  # the glossary or the asker writes them in capitals: meant as an acronym
            return c.sure_initials_seen if gram in self.lexicon.capitals or gram in upper else c.sure_guess
        # ACRONYM: the asker's capitals spell the name's words (and compounds' parts) out; as sure as initials.
        return {WRITTEN: c.sure_written, JOINED: c.sure_joined, ACRONYM: c.sure_initials_seen,
                CLIPPED: c.sure_clipped}[how]

    def score(self, text: str) -> tuple[np.ndarray, dict[int, NameMatch]]:
        """Per entry, how much of the question one of its names covers (0..1), and what named it."""
        upper = capitalised(text)
        tokens = words(text)
        content = [i for i, w in enumerate(tokens) if w not in STOPWORDS]
        dilution = {i: self.config.known_dilution if self._knows(tokens[i]) else 1.0 for i in content}
        score = np.zeros(len(self.entries), dtype=np.float32)
        named: dict[int, NameMatch] = {}

        def credit(row: int, start: int, n: int, how: str, share: float = 1.0) -> None:
            covered = [i for i in range(start, start + n) if i in dilution]
            if not covered:
                return
            gram = " ".join(tokens[start : start + n])
            capital = how in (INITIALS, ACRONYM) or tokens[start] in upper
            weight = len(covered) * (self.config.acronym_weight if capital else 1.0)
            rest = sum(d for i, d in dilution.items() if not start <= i < start + n)
            value = self._sure(how, gram, upper) * weight / (weight + rest) * share
            if rest:  # the question says more than the name: a generic name is likely not the answer
                value *= max(self.config.specificity_floor, self.lexicon.specificity.get(gram, 1.0))
            before = start - 1
            while before > 0 and tokens[before] in DETERMINERS:
                before -= 1
            if before >= 1 and tokens[before] in CONTEXT and any(i < before for i in dilution):
                value *= self.config.context_share  # "a neuron in (the) deep learning": the field, not the subject
            if value > score[row]:
                score[row] = value
                named[row] = NameMatch(gram, how, not rest)

        for n in range(min(self.lexicon.longest, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                gram = " ".join(tokens[i : i + n])
                slot = self.lexicon.names.get(gram, ()) or self._singular(gram)
                asked = self._written_as_asked(slot, text) if len(slot) > 1 else set()
                for row, how in slot:
                    if how != INITIALS or self.acronym_like(gram, upper):
                        credit(row, i, n, how, OTHER_CASE if asked and row not in asked else 1.0)
        for i, token in enumerate(tokens):
            if token in self.lexicon.names:
                continue
            if self.acronym_like(token, upper, written_only=True):
                for row in self.spelled_out(token):
                    credit(row, i, 1, ACRONYM)
            for row in self.clipped(token):
                credit(row, i, 1, CLIPPED)
        return score, named

    def mentioned(self, text: str) -> set[int]:
        """Entries whose name the text says, in any form of its words ("commits" says Commit)."""
        if self._stemmed_names is None:  # built on first use: naming questions never need it
            self._stemmed_names = {}
            for row, entry in enumerate(self.entries):
                for name in dict.fromkeys([bare_name(entry.term), *entry.aliases]):
                    if key := " ".join(self._stems(name)):
                        self._stemmed_names.setdefault(key, set()).add(row)
        said = self._stems(text)
        found: set[int] = set()
        for n in range(1, min(self.config.mention_words, len(said)) + 1):
            for i in range(len(said) - n + 1):
                found |= self._stemmed_names.get(" ".join(said[i:i + n]), set())
        return found

    def _singular(self, gram: str) -> tuple:
        """The name slot of a plural's singular ("containers": Container, "policies": Policy), or () when the
        singular names nothing. Letters read as initials do not count: a plural is a word."""
        if len(gram) < 4 or not gram.endswith("s"):
            return ()
        for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
            if gram.endswith(cut) and (slot := self.lexicon.names.get(gram[: -len(cut)] + add)):
                return tuple((row, how) for row, how in slot if how != INITIALS)
        return ()

    def _written_as_asked(self, slot, text: str) -> set[int]:
        """The rows of a name slot whose name the question writes exactly, case included."""
        found = set()
        for row, _ in slot:
            entry = self.entries[row]
            for name in (entry.term, bare_name(entry.term), *entry.aliases):
                if re.search(rf"(?<!\w){re.escape(' '.join(name.split()))}(?!\w)", text):
                    found.add(row)
                    break
        return found

    def acronym_like(self, token: str, upper: set[str], written_only: bool = False) -> bool:
        """ "BN" written in capitals, or (a known name's initials) a token neither English nor a glossary word.

        Letters matched at query time need the capitals: a lowercase unknown word ("div") is a tag, a typo or
        a foreign term far more often than an acronym of some multi-word name.
        """
        shortest, longest = self.config.acronym_letters
        if not shortest <= len(token) <= longest or not token.isalpha():
            return False
        if token in upper:
            return True
        return (not written_only and len(token) >= self.config.guess_letters and not self._knows(token)
                and not self._english(token))

    def clipped(self, token: str) -> set[int]:
        """The one entry whose name, run together, starts with this unknown word ("batchnorm", "backprop")."""
        if len(token) < self.config.clipped_letters or not token.isalpha() or self._knows(token):
            return set()
        start = bisect.bisect_left(self._joined, (token, -1))
        rows = set()
        for joined, row in self._joined[start:]:
            if not joined.startswith(token):
                break
            rows.add(row)
        return rows if len(rows) == 1 and not self._english(token) else set()

    def spelled_out(self, acronym: str) -> list[int]:
        """Entries with a multi-word name the acronym abbreviates ("SNR": SuperNova Remnant)."""
        return [row for row, parts in self._long_names.get(acronym[0], ())
                if abbreviates(acronym, parts, self._is_word)]

    def _is_word(self, text: str) -> bool:
        return len(text) >= 3 and (self._knows(text) or self._english(text))

    def expand(self, text: str) -> str:
        """Spell out acronyms the model cannot know: "MHA in x" -> "MHA (Multi-Head Attention) in x"."""
        upper = capitalised(text)
        tokens = words(text)
        out = []
        for token in text.split():
            out.append(token)
            key = " ".join(words(token))
            # The cheap tests first: most words are neither acronyms nor clipped names.
            if not (self.acronym_like(key, upper) or self.clipped(key)) or self._inside_longer_name(key, tokens):
                continue
            rows = {row for row, how in self.lexicon.names.get(key, ()) if how == INITIALS}
            if key not in self.lexicon.names:
                if self.acronym_like(key, upper, written_only=True):
                    rows |= set(self.spelled_out(key))
                rows |= self.clipped(key)
            if len(rows) == 1:
                out.append(f"({bare_name(self.entries[rows.pop()].term)})")
        return " ".join(out)

    def _inside_longer_name(self, token: str, tokens: list[str]) -> bool:
        """ "HR" in "HR diagram" belongs to the name "H-R Diagram", not to Hawking Radiation's initials."""
        for i in (i for i, t in enumerate(tokens) if t == token):
            for n in range(2, min(self.lexicon.longest, len(tokens)) + 1):
                for start in range(max(0, i - n + 1), min(i, len(tokens) - n) + 1):
                    if " ".join(tokens[start : start + n]) in self.lexicon.names:
                        return True
        return False


def capitalised(text: str) -> set[str]:
    """Words written with two or more capitals ("BN", "MHA", "JWST"), lowercased."""
    return {w.casefold() for w in re.findall(r"[\w-]+", text) if sum(c.isupper() for c in w) >= 2}


def abbreviates(acronym: str, parts: list[str], is_word=lambda w: False) -> bool:
    """Each word gives its first letter, in order, and maybe the first letter of a word inside it ("FFN":
    FeedForward Neural Network, "SNR": SuperNova Remnant, when `is_word` knows "forward" and "nova"). A letter
    from the middle of a word that starts no word ("DIV" from DIctionary View) does not count."""

    def inner_starts(word: str) -> list[int]:
        return [j for j in range(2, len(word) - 2) if is_word(word[j:])]

    def fits(a: int, p: int) -> bool:
        if p == len(parts):
            return a == len(acronym)
        if a == len(acronym) or acronym[a] != parts[p][0]:
            return False
        if fits(a + 1, p + 1):
            return True
        word = parts[p]
        return any(a + 1 < len(acronym) and acronym[a + 1] == word[j] and fits(a + 2, p + 1)
                   for j in inner_starts(word))

    return fits(0, 0)
