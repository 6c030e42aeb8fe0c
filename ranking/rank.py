"""Ranking: analysis -> candidates and features -> fusion -> intent rules -> late interaction -> confidence.

    fused = sum(weight * feature)   over config.FEATURES, weights fitted per glossary at build time

Each stage is its own module (analysis, features, rules, explain); the numbers are in `ranking.config`, and the
config the build fitted is read from the index. A hit's confidence is a logistic of its fused score, 0.5 at the
glossary's calibrated no-match line (raised, never lowered, by a close word-piece match: ranking/late.py), capped
by the confidence of the hit above it (the rules may move a weaker entry up); "no match" means the first hit is
below 0.5, so the banner and the cards agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from indexformat.entry import Entry
from indexformat.errors import IndexMismatchError
from indexformat.late import LateVectors
from indexformat.lexicon import INITIALS, Lexicon
from indexformat.passages import Passage, PassageKind
from indexformat.text import bare_name, sentences, words
from ranking import homonym, late, rules
from ranking.analysis import Analysis, analyse
from ranking.config import FEATURES, RankingConfig
from ranking.explain import Kind, Why
from ranking.features import FeatureBuilder, Features
from ranking.intent import asks_how
from ranking.lexical import Lexical
from ranking.names import ACRONYM, CLIPPED, NameMatcher
from ranking.spell import Speller
from ranking.understand import Form, Understanding, understand

if TYPE_CHECKING:
    import faiss

    from indexformat.encoder import Encoder


@dataclass(frozen=True)
class Signals:
    """Stages 1-3 for one question: the analysis, what it asks (naming or describing), the features."""

    analysis: Analysis
    understanding: Understanding
    main: Features
    sides: tuple[Features, ...]  # comparison: each side's features, in the order asked
    pieces: np.ndarray | None = None  # the question's word-piece vectors, when the late stage reranks it


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
    form: Form = Form.DESCRIBING  # what the question was understood as

    @property
    def no_match(self) -> bool:
        return not self.scored or self.scored[0].confidence < 0.5


class Ranker:
    def __init__(
        self,
        entries: Sequence[Entry],
        passages: Sequence[Passage],
        faiss_index: faiss.Index,
        encoder: Encoder,
        dim: int,
        lexicon: Lexicon,
        config: RankingConfig,
        entry_vectors: np.ndarray,  # entry -> its "term: definition" vector (`entry_vectors` below)
        lexical: Lexical | None = None,
        pieces: LateVectors | None = None,  # each entry's word-piece vectors: the late stage is off without them
    ):
        self.entries = list(entries)
        self.passages = list(passages)
        self.encoder = encoder
        self.dim = dim
        self.lexicon = lexicon
        self.config = config
        self.lexical = lexical if lexical is not None else Lexical(self.entries, k1=config.bm25_k1, b=config.bm25_b)
        self.speller = Speller(lexicon.vocab, config.typo_min_letters, config.typo_long, lexicon.written_names(),
                               config.typo_in_name_letters)
        self.names = NameMatcher(self.entries, lexicon, self.lexical.knows, self.speller.is_english, config,
                                 self.lexical.stems)
        passage_entry = np.array([p.entry for p in passages], dtype=np.int64)
        self.features = FeatureBuilder(faiss_index, passage_entry, entry_vectors, self.lexical, config)
        rows = {e.term: row for row, e in enumerate(self.entries)}
        # entry -> the entries it links to (the glossary's related terms), for the how-to rule
        self._links = [{rows[t] for t in e.related if t in rows} for e in self.entries]
        self._sentence_stems: dict[int, list[tuple[str, set[str]]]] = {}  # filled as hits need them
        self.pieces = pieces if getattr(encoder, "encode_with_pieces", None) is not None else None

    def _embed(self, texts: Sequence[str], pieces: bool = False) -> np.ndarray:
        """The texts' vectors; with `pieces`, also the first text's word-piece vectors, from the same run."""
        if pieces:
            vectors, found = self.encoder.encode_with_pieces(list(texts))
        else:
            vectors, found = self.encoder.encode(list(texts)), None
        if vectors.shape != (len(texts), self.dim):
            raise IndexMismatchError(
                f"the model {self.encoder.name} gives {vectors.shape[-1]} dimensions"
                f" but the index has {self.dim};"
                " run rebuild-index --force"
            )
        return (vectors, found[0]) if pieces else vectors

    def analyse(self, text: str) -> Analysis:
        """Stage 1 alone: what the encoder will be asked (the build embeds every question's texts at once)."""
        return analyse(text, self.speller, self.names, self.config)

    def signals(self, text: str, analysis: Analysis | None = None) -> Signals:
        """Stages 1-3: the analysis (`analysis`: this text's, already made), the understanding, the question's
        features and each compared side's."""
        c = self.config
        analysis = analysis or self.analyse(text)
        understood = understand(analysis.text, self.names, analysis.target, analysis.parts, c.naming_coverage,
                                self.lexical.knows, c.lone_words, self._field)
        # The late stage reranks what describes (a name is the answer of a naming question; a comparison keeps
        # the order asked): its question pieces come from the same run of the model as the vectors.
        reranked = self.pieces is not None and not understood.naming and not analysis.parts
        vectors, pieces = (self._embed(analysis.embed, pieces=True) if reranked
                           else (self._embed(analysis.embed), None))
        dense = self.features.dense(vectors)
        focus = dense.pop() if analysis.focus else None
        main = self.features.build(analysis.embed[0], dense[0], understood.names, focus)
        expanded_parts = analysis.embed[1 : 1 + len(analysis.parts)]
        sides = tuple(
            self.features.build(expanded, d, names)
            for expanded, d, names in zip(expanded_parts, dense[1:], understood.sides, strict=True)
        )
        return Signals(analysis, understood, main, sides, pieces)

    def rank(self, text: str, k: int, allowed: np.ndarray | None = None, source: str | None = None) -> Ranking:
        """The k best entries for `text`; `allowed` (a mask over entries) limits them to one glossary, `source`."""
        signals = self.signals(text)
        analysis, understood, main = signals.analysis, signals.understanding, signals.main
        fused = main.fused(self.config.weights_for(understood.naming))
        if allowed is not None:
            fused[~allowed] = -math.inf
        key = fused.copy()  # the rules and the late stage move entries by this key; the scores stay as fused
        mentioned = self.names.mentioned(analysis.text)
        task = asks_how(analysis.text)
        # Whether the late stage reranks is read from the fused order, before the rules move anything.
        reranked = signals.pieces is not None and not self._named_lead(key, main.named.keys() | mentioned)
        notes: dict[int, Why] = {}
        if understood.target_names is not None and self.config.intent_rules:
            self._howto(signals, key, notes)
        elif self.config.intent_rules and not signals.sides and task:
            rules.task(main, mentioned, key, self.config, self.config.weight("name", understood.naming))
        elif (self.config.intent_rules and understood.form is Form.DESCRIBING
              and len(analysis.text.split()) < self.config.long_words):  # a pasted message often says the answer
            rules.context(main, mentioned, key, self.config, self.config.weight("name", understood.naming))
        if signals.sides and self.config.intent_rules:
            side_fused = [s.fused(self.config.weights) for s in signals.sides]
            if not analysis.by_or or self._names_both(analysis, signals.sides):
                for e, part in zip(rules.compare(side_fused, key, allowed, self.config), analysis.parts,
                                   strict=False):
                    notes[e] = Why(Kind.COMPARED, part)
                    fused[e] = max(fused[e], max(float(s[e]) for s in side_fused))
        # The rules' first answer decides "no match" and the first card's confidence; the word pieces reorder,
        # and a close match can only make a card surer.
        answer = int(np.argmax(key)) if len(key) else -1
        c = self.config
        weight = c.late_weight_howto if task else c.late_weight
        matched = late.rerank(key, signals.pieces, self.pieces, c.late_depth, weight) if reranked else {}
        lift = {e: late.sureness(m, c.late_sure_floor, c.late_sure_lift) for e, m in matched.items()}
        order = [int(e) for e in np.argsort(-key, kind="stable")[:k] if np.isfinite(key[e])]
        line = c.line(source, understood.lone)
        scored, ceiling = [], 1.0
        # The first card is surer by the closer word-piece match: the rules' answer's, or the card put first.
        surer = max((lift.get(e, 0.0) for e in (answer, *order[:1])), default=0.0)
        sure = self.confidence(float(fused[answer]), line, surer) if order else 0.0
        # Pieces are read in context: a close match uses its words in the glossary's sense, so it is no homonym.
        if order and sure >= 0.5 and not surer and self._homonym(signals, answer):
            ceiling = c.homonym_cap
        for e in order:
            # A hit the rules moved below a weaker one is no surer an answer than that one: the cards read in
            # order, and "no match" is the first card's confidence below the line.
            own = sure if e == order[0] else self.confidence(float(fused[e]), line, lift.get(e, 0.0))
            ceiling = min(ceiling, own)
            why = _with_typos(notes.get(e) or self._why(e, main, analysis.embed[0]), analysis.fixes)
            scored.append(Scored(e, float(fused[e]), ceiling, why))
        return Ranking(analysis.text, tuple(scored), line, understood.form)

    def _field(self, word: str) -> bool:
        """A word that names the glossary's field: many definitions use it ("git", "kubernetes", "numpy"), and it is
        no entry's name ("commit", "pod" and "array" are answers, however often used)."""
        return (self.lexical.share(word) >= self.config.field_share and word not in self.lexicon.names)

    def _named_lead(self, key: np.ndarray, named: set[int]) -> bool:
        """Whether the question names its leader and the fused ranking puts it clearly first: word pieces
        then do not overturn it ("how do I choose the kernel size": Kernel, not Padding, whose definition says
        kernel size too). A close leader, or one the question does not name, is reranked."""
        order = np.argsort(-key, kind="stable")[:2]
        return (len(order) == 2 and int(order[0]) in named
                and float(key[order[0]] - key[order[1]]) >= self.config.late_named_lead)

    def confidence(self, fused: float, line: float, lift: float = 0.0) -> float:
        """A logistic of the fused score, 0.5 at the line. `lift` (late.sureness) adds to its logit, up to
        `late_sure_cap`: a close word-piece match carries a hit over the no-match line, not up the bands."""
        logit = self.config.slope * (fused - line)
        plain = _logistic(logit)
        return max(plain, min(_logistic(logit + lift), self.config.late_sure_cap)) if lift > 0.0 else plain

    def _homonym(self, signals: Signals, first: int) -> bool:
        """Whether the question's tie to its first hit is a word used in another sense (ranking/homonym.py)."""
        c = self.config
        if c.homonym_line < 0 or signals.understanding.form not in (Form.DESCRIBING, Form.HOWTO):
            return False
        rest = homonym.rest_without_ties(signals.analysis.text, self.lexical.matched(first, signals.main.stems),
                                         self.lexical.stems, self.lexical.knows, c)
        if rest is None:
            return False
        return homonym.nearest(self._embed([rest])[0], self.features.entry_vectors) < c.homonym_line

    def _names_both(self, analysis: Analysis, sides: Sequence[Features]) -> bool:
        """ "A or B" compares two things only when each side is short and is the name of an entry."""
        for part, side in zip(analysis.parts, sides, strict=True):
            if len(part.split()) > self.config.or_words or not any(m.full for m in side.named.values()):
                return False
        return True

    def _howto(self, signals: Signals, key: np.ndarray, notes: dict[int, Why]) -> None:
        target = signals.analysis.target
        target_names = signals.understanding.target_names.score
        acts, stems = self.lexical.scores(target)
        named = set(np.flatnonzero(target_names >= self.config.howto_named).tolist())
        related = {e for e, links in enumerate(self._links) if named & links}
        for e in rules.howto(signals.main, target_names, acts, related, key, self.config,
                             self.config.weight("name", signals.understanding.naming)):
            notes[e] = Why(Kind.HOWTO, target, self._sentence_with(e, stems))

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
        c = self.config
        name, keywords, dense = (float(f.values[e, FEATURES.index(n)]) for n in ("name", "keywords", "dense"))
        match = f.named.get(e)
        if match and (name >= c.why_name or (match.full and match.how in (INITIALS, ACRONYM))):
            if match.how in (INITIALS, ACRONYM):
                return Why(Kind.ACRONYM, match.words, bare_name(entry.term))
            if match.how == CLIPPED:
                return Why(Kind.SHORT_FOR, bare_name(entry.term))
            if match.words == " ".join(words(bare_name(entry.term))):
                return Why(Kind.NAME, bare_name(entry.term))
            written = next((a for a in entry.aliases if " ".join(words(a)) == match.words), match.words)
            return Why(Kind.ALIAS, written)
        matched = self.lexical.matched(e, f.stems)
        if matched and c.weight("keywords") * keywords >= c.why_keywords * dense:
            said = [w for w in dict.fromkeys(words(question)) if set(self.lexical.stems(w)) & set(matched)]
            return Why(Kind.KEYWORDS, ", ".join(said or matched), self._sentence_with(e, matched))
        row = int(f.passage[e])
        if row >= 0:
            p = self.passages[row]
            if p.kind == PassageKind.ALIAS and " ".join(words(p.text)) != " ".join(words(bare_name(entry.term))):
                return Why(Kind.ALIAS, p.text)
            if p.kind == PassageKind.SENTENCE:
                return Why(Kind.SENTENCE, passage=p.text.split(": ", 1)[-1])
        return Why(Kind.DEFINITION, passage=(sentences(entry.text) or [entry.text])[0])


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


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
        if p.kind == PassageKind.ENTRY or rows[p.entry] < 0:
            rows[p.entry] = row
    return rows
