"""Word-piece vectors for late interaction: each entry's content pieces, as the encoder sees them in context.

The build keeps, per entry, the unit vectors the encoder gives the word pieces of its "term: definition" text
(before pooling), at most `PIECES` of them, stopwords and punctuation left out, as float16 in one array with a row
offset per entry. The query side reads them memory-mapped; ranking/late.py compares a question's pieces with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexformat.text import STOPWORDS

PIECES = 64  # pieces kept per text: a definition's opening says most, and it bounds the file (64 x dim x 2 bytes)
SCHEME = 1  # bump when what is kept changes; a rebuild then writes the file again
_MARKS = "#▁Ġ"  # how tokenizers mark a piece inside or at the start of a word (WordPiece, SentencePiece, BPE)


def content_pieces(pieces: Sequence[str], special: Sequence[int]) -> list[int]:
    """The positions worth comparing: a word piece continuing a word, or a word that is not a stopword; never
    a special token (`special`: the tokenizer's special-tokens mask) or punctuation."""
    keep = []
    for i, (piece, is_special) in enumerate(zip(pieces, special, strict=True)):
        if is_special:
            continue
        word = piece.lstrip(_MARKS)
        if piece.startswith("##") or (word.isalnum() and word.lower() not in STOPWORDS):
            keep.append(i)
        if len(keep) == PIECES:
            break
    return keep


@dataclass(frozen=True)
class LateVectors:
    data: np.ndarray  # float16[pieces of all entries, dim], unit rows
    rows: np.ndarray  # int64[entries + 1]: entry e's pieces are data[rows[e]:rows[e + 1]]

    @classmethod
    def stack(cls, matrices: Sequence[np.ndarray], dim: int) -> LateVectors:
        rows = np.zeros(len(matrices) + 1, dtype=np.int64)
        rows[1:] = np.cumsum([len(m) for m in matrices])
        data = np.concatenate(matrices) if matrices else np.empty((0, dim))
        return cls(np.ascontiguousarray(data, dtype=np.float16), rows)

    def of(self, entry: int) -> np.ndarray:
        return self.data[self.rows[entry]:self.rows[entry + 1]]

    @property
    def entries(self) -> int:
        return len(self.rows) - 1
