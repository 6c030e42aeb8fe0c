"""What gets a vector. Each entry yields several passages; FAISS row i is passage i.

Search keeps the best passage per entry, so a question matching one sentence of a long definition, or
just the entry's name or an alias, is not drowned by the rest of the text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # Python 3.10: the same behaviour, written out
    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return str(self.value)


class PassageKind(StrEnum):
    """What a passage holds; equal to its JSON string ("entry" == PassageKind.ENTRY)."""

    ENTRY = "entry"  # term: definition
    NAME = "name"  # the heading
    ALIAS = "alias"  # another name of the entry
    SENTENCE = "sentence"  # one sentence of a longer definition, with the name in front


@dataclass(frozen=True)
class Passage:
    entry: int  # row of the entry in entries.jsonl
    kind: PassageKind
    text: str

    def to_json(self) -> dict:
        return {"entry": self.entry, "kind": self.kind, "text": self.text}  # asdict's, without its deep copy

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        kind = _KINDS.get(data["kind"]) or PassageKind(data["kind"])  # a dict lookup first: 49k rows at 10k entries
        return cls(int(data["entry"]), kind, str(data["text"]))


_KINDS = {kind.value: kind for kind in PassageKind}
