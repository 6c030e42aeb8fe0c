"""What gets a vector. Each entry yields one or more passages; FAISS row i is passage i."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from index.entry import Entry

SCHEME = 2  # bump when the passages an entry yields change; a rebuild then re-embeds


@dataclass(frozen=True)
class Passage:
    entry: int  # row of the entry in entries.jsonl
    kind: str  # what the text is: "entry" (term + definition) or "alias"
    text: str

    def to_json(self) -> dict:
        return asdict(self)


def passages_for(row: int, entry: Entry) -> list[Passage]:
    # An alias alone gets its own vector, so "cost function" finds Loss Function by that name.
    return [Passage(row, "entry", f"{entry.term}: {entry.text}")] + [
        Passage(row, "alias", alias) for alias in entry.aliases
    ]
