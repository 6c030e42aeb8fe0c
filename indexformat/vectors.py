"""FAISS index files: written by the build, read (memory-mapped when large) by the query side."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from indexformat.errors import IndexCorruptError

MMAP_BYTES = 64 << 20  # files above this are memory-mapped on load: processes serving one index share pages


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
    import faiss

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
