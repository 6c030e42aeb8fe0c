"""Questions a glossary answers, made from its own text at build time, each labelled with its entry.

The build fits the ranking on them and checks it on others it held back (index/fit.py), and calibrates the
no-match line with them (index/calibrate.py). Kinds: the name, "what is <name>", an alias, a definition
sentence with the entry's names taken out, a cut of it (a window of its words), a name with a typo, and a
how-to made from a sentence saying what the entry prevents or reduces.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from indexformat.entry import Entry
from indexformat.text import bare_name, sentences

SAMPLE_ENTRIES = 400  # past this many entries an evenly spaced sample stands for the rest (bounded build time)
MIN_WORDS = 4  # a masked sentence shorter than this says too little to be a question
WINDOW = (5, 9)  # words in a cut of a definition
SEED = 13  # the same glossary always yields the same questions
_ACTS = re.compile(
    r"\b(?:prevents?|reduces?|avoids?|mitigates?|fix(?:es)?|limits?|counters?|lowers?|speeds? up|improves?)"
    r"\s+(?P<target>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    text: str
    entry: int  # the row of the entry that answers it
    kind: str  # name, what-is, alias, sentence, cut, typo, how-to


def generated_questions(entries: list[Entry], sample: int = SAMPLE_ENTRIES) -> list[Question]:
    rng = random.Random(SEED)
    step = -(-len(entries) // sample)  # ceiling division: 1 up to `sample` entries
    found: list[Question] = []
    for row in range(0, len(entries), step):
        found += _for_entry(row, entries[row], rng)
    return found


def _for_entry(row: int, entry: Entry, rng: random.Random) -> list[Question]:
    name = bare_name(entry.term)
    found = [Question(name, row, "name"), Question(f"what is {name}", row, "what-is")]
    found += [Question(a, row, "alias") for a in entry.aliases[:2]]
    names = [name, *entry.aliases]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    mask = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
    for sentence in sentences(entry.text)[:2]:
        stripped = " ".join(mask.sub(" ", sentence).split())
        if len(stripped.split()) >= MIN_WORDS:
            found.append(Question(stripped, row, "sentence"))
    words = mask.sub(" ", entry.text).split()
    if len(words) > WINDOW[1] + 2:
        size = rng.randint(*WINDOW)
        start = rng.randrange(0, len(words) - size)
        found.append(Question(" ".join(words[start : start + size]), row, "cut"))
    if len(name) >= 6 and name.isascii():
        i = rng.randrange(1, len(name) - 2)
        if name[i] != name[i + 1] and name[i].isalpha() and name[i + 1].isalpha():
            found.append(Question(name[:i] + name[i + 1] + name[i] + name[i + 2 :], row, "typo"))
    for match in _ACTS.finditer(entry.text):
        verb = re.sub(r"(?<=x)es$|s$", "", match.group(0).split()[0].lower())
        target = match["target"].rstrip(".,;")
        found.append(Question(f"how do I {verb} {target}", row, "how-to"))
        break
    return found
