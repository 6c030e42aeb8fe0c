"""A sentence-transformers model run without torch: onnxruntime + `tokenizers` + numpy pooling.

Reads the three files `index.onnx_export` writes (into the model cache, hard-linked into each index build).
Importing this module is cheap; the session loads in the constructor (a few hundred ms for MiniLM). A
missing or damaged file raises `EncoderLoadError`, never a library's own exception type.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from indexformat.errors import EncoderLoadError
from indexformat.late import content_pieces
from indexformat.paths import prepared_models_dir

MODEL = "encoder.onnx"
TOKENIZER = "tokenizer.json"
CONFIG = "encoder.json"
FILES = (MODEL, TOKENIZER, CONFIG)
POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len_tokens", "lasttoken")
BATCH = 32  # texts per session run: padding waste stays small once batches are sorted by length
QUERY_THREADS = 4  # a short question gains nothing from more; the build passes build_threads()
WEIGHTS = MODEL + ".data"  # a prepared copy's weights, beside its graph
WEIGHTS_MIN_BYTES = 1024  # tensors at least this big go to WEIGHTS (the graph keeps small constants)


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
        model = prepared(folder, ort)
        try:
            self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except _runtime_errors() as err:
            self._session = None
            if model != folder / MODEL:  # a damaged prepared copy: the export itself still answers
                try:
                    self._session = ort.InferenceSession(str(folder / MODEL), options,
                                                         providers=["CPUExecutionProvider"])
                except _runtime_errors():
                    pass
            if self._session is None:
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
        for rows, vectors, _ in self._runs(texts, batch, pieces=False):
            yield rows, vectors

    def encode_with_pieces(self, texts: Sequence[str], batch: int = BATCH) -> tuple[np.ndarray, list[np.ndarray]]:
        """The vectors of `texts` and, from the same run of the model, each text's content word pieces as unit
        vectors (indexformat/late.py: float32[pieces, dim])."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        pieces: list[np.ndarray] = [np.empty((0, self.dim), dtype=np.float32)] * len(texts)
        for rows, vectors, found in self._runs(texts, batch, pieces=True):
            out[rows] = vectors
            for row, matrix in zip(rows, found, strict=True):
                pieces[row] = matrix
        return out, pieces

    def _runs(self, texts: Sequence[str], batch: int, pieces: bool):
        texts = [t.lower() for t in texts] if self._lower else list(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            yield rows, *self._encode_batch([texts[i] for i in rows], pieces)

    def _encode_batch(self, texts: list[str], pieces: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
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
        found = []
        if pieces:
            for encoding, hidden in zip(encodings, tokens, strict=True):
                special = [s or not m for s, m in zip(encoding.special_tokens_mask, encoding.attention_mask,
                                                     strict=True)]
                matrix = hidden[content_pieces(encoding.tokens, special)].astype(np.float32)
                found.append(matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12))
        return vectors.astype(np.float32), found


def prepared(folder: Path, ort) -> Path:
    """The model file to load for the export in `folder`: its prepared copy, written on first use.

    The copy is the same graph with the weights in a file of their own (WEIGHTS), which onnxruntime maps instead
    of parsing 87 MB of protobuf: a session builds in about half the time (measured: 0.17 -> 0.09 s of CPU) and
    answers bit for bit the same (onnxruntime optimises the same graph at load). Kept once per export and
    onnxruntime version in `prepared_models_dir()`, written whole or not at all by the first process that
    loads the export (a build does); the export itself is used when the copy cannot be written.
    """
    source = folder / MODEL
    try:
        stat = source.stat()
        key = hashlib.sha256(b"\0".join([(folder / CONFIG).read_bytes(), str(stat.st_size).encode(),
                                          str(stat.st_mtime_ns).encode(), ort.__version__.encode()]))
    except OSError:
        return source
    target = prepared_models_dir() / key.hexdigest()[:32]
    if (target / MODEL).is_file():
        return target / MODEL
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # the graph as exported
        options.optimized_model_filepath = str(staging / MODEL)
        options.add_session_config_entry("session.optimized_model_external_initializers_file_name", WEIGHTS)
        options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes",
                                         str(WEIGHTS_MIN_BYTES))
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        os.rename(staging, target)  # atomic; fails when another process got there first, which is as good
        staging = None
    except (OSError, *_runtime_errors()):
        pass  # unwritable cache or a damaged export: the export itself is loaded (and reported if damaged)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return target / MODEL if (target / MODEL).is_file() else source


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
