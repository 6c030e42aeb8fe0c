"""Build side of the torch-free query path: export a sentence-transformers model to ONNX once.

The transformer goes through `torch.onnx.export`; tokenisation (the model's own `tokenizer.json`), pooling and
normalisation are plain data in `encoder.json`, so `index.onnx_encoder` can reproduce the model with
onnxruntime, `tokenizers` and numpy. An export is keyed by the model's files, and a rebuild with the same
model hard-links the previous build's export instead of exporting again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from index import store
from index.encoder import Encoder, SentenceTransformerEncoder, model_location
from index.errors import GlossarySearchError
from index.onnx_encoder import CONFIG, FILES, MODEL, POOLING_MODES, TOKENIZER, OnnxEncoder

log = logging.getLogger(__name__)

SCHEME = 1  # bump when the export changes; indexes built before then re-export once
OPSET = 17
SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")


class ExportUnsupported(Exception):
    """This model cannot go through the ONNX path; the query side falls back to sentence-transformers."""


@dataclass(frozen=True)
class QuerySide:
    encoder: Encoder  # what the build embeds with: the same runtime the query side will load
    record: dict  # stored in the manifest as `query_encoder`
    folder: Path | None = None  # where the export files are until `install` links them into the build


def prepare(model_name: str, index_dir: Path) -> QuerySide:
    """An ONNX export of `model_name` for a build in `index_dir`: the live build's when the model files are
    unchanged, else a fresh one. Falls back to sentence-transformers, with a log line saying why, when the
    model cannot be exported."""
    key = model_key(model_name)
    previous = _live_version(index_dir)
    if key is not None and previous is not None and _export_key(previous) == key:
        log.info("reusing the ONNX export of %s from the previous build", model_name)
        return QuerySide(OnnxEncoder(previous, model_name), {"kind": "onnx", "key": key}, previous)
    st_encoder = SentenceTransformerEncoder(model_name)
    model = st_encoder.model  # a model that cannot load at all is the user's error, not an export problem
    staging = store.new_version_dir(index_dir)  # a .tmp- folder: pruned by the next publish if we crash
    try:
        export(model, staging, key)
        encoder = OnnxEncoder(staging, model_name)
    except Exception as err:  # torch/onnx raise many kinds; every one means "use sentence-transformers"
        shutil.rmtree(staging, ignore_errors=True)
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        log.warning("cannot export %s to ONNX (%s); queries will load sentence-transformers (slower start)",
                    model_name, reason)
        return QuerySide(st_encoder, {"kind": "sentence-transformers", "reason": reason})
    log.info("exported %s to ONNX for torch-free queries", model_name)
    return QuerySide(encoder, {"kind": "onnx", "key": key}, staging)


def install(query_side: QuerySide, build_dir: Path) -> None:
    """Link the export files into the build folder (before it is published)."""
    if query_side.folder is None:
        return
    for name in FILES:
        try:
            os.link(query_side.folder / name, build_dir / name)  # ~90 MB: share it, don't copy it
        except OSError:
            shutil.copy2(query_side.folder / name, build_dir / name)
    if query_side.folder.name.startswith(".tmp-"):
        shutil.rmtree(query_side.folder, ignore_errors=True)


def _live_version(index_dir: Path) -> Path | None:
    try:
        return store.live_version(index_dir)
    except GlossarySearchError:
        return None


def model_key(model_name: str) -> str | None:
    """Hash of the model's name and files, or None when the model is not a local folder we can read."""
    folder = _model_folder(model_name)
    if folder is None:
        return None
    digest = hashlib.sha256(json.dumps({"model": model_name, "scheme": SCHEME, "opset": OPSET}).encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _model_folder(model_name: str) -> Path | None:
    location = Path(model_location(model_name)).expanduser()
    if location.is_dir():
        return location
    try:  # a name in the Hugging Face cache: resolve it without any network
        from huggingface_hub import snapshot_download

        for repo in (model_name, f"sentence-transformers/{model_name}"):
            try:
                return Path(snapshot_download(repo, local_files_only=True))
            except Exception:  # not cached under this name
                continue
    except ImportError:
        pass
    return None


def _export_key(folder: Path) -> str | None:
    try:
        if not all((folder / name).is_file() for name in FILES):
            return None
        return json.loads((folder / CONFIG).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        return None


def export(model, folder: Path, key: str | None = None) -> None:
    """Write encoder.onnx, tokenizer.json and encoder.json for a loaded SentenceTransformer `model`."""
    import torch

    modules = list(model)
    kinds = tuple(type(m).__name__ for m in modules)
    if kinds not in (SUPPORTED_MODULES[:2], SUPPORTED_MODULES):
        raise ExportUnsupported(f"modules {', '.join(kinds)} (only Transformer, Pooling[, Normalize] export)")
    if getattr(model, "default_prompt_name", None):
        raise ExportUnsupported("the model adds a default prompt")
    transformer, pooling = modules[0], modules[1]
    mode = _pooling_mode(pooling.get_config_dict())
    tokenizer = transformer.tokenizer
    if mode == "lasttoken" and getattr(tokenizer, "padding_side", "right") != "right":
        raise ExportUnsupported("last-token pooling with left padding")
    if not getattr(tokenizer, "is_fast", False):
        raise ExportUnsupported("the model has no fast tokenizer (tokenizer.json)")
    auto_model = transformer.auto_model
    if hasattr(auto_model, "set_attn_implementation"):
        auto_model.set_attn_implementation("eager")  # sdpa masks trace into shape-specialised graphs
    auto_model.eval()
    import inspect

    accepted = inspect.signature(auto_model.forward).parameters
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids")
             if n in tokenizer.model_input_names and n in accepted]
    if names[:2] != ["input_ids", "attention_mask"]:
        raise ExportUnsupported(f"the transformer takes {names}, not input_ids and attention_mask")

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *tensors):
            return self.inner(**dict(zip(names, tensors, strict=True)), return_dict=True).last_hidden_state

    sample = tokenizer(["a short example", "a slightly longer example sentence to trace"], padding=True,
                       return_tensors="pt")
    args = tuple(sample[n] for n in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["token_embeddings"] = {0: "batch", 1: "sequence"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about Python branches on shapes: expected here
        torch.onnx.export(TokenEmbeddings(auto_model), args, str(folder / MODEL), input_names=names,
                          output_names=["token_embeddings"], dynamic_axes=axes, opset_version=OPSET,
                          dynamo=False)
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER))
    config = {
        "key": key,
        "inputs": names,
        "pooling": mode,
        "normalize": kinds[-1] == "Normalize",
        "max_seq_length": int(transformer.max_seq_length or tokenizer.model_max_length),
        "do_lower_case": bool(getattr(transformer, "do_lower_case", False)),
        "pad_token": tokenizer.pad_token,
        "pad_id": int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0),
        "padding_side": getattr(tokenizer, "padding_side", "right"),
        "dim": int(model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension")
                   else model.get_sentence_embedding_dimension()),
    }
    (folder / CONFIG).write_text(json.dumps(config, indent=2), encoding="utf-8")


def _pooling_mode(config: dict) -> str:
    """The pooling of a sentence-transformers Pooling module, from either config layout."""
    if config.get("include_prompt") is False:
        raise ExportUnsupported("pooling excludes the prompt")
    mode = config.get("pooling_mode")
    if mode is None:  # older layout: one boolean per mode
        flags = {"cls": "pooling_mode_cls_token", "max": "pooling_mode_max_tokens",
                 "mean": "pooling_mode_mean_tokens",
                 "mean_sqrt_len_tokens": "pooling_mode_mean_sqrt_len_tokens",
                 "weightedmean": "pooling_mode_weightedmean_tokens", "lasttoken": "pooling_mode_lasttoken"}
        chosen = [m for m, flag in flags.items() if config.get(flag)]
        mode = chosen[0] if len(chosen) == 1 else "+".join(chosen)
    if isinstance(mode, (list, tuple)):
        mode = mode[0] if len(mode) == 1 else "+".join(mode)
    if mode not in POOLING_MODES:
        raise ExportUnsupported(f"pooling '{mode}'")
    return mode
