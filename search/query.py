"""Checking and cleaning what a user typed before it reaches the model."""

from __future__ import annotations

import unicodedata

from index.errors import QueryError

MAX_QUERY_CHARS = 1000  # the model reads ~256 word pieces; longer text only costs time
MAX_K = 100


def clean_query(query: object) -> str:
    """Printable text with whitespace collapsed, cut to MAX_QUERY_CHARS; empty is an error."""
    if not isinstance(query, str):
        raise QueryError("the question must be text")
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in query[: MAX_QUERY_CHARS * 4]
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    text = " ".join(kept.split())[:MAX_QUERY_CHARS].strip()
    if not text:
        raise QueryError("the question is empty; type a few words, e.g. 'how do I avoid overfitting'")
    return text


def clean_k(k: object, limit: int) -> int:
    """A number of results between 1 and min(limit, MAX_K)."""
    if isinstance(k, bool) or not isinstance(k, int):
        try:
            k = int(str(k).strip())
        except ValueError:
            raise QueryError(f"the number of results must be a whole number, not '{k}'") from None
    if k < 1:
        raise QueryError(f"the number of results must be at least 1, not {k}")
    return min(k, limit, MAX_K)
