"""What gets a vector. Each entry yields several passages; FAISS row i is passage i.

Search keeps the best passage per entry, so a question matching one sentence of a long definition, or
just the entry's name or an alias, is not drowned by the rest of the text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from index.entry import Entry
from index.text import bare_name, sentences

SCHEME = 4  # bump when the passages an entry yields change; a rebuild then re-embeds


@dataclass(frozen=True)
class Passage:
    entry: int  # row of the entry in entries.jsonl
    kind: str  # "entry" (term: definition), "name" (the heading), "alias", or "sentence" (one sentence)
    text: str

    def to_json(self) -> dict:
        return asdict(self)


def passages_for(row: int, entry: Entry) -> list[Passage]:
    found = [Passage(row, "entry", f"{entry.term}: {entry.text}"), Passage(row, "name", entry.term)]
    # Other languages' names stay names (the name table finds "Bodenauflösung"), but get no vector: an English
    # model embeds them as noise that can outscore real passages.
    foreign = {term for _, term, _ in entry.translations}
    found += [Passage(row, "alias", alias) for alias in entry.aliases if alias != entry.term and alias not in foreign]
    parts = sentences(entry.text)
    if len(parts) > 1:  # a one-sentence definition is already the "entry" passage
        # The name in front gives a short sentence ("This helps prevent overfitting.") its subject.
        found += [Passage(row, "sentence", f"{bare_name(entry.term)}: {s}") for s in parts]
    return found
