"""FAISS index files: written by the build, read (memory-mapped when large) by the query side."""

from __future__ import annotations

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
