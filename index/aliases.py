"""The name table: every way the glossary names an entry, computed from the glossary at build time.

Names come from headings (`Kernel (Filter)` -> "kernel", "filter"), the parser's aliases (acronym
expansions, `See ...` redirects), hyphen-free spellings ("multilayer perceptron") and the initials of
multi-word names ("ICS" for Internal Covariate Shift, "MHA" for Multi-Head Attention). The table is a JSON
file in the index version folder, so the query side looks names up without re-deriving them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index import store
from index.entry import Entry
from index.text import STOPWORDS, bare_name, words

FILE = store.LEXICON
_MINOR = {"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "with", "by", "at", "or"}

# How sure a name match is, by where the name came from.
WRITTEN, JOINED, INITIALS = "written", "joined", "initials"


@dataclass(frozen=True)
class Lexicon:
    names: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # normalized name -> [(entry, how)]
    vocab: tuple[str, ...] = ()  # every word of the glossary, for typo correction
    longest: int = 1  # words in the longest name
    # How specific each name is, 0..1: 1 for a name no other definition uses, low for a hub such as
    # "network" that a third of the definitions mention (the share of its IDF in the highest IDF possible).
    specificity: dict[str, float] = field(default_factory=dict)
    capitals: frozenset[str] = frozenset()  # words the glossary writes in capitals ("ICS", "BN"), lowercased

    def to_json(self) -> dict:
        return {
            "names": {k: [list(v) for v in vs] for k, vs in self.names.items()},
            "vocab": list(self.vocab),
            "longest": self.longest,
            "specificity": self.specificity,
            "capitals": sorted(self.capitals),
        }

    @classmethod
    def from_json(cls, data: dict) -> Lexicon:
        names = {k: [(int(e), str(how)) for e, how in vs] for k, vs in data["names"].items()}
        return cls(names, tuple(data["vocab"]), int(data["longest"]),
                   {k: float(v) for k, v in data.get("specificity", {}).items()},
                   frozenset(data.get("capitals", ())))


def key(name: str) -> str:
    """How names are looked up: lowercase words joined by single spaces, punctuation dropped."""
    return " ".join(words(name))


def initials(name: str) -> list[str]:
    """`Multi-Head Attention` -> ["mha"]; `Speed of Light` -> ["sl", "sol"]. Single words have none."""
    parts = [p for p in re.split(r"[\s\-/]+", name) if p and p[0].isalnum()]
    if len(parts) < 2:
        return []
    major = "".join(p[0] for p in parts if p.casefold() not in _MINOR).casefold()
    every = "".join(p[0] for p in parts).casefold()
    return [i for i in dict.fromkeys([major, every]) if len(i) >= 2]


def _names(entry: Entry) -> list[tuple[str, str]]:
    written = [entry.term, bare_name(entry.term), *entry.aliases]
    found = [(key(n), WRITTEN) for n in written]
    for n in written:
        if "-" in n:  # "Multi-Layer" is also written "multilayer"
            found.append((key(n.replace("-", "")), JOINED))
    for n in [bare_name(entry.term), *entry.aliases]:
        if " " not in n.strip() and "-" not in n:
            continue
        found += [(i, INITIALS) for i in initials(n)]
    return found


def build_lexicon(entries: Sequence[Entry]) -> Lexicon:
    names: dict[str, list[tuple[int, str]]] = {}
    for row, entry in enumerate(entries):
        for name, how in _names(entry):
            if not name or name in STOPWORDS:
                continue
            slot = names.setdefault(name, [])
            if all(e != row for e, _ in slot):
                slot.append((row, how))
    # A written name beats a generated one for the same key ("ann" written beats "ann" as someone's initials).
    for key, slot in names.items():
        if any(how == WRITTEN for _, how in slot):
            names[key] = [(e, how) for e, how in slot if how != INITIALS]
    vocab = sorted(
        {
            w
            for e in entries
            for text in (e.term, *e.aliases, e.text)
            for w in words(text)
            if len(w) >= 3 and w.isalpha()
        }
    )
    longest = max((len(k.split()) for k in names), default=1)
    return Lexicon(names, tuple(vocab), longest, _specificity(names, entries), _capitals(entries))


def _specificity(names: dict, entries: Sequence[Entry]) -> dict[str, float]:
    """Per name, log(N / df) over the highest value, df the definitions using its rarest word (a phrase is
    at most as common as its rarest word)."""
    df: dict[str, int] = {}
    for entry in entries:
        for w in set(words(entry.text)):
            df[w] = df.get(w, 0) + 1
    top = math.log(len(entries) + 1) or 1.0
    found = {}
    for name in names:
        parts = [w for w in name.split() if w not in STOPWORDS] or name.split()
        common = min(df.get(w, 0) for w in parts)
        found[name] = round(math.log((len(entries) + 1) / (common + 1)) / top, 4)
    return found


def _capitals(entries: Sequence[Entry]) -> frozenset[str]:
    return frozenset(
        w.casefold()
        for e in entries
        for text in (e.term, *e.aliases, e.text)
        for w in re.findall(r"[\w-]+", text)
        if sum(c.isupper() for c in w) >= 2
    )


def write_lexicon(lexicon: Lexicon, folder: Path) -> None:
    (folder / FILE).write_text(json.dumps(lexicon.to_json(), ensure_ascii=False), encoding="utf-8")


def read_lexicon(folder: Path) -> Lexicon | None:
    """The table in `folder`, or None for an index built before it existed."""
    path = folder / FILE
    if not path.is_file():
        return None
    return Lexicon.from_json(json.loads(path.read_text(encoding="utf-8")))
