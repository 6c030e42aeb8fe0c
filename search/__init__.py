"""The query side: `open_index(index_dir).search(question, k)`.

The engine and the results are imported on first use (PEP 562), so `glossary-search` can start loading the
encoder (search/preload.py) before it imports the ranking; `from search import open_index` works as before.
"""

from indexformat.errors import (
    GlossarySearchError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    QueryError,
)

_LAZY = {"Engine": "search.engine", "open_index": "search.engine", "Hit": "search.results",
         "SearchResult": "search.results"}

__all__ = [
    "Engine",
    "GlossarySearchError",
    "Hit",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "QueryError",
    "SearchResult",
    "open_index",
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'search' has no attribute {name!r}")
