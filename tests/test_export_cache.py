"""One ONNX export per model (index/export_cache.py), narrow fallbacks and strict mode (indexformat/encoder.py).

The first tests use plain files and run in milliseconds; the ones marked real_model export real models."""

import json
import logging
import os
import shutil

import pytest

from index import build_index, export_cache
from indexformat import store
from indexformat.encoder import SentenceTransformerEncoder, query_encoder, strict_encoder
from indexformat.errors import EncoderLoadError
from indexformat.onnx_encoder import CONFIG, FILES, MODEL, TOKENIZER, OnnxEncoder
from tests.conftest import SEED
from tests.test_onnx import in_fresh_python, tiny_model


def fake_export(folder, key: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODEL).write_bytes(b"onnx bytes")
    (folder / TOKENIZER).write_text("{}", encoding="utf-8")
    (folder / CONFIG).write_text(json.dumps({"key": key}), encoding="utf-8")


def test_cache_lives_under_the_env_folder_and_exports_once(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_MODEL_CACHE", str(tmp_path / "cache"))
    calls = []

    def write(folder):
        calls.append(folder)
        fake_export(folder, "k1")

    first = export_cache.publish("k1", write)
    again = export_cache.publish("k1", write)
    assert first == again == tmp_path / "cache" / "k1" and len(calls) == 1
    assert export_cache.lookup("k1") == first and export_cache.lookup("k2") is None
    assert not list((tmp_path / "cache").glob(".tmp-*"))  # the staging folder became the entry


def test_failed_export_leaves_no_entry(tmp_path):
    def broken(folder):
        (folder / MODEL).write_bytes(b"half")
        raise RuntimeError("exporter failed")

    with pytest.raises(RuntimeError):
        export_cache.publish("k", broken, root=tmp_path)
    assert export_cache.lookup("k", tmp_path) is None and not list(tmp_path.glob(".tmp-*"))


def test_incomplete_or_mislabelled_entries_are_not_used(tmp_path):
    fake_export(tmp_path / "k", "k")
    (tmp_path / "k" / TOKENIZER).unlink()
    assert export_cache.lookup("k", tmp_path) is None
    fake_export(tmp_path / "k2", "another key")
    assert export_cache.lookup("k2", tmp_path) is None
    fresh = export_cache.publish("k", lambda f: fake_export(f, "k"), root=tmp_path)  # replaces the broken one
    assert export_cache.lookup("k", tmp_path) == fresh


def test_builds_hard_link_the_cached_files(tmp_path):
    entry = export_cache.publish("k", lambda f: fake_export(f, "k"), root=tmp_path / "cache")
    build = tmp_path / "build"
    build.mkdir()
    export_cache.link_files(entry, build)
    for name in FILES:
        assert (build / name).stat().st_ino == (entry / name).stat().st_ino
        assert (entry / name).stat().st_nlink == 2


def test_link_falls_back_to_a_copy_across_file_systems(tmp_path, monkeypatch):
    entry = export_cache.publish("k", lambda f: fake_export(f, "k"), root=tmp_path / "cache")

    def no_links(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    build = tmp_path / "build"
    build.mkdir()
    export_cache.link_files(entry, build)
    assert (build / MODEL).read_bytes() == b"onnx bytes"
    assert (build / MODEL).stat().st_ino != (entry / MODEL).stat().st_ino


def test_a_deleted_cache_is_reseeded_from_a_live_build(tmp_path):
    live = tmp_path / "v-1"
    fake_export(live, "k")
    adopted = export_cache.adopt("k", live, root=tmp_path / "cache")
    assert adopted == tmp_path / "cache" / "k"
    assert (adopted / MODEL).stat().st_ino == (live / MODEL).stat().st_ino


@pytest.mark.parametrize(
    ("env", "strict"),
    [({}, False), ({"CI": "true"}, True), ({"CI": "false"}, False), ({"GLOSSARY_STRICT_ENCODER": "1"}, True),
     ({"CI": "true", "GLOSSARY_STRICT_ENCODER": "0"}, False), ({"GLOSSARY_STRICT_ENCODER": "yes"}, True)],
)
def test_strict_mode_is_on_in_ci_unless_turned_off(monkeypatch, env, strict):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GLOSSARY_STRICT_ENCODER", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert strict_encoder() is strict


def test_missing_export_falls_back_or_fails_in_strict_mode(tmp_path, monkeypatch, caplog):
    record = {"kind": "onnx", "key": "k"}
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "0")
    with caplog.at_level(logging.WARNING):
        encoder = query_encoder("some-model", record, tmp_path)
    assert isinstance(encoder, SentenceTransformerEncoder)  # not loaded yet: no torch for this test
    assert any("missing encoder.onnx" in r.getMessage() for r in caplog.records)
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "1")
    with pytest.raises(EncoderLoadError, match="strict mode"):
        query_encoder("some-model", record, tmp_path)


