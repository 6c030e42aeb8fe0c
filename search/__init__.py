"""The query side: `open_index(index_dir).search(question, k)`."""

from indexformat.errors import (
    GlossarySearchError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    QueryError,
)
from search.engine import Engine, open_index
from search.results import Hit, SearchResult

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
