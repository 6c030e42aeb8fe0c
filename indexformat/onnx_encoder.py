"""A sentence-transformers model run without torch: onnxruntime + `tokenizers` + numpy pooling.

Reads the three files `index.onnx_export` writes (into the model cache, hard-linked into each index build).
Importing this module is cheap; the session loads in the constructor (a few hundred ms for MiniLM). A
missing or damaged file raises `EncoderLoadError`, never a library's own exception type.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from indexformat.errors import EncoderLoadError

MODEL = "encoder.onnx"
TOKENIZER = "tokenizer.json"
CONFIG = "encoder.json"
FILES = (MODEL, TOKENIZER, CONFIG)
POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len_tokens", "lasttoken")
BATCH = 32  # texts per session run: padding waste stays small once batches are sorted by length
QUERY_THREADS = 4  # a short question gains nothing from more; the build passes build_threads()


def build_threads() -> int:
    """Every core this process may use: the build's batches are long enough to keep them busy."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _runtime_errors() -> tuple[type[BaseException], ...]:
    """onnxruntime's exception classes for a model file it cannot load (they derive from Exception only)."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    names = ("Fail", "InvalidArgument", "InvalidGraph", "InvalidProtobuf", "NoSuchFile", "NoModel",
             "NotImplemented", "RuntimeException")
    return tuple(getattr(state, n) for n in names if hasattr(state, n))


class OnnxEncoder:
    def __init__(self, folder: Path, name: str, threads: int | None = None, spinning: bool = True):
        """`threads`: intra-op threads (default: a few, for short questions). `spinning=False` lets idle
        threads sleep instead of busy-waiting: for the build's long runs on a shared machine, where spinning
        threads steal the cores the work needs (measured: 112 vs 126 passages/s with 2 threads, load 4)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.name = name
        try:
            config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
            self.dim = int(config["dim"])
            self._inputs = list(config["inputs"])
            self._pooling = config["pooling"]
            self._lower = bool(config["do_lower_case"])
            self.quantize = config.get("quantize")
            tokenizer_text = (folder / TOKENIZER).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
            raise EncoderLoadError(f"the ONNX export in {folder} is damaged ({_first_line(err)})") from None
        try:
            self._tokenizer = Tokenizer.from_str(tokenizer_text)
        except Exception as err:  # noqa: BLE001 - tokenizers raises a bare Exception for a malformed file
            raise EncoderLoadError(f"the tokenizer in {folder} is damaged ({_first_line(err)})") from None
        self._tokenizer.enable_truncation(int(config["max_seq_length"]))
        self._tokenizer.enable_padding(pad_id=int(config["pad_id"]), pad_token=config["pad_token"] or "[PAD]",
                                       direction=config.get("padding_side", "right"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(QUERY_THREADS, build_threads())
        if not spinning:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(folder / MODEL), options, providers=["CPUExecutionProvider"])
        except _runtime_errors() as err:
            raise EncoderLoadError(f"the ONNX model in {folder} cannot be loaded ({_first_line(err)})") from None

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        steps = self.batches(texts)
        if progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc="Embedding", unit="batch", total=-(-len(texts) // BATCH))
        for rows, vectors in steps:
            out[rows] = vectors
        return out

    def batches(self, texts: Sequence[str], batch: int = BATCH) -> Iterator[tuple[list[int], np.ndarray]]:
        """(row numbers, their vectors) one batch at a time, longest texts first: sorted by length, a batch
        carries little padding (wasted work), as in sentence-transformers."""
        texts = [t.lower() for t in texts] if self._lower else list(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            yield rows, self._encode_batch([texts[i] for i in rows])

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        tokens = self._session.run(None, {n: feeds[n] for n in self._inputs})[0]
        vectors = pool(tokens, feeds["attention_mask"], self._pooling)
        # Unit rows with or without a Normalize module, as the Encoder protocol says: the index is cosine.
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)


def pool(tokens: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """sentence-transformers' Pooling, in numpy: tokens[batch, seq, dim], mask[batch, seq] -> [batch, dim]."""
    weights = mask[:, :, None].astype(np.float32)
    if mode == "cls":
        return tokens[:, 0]
    if mode == "max":
        return np.where(weights > 0, tokens, -1e9).max(axis=1)
    if mode == "lasttoken":  # right padding: the last real token sits before the first pad
        last = np.maximum(mask.sum(axis=1) - 1, 0)
        return tokens[np.arange(len(tokens)), last]
    summed = (tokens * weights).sum(axis=1)
    counts = np.maximum(weights.sum(axis=1), 1e-9)
    if mode == "mean_sqrt_len_tokens":
        return summed / np.sqrt(counts)
    return summed / counts


def _first_line(err: BaseException) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__
