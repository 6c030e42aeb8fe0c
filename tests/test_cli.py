import io
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
    assert "warning" not in built.stderr  # bold words with no entry ("**RMSprop**") are no broken links
    again = run("index", "--glossary", str(SEED), "--index-dir", index_dir)
    assert again.returncode == 0 and "up to date" in again.stdout
    found = run("search", "--json", "how do I avoid overfitting", GLOSSARY_INDEX_DIR=index_dir)
    assert found.returncode == 0, found.stderr
    assert "Dropout" in [h["term"] for h in json.loads(found.stdout)["hits"][:3]]


@pytest.mark.real_model
def test_the_command_delivers_every_answer_before_its_quick_exit(real_index):
    # The command ends with os._exit: whatever it printed must still reach a pipe whole, and errors keep
    # their exit code and message.
    questions = "\n".join(f"what is {w}" for w in ["sgd", "dropout", "an epoch", "a tensor"] * 15)
    found = subprocess.run([sys.executable, "-m", "search", "--format", "jsonl", "--index-dir", str(real_index)],
                           input=questions, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert len(lines) == 60 and all(json.loads(line)["hits"] for line in lines)
    bad = run("search", "--index-dir", str(real_index), "   ")
    assert bad.returncode == 2 and bad.stderr.startswith("glossary-search: error:") and not bad.stdout


def test_subprocess_stale_warning(tmp_path, fake_index):
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text())
    index_dir = str(tmp_path / "ix")
    assert run("index", "--glossary", str(glossary), "--index-dir", index_dir, "-q").returncode == 0
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
    found = run("search", "--index-dir", index_dir, "zebra")
    assert found.returncode == 0 and "stale index" in found.stderr and "run rebuild-index" in found.stderr


def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_a_dash_reads_the_question_from_stdin(real_index, capsys, monkeypatch):
    stdin(monkeypatch, b"how do I avoid overfitting\n")
    assert search_cli.main(["--index-dir", str(real_index), "--format", "json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "how do I avoid overfitting" and data["hits"][0]["term"] == "Dropout"


def test_jsonl_answers_one_question_a_line(real_index, capsys, monkeypatch):
    stdin(monkeypatch, b"what is sgd\n\nhow do I avoid overfitting\n")
    assert search_cli.main(["--index-dir", str(real_index), "--format", "jsonl", "-k", "2", "-"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    answers = [json.loads(line) for line in lines]
    assert [a["query"] for a in answers] == ["what is sgd", "how do I avoid overfitting"]
    assert answers[0]["hits"][0]["term"] == "Stochastic Gradient Descent (SGD)" and len(answers[1]["hits"]) == 2


def test_lens_from_a_file_and_from_stdin(real_index, capsys, monkeypatch, tmp_path):
    text = "Our convolutional network overfits, so we add dropout. It is trained with SGD.\n"
    (tmp_path / "note.txt").write_text(text)
    assert search_cli.main(["--index-dir", str(real_index), "--lens", str(tmp_path / "note.txt"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    terms = [s["term"] for s in data["spans"]]
    assert terms == ["Convolution", "Overfitting", "Dropout", "Stochastic Gradient Descent (SGD)"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in data["spans"])
    stdin(monkeypatch, text.encode())
    assert search_cli.main(["--index-dir", str(real_index), "--lens", "-", "--format", "jsonl"]) == 0
    assert [json.loads(line)["term"] for line in capsys.readouterr().out.strip().split("\n")] == terms
    stdin(monkeypatch, text.encode())
    assert search_cli.main(["--index-dir", str(real_index), "--lens", "-"]) == 0
    out = capsys.readouterr().out
    assert "'overfits' -> Overfitting" in out and out.count("\n") == 4


@pytest.mark.parametrize("args, data, message", [
    (["--lens", "/no/such/file"], b"", "cannot read /no/such/file"),
    (["--lens", "-"], b"   \n", "text is empty"),
    (["--lens", "-"], b"\xff\xfe", "not UTF-8"),
    (["--lens", "-", "--source", "Nope"], b"dropout", "no glossary 'Nope'"),
    (["--format", "jsonl", "-"], b"\n\n", "no question"),
])
def test_lens_and_stdin_errors_are_one_line(real_index, capsys, monkeypatch, args, data, message):
    stdin(monkeypatch, data)
    assert search_cli.main(["--index-dir", str(real_index), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_json_and_a_different_format_disagree(capsys):
    with pytest.raises(SystemExit) as info:
        search_cli.main(["--json", "--format", "text", "dropout"])
    assert info.value.code == 2 and "disagree" in capsys.readouterr().err
