"""The offline build step: glossary -> entries -> vectors -> FAISS index on disk."""

from index.build import BuildReport, build_index
from index.entry import Entry
from index.version import __version__

__all__ = ["BuildReport", "Entry", "__version__", "build_index"]
