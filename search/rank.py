"""Ranking: dense passages, BM25 keywords and the name table fused into one calibrated score per entry.

    fused = dense + LEXICAL * keywords + NAME * name match (+ how-to and comparison adjustments)

dense is the best cosine of any of the entry's passages (definition, name, alias, sentence), keywords the
share of the question's IDF mass the entry matches, name match the share of the question's words that
spell one of the entry's names. The same fused score decides "no match", against a threshold that
`rebuild-index` calibrates for each glossary (index/calibrate.py).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.aliases import INITIALS, JOINED, WRITTEN, Lexicon
from index.entry import Entry
from index.errors import IndexMismatchError
from index.passages import Passage
from index.text import STOPWORDS, bare_name, content_words, sentences, words
from search.intent import Intent, read_intent
from search.lexical import Lexical
from search.spell import Speller

LEXICAL = 0.35  # weight of the calibrated BM25 score
PHRASE = 0.25  # weight of the share of the question's word pairs found side by side in the definition
NAME = 0.45  # weight of a name that covers the whole question
ACTS_ON = 0.45  # how-to: weight for entries whose definition acts on the target
RELATED = 0.3  # how-to: what a link from the acting entry to the target's entry counts as
PROBLEM = 0.12  # how-to: the entry that merely names the target steps back this much
COMPARED = 0.5  # comparison: the best entry for each side goes to the top
ACRONYM = "acronym"  # a capitalised token that spells out a multi-word name, found at query time
CLIPPED = "clipped"  # an unknown word that starts one name run together ("batchnorm"), found at query time
HOW_SURE = {WRITTEN: 1.0, JOINED: 0.9, INITIALS: 0.8, ACRONYM: 0.7, CLIPPED: 0.8}
DEFAULT_NO_MATCH_BELOW = 0.45  # for an index built without a calibration
SCORE_SLOPE = 6.0  # how fast the reported score rises through 0.5 at the no-match line
_CONTEXT = {"in", "for", "within", "inside", "during", "of"}  # words that introduce a setting, not a subject
LONG_WORDS = 30  # a question this long is a pasted paragraph
FOCUS_MIX = 0.5  # share of its question sentence in the dense score
DENSE_DEPTH = 256  # passages read from FAISS per question; an entry not among them gets the lowest score read


@dataclass(frozen=True)
class Scored:
    entry: int
    fused: float
    why: str


@dataclass(frozen=True)
class Ranking:
    query: str  # the cleaned question, typos fixed
    scored: tuple[Scored, ...]  # best first
    confident: float  # fused score of the best entry
    threshold: float

    @property
    def no_match(self) -> bool:
        return not self.scored or self.confident < self.threshold

    def score(self, fused: float) -> float:
        """Fused score mapped to [0, 1], 0.5 at the no-match line."""
        return 1.0 / (1.0 + math.exp(-SCORE_SLOPE * (fused - self.threshold)))


@dataclass
class _Signals:
    dense: np.ndarray  # per entry
    passage: np.ndarray  # per entry: the row of its best passage, -1 when not retrieved
    lexical: np.ndarray
    stems: list[str]
    name: np.ndarray
    name_text: dict[int, tuple[str, str]]  # entry -> (the words that named it, how)

    phrase: np.ndarray | float = 0.0

    def fused(self) -> np.ndarray:
        return self.dense + LEXICAL * self.lexical + NAME * self.name + PHRASE * self.phrase


class Ranker:
    def __init__(
        self,
        entries: Sequence[Entry],
        passages: Sequence[Passage],
        faiss_index,
        encoder,
        dim: int,
        lexicon: Lexicon,
        threshold: float | None = None,
    ):
        self.entries = list(entries)
        self.passages = list(passages)
        self.faiss_index = faiss_index
        self.encoder = encoder
        self.dim = dim
        self.lexicon = lexicon
        self.threshold = DEFAULT_NO_MATCH_BELOW if threshold is None else threshold
        self.passage_entry = np.array([p.entry for p in passages], dtype=np.int64)
        self.lexical = Lexical(self.entries)
        self.speller = Speller(lexicon.vocab)
        self._english = self.speller.english
        self._sentence_stems: dict[int, list[tuple[str, set[str]]]] = {}  # filled as hits need them
        self._joined = sorted(
            {
                ("".join(words(n)), row)
                for row, e in enumerate(self.entries)
                for n in (bare_name(e.term), *e.aliases)
            }
        )
        self._long_names: dict[str, list[tuple[int, list[str]]]] = {}
        for row, entry in enumerate(self.entries):
            for name in dict.fromkeys([bare_name(entry.term), *entry.aliases]):
                parts = words(name.replace("-", " "))
                if len(parts) >= 2:
                    self._long_names.setdefault(parts[0][0], []).append((row, parts))

    # Signals.

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.encoder.encode(texts)
        if vectors.shape != (len(texts), self.dim):
            raise IndexMismatchError(
                f"the model {self.encoder.name} gives {vectors.shape[-1]} dimensions"
                f" but the index has {self.dim};"
                " run rebuild-index --force"
            )
        return vectors

    def _dense(self, vectors: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        depth = min(len(self.passages), DENSE_DEPTH)
        scores, rows = self.faiss_index.search(np.ascontiguousarray(vectors, dtype=np.float32), depth)
        found = []
        for score_row, passage_row in zip(scores, rows, strict=True):
            keep = passage_row >= 0
            score_row, passage_row = score_row[keep], passage_row[keep]
            floor = float(score_row[-1]) if len(score_row) else 0.0
            best = np.full(len(self.entries), floor, dtype=np.float32)
            which = np.full(len(self.entries), -1, dtype=np.int64)
            # FAISS returns rows best first: reversed, the last write per entry is its best passage.
            owners = self.passage_entry[passage_row]
            best[owners[::-1]] = score_row[::-1]
            which[owners[::-1]] = passage_row[::-1]
            found.append((best, which))
        return found

    def _names(self, text: str) -> tuple[np.ndarray, dict[int, tuple[str, str]]]:
        """Entries named by words of the question, scored by how much of the question the name covers.

        Words the glossary also uses ("BN layer") dilute a name half as much as foreign ones ("linux kernel
        panic"); an acronym counts as two words, since it is nearly always what the question is about.
        """
        upper = _capitalised(text)
        tokens = words(text)
        content = [i for i, w in enumerate(tokens) if w not in STOPWORDS]
        dilution = {i: 0.5 if self.lexical.knows(tokens[i]) else 1.0 for i in content}
        score = np.zeros(len(self.entries), dtype=np.float32)
        named: dict[int, tuple[str, str]] = {}

        def credit(row: int, start: int, n: int, how: str) -> None:
            covered = [i for i in range(start, start + n) if i in dilution]
            if not covered:
                return
            weight = len(covered) * (2.0 if how in (INITIALS, ACRONYM) or tokens[start] in upper else 1.0)
            rest = sum(d for i, d in dilution.items() if not start <= i < start + n)
            value = HOW_SURE[how] * weight / (weight + rest)
            if start >= 2 and tokens[start - 1] in _CONTEXT and any(i < start - 1 for i in dilution):
                value *= 0.5  # "what is a neuron in deep learning": the field, not the subject
            if value > score[row]:
                score[row] = value
                named[row] = (" ".join(tokens[start : start + n]), how)

        for n in range(min(self.lexicon.longest, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                gram = " ".join(tokens[i : i + n])
                for row, how in self.lexicon.names.get(gram, ()):
                    if how != INITIALS or self._acronym_like(gram, upper):
                        credit(row, i, n, how)
        for i, token in enumerate(tokens):
            if token in self.lexicon.names:
                continue
            if self._acronym_like(token, upper):
                for row in self._spelled_out(token):
                    credit(row, i, 1, ACRONYM)
            for row in self._clipped(token):
                credit(row, i, 1, CLIPPED)
        return score, named

    def _acronym_like(self, token: str, upper: set[str]) -> bool:
        # "BN" or "ics": written in capitals, or a longer token that is neither English nor a glossary word.
        if not 2 <= len(token) <= 6 or not token.isalpha():
            return False
        return token in upper or (
            len(token) >= 3 and token not in self._english and not self.lexical.knows(token)
        )

    def _clipped(self, token: str) -> set[int]:
        """The one entry whose name, run together, starts with this unknown word ("batchnorm", "backprop")."""
        if len(token) < 5 or not token.isalpha() or token in self._english or self.lexical.knows(token):
            return set()
        start = bisect.bisect_left(self._joined, (token, -1))
        rows = set()
        for joined, row in self._joined[start:]:
            if not joined.startswith(token):
                break
            rows.add(row)
        return rows if len(rows) == 1 else set()

    def _spelled_out(self, acronym: str) -> list[int]:
        """Entries with a multi-word name the acronym abbreviates ("SNR": SuperNova Remnant)."""
        return [row for row, parts in self._long_names.get(acronym[0], ()) if _abbreviates(acronym, parts)]

    def _expand(self, text: str) -> str:
        """Spell out acronyms the model cannot know: "MHA in x" -> "MHA (Multi-Head Attention) in x"."""
        upper = _capitalised(text)
        tokens = words(text)
        out = []
        for token in text.split():
            out.append(token)
            key = " ".join(words(token))
            if self._inside_longer_name(key, tokens) or not (
                self._acronym_like(key, upper) or self._clipped(key)
            ):
                continue
            rows = {row for row, how in self.lexicon.names.get(key, ()) if how == INITIALS}
            if key not in self.lexicon.names:
                rows |= set(self._spelled_out(key)) | self._clipped(key)
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

    def _signals(
        self, text: str, dense: tuple[np.ndarray, np.ndarray], expanded: str | None = None
    ) -> _Signals:
        lexical, stems = self.lexical.scores(*_setting_apart(expanded or text))
        name, named = self._names(text)
        return _Signals(
            dense[0], dense[1], lexical, stems, name, named, self.lexical.phrases(expanded or text)
        )

    # Ranking.

    def rank(self, text: str, k: int, allowed: np.ndarray | None = None) -> Ranking:
        """The k best entries for `text`; `allowed` (a mask over entries) limits them to some glossaries."""
        fixed, fixes = self.speller.correct(text)
        intent = read_intent(fixed)
        target = intent.target if intent.target and content_words(intent.target) else None
        texts = [self._expand(fixed), *map(self._expand, intent.parts)]
        focus = _asked(fixed)
        dense = self._dense(self._embed(texts + ([focus] if focus else [])))
        lift = None  # how much more sure of an entry "no match" may be than its mixed dense score says
        if focus:  # a pasted paragraph: its question sentence weighs as much as the whole
            (whole, rows), (asked, asked_rows) = dense[0], dense.pop()
            mixed = FOCUS_MIX * asked + (1 - FOCUS_MIX) * whole
            dense[0] = (mixed, np.where(asked > whole, asked_rows, rows))
            lift = np.maximum(whole, asked) - mixed
        full = self._signals(fixed, dense[0], texts[0])
        fused = full.fused()
        notes: dict[int, str] = {}
        confident_floor = None

        if target:
            self._howto(target, full, fused, notes)
        if intent.parts:
            sides = [
                self._signals(part, d, x)
                for part, d, x in zip(intent.parts, dense[1:], texts[1:], strict=True)
            ]
            confident_floor = self._compare(intent, sides, fused, notes, allowed)

        if allowed is not None:
            fused[~allowed] = -math.inf
        order = np.argsort(-fused, kind="stable")[:k]
        confident = float(fused[order[0]]) if len(order) else 0.0
        if lift is not None and len(order):
            confident += float(lift[order[0]])
        if confident_floor is not None:
            confident = min(confident, confident_floor)
        # "typo: dropuot → dropout; <why>": the web page and the CLI show the two parts apart.
        prefix = "typo: " + ", ".join(f"{a} → {b}" for a, b in fixes) + "; " if fixes else ""
        scored = tuple(
            Scored(int(e), float(fused[e]), prefix + (notes.get(int(e)) or self._why(int(e), full, texts[0])))
            for e in order
        )
        return Ranking(fixed, scored, confident, self.threshold)

    def _howto(self, target: str, full: _Signals, fused: np.ndarray, notes: dict[int, str]) -> None:
        """ "How do I avoid X": favour entries whose definitions act on X over the entry that is X.

        The entry named X loses its name bonus (X is what the question acts on, not what it asks for).
        """
        name, _ = self._names(target)
        problems = {int(e) for e in np.flatnonzero(name >= 0.5)}
        if not problems:  # X names nothing in the glossary: words alone are too weak a sign of acting on it
            return
        acts, stems = self.lexical.scores(target)
        named = {self.entries[p].term for p in problems}
        related = {e for e, entry in enumerate(self.entries) if named & set(entry.related)}
        helpers = {int(e) for e in np.flatnonzero(acts >= 0.3)} | related
        helpers -= problems
        if not helpers:
            return
        for e in helpers:
            # A definition that links to the problem entry (**Internal Covariate Shift**) is acting on it.
            fused[e] += ACTS_ON * min(1.0, float(acts[e]) + (RELATED if e in related else 0.0))
            notes[e] = f"how-to: {target} — {self._sentence_with(e, stems)}"
        for p in problems:
            fused[p] -= PROBLEM + NAME * float(full.name[p])

    def _compare(
        self,
        intent: Intent,
        sides: list[_Signals],
        fused: np.ndarray,
        notes: dict[int, str],
        allowed: np.ndarray | None,
    ) -> float:
        """ "A vs B": the best entry for each side comes first. Returns the weakest side's fused score."""
        weakest = math.inf
        chosen: set[int] = set()
        for n, (part, side) in enumerate(zip(intent.parts, sides, strict=True)):
            part_fused = side.fused()
            part_fused[list(chosen)] = -math.inf
            if allowed is not None:
                part_fused[~allowed] = -math.inf
            best = int(np.argmax(part_fused))
            chosen.add(best)
            weakest = min(weakest, float(part_fused[best]))
            # Ties keep the order asked in ("encoder vs decoder": Encoder first).
            fused[best] = max(fused[best], part_fused[best]) + COMPARED - 1e-3 * n
            notes[best] = f"compared: {part}"
        return weakest

    # Explanations.

    def _sentence_with(self, e: int, stems: list[str]) -> str:
        """The entry's sentence holding most of `stems`."""
        if e not in self._sentence_stems:
            parts = sentences(self.entries[e].text) or [self.entries[e].text]
            self._sentence_stems[e] = [(p, set(self.lexical.stems(p))) for p in parts]
        want = set(stems)
        return max(self._sentence_stems[e], key=lambda item: len(want & item[1]))[0]

    def _why(self, e: int, s: _Signals, question: str) -> str:
        """ "kind: text" or "kind: lead — sentence", quoting the entry where it can (the page marks it)."""
        entry = self.entries[e]
        if s.name[e] >= 0.4 and e in s.name_text:
            gram, how = s.name_text[e]
            if how in (INITIALS, ACRONYM):
                return f"acronym: {gram.upper()} = {bare_name(entry.term)}"
            if how == CLIPPED:
                return f"short for: {bare_name(entry.term)}"
            if gram == " ".join(words(bare_name(entry.term))):
                return f"name: {bare_name(entry.term)}"
            written = next((a for a in entry.aliases if " ".join(words(a)) == gram), gram)
            return f"alias: {written}"
        matched = self.lexical.matched(e, s.stems)
        if matched and LEXICAL * s.lexical[e] >= 0.5 * s.dense[e]:
            said = [w for w in dict.fromkeys(words(question)) if set(self.lexical.stems(w)) & set(matched)]
            return f"keywords: {', '.join(said or matched)} — {self._sentence_with(e, matched)}"
        row = int(s.passage[e])
        if row >= 0:
            p = self.passages[row]
            if p.kind == "alias" and " ".join(words(p.text)) != " ".join(words(bare_name(entry.term))):
                return f"alias: {p.text}"
            if p.kind == "sentence":
                return f"sentence: {p.text.split(': ', 1)[-1]}"
        return f"definition: {(sentences(entry.text) or [entry.text])[0]}"


def _asked(text: str) -> str | None:
    """The question in a long paragraph: its last sentence with a question mark, if the text is long."""
    if len(text.split()) < LONG_WORDS:
        return None
    asked = [s for s in sentences(text) if s.rstrip().endswith("?")]
    return asked[-1] if asked else None


def _setting_apart(text: str) -> tuple[str, str]:
    """ "what is a neuron in deep learning" -> ("what is a neuron", "deep learning"): subject, setting."""
    tokens = text.split()
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i].casefold() in _CONTEXT and content_words(" ".join(tokens[:i])):
            return " ".join(tokens[:i]), " ".join(tokens[i + 1 :])
    return text, ""


def _capitalised(text: str) -> set[str]:
    """Words written with two or more capitals ("BN", "MHA", "JWST"), lowercased."""
    return {w.casefold() for w in re.findall(r"[\w-]+", text) if sum(c.isupper() for c in w) >= 2}


def _abbreviates(acronym: str, parts: list[str]) -> bool:
    """Each word gives its first letter, in order, and maybe later ones too ("snr": supernova remnant)."""

    def fits(a: int, p: int) -> bool:
        if p == len(parts):
            return a == len(acronym)
        if a == len(acronym) or acronym[a] != parts[p][0]:
            return False
        word, a = parts[p], a + 1
        # Take 0.. extra letters from inside this word, then move on to the next word.
        for extra in range(0, len(acronym) - a + 1):
            if fits(a + extra, p + 1):
                return True
            if a + extra < len(acronym) and acronym[a + extra] not in word[1:]:
                break
        return False

    return fits(0, 0)
