"""Restricting a search to part of the index: one glossary of several."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexformat.entry import Entry
from indexformat.errors import QueryError


def source_key(label: str) -> str:
    """How a glossary label is compared, everywhere: case and spacing ignored."""
    return " ".join(str(label).split()).casefold()


def find_source(labels: Sequence[str], wanted: str | None) -> str | None:
    """The label of `labels` that `wanted` names (any case or spacing), or None."""
    if wanted is None or not str(wanted).strip():
        return None
    key = source_key(wanted)
    return next((label for label in labels if source_key(label) == key), None)


def source_mask(entries: Sequence[Entry], source: str | None) -> np.ndarray | None:
    """Which entries come from the glossary labelled `source` (any case); None when no filter is asked."""
    if source is None or not str(source).strip():
        return None
    wanted = source_key(source)
    mask = np.array([source_key(e.source) == wanted for e in entries], dtype=bool)
    if not mask.any():
        labels = ", ".join(sorted({e.source for e in entries}))
        raise QueryError(f"no glossary '{source}' in this index; it holds: {labels}")
    return mask


def sources(entries: Sequence[Entry]) -> list[str]:
    """The glossary labels of an index, in the order they were indexed."""
    return list(dict.fromkeys(e.source for e in entries))
