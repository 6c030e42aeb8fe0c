"""Questions a glossary answers, made from its own text at build time, each labelled with its entry and kind.

The build fits the ranking on them and checks it on others it held back (index/fit.py), and calibrates the
no-match line with them (index/calibrate.py). People mostly DESCRIBE what they look for, so most kinds here do
not quote the answer's name:

- naming: the name, "what is"/"define"/"... meaning" around it, an alias;
- describing: a definition sentence with the entry's names and their word family taken out and its rarest
  words dropped (people do not quote the definition); a short cut of the definition; a cut around ANOTHER
  entry's name that the definition mentions (glossaries' definitions mention each other all the time, and a
  question that describes B while saying A's name must still find B);
- how-to: "how do I X" from what the definition says the entry does or makes possible ("used to X", "allows
  X", "prevents X", ...);
- other: a typo of the name, a written acronym, a longer message carrying a describing question.

Each kind belongs to one GROUP, and the groups are weighted as people ask (KIND_MIX), not one vote per
generator.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass

from indexformat.entry import Entry
from indexformat.text import STOPWORDS, bare_name, sentences, words

SAMPLE_ENTRIES = 400  # past this many entries an evenly spaced sample stands for the rest (bounded build time)
MIN_WORDS = 4  # a masked sentence shorter than this says too little to be a question
WINDOW = (5, 9)  # words in a cut of a definition
MENTION_WINDOW = 4  # words kept on each side of another entry's name in a mention question
KEEP_SHARE = 0.6  # a paraphrase keeps this share of a sentence's content words, the commonest ones
PARAPHRASE_WORDS = 10  # and at most this many words
SEED = 13  # the same glossary always yields the same questions
# Rewording: a paraphrase swaps its words for their nearest other word of the glossary (by the encoder's
# vectors, a different stem, at least this similar), as a person says a definition in their own words.
SYNONYM_WORDS = 1000  # at most this many words are embedded (the commonest of the sampled definitions)
SYNONYM_MIN = 0.6
# How people ask (issue 19): what share of questions each group of kinds stands for.
KIND_MIX = {"naming": 0.25, "describing": 0.45, "how-to": 0.15, "other": 0.15}
GROUP = {"name": "naming", "what-is": "naming", "alias": "naming",
         "paraphrase": "describing", "cut": "describing", "mention": "describing",
         "how-to": "how-to",
         "typo": "other", "acronym": "other", "long": "other"}
_ASKED = ("what is {}", "define {}", "{} meaning", "what does {} mean")
_LONG = ("I have been reading about this for a while and I keep running into the same thing without knowing "
         "its proper name, so maybe someone here can help me out. {}? What is it called?")
_ACTS = re.compile(
    r"\b(?:prevents?|reduces?|avoids?|mitigates?|fix(?:es)?|limits?|counters?|lowers?|speeds? up|improves?)"
    r"\s+(?P<target>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)
# What a definition says the thing does or makes possible: "used to X", "allows you to X", "enables X".
_ENABLES = re.compile(
    r"\b(?:(?:is|are)\s+)?(?:used|designed|intended|meant)\s+(?:to|for)\s+|\b(?:allows?|enables?|lets?|helps?)"
    r"\s+(?:(?:you|users?|one|developers?|programmers?|clients?|the\s+\w+)\s+)?(?:to\s+)?"
    r"|\bmakes?\s+it\s+possible\s+to\s+|\bprovides?\s+(?:a\s+)?(?:way|means|mechanism)\s+(?:to|for|of)\s+"
    r"|\bresponsible\s+for\s+",
    re.IGNORECASE,
)
_HOWTO_WORDS = (2, 7)  # words of the action a how-to keeps
# Everyday questions with one glossary word put in: off-topic questions whose only tie to the glossary is that
# word ("where can I buy a cheap kernel"). Domain-neutral on purpose, like index/offtopic.py.
_EVERYDAY = (
    "where can I buy a cheap {}", "how do I clean a {} at home", "best {} to give as a birthday present",
    "my neighbour's {} keeps me awake at night", "how much does a {} cost in London",
    "funny jokes about a {} for kids", "can I take a {} on a plane", "what colour {} goes with a blue sofa",
    "is it safe to eat a {}", "how to draw a {} step by step",
)
SHARED_WORDS = 40  # glossary words put into everyday questions


@dataclass(frozen=True)
class Question:
    text: str
    entry: int  # the row of the entry that answers it
    kind: str  # a key of GROUP

    @property
    def group(self) -> str:
        return GROUP[self.kind]


def generated_questions(entries: list[Entry], sample: int = SAMPLE_ENTRIES, encode=None) -> list[Question]:
    """`encode` (texts -> unit vectors), when given, lets paraphrases and how-tos be reworded."""
    rng = random.Random(SEED)
    step = -(-len(entries) // sample)  # ceiling division: 1 up to `sample` entries
    rows = range(0, len(entries), step)
    family = _Family(entries)
    if encode is not None:
        family.reword = _neighbours([entries[r] for r in rows], family, encode)
    found: list[Question] = []
    for row in rows:
        found += _for_entry(row, entries[row], rng, family)
    return found


def _neighbours(entries: list[Entry], family: _Family, encode) -> dict[str, str]:
    """word -> the nearest other word of these definitions with another stem, if it is similar enough."""
    counts: Counter[str] = Counter()
    for e in entries:
        for sentence in sentences(e.text)[:2]:
            counts.update(w for w in words(sentence) if w.isalpha() and len(w) >= 3 and w not in STOPWORDS)
    pool = [w for w, _ in counts.most_common(SYNONYM_WORDS)]
    if len(pool) < 2:
        return {}
    import numpy as np

    vectors = np.asarray(encode(pool), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    sims = vectors @ vectors.T
    stems = [family.stem(w) for w in pool]
    found = {}
    for i, word in enumerate(pool):
        for j in np.argsort(-sims[i])[:8]:
            if stems[j] != stems[i] and sims[i, j] >= SYNONYM_MIN:
                found[word] = pool[j]
                break
    return found


class _Family:
    """Words as stems (a word's morphological family), how common each is, and every entry's names."""

    def __init__(self, entries: list[Entry]):
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        df: Counter[str] = Counter()
        for e in entries:
            df.update(set(self.stems(e.text)))
        self.n = max(1, len(entries))
        self.reword: dict[str, str] = {}  # word -> a near word of the glossary (generated_questions' `encode`)
        self.df = df
        self.names: dict[str, int] = {}  # a name's words, joined -> its entry (names of 1-4 words)
        for row, e in enumerate(entries):
            for name in (bare_name(e.term), *e.aliases):
                key = " ".join(words(name))
                if key and len(key.split()) <= 4:
                    self.names.setdefault(key, row)

    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word.casefold())

    def stems(self, text: str) -> list[str]:
        return [self.stem(w) for w in words(text) if w not in STOPWORDS]

    def reworded(self, tokens: list[str]) -> list[str]:
        return [self.reword.get(t.casefold().strip(",;:."), t) for t in tokens]

    def idf(self, word: str) -> float:
        return math.log(self.n / (1 + self.df.get(self.stem(word), 0)))


def _for_entry(row: int, entry: Entry, rng: random.Random, family: _Family) -> list[Question]:
    name = bare_name(entry.term)
    names = [name, *entry.aliases]
    found = [Question(name, row, "name"), Question(rng.choice(_ASKED).format(name), row, "what-is")]
    for alias in entry.aliases[:2]:
        letters = alias.replace(".", "")
        acronym = letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6
        found.append(Question(alias, row, "acronym" if acronym else "alias"))
    own = {s for n in names for s in family.stems(n)}
    text_words = [w for w in entry.text.split()]
    kept = [w for w in text_words if not (set(family.stems(w)) & own)]  # the entry's names and their family out

    paraphrase = None
    for sentence in sentences(entry.text)[:2]:
        masked = [w for w in sentence.split() if not (set(family.stems(w)) & own)]
        content = [w for w in masked if words(w) and words(w)[0] not in STOPWORDS]
        if len(content) < 2 or len(masked) < MIN_WORDS:
            continue
        # People say the gist in common words: the rarest words of the definition are the ones they do not say.
        keep = max(2, round(KEEP_SHARE * len(content)))
        common = set(sorted(content, key=family.idf)[:keep])
        said = [w for w in masked if w in common or not (words(w) and words(w)[0] not in STOPWORDS)]
        text = " ".join(family.reworded(said[:PARAPHRASE_WORDS])).strip(" ,;:.")
        if len(content_of(text)) >= 2:
            paraphrase = text
            found.append(Question(text, row, "paraphrase"))
            break
    if len(kept) > WINDOW[1] + 2:
        size = rng.randint(*WINDOW)
        start = rng.randrange(0, len(kept) - size)
        found.append(Question(" ".join(kept[start : start + size]).strip(" ,;:."), row, "cut"))
    mention = _mention(row, entry, kept, family)
    if mention:
        found.append(Question(mention, row, "mention"))
    if len(name) >= 6 and name.isascii():
        i = rng.randrange(1, len(name) - 2)
        if name[i] != name[i + 1] and name[i].isalpha() and name[i + 1].isalpha():
            found.append(Question(name[:i] + name[i + 1] + name[i] + name[i + 2 :], row, "typo"))
    howto = _howto(entry.text, own, family)
    if howto:
        found.append(Question(howto, row, "how-to"))
    if paraphrase:
        found.append(Question(_LONG.format(paraphrase), row, "long"))
    return found


def content_of(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def _mention(row: int, entry: Entry, kept: list[str], family: _Family) -> str | None:
    """A cut of the definition around another entry's name, the entry's own names taken out."""
    tokens = [" ".join(words(w)) for w in kept]
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            key = " ".join(t for t in tokens[i : i + n] if t)
            other = family.names.get(key)
            if other is None or other == row or key in STOPWORDS:
                continue
            start, end = max(0, i - MENTION_WINDOW), min(len(kept), i + n + MENTION_WINDOW)
            text = " ".join(kept[start:end]).strip(" ,;:.")
            if len(content_of(text)) >= 3:
                return text
    return None


def _howto(text: str, own: set[str], family: _Family) -> str | None:
    """ "how do I X" from "... used to X", "allows X", "prevents X": what the entry does, in its own words minus
    its names."""
    for match in _ACTS.finditer(text):
        verb = re.sub(r"(?<=x)es$|s$", "", match.group(0).split()[0].lower())
        target = match["target"].rstrip(".,;")
        return f"how do I {verb} {target}"
    for match in _ENABLES.finditer(text):
        rest = re.split(r"[.;:,()]", text[match.end():], maxsplit=1)[0].split()
        action = [w for w in rest[: _HOWTO_WORDS[1]] if not (set(family.stems(w)) & own)]
        if len(content_of(" ".join(action))) >= _HOWTO_WORDS[0]:
            return "how do I " + " ".join(family.reworded(action))
    return None


def shared_word_negatives(entries: list[Entry], count: int = SHARED_WORDS) -> list[str]:
    """Off-topic questions that share one word with the glossary: an entry's one-word name (the commonest
    kind of shared word) put into an everyday question."""
    rng = random.Random(SEED)
    single = sorted({w for e in entries for w in [bare_name(e.term).casefold()]
                     if w.isalpha() and len(w) >= 4 and w not in STOPWORDS})
    if not single:
        return []
    chosen = rng.sample(single, min(count, len(single)))
    return [_EVERYDAY[i % len(_EVERYDAY)].format(w) for i, w in enumerate(chosen)]
