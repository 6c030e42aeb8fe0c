"""The name table's build: every way the glossary names an entry (indexformat/lexicon.py holds the table)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from indexformat.entry import Entry
from indexformat.lexicon import INITIALS, JOINED, WRITTEN, Lexicon, camel_words, initials, key
from indexformat.text import STOPWORDS, bare_name, words


def _names(entry: Entry) -> list[tuple[str, str]]:
    written = [entry.term, bare_name(entry.term), *entry.aliases]
    found = [(key(n), WRITTEN) for n in written]
    for n in written:
        if "-" in n:  # "Multi-Layer" is also written "multilayer"
            found.append((key(n.replace("-", "")), JOINED))
    for n in [bare_name(entry.term), *entry.aliases]:
        if " " not in n.strip() and "-" not in n and len(camel_words(n.strip())) < 2:
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
    for name, slot in names.items():
        if any(how == WRITTEN for _, how in slot):
            names[name] = [(e, how) for e, how in slot if how != INITIALS]
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
        if not w.islower() and sum(map(str.isupper, w)) >= 2  # islower(): no capital at all, the common case
    )
