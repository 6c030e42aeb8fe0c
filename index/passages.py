"""What gets a vector: the passages each entry yields (the build's side of indexformat/passages.py)."""

from __future__ import annotations

from indexformat.entry import Entry
from indexformat.passages import Passage, PassageKind
from indexformat.text import bare_name, sentences

SCHEME = 4  # bump when the passages an entry yields change; a rebuild then re-embeds


def passages_for(row: int, entry: Entry) -> list[Passage]:
    found = [Passage(row, PassageKind.ENTRY, f"{entry.term}: {entry.text}"), Passage(row, PassageKind.NAME, entry.term)]
    # Other languages' names stay names (the name table finds "Bodenauflösung"), but get no vector: an English
    # model embeds them as noise that can outscore real passages.
    foreign = {term for _, term, _ in entry.translations}
    found += [Passage(row, PassageKind.ALIAS, alias) for alias in entry.aliases
              if alias != entry.term and alias not in foreign]
    parts = sentences(entry.text)
    if len(parts) > 1:  # a one-sentence definition is already the "entry" passage
        # The name in front gives a short sentence ("This helps prevent overfitting.") its subject.
        found += [Passage(row, PassageKind.SENTENCE, f"{bare_name(entry.term)}: {s}") for s in parts]
    return found