@pytest.mark.parametrize(
    ("broken", "named"), [(CONFIG, "ONNX export"), (TOKENIZER, "tokenizer"), (MODEL, "ONNX model")]
)
def test_a_damaged_file_is_an_encoder_load_error(tmp_path, broken, named):
    fake_export(tmp_path, "k")
    (tmp_path / CONFIG).write_text(json.dumps({
        "key": "k", "dim": 4, "inputs": ["input_ids", "attention_mask"], "pooling": "mean", "do_lower_case": False,
        "max_seq_length": 8, "pad_token": "[PAD]", "pad_id": 0}), encoding="utf-8")
    (tmp_path / TOKENIZER).write_text(json.dumps({  # a valid tokenizer, so only `broken` is damaged
        "version": "1.0", "model": {"type": "WordLevel", "vocab": {"[PAD]": 0, "[UNK]": 1}, "unk_token": "[UNK]"},
        "pre_tokenizer": {"type": "Whitespace"}}), encoding="utf-8")
    (tmp_path / broken).write_bytes(b"{not json or protobuf")
    with pytest.raises(EncoderLoadError, match=f"the {named} in {tmp_path}"):
        OnnxEncoder(tmp_path, "m")


def test_an_unexpected_error_is_not_hidden_by_a_fallback(tmp_path, monkeypatch):
    """Only the load errors fall back; a bug (here a TypeError inside the loader) surfaces as itself."""
    fake_export(tmp_path, "k")
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "0")

    def buggy(*args, **kwargs):
        raise TypeError("a bug, not a damaged file")

    monkeypatch.setattr("indexformat.onnx_encoder.OnnxEncoder.__init__", buggy)
    with pytest.raises(TypeError, match="a bug"):
        query_encoder("m", {"kind": "onnx"}, tmp_path)


@pytest.mark.real_model
def test_second_index_of_a_model_links_its_export_and_needs_no_torch(real_index, tmp_path, model_cache):
    """The session's real index exported MiniLM into the cache; a new index elsewhere reuses it."""
    other = tmp_path / "other-index"
    out = in_fresh_python("from index import build_index\n"
                          f"r = build_index({str(SEED)!r}, {str(other)!r})\nout['kind'] = "
                          "r.manifest.query_encoder['kind']", other)
    assert out == {"kind": "onnx", "heavy": []}  # no export, so torch never loaded
    first, second = store.live_version(real_index), store.live_version(other)
    key = json.loads((second / store.MANIFEST).read_text())["query_encoder"]["key"]
    cached = export_cache.lookup(key, model_cache)
    assert cached is not None
    for name in FILES:
        assert (second / name).stat().st_ino == (first / name).stat().st_ino == (cached / name).stat().st_ino
    own = sum(p.stat().st_size for p in second.iterdir() if p.name not in FILES)
    assert own < 5 << 20 < (second / MODEL).stat().st_size  # what the second index adds: its own data


@pytest.mark.real_model
def test_a_damaged_cache_entry_is_exported_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_MODEL_CACHE", str(tmp_path / "cache"))
    model = tiny_model(tmp_path, "mean", normalize=True)
    first = build_index(SEED, tmp_path / "a", model=str(model))
    key = first.manifest.query_encoder["key"]
    entry = export_cache.lookup(key)
    # Damage the cached copy only (the live build keeps its own link to the good file).
    (entry / MODEL).unlink()
    (entry / MODEL).write_bytes(b"damaged")
    second = build_index(SEED, tmp_path / "b", model=str(model))
    assert second.manifest.query_encoder == {"kind": "onnx", "key": key}
    assert (store.live_version(tmp_path / "b") / MODEL).stat().st_size > 1000
    assert export_cache.lookup(key) is not None and (export_cache.lookup(key) / MODEL).stat().st_size > 1000


@pytest.mark.real_model
def test_strict_mode_fails_a_build_that_would_fall_back(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "1")
    path = tiny_model(tmp_path, "mean", normalize=False, dense=True)  # a Dense head: cannot be exported
    with pytest.raises(EncoderLoadError, match="cannot export .*Dense"):
        build_index(SEED, tmp_path / "index", model=str(path))
    assert not (tmp_path / "index" / "CURRENT").exists()  # nothing published


@pytest.mark.real_model
def test_strict_mode_fails_to_open_a_damaged_export(real_index, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    (store.live_version(index_dir) / MODEL).write_bytes(b"not an onnx model")
    monkeypatch.delenv("GLOSSARY_STRICT_ENCODER", raising=False)
    monkeypatch.setenv("CI", "true")
    from search import open_index

    with pytest.raises(EncoderLoadError, match="cannot be loaded.*strict mode"):
        open_index(index_dir)


def test_importing_the_query_side_leaves_the_environment_alone():
    """The offline/quiet settings for the model libraries are set where a model loads, not on import."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import json, os\nbefore = dict(os.environ)\nimport search, indexformat.encoder, index.onnx_export\n"
            "print(json.dumps(sorted(k for k, v in os.environ.items() if before.get(k) != v)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
