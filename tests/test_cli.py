import json
import os
import subprocess
import sys

import pytest

from index import cli as index_cli
from search import cli as search_cli
from tests.conftest import ROOT, SEED


def test_search_json_in_process(real_index, capsys):
    assert search_cli.main(["--index-dir", str(real_index), "--json", "-k", "3", "what", "is", "sgd"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "what is sgd" and data["no_match"] is False
    assert len(data["hits"]) == 3 and data["hits"][0]["term"] == "Stochastic Gradient Descent (SGD)"


def test_search_text_in_process(real_index, capsys):
    assert search_cli.main(["--index-dir", str(real_index), "-k", "2", "cost function"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Loss Function") and "2. " in out and "3. " not in out


def test_env_var_sets_the_index_dir(real_index, capsys, monkeypatch):
    monkeypatch.setenv("GLOSSARY_INDEX_DIR", str(real_index))
    assert search_cli.main(["--json", "dropout"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["term"] == "Dropout"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-k", "0", "dropout"], 2, "at least 1"),
        (["-k", "lots", "dropout"], 2, "whole number"),
        (["   "], 2, "empty"),
    ],
)
def test_search_errors_are_one_line(real_index, capsys, args, code, message):
    assert search_cli.main(["--index-dir", str(real_index), *args]) == code
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_missing_index_says_what_to_run(tmp_path, capsys):
    assert search_cli.main(["--index-dir", str(tmp_path / "none"), "dropout"]) == 1
    assert "run rebuild-index" in capsys.readouterr().err


def test_rebuild_bad_glossary_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("### Alpha\n")
    assert index_cli.main(["--glossary", str(bad), "--index-dir", str(tmp_path / "ix")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"rebuild-index: error: {bad}:1: the entry 'Alpha' has an empty definition"


def run(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=300
    )


@pytest.mark.real_model
def test_subprocess_rebuild_then_search(tmp_path):
    index_dir = str(tmp_path / "ix")
    built = run("index", "--glossary", str(SEED), "--index-dir", index_dir)
    assert built.returncode == 0, built.stderr
    summary = built.stdout.strip().splitlines()[-1]
    assert "47 terms" in summary and "all-MiniLM-L6-v2" in summary and index_dir in summary
    assert "RMSprop" in built.stderr  # undefined reference reported as a warning
    again = run("index", "--glossary", str(SEED), "--index-dir", index_dir)
    assert again.returncode == 0 and "up to date" in again.stdout
    found = run("search", "--json", "how do I avoid overfitting", GLOSSARY_INDEX_DIR=index_dir)
    assert found.returncode == 0, found.stderr
    assert "Dropout" in [h["term"] for h in json.loads(found.stdout)["hits"][:3]]


def test_subprocess_stale_warning(tmp_path, fake_index):
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text())
    index_dir = str(tmp_path / "ix")
    assert run("index", "--glossary", str(glossary), "--index-dir", index_dir, "-q").returncode == 0
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
    found = run("search", "--index-dir", index_dir, "zebra")
    assert found.returncode == 0 and "stale index" in found.stderr and "run rebuild-index" in found.stderr
