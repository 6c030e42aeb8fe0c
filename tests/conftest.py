"""Shared fixtures: a fast deterministic fake encoder, and one real model per test session."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "deep_learning_glossary.md"
# The public glossaries as published, in the shared/ folder beside the checkout (CI lays it there too).
REAL_GLOSSARIES = next((p / "shared" / "real-glossaries" for p in ROOT.parents
                        if (p / "shared" / "real-glossaries").is_dir()), ROOT.parent / "shared" / "real-glossaries")


def by_term(glossary, term):
    """The glossary's entry with this exact term."""
    return next(e for e in glossary.entries if e.term == term)


class FakeEncoder:
    """Bag of hashed words: texts sharing words get similar vectors. Deterministic and instant."""

    def __init__(self, name: str = "fake-encoder", dim: int = 256):
        self.name = name
        self.dim = dim
        self.calls: list[int] = []  # how many texts each encode call got

    def encode(self, texts, progress: bool = False) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            out[i, 0] += 1e-3  # no all-zero rows
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory) -> Path:
    """One ONNX export cache per test session (index/export_cache.py), never the user's; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("model-cache")
    os.environ["GLOSSARY_MODEL_CACHE"] = str(folder)
    return folder


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def fake_index(tmp_path, fake_encoder) -> Path:
    from index import build_index

    index_dir = tmp_path / "index"
    build_index(SEED, index_dir, encoder=fake_encoder)
    return index_dir


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The seed glossary indexed with the real default model, built once per session."""
    from index import build_index

    index_dir = tmp_path_factory.mktemp("real") / "index"
    build_index(SEED, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def real_engine(real_index):
    from search import open_index

    return open_index(real_index)
