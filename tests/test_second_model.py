"""A second model end to end: nothing may assume 384 dimensions or MiniLM.

The tests create the model themselves (no hub): a tiny randomly initialised BERT with 32-dimensional output,
saved as a sentence-transformers folder (Transformer + mean Pooling) and used through `--model PATH`.
Random weights carry no meaning, but they are deterministic: a question equal to an alias embeds exactly like
that alias's own vector, so the alias's entry must come first.
"""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from indexformat.store import MANIFEST, VECTORS, live_version
from tests.conftest import ROOT, SEED

DIM = 32

pytestmark = pytest.mark.real_model  # loads torch and sentence-transformers


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-bert")
    words = sorted(set(re.findall(r"[a-z]+", SEED.read_text(encoding="utf-8").lower())))
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        *words,
        *(f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"),
    ]
    (root / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    hf = root / "hf"
    BertTokenizerFast.from_pretrained(str(root)).save_pretrained(hf)  # reads vocab.txt; lowercases
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=DIM,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(hf)
    transformer = models.Transformer(str(hf), max_seq_length=128)
    pooling = models.Pooling(DIM, pooling_mode="mean")
    path = root / "st-model"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(path))
    return path


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "GLOSSARY_INDEX_DIR": ""},
        timeout=300,
    )


def search(index_dir, question):
    found = run("search", "--json", "-k", "3", "--index-dir", str(index_dir), question)
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)["hits"]


@pytest.fixture(scope="module")
def tiny_index(tiny_model, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("tiny-index") / "index"
    built = run("index", "--glossary", str(SEED), "--index-dir", str(index_dir), "--model", str(tiny_model))
    assert built.returncode == 0, built.stderr
    assert str(tiny_model) in built.stdout and "47 terms" in built.stdout
    return index_dir


def test_manifest_records_the_model_and_its_dimension(tiny_model, tiny_index):
    version = live_version(tiny_index)
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["model"] == str(tiny_model) and manifest["dim"] == DIM and manifest["entries"] == 47
    # Cosine needs unit rows whatever the model: this one has no Normalize module of its own.
    matrix = np.load(version / VECTORS)
    assert matrix.shape == (manifest["passages"], DIM)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize(
    "question, term",
    [
        ("SGD", "Stochastic Gradient Descent (SGD)"),
        ("Cost Function", "Loss Function"),
        ("Filter", "Kernel (Filter)"),
    ],
)
def test_search_uses_the_same_model(tiny_index, question, term):
    hits = search(tiny_index, question)
    assert hits[0]["term"] == term
    assert len(hits) == 3 and len({h["term"] for h in hits}) == 3


def test_rebuild_with_the_same_model_is_a_no_op_and_another_model_re_embeds(
    tiny_model, tiny_index, fake_encoder
):
    again = run("index", "--glossary", str(SEED), "--index-dir", str(tiny_index), "--model", str(tiny_model))
    assert again.returncode == 0 and "up to date" in again.stdout

    from index import build_index
    from search import open_index

    copy = tiny_index.parent / "switched"
    build_index(SEED, copy, model=str(tiny_model))
    report = build_index(SEED, copy, encoder=fake_encoder)  # another model: nothing may be reused
    assert report.reused == 0 and report.manifest.dim == fake_encoder.dim
    assert open_index(copy, encoder=fake_encoder).search("dropout").hits[0].term == "Dropout"


def test_queries_embed_with_the_index_model_not_any_model(tiny_model, tiny_index):
    """The name table finds "SGD" whatever the encoder; this checks the encoder itself: what the query side
    loads for this index reproduces every stored vector of the tiny model (an encoder of another model could
    not: another width, or other weights)."""
    from indexformat.encoder import query_encoder
    from indexformat.manifest import read_manifest
    from indexformat.store import PASSAGES, read_jsonl

    version = live_version(tiny_index)
    manifest = read_manifest(version / MANIFEST)
    assert manifest.query_encoder["kind"] == "onnx"  # exported: queries need no torch for this model either
    encoder = query_encoder(manifest.model, manifest.query_encoder, version)
    texts = [row["text"] for row in read_jsonl(version / PASSAGES)]
    stored = np.load(version / VECTORS)
    assert encoder.dim == DIM
    assert np.min(np.sum(encoder.encode(texts) * stored, axis=1)) >= 0.999
