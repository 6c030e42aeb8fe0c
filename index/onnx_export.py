"""Build side of the torch-free query path: export a sentence-transformers model to ONNX once per machine.

The transformer goes through `torch.onnx.export`; tokenisation (the model's own `tokenizer.json`), pooling and
normalisation are plain data in `encoder.json`, so `indexformat.onnx_encoder` can reproduce the model with
onnxruntime, `tokenizers` and numpy. An export is keyed by a hash of the model's files and kept once in the
model cache (index/export_cache.py); every build hard-links it. `quantize="int8"` adds a dynamically
quantised copy (weights int8, ~4x smaller, faster on CPU) under its own key: an option, not the default,
until the quality harness shows it keeps hit@1 on every eval set.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from index import export_cache
from indexformat import store
from indexformat.encoder import Encoder, SentenceTransformerEncoder, fallback, model_location
from indexformat.errors import EncoderLoadError, GlossarySearchError, ModelLoadError
from indexformat.onnx_encoder import CONFIG, FILES, MODEL, POOLING_MODES, TOKENIZER, OnnxEncoder, build_threads
from indexformat.reader import IndexReader
from indexformat.writer import IndexWriter

log = logging.getLogger(__name__)

SCHEME = 1  # bump when the export changes; indexes built before then re-export once
OPSET = 17
SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")
QUANTIZE = ("int8",)
# Per output channel: each weight column its own int8 scale. Measured on 160 questions and ISO definitions,
# cosine to fp32 0.993 on average (min 0.988) against 0.965 (min 0.934) with one scale per tensor, as fast.
QUANTIZE_SCHEME = "per-channel"


class ExportUnsupported(Exception):
    """This model cannot go through the ONNX path; the query side falls back to sentence-transformers."""


# What a failed export raises: our own refusals, torch.onnx's errors (RuntimeError subclasses, as are tracing
# failures), a missing `onnx` package, and an export that onnxruntime then cannot load.
EXPORT_ERRORS = (ExportUnsupported, RuntimeError, ImportError, EncoderLoadError)


@dataclass(frozen=True)
class QuerySide:
    encoder: Encoder  # what the build embeds with: the same runtime the query side will load
    record: dict  # stored in the manifest as `query_encoder`
    folder: Path | None = None  # the export files `install` links into the build (cache or staging)


def prepare(model_name: str, index_dir: Path, quantize: str | None = None) -> QuerySide:
    """The ONNX export of `model_name`: from the model cache when this model's files were exported before,
    else exported now (and cached). Falls back to sentence-transformers with a log line saying why when the
    model cannot be exported, or raises EncoderLoadError in strict mode."""
    if quantize is not None and quantize not in QUANTIZE:
        raise EncoderLoadError(f"unknown quantisation '{quantize}' (choose from {', '.join(QUANTIZE)})")
    try:
        base = model_key(model_name)
    except ModelLoadError:  # the model's files are not installed (a query-only install): reuse the live export
        if (reused := _live_export(model_name, index_dir, quantize)) is None:
            raise
        return reused
    key = _variant(base, quantize)
    record = {"kind": "onnx", "key": key, **({"quantize": quantize} if quantize else {})}
    if key is not None and (found := _cached(key, index_dir)) is not None:
        try:
            return QuerySide(OnnxEncoder(found, model_name, threads=build_threads(), spinning=False), record, found)
        except EncoderLoadError as err:
            log.warning("%s; exporting the model again", err)
            export_cache.evict(key)
    st_encoder = SentenceTransformerEncoder(model_name)
    model = st_encoder.model  # a model that cannot load at all is the user's error, not an export problem
    try:
        folder = _export_to_cache(model, base, quantize) if base is not None else None
        if folder is None:  # not a folder we can hash, or no writable cache: export into the build instead
            folder = store.new_version_dir(index_dir)  # a .tmp- folder: pruned by the next publish if we crash
            try:
                export(model, folder, None)
                if quantize:
                    quantize_export(folder, folder, None, quantize)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        encoder = OnnxEncoder(folder, model_name, threads=build_threads(), spinning=False)
    except EXPORT_ERRORS as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        fallback(f"cannot export {model_name} to ONNX ({reason})")
        return QuerySide(st_encoder, {"kind": "sentence-transformers", "reason": reason})
    log.info("exported %s to ONNX for torch-free queries", model_name)
    return QuerySide(encoder, record, folder)


def _cached(key: str, index_dir: Path) -> Path | None:
    """The cached export for `key`; re-seeded from the live build's linked files if the cache was deleted."""
    if (found := export_cache.lookup(key)) is not None:
        return found
    previous = _live_version(index_dir)
    if previous is not None and export_cache.stored_key(previous) == key:
        log.info("reusing the ONNX export of the previous build")
        return export_cache.adopt(key, previous) or previous
    return None


