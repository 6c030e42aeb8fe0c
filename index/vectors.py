"""The FAISS index over passage vectors (inner product on L2-normalised rows = cosine)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError


def make_index(vectors: np.ndarray):
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_type(index) -> str:
    return type(index).__name__


def write_index(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def read_index(path: Path):
    import faiss

    if not path.is_file():
        raise IndexCorruptError(f"the index file {path} is missing; run rebuild-index")
    try:
        return faiss.read_index(str(path))
    except RuntimeError:
        raise IndexCorruptError(f"the index file {path} is damaged; run rebuild-index") from None
