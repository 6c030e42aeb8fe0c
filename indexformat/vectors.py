"""FAISS index files: written by the build, read (memory-mapped when large) by the query side."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from indexformat.errors import IndexCorruptError

MMAP_BYTES = 64 << 20  # files above this are memory-mapped on load: processes serving one index share pages
# The query side scans a flat index in numpy up to this many numbers (5,208 vectors at 384 dims): opening it
# then imports no faiss; a scan costs 1.5-2x FAISS' (measured, 2 questions: 0.31 vs 0.19 ms at 2,500 vectors,
# 0.86 vs 0.49 ms at 6,000, and far worse past ~10k), so larger flat indexes are read by FAISS.
NUMPY_MAX_FLOATS = 2_000_000
FLAT_FOURCC = b"IxFI"  # FAISS' tag of an IndexFlatIP file
FLAT_HEADER_MAX = 64  # bytes besides the vectors in such a file (45 in faiss 1.x)


class ExactIndex:
    """What `faiss.IndexFlatIP.search` answers, in numpy, over the build's vectors (memory-mapped or not).

    The same rows in the same order as FAISS, ties included (identical passages give identical scores): FAISS
    scans rows in order into a heap of k that a row enters only by beating its smallest, evicts the lowest row
    among equals, and lists equals highest row first. Scores may differ from FAISS' kernels in the last
    float32 digit (measured: at most 6e-8).
    """

    def __init__(self, vectors: np.ndarray):
        self.ntotal, self.d = vectors.shape
        # Identical passages (an alias two entries share) must score identically, as in FAISS; BLAS does not
        # promise that for two rows of one product, so each distinct vector is scored once.
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        _, first, self._inverse = np.unique(rows.view(np.dtype((np.void, 4 * self.d))).ravel(),
                                            return_index=True, return_inverse=True)
        self._distinct = rows[first]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        # einsum's own loop, not BLAS: a multi-threaded BLAS product of a few questions waits on busy cores
        # (measured under load, 2,521 rows: 6-60 ms against einsum's 1.1-1.3 ms and FAISS' 0.9-1.4 ms).
        queries = np.asarray(queries, dtype=np.float32)
        scores = np.einsum("qd,rd->qr", queries, self._distinct)[:, self._inverse]  # [queries, rows]
        # Past the last row: id -1 and the lowest float, as FAISS pads.
        out_rows = np.full((len(scores), k), -1, dtype=np.int64)
        out_scores = np.full((len(scores), k), -np.finfo(np.float32).max, dtype=np.float32)
        for q, row in enumerate(scores):
            kept = self._top(row, k) if k < self.ntotal else np.arange(self.ntotal)
            order = kept[np.lexsort((-kept, -row[kept]))]
            out_rows[q, :len(order)], out_scores[q, :len(order)] = order, row[order]
        return out_scores, out_rows

    @staticmethod
    def _top(row: np.ndarray, k: int) -> np.ndarray:
        """The k rows FAISS' heap ends with: every row above the k-th score, and of the rows tied at it those
        the scan let in (a tied row enters while fewer than k rows at or above that score are in), the highest
        of them surviving later evictions."""
        cut = row[np.argpartition(-row, k - 1)[k - 1]]
        above = np.flatnonzero(row > cut)
        tied = np.flatnonzero(row == cut)
        entered = []
        for t in tied:  # usually one row; several only for identical passages
            if int(np.searchsorted(above, t)) + len(entered) < k:
                entered.append(t)
        slots = k - len(above)
        return np.concatenate([above, np.asarray(entered[len(entered) - slots:], dtype=np.int64)])


def check_flat_file(path: Path, ntotal: int, d: int) -> None:
    """That `path` holds a whole flat FAISS index of `ntotal` x `d` vectors, read from its header without faiss:
    a missing, damaged or truncated file is an error even when the exact scan does not read it."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
        size = path.stat().st_size
    except FileNotFoundError:
        raise IndexCorruptError(f"the index file {path} is missing; run rebuild-index") from None
    except OSError:
        raise IndexCorruptError(f"the index file {path} is damaged; run rebuild-index") from None
    whole = (len(head) == 16 and head[:4] == FLAT_FOURCC and int.from_bytes(head[4:8], "little") == d
             and int.from_bytes(head[8:16], "little") == ntotal and 0 < size - ntotal * d * 4 <= FLAT_HEADER_MAX)
    if not whole:
        raise IndexCorruptError(f"the index file {path} is damaged; run rebuild-index")


def is_flat(index_type_name: str) -> bool:
    """Whether an index of this `index_type` is the exact flat scan `ExactIndex` reproduces."""
    return index_type_name == "IndexFlatIP"


def numpy_scan(index_type_name: str, n: int, d: int) -> bool:
    """Whether the query side answers this index with `ExactIndex` instead of loading FAISS."""
    return is_flat(index_type_name) and n * d <= NUMPY_MAX_FLOATS


def index_type(index) -> str:
    name = type(index).__name__
    if hasattr(index, "nprobe"):
        return f"{name}(nlist={index.nlist},nprobe={index.nprobe})"
    return name


def write_index(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def read_index(path: Path):
    import faiss

    if not path.is_file():
        raise IndexCorruptError(f"the index file {path} is missing; run rebuild-index")
    flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if path.stat().st_size > MMAP_BYTES else 0
    try:
        return faiss.read_index(str(path), flags)
    except RuntimeError:
        raise IndexCorruptError(f"the index file {path} is damaged; run rebuild-index") from None


_threads = threading.Lock()
_searching = 0  # searches inside `single_threaded` now
_saved_threads = 0  # FAISS's OpenMP threads before the first of them


@contextmanager
def single_threaded():
    """FAISS on one OpenMP thread while searches run, restored when the last one ends: a build in the same
    process (the app rebuilding its index) keeps every core."""
    import sys

    faiss = sys.modules.get("faiss")
    if faiss is None:  # the numpy scan (a small flat index) runs no OpenMP threads: faiss stays unimported
        yield
        return
    global _searching, _saved_threads
    with _threads:
        if _searching == 0:
            _saved_threads = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(1)
        _searching += 1
    try:
        yield
    finally:
        with _threads:
            _searching -= 1
            if _searching == 0:
                faiss.omp_set_num_threads(_saved_threads)
