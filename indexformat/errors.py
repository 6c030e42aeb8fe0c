"""The library's own exceptions. Edges (CLI, app) turn them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class GlossarySearchError(Exception):
    """Base class: every error the library means to report to a user."""


class GlossaryParseError(GlossarySearchError):
    """The glossary file cannot be read as a glossary; names the file and line."""

    def __init__(self, path: str | Path, line: int | None, problem: str):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


class GlossaryWarningsError(GlossarySearchError):
    """Strict mode (`rebuild-index --strict`): the glossaries read with warnings; one line per warning."""

    def __init__(self, warnings: list[str]):
        self.warnings = list(warnings)
        super().__init__("\n".join(self.warnings))


class IndexNotFoundError(GlossarySearchError):
    """No usable index where one was expected."""


class IndexCorruptError(GlossarySearchError):
    """Index files exist but cannot be read."""


class IndexMismatchError(GlossarySearchError):
    """The index was built with another model, dimension or schema than the one in use."""


class IndexWriteError(GlossarySearchError):
    """The index folder cannot be created or written (permissions, read-only disk, a file in the way)."""


class IndexLockedError(GlossarySearchError):
    """Another rebuild holds the index lock."""


class ModelLoadError(GlossarySearchError):
    """The sentence-transformers model cannot be loaded."""


class QueryError(GlossarySearchError):
    """The question or its options are not usable."""


class EncoderLoadError(GlossarySearchError):
    """The ONNX encoder cannot be exported or loaded, and strict mode (GLOSSARY_STRICT_ENCODER=1, on in CI)
    forbids falling back to sentence-transformers; also raised by OnnxEncoder for a damaged export."""


class IndexEncoderError(EncoderLoadError, IndexCorruptError):
    """The ONNX export inside an index version cannot be loaded and strict mode forbids the fallback."""
