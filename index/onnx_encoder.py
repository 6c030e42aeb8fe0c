"""A sentence-transformers model run without torch: onnxruntime + `tokenizers` + numpy pooling.

Reads the three files `index.onnx_export` writes into an index build. Importing this module is cheap; the
session loads in the constructor (a few hundred ms for MiniLM).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL = "encoder.onnx"
TOKENIZER = "tokenizer.json"
CONFIG = "encoder.json"
FILES = (MODEL, TOKENIZER, CONFIG)
POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len_tokens", "lasttoken")
BATCH = 32


class OnnxEncoder:
    def __init__(self, folder: Path, name: str, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        config = json.loads((Path(folder) / CONFIG).read_text(encoding="utf-8"))
        self.dim = int(config["dim"])
        self._inputs = list(config["inputs"])
        self._pooling = config["pooling"]
        self._lower = bool(config["do_lower_case"])
        self._tokenizer = Tokenizer.from_file(str(Path(folder) / TOKENIZER))
        self._tokenizer.enable_truncation(int(config["max_seq_length"]))
        self._tokenizer.enable_padding(pad_id=int(config["pad_id"]), pad_token=config["pad_token"] or "[PAD]",
                                       direction=config.get("padding_side", "right"))
        options = ort.SessionOptions()
        # Short queries gain nothing from a thread pool; long batches (the build) use the cores.
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(Path(folder) / MODEL), options,
                                             providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        texts = [t.lower() for t in texts] if self._lower else list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Sorted by length, batches carry little padding (wasted work), as in sentence-transformers.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        steps = range(0, len(order), BATCH)
        if progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc="Embedding", unit="batch")
        for start in steps:
            rows = order[start:start + BATCH]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out

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
