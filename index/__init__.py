"""The offline build step: glossary -> entries -> vectors -> FAISS index on disk.

`build_index` is imported on first use, so that the query side can read the index format modules of this
package (`index.entry`, `index.store`, ...) without loading the build (readers, markdown, the ONNX export).
"""

from index.entry import Entry
from index.version import __version__

__all__ = ["BuildReport", "Entry", "__version__", "build_index"]


def __getattr__(name: str):
    if name in ("BuildReport", "build_index"):
        from index import build

        return getattr(build, name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
