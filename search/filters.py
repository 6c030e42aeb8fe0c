"""Restricting a search to part of the index: one glossary of several."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexformat.entry import Entry
from indexformat.errors import QueryError


def source_mask(entries: Sequence[Entry], source: str | None) -> np.ndarray | None:
    """Which entries come from the glossary labelled `source` (any case); None when no filter is asked."""
    if source is None or not str(source).strip():
        return None
    wanted = " ".join(str(source).split()).casefold()
    mask = np.array([e.source.casefold() == wanted for e in entries], dtype=bool)
    if not mask.any():
        labels = ", ".join(sorted({e.source for e in entries}))
        raise QueryError(f"no glossary '{source}' in this index; it holds: {labels}")
    return mask


def sources(entries: Sequence[Entry]) -> list[str]:
    """The glossary labels of an index, in the order they were indexed."""
    return list(dict.fromkeys(e.source for e in entries))
