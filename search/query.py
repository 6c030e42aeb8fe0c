"""Checking and cleaning what a user typed before it reaches the model."""

from __future__ import annotations

import math
import unicodedata

from indexformat.errors import QueryError

MAX_QUERY_CHARS = 1000  # the model reads ~256 word pieces; longer text only costs time
MAX_K = 100
_MAX_SCAN = 1_000_000  # characters read at most, so a megabyte of invisible text costs ~0.2 s
_INVISIBLE = ("Cc", "Cf", "Cs", "Co", "Cn")  # control, zero-width/bidi, surrogate, private, unassigned


def clean_query(query: object) -> str:
    """Printable text with whitespace collapsed, cut to MAX_QUERY_CHARS; empty is an error.

    Control, zero-width and bidi-override characters are dropped (they only hide text from the reader);
    emoji and any script stay. Reading stops once enough text is kept, so a huge question costs little.
    """
    text, _ = _visible(query)
    if not text:
        raise QueryError("the question is empty; type a few words, e.g. 'how do I avoid overfitting'")
    return text


def truncation_note(query: object) -> str | None:
    """A sentence for the user when the question was cut to MAX_QUERY_CHARS, else None."""
    if _visible(query)[1]:
        return f"the question is long; only its first {MAX_QUERY_CHARS} characters were used"
    return None


def _visible(query: object) -> tuple[str, bool]:
    """(the cleaned text, whether visible text beyond MAX_QUERY_CHARS was cut)."""
    if not isinstance(query, str):
        raise QueryError("the question must be text")
    if len(query) <= MAX_QUERY_CHARS and query.isprintable():
        # The usual question: nothing invisible, and its only whitespace the plain space (isprintable is False
        # for every other kind), so the scan below would keep it all and only collapse the spaces.
        return " ".join(query.split()), False
    kept: list[str] = []
    for ch in query[:_MAX_SCAN]:
        if ch.isspace():
            if kept and kept[-1] != " ":
                kept.append(" ")
        elif unicodedata.category(ch) not in _INVISIBLE:
            kept.append(ch)
            if len(kept) > MAX_QUERY_CHARS:
                break
    text = "".join(kept[:MAX_QUERY_CHARS]).strip()
    return text, len("".join(kept).strip()) > MAX_QUERY_CHARS or len(query) > _MAX_SCAN


def clean_k(k: object, limit: int) -> int:
    """A number of results between 1 and min(limit, MAX_K)."""
    if isinstance(k, float) and math.isfinite(k) and k.is_integer():
        k = int(k)  # web forms send 5.0
    if isinstance(k, bool) or not isinstance(k, int):
        try:
            k = int(str(k).strip())
        except ValueError:
            raise QueryError(f"the number of results must be a whole number, not {str(k)[:20]!r}") from None
    if k < 1:
        raise QueryError(f"the number of results must be at least 1, not {k}")
    return min(k, limit, MAX_K)
