"""The name table: every way the glossary names an entry, computed from the glossary at build time.

Names come from headings (`Kernel (Filter)` -> "kernel", "filter"), the parser's aliases (acronym
expansions, `See ...` redirects), hyphen-free spellings ("multilayer perceptron") and the initials of
multi-word names ("ICS" for Internal Covariate Shift, "MHA" for Multi-Head Attention), a CamelCase name's words
counting as words ("CRD" for CustomResourceDefinition). The table is a JSON
file in the index version folder, so the query side looks names up without re-deriving them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexformat import store
from indexformat.text import words

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

    def written_names(self) -> list[str]:
        """The names the glossary writes (headings, their parts, aliases), not the spellings derived from them."""
        return [name for name, found in self.names.items() if any(how == WRITTEN for _, how in found)]

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


# The words run together inside one CamelCase word: "ConfigMap" -> Config, Map; "XMLHttpRequest" -> XML, Http, Request.
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def initials(name: str) -> list[str]:
    """`Multi-Head Attention` -> ["mha"]; `Speed of Light` -> ["sl", "sol"]; `CustomResourceDefinition` -> ["crd"]
    (its words are run together). A single word has none."""
    parts = [w for p in re.split(r"[\s\-/]+", name) if p and p[0].isalnum() for w in camel_words(p)]
    if len(parts) < 2:
        return []
    major = "".join(p[0] for p in parts if p.casefold() not in _MINOR).casefold()
    every = "".join(p[0] for p in parts).casefold()
    return [i for i in dict.fromkeys([major, every]) if len(i) >= 2]


def camel_words(word: str) -> list[str]:
    """The words of a CamelCase word ("ConfigMap" -> ["Config", "Map"]); any other word is one word. A word is
    CamelCase when a capital follows a small letter inside it: "iPhone" and "PostgreSQL" are, "OAuth" is not."""
    if not re.search(r"[a-z][A-Z]", word) or not word.isalnum():
        return [word]
    return _CAMEL.findall(word)
