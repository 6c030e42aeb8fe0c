"""The cold path's two shortcuts answer exactly as the plain path does.

- The prepared copy of an export (indexformat/onnx_encoder.py: the same graph, its weights in a file of their
  own that onnxruntime maps) gives bit-identical vectors; a damaged or unwritable copy falls back to the export.
- The encoder loaded in a thread (search/preload.py) is the one the engine uses, and only for the version it
  was loaded for; a failure there is reported by the engine's own open, in its own words.
"""

import numpy as np
import pytest

from indexformat import store
from indexformat.encoder import DEFAULT_MODEL
from indexformat.errors import IndexNotFoundError
from indexformat.onnx_encoder import MODEL, WEIGHTS, OnnxEncoder, prepared
from search import open_index, preload

QUESTIONS = ["what is sgd", "how do I avoid overfitting", "encoder vs decoder", "a", "x " * 300]


def _plain(version, monkeypatch) -> OnnxEncoder:
    """An encoder over the export file itself, as before the prepared copy existed."""
    import indexformat.onnx_encoder as onnx_encoder

    with monkeypatch.context() as m:
        m.setattr(onnx_encoder, "prepared", lambda folder, ort: folder / MODEL)
        return OnnxEncoder(version, DEFAULT_MODEL)


@pytest.mark.real_model
def test_prepared_copy_gives_the_exports_vectors_bit_for_bit(real_index, tmp_path, monkeypatch):
    import onnxruntime as ort

    version = store.live_version(real_index)
    monkeypatch.setenv("GLOSSARY_MODEL_CACHE", str(tmp_path / "cache"))
    copy = prepared(version, ort)
    assert copy != version / MODEL and (copy.parent / WEIGHTS).stat().st_size > 80 << 20  # the weights apart
    assert prepared(version, ort) == copy  # written once, then found
    fast = OnnxEncoder(version, DEFAULT_MODEL)
    plain = _plain(version, monkeypatch)
    for texts in ([q] for q in QUESTIONS):
        assert np.array_equal(fast.encode(texts), plain.encode(texts))
    assert np.array_equal(fast.encode(QUESTIONS), plain.encode(QUESTIONS))  # a padded batch too


@pytest.mark.real_model
def test_damaged_or_unwritable_prepared_copy_falls_back_to_the_export(real_index, tmp_path, monkeypatch):
    import onnxruntime as ort

    version = store.live_version(real_index)
    monkeypatch.setenv("GLOSSARY_MODEL_CACHE", str(tmp_path / "cache"))
    copy = prepared(version, ort)
    want = _plain(version, monkeypatch).encode(QUESTIONS[:2])
    copy.write_bytes(b"not a model")
    assert np.array_equal(OnnxEncoder(version, DEFAULT_MODEL).encode(QUESTIONS[:2]), want)
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("GLOSSARY_MODEL_CACHE", str(tmp_path / "file"))  # a cache that cannot be a folder
    assert prepared(version, ort) == version / MODEL
    assert np.array_equal(OnnxEncoder(version, DEFAULT_MODEL).encode(QUESTIONS[:2]), want)


def test_background_result_returns_or_raises_what_the_work_did():
    assert preload.Background(lambda: 42).result() == 42

    def fail():
        raise IndexNotFoundError("no index")

    with pytest.raises(IndexNotFoundError, match="no index"):
        preload.Background(fail).result()


@pytest.mark.real_model
def test_engine_takes_the_preloaded_encoder_for_its_version_only(real_index, tmp_path):
    preload.start(real_index)
    engine = open_index(real_index)
    assert real_index not in preload._started  # taken by the engine
    assert engine.search("how do I avoid overfitting", 3).hits[0].term == "Dropout"
    # Loaded for another version (a rebuild published meanwhile): not used.
    preload.start(real_index)
    assert preload.take(real_index, "v-some-other-build", DEFAULT_MODEL) is None


def test_a_failed_preload_leaves_the_error_to_the_engine(tmp_path):
    missing = tmp_path / "none"
    preload.start(missing)
    with pytest.raises(IndexNotFoundError, match="run rebuild-index"):
        open_index(missing)
    assert preload.take(missing, "v-x", DEFAULT_MODEL) is None
