"""The data model and the index folder: entries, passages, the name table, the files of a built index, the
errors, and the encoders that read it. Imported by the build, the ranking and the query side; imports nothing
of theirs."""

from indexformat.version import __version__

__all__ = ["__version__"]