def _live_export(model_name: str, index_dir: Path, quantize: str | None) -> QuerySide | None:
    """The live build's export when it is of the same model (by name: its files cannot be read to compare)."""
    previous = _live_version(index_dir)
    if previous is None:
        return None
    try:
        record = IndexReader(previous).manifest
    except GlossarySearchError:
        return None
    wanted = record.query_encoder
    if (record.model != model_name or wanted.get("kind") != "onnx" or wanted.get("quantize") != quantize
            or export_cache.stored_key(previous) != wanted.get("key")):
        return None
    log.info("the files of %s are not installed; reusing the previous build's ONNX export", model_name)
    return QuerySide(OnnxEncoder(previous, model_name, threads=build_threads(), spinning=False), dict(wanted), previous)


def _export_to_cache(model, base: str, quantize: str | None) -> Path | None:
    try:
        plain = export_cache.publish(base, lambda folder: export(model, folder, base))
        if not quantize:
            return plain
        key = _variant(base, quantize)
        return export_cache.publish(key, lambda folder: quantize_export(plain, folder, key, quantize))
    except OSError as err:
        log.warning("cannot write the model cache (%s); exporting into the index folder", err)
        return None


def _variant(base: str | None, quantize: str | None) -> str | None:
    if base is None or not quantize:
        return base
    return hashlib.sha256(f"{base}:{quantize}:{QUANTIZE_SCHEME}".encode()).hexdigest()


def install(query_side: QuerySide, writer: IndexWriter) -> None:
    """Link the export files into the version being written (before it is published)."""
    if query_side.folder is None:
        return
    writer.link(query_side.folder, FILES)
    if query_side.folder.name.startswith(".tmp-"):
        shutil.rmtree(query_side.folder, ignore_errors=True)


def _live_version(index_dir: Path) -> Path | None:
    try:
        return store.live_version(index_dir)
    except GlossarySearchError:
        return None


def model_key(model_name: str) -> str | None:
    """Hash of the model's files (not its name: one folder under two names is one export), or None when the
    model is not a local folder we can read."""
    folder = _model_folder(model_name)
    if folder is None:
        return None
    digest = hashlib.sha256(json.dumps({"scheme": SCHEME, "opset": OPSET}).encode())
    try:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            with open(path, "rb") as f:
                for block in iter(lambda f=f: f.read(1 << 20), b""):
                    digest.update(block)
    except OSError as err:
        log.info("cannot read the model folder %s (%s); exporting without the cache", folder, err)
        return None
    return digest.hexdigest()


def _model_folder(model_name: str) -> Path | None:
    location = Path(model_location(model_name)).expanduser()
    if location.is_dir():
        return location
    try:  # a name in the Hugging Face cache: resolve it without any network
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError
    except ImportError:
        return None
    for repo in (model_name, f"sentence-transformers/{model_name}"):
        try:
            return Path(snapshot_download(repo, local_files_only=True))
        except (LocalEntryNotFoundError, HFValidationError, OSError):  # not cached under this name
            continue
    return None


def quantize_export(source: Path, target: Path, key: str | None, quantize: str) -> None:
    """An int8 copy of the export in `source`: weights quantised dynamically (activations stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantized = target / f"{MODEL}.int8"
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs advice on the root logger ("consider pre-processing")
    try:
        quantize_dynamic(str(source / MODEL), str(quantized), weight_type=QuantType.QInt8,
                         per_channel=QUANTIZE_SCHEME == "per-channel")
    finally:
        root.setLevel(level)
    quantized.replace(target / MODEL)
    if source != target:
        shutil.copy2(source / TOKENIZER, target / TOKENIZER)
    config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    config.update(key=key, quantize=quantize)
    (target / CONFIG).write_text(json.dumps(config, indent=2), encoding="utf-8")


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
