"""What gets a vector. Each entry yields several passages; FAISS row i is passage i.

Search keeps the best passage per entry, so a question matching one sentence of a long definition, or
just the entry's name or an alias, is not drowned by the rest of the text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Passage:
    entry: int  # row of the entry in entries.jsonl
    kind: str  # "entry" (term: definition), "name" (the heading), "alias", or "sentence" (one sentence)
    text: str

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        return cls(**data)
