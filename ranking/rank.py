"""Ranking: analysis -> candidates and features -> fusion -> intent rules -> one confidence per hit.

    fused = sum(weight * feature)   over config.FEATURES, weights fitted per glossary at build time

Each stage is its own module (analysis, features, rules, explain); the numbers are in `ranking.config`, and the
config the build fitted is read from the index. A hit's confidence is a logistic of its fused score, 0.5 at the
glossary's calibrated no-match line, capped by the confidence of the hit above it (the rules may move a weaker
entry up); "no match" means the first hit is below 0.5, so the banner and the cards agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexformat.entry import Entry
from indexformat.errors import IndexMismatchError
from indexformat.lexicon import INITIALS, Lexicon
from indexformat.passages import Passage
from indexformat.text import bare_name, sentences, words
from ranking import explain, rules
from ranking.analysis import Analysis, analyse
from ranking.config import RankingConfig
from ranking.explain import Why
from ranking.features import FeatureBuilder, Features
from ranking.lexical import Lexical
from ranking.names import ACRONYM, CLIPPED, NameMatcher
from ranking.spell import Speller


@dataclass(frozen=True)
class Scored:
    entry: int
    fused: float
    confidence: float  # in [0, 1], 0.5 at the no-match line
    why: Why


@dataclass(frozen=True)
class Ranking:
    query: str  # the cleaned question, typos fixed
    scored: tuple[Scored, ...]  # in the order to show
    line: float  # the no-match line the confidences were computed against

    @property
    def no_match(self) -> bool:
        return not self.scored or self.scored[0].confidence < 0.5


class Ranker:
    def __init__(
        self,
        entries: Sequence[Entry],
        passages: Sequence[Passage],
        faiss_index,
        encoder,
        dim: int,
        lexicon: Lexicon,
        config: RankingConfig,
        entry_vectors: np.ndarray,  # entry -> its "term: definition" vector (`entry_vectors` below)
        lexical: Lexical | None = None,
    ):
        self.entries = list(entries)
        self.passages = list(passages)
        self.encoder = encoder
        self.dim = dim
        self.lexicon = lexicon
        self.config = config
        self.lexical = lexical if lexical is not None else Lexical(self.entries)
        self.speller = Speller(lexicon.vocab)
        self.names = NameMatcher(self.entries, lexicon, self.lexical.knows, self.speller.is_english, config)
        passage_entry = np.array([p.entry for p in passages], dtype=np.int64)
        self.features = FeatureBuilder(faiss_index, passage_entry, entry_vectors, self.lexical, self.names, config)
        self._sentence_stems: dict[int, list[tuple[str, set[str]]]] = {}  # filled as hits need them

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.encoder.encode(list(texts))
        if vectors.shape != (len(texts), self.dim):
            raise IndexMismatchError(
                f"the model {self.encoder.name} gives {vectors.shape[-1]} dimensions"
                f" but the index has {self.dim};"
                " run rebuild-index --force"
            )
        return vectors

    def signals(self, text: str) -> tuple[Analysis, Features, list[Features]]:
        """Stages 1-3: the analysis, the question's features and each compared side's."""
        analysis = analyse(text, self.speller, self.names, self.config)
        dense = self.features.dense(self._embed(analysis.embed))
        focus = dense.pop() if analysis.focus else None
        main = self.features.build(analysis.text, analysis.embed[0], dense[0], focus)
        expanded_parts = analysis.embed[1 : 1 + len(analysis.parts)]
        sides = [
            self.features.build(part, expanded, d)
            for part, expanded, d in zip(analysis.parts, expanded_parts, dense[1:], strict=True)
        ]
        return analysis, main, sides

    def rank(self, text: str, k: int, allowed: np.ndarray | None = None, source: str | None = None) -> Ranking:
        """The k best entries for `text`; `allowed` (a mask over entries) limits them to one glossary, `source`."""
        analysis, main, sides = self.signals(text)
        weights = self.config.weights
        fused = main.fused(weights)
        if allowed is not None:
            fused[~allowed] = -math.inf
        key = fused.copy()  # the rules move entries by this key; the scores stay as fused
        notes: dict[int, Why] = {}
        if analysis.target and self.config.intent_rules:
            self._howto(analysis, main, key, notes)
        if analysis.parts and self.config.intent_rules:
            side_fused = [s.fused(weights) for s in sides]
            if not analysis.by_or or self._names_both(analysis, sides):
                for e, part in zip(rules.compare(side_fused, key, allowed), analysis.parts, strict=False):
                    notes[e] = Why(explain.COMPARED, part)
                    fused[e] = max(fused[e], max(float(s[e]) for s in side_fused))
        order = [int(e) for e in np.argsort(-key, kind="stable")[:k] if np.isfinite(key[e])]
        line = self.config.line(source)
        scored, ceiling = [], 1.0
        for e in order:
            # A hit the rules moved below a weaker one is no surer an answer than that one: the cards read in
            # order, and "no match" is the first card's confidence below the line.
            ceiling = min(ceiling, self.confidence(float(fused[e]), line))
            why = _with_typos(notes.get(e) or self._why(e, main, analysis.embed[0]), analysis.fixes)
            scored.append(Scored(e, float(fused[e]), ceiling, why))
        return Ranking(analysis.text, tuple(scored), line)

    def confidence(self, fused: float, line: float) -> float:
        return 1.0 / (1.0 + math.exp(-self.config.slope * (fused - line)))

    def _names_both(self, analysis: Analysis, sides: list[Features]) -> bool:
        """ "A or B" compares two things only when each side is short and is the name of an entry."""
        for part, side in zip(analysis.parts, sides, strict=True):
            if len(part.split()) > self.config.or_words or not any(m.full for m in side.named.values()):
                return False
        return True

    def _howto(self, analysis: Analysis, main: Features, key: np.ndarray, notes: dict[int, Why]) -> None:
        target = analysis.target
        target_names, _ = self.names.score(target)
        acts, stems = self.lexical.scores(target)
        named = {self.entries[p].term for p in np.flatnonzero(target_names >= self.config.howto_named)}
        related = {e for e, entry in enumerate(self.entries) if named & set(entry.related)}
        for e in rules.howto(target, main, target_names, acts, related, key, self.config,
                             self.config.weight("name")):
            notes[e] = Why(explain.HOWTO, target, self._sentence_with(e, stems))

    # Explanations.

    def _sentence_with(self, e: int, stems: Sequence[str]) -> str:
        """The entry's sentence holding most of `stems`."""
        if e not in self._sentence_stems:
            parts = sentences(self.entries[e].text) or [self.entries[e].text]
            self._sentence_stems[e] = [(p, set(self.lexical.stems(p))) for p in parts]
        want = set(stems)
        return max(self._sentence_stems[e], key=lambda item: len(want & item[1]))[0]

    def _why(self, e: int, f: Features, question: str) -> Why:
        entry = self.entries[e]
        name, keywords, dense = f.values[e, 3], f.values[e, 2], f.values[e, 0]
        match = f.named.get(e)
        if match and (name >= 0.4 or (match.full and match.how in (INITIALS, ACRONYM))):
            if match.how in (INITIALS, ACRONYM):
                return Why(explain.ACRONYM, match.words, bare_name(entry.term))
            if match.how == CLIPPED:
                return Why(explain.SHORT_FOR, bare_name(entry.term))
            if match.words == " ".join(words(bare_name(entry.term))):
                return Why(explain.NAME, bare_name(entry.term))
            written = next((a for a in entry.aliases if " ".join(words(a)) == match.words), match.words)
            return Why(explain.ALIAS, written)
        matched = self.lexical.matched(e, f.stems)
        if matched and self.config.weight("keywords") * keywords >= 0.5 * dense:
            said = [w for w in dict.fromkeys(words(question)) if set(self.lexical.stems(w)) & set(matched)]
            return Why(explain.KEYWORDS, ", ".join(said or matched), self._sentence_with(e, matched))
        row = int(f.passage[e])
        if row >= 0:
            p = self.passages[row]
            if p.kind == "alias" and " ".join(words(p.text)) != " ".join(words(bare_name(entry.term))):
                return Why(explain.ALIAS, p.text)
            if p.kind == "sentence":
                return Why(explain.SENTENCE, passage=p.text.split(": ", 1)[-1])
        return Why(explain.DEFINITION, passage=(sentences(entry.text) or [entry.text])[0])


def _with_typos(why: Why, fixes) -> Why:
    return Why(why.kind, why.matched, why.passage, tuple(fixes)) if fixes else why


def entry_vectors(vectors: np.ndarray, passages: Sequence[Passage], n_entries: int) -> np.ndarray:
    """Each entry's whole "term: definition" vector, gathered from the passage vectors (memory-mapped or not)."""
    return np.ascontiguousarray(vectors[entry_rows(passages, n_entries)], dtype=np.float32)


def entry_rows(passages: Sequence[Passage], n_entries: int) -> np.ndarray:
    """Per entry, the row of its whole-entry passage (the first one it has)."""
    rows = np.full(n_entries, -1, dtype=np.int64)
    for row in range(len(passages) - 1, -1, -1):
        p = passages[row]
        if p.kind == "entry" or rows[p.entry] < 0:
            rows[p.entry] = row
    return rows
