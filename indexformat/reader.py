"""Every read of a built index goes through `IndexReader`: it raises only `IndexCorruptError` (a file missing,
damaged or not matching the rest) and `IndexMismatchError` (built for another model or dimension), each one
sentence that says to run `rebuild-index`, never a library's own exception.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np

from indexformat import store
from indexformat.encoder import Encoder, query_encoder
from indexformat.entry import Entry
from indexformat.errors import (
    EncoderLoadError,
    GlossarySearchError,
    IndexCorruptError,
    IndexEncoderError,
    IndexMismatchError,
)
from indexformat.late import LateVectors
from indexformat.lexicon import Lexicon
from indexformat.manifest import Manifest, read_manifest
from indexformat.passages import Passage
from indexformat.vectors import ExactIndex, check_flat_file, is_flat, numpy_scan, read_index

T = TypeVar("T")
# What libraries raise for a file they cannot parse: bad JSON or UTF-8, a short or pickled .npy, a wrong shape.
UNREADABLE = (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError)


def damaged(path: Path, err: BaseException | str | None = None) -> IndexCorruptError:
    """The one sentence for an index file that cannot be read."""
    if isinstance(err, FileNotFoundError):
        return IndexCorruptError(f"the index file {path} is missing; run rebuild-index")
    reason = str(err).splitlines()[0] if err is not None and str(err) else type(err).__name__ if err else ""
    return IndexCorruptError(f"the index file {path} is damaged{f' ({reason})' if reason else ''}; run rebuild-index")


class IndexReader:
    """One published version folder, read file by file (each file once)."""

    def __init__(self, version: Path):
        self.version = Path(version)

    @classmethod
    def live(cls, index_dir: Path) -> IndexReader:
        """The version CURRENT names, or IndexNotFoundError / IndexCorruptError saying what to run."""
        return cls(store.live_version(Path(index_dir)))

    @property
    def name(self) -> str:
        return self.version.name

    def path(self, name: str) -> Path:
        return self.version / name

    def has(self, name: str) -> bool:
        return self.path(name).exists()

    def load(self, name: str, loader: Callable[[Path], T]) -> T:
        """`loader(path)` with whatever it raises for a damaged file turned into IndexCorruptError: for files
        a library reads itself (the keyword index)."""
        path = self.path(name)
        try:
            return loader(path)
        except GlossarySearchError:
            raise
        except UNREADABLE as err:
            raise damaged(path, err) from None

    def json(self, name: str, default=None):
        """A JSON file of the index, or `default` when an older build did not write it."""
        path = self.path(name)
        if not path.is_file():
            return default
        return self.load(name, lambda p: store.loads(p.read_bytes()))

    @cached_property
    def manifest(self) -> Manifest:
        return read_manifest(self.path(store.MANIFEST))

    def entries(self) -> tuple[Entry, ...]:
        rows = store.read_jsonl(self.path(store.ENTRIES))
        return self.load(store.ENTRIES, lambda _: tuple(Entry.from_json(row) for row in rows))

    def passages(self) -> list[Passage]:
        rows = store.read_jsonl(self.path(store.PASSAGES))
        return self.load(store.PASSAGES, lambda _: [Passage.from_json(row) for row in rows])

    def passage_texts(self) -> list[str]:
        return [p.text for p in self.passages()]

    def faiss_index(self):
        return read_index(self.path(store.FAISS))

    def index_shape(self) -> tuple[int, int]:
        """(vectors, dimension) of the FAISS file; a flat one is checked from its header, with no faiss import."""
        manifest = self.manifest
        if is_flat(manifest.index_type):
            check_flat_file(self.path(store.FAISS), manifest.passages, manifest.dim)
            return manifest.passages, manifest.dim
        index = self.faiss_index()
        return index.ntotal, index.d

    def search_index(self, matrix: np.ndarray):
        """What answers nearest-neighbour questions: an exact numpy scan of `matrix` for a small flat index
        (its FAISS file still checked from its header), else the FAISS index."""
        manifest = self.manifest
        if numpy_scan(manifest.index_type, len(matrix), manifest.dim):
            check_flat_file(self.path(store.FAISS), len(matrix), manifest.dim)
            return ExactIndex(matrix)
        return self.faiss_index()

    def vectors(self, rows: int | None = None):
        """The passage vectors, memory-mapped (float32[passages, dim])."""
        path = self.path(store.VECTORS)
        matrix = self.load(store.VECTORS, lambda p: np.load(p, mmap_mode="r", allow_pickle=False))
        if not isinstance(matrix, np.ndarray) or matrix.ndim != 2 or matrix.dtype != np.float32 \
                or (rows is not None and len(matrix) != rows):
            raise IndexCorruptError(f"{path} does not match the index; run rebuild-index")
        if matrix.shape[1] != self.manifest.dim:
            raise IndexMismatchError(f"the index holds {matrix.shape[1]}-dimension vectors but its manifest says"
                                     f" {self.manifest.dim}; run rebuild-index --force")
        return matrix

    def late(self, entries: int) -> LateVectors | None:
        """Each entry's word-piece vectors (indexformat/late.py), memory-mapped; None for an index built without
        them (an older one, or an encoder that gives none): the late-interaction stage is then off."""
        if not (self.has(store.LATE) and self.has(store.LATE_ROWS)):
            return None
        data, rows = (self.load(name, lambda p: np.load(p, mmap_mode="r", allow_pickle=False))
                      for name in (store.LATE, store.LATE_ROWS))
        if data.ndim != 2 or data.shape[1] != self.manifest.dim or rows.shape != (entries + 1,) \
                or (entries and int(rows[-1]) != len(data)):
            raise IndexCorruptError(f"{self.path(store.LATE)} does not match the index; run rebuild-index")
        return LateVectors(data, np.asarray(rows))

    def lexicon(self) -> Lexicon:
        data = self.json(store.LEXICON)
        if data is None:
            raise IndexCorruptError(f"the index at {self.version.parent} has no name table; run rebuild-index")
        return self.load(store.LEXICON, lambda _: Lexicon.from_json(data))

    def check(self, entries, passages, shape: tuple[int, int]) -> None:
        """The files agree with each other and with the manifest (written once: the build and the engine)."""
        manifest = self.manifest
        if len(entries) != manifest.entries or len(passages) != manifest.passages:
            raise IndexCorruptError(f"the index at {self.version.parent} is incomplete; run rebuild-index")
        if shape != (len(passages), manifest.dim):
            raise IndexCorruptError(
                f"the index at {self.version.parent} does not match its manifest; run rebuild-index")
        if any(not 0 <= p.entry < len(entries) for p in passages):
            raise IndexCorruptError(f"the index file {self.path(store.PASSAGES)} names missing entries;"
                                    " run rebuild-index")

    def encoder(self) -> Encoder:
        """The query encoder the build recorded (its ONNX export in this folder, else sentence-transformers)."""
        manifest = self.manifest
        try:
            return query_encoder(manifest.model, manifest.query_encoder, self.version)
        except EncoderLoadError as err:
            raise IndexEncoderError(f"{err}; run rebuild-index to restore the export") from None
