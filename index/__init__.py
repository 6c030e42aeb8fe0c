"""The offline build step: glossary -> entries -> vectors -> FAISS index on disk.

`build_index` is imported on first use, so that `import index` (for `Entry` or the version) stays cheap; the data
model and the index folder's format live in `indexformat/`.
"""

from indexformat.entry import Entry
from indexformat.version import __version__

__all__ = ["BuildReport", "Entry", "__version__", "build_index"]


def __getattr__(name: str):
    if name in ("BuildReport", "build_index"):
        from index import build

        return getattr(build, name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
