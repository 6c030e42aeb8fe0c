"""The CLI's answer as a person reads it: markdown rendered (bold on a terminal, plain into a pipe), a short why,
and a first question on a fresh machine that builds the bundled glossary's index first."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from indexformat.text import sentences
from ranking.explain import Why
from search.terminal import Terminal, short_why
from tests.conftest import ROOT

BOLD = "\x1b[1m"
MARKUP = ("**", "`", "](", "[")


def cli(*args: str, env: dict | None = None, drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in drop}
    return subprocess.run([sys.executable, "-m", "search", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=600)


def on_a_terminal(*args: str, env: dict) -> str:
    """The CLI's output when standard output is a terminal (a pseudo-terminal from the pty module)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdout is the terminal
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "search", *args],
                      {**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, "TERM": "xterm", **env})
        finally:
            os._exit(127)  # never back into the test runner
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8")


# Rendering, no index needed.


@pytest.mark.parametrize("markdown, plain", [
    ("A **Transfer Learning** strategy.", "A Transfer Learning strategy."),
    ("Defined as `f(x) = max(0, x)`.", "Defined as f(x) = max(0, x)."),
    ("See [Loss Function](#loss-function).", "See Loss Function."),
    ("An *emphasised* word and __strong__ one.", "An emphasised word and strong one."),
    ("Steps:\n\n- one\n- two", "Steps: - one - two"),
    ("Plain words, nothing to parse.", "Plain words, nothing to parse."),
])
def test_markup_becomes_text(markdown, plain):
    assert Terminal(ansi=False).plain(markdown) == plain
    assert " ".join(Terminal(ansi=False).lines(markdown)) == plain


def test_bold_is_an_escape_code_only_with_ansi():
    lines = Terminal(ansi=True).lines("A **Transfer Learning** strategy.")
    assert "**" not in lines[0] and f"{BOLD}Transfer" in lines[0] and "\x1b[22m" in lines[0]
    assert "\x1b" not in "".join(Terminal(ansi=False).lines("A **Transfer Learning** strategy."))


def test_lines_wrap_by_visible_width_not_escape_codes():
    text = " ".join(["**word**"] * 60)
    styled, plain = Terminal(ansi=True, width=40).lines(text, "   "), Terminal(ansi=False, width=40).lines(text, "   ")
    assert len(styled) == len(plain) > 1
    assert all(len(line) <= 40 and line.startswith("   ") for line in plain)


def test_a_glossary_cannot_send_escape_codes_to_the_terminal():
    evil = "Looks fine\x1b]0;owned\x07 \x1b[2J**bold**\x1b[31m red"
    for term in (Terminal(ansi=True), Terminal(ansi=False)):
        shown = "".join(term.lines(evil)) + term.style(evil, "bold") + term.plain(evil)
        assert "\x07" not in shown and "\x1b]" not in shown and "\x1b[2J" not in shown and "\x1b[31m" not in shown


DEFINITION = "A regularization technique where neurons are ignored. This helps prevent overfitting."


@pytest.mark.parametrize("why, expected", [
    (Why("name", "Dropout"), "name: Dropout"),
    (Why("keywords", "velocity, momentum", "This helps prevent overfitting."), "keywords: velocity, momentum "
                                                                              "(sentence 2)"),
    (Why("how-to", "overfitting", "This helps prevent overfitting."), "how-to: overfitting (sentence 2)"),
    (Why("sentence", passage="A regularization technique where neurons are ignored."), "passage: sentence 1"),
    (Why("definition", passage="A regularization technique where neurons are ignored."),
     "meaning of the definition"),
    (Why("acronym", "ics", "Internal Covariate Shift"), "acronym: ICS"),
    (Why("name", "Dropout", typos=(("dropuot", "dropout"),)), "typo: dropuot → dropout; name: Dropout"),
])
def test_the_short_why_says_what_matched_and_where(why, expected):
    line = short_why(why, DEFINITION)
    assert line == expected
    assert not any(s in line for s in sentences(DEFINITION))


# The CLI on the real model.


@pytest.mark.real_model
def test_no_markup_in_piped_output_and_no_definition_in_why(real_index):
    questions = ["fine tuning", "what is adam", "how do I avoid overfitting", "kernel stride", "relu formula",
                 "dropuot", "what is ics", "see loss function"]
    for question in questions:
        done = cli("--index-dir", str(real_index), question)
        assert done.returncode == 0, done.stderr
        assert not any(m in done.stdout for m in MARKUP), done.stdout
        assert "\x1b" not in done.stdout
        data = json.loads(cli("--index-dir", str(real_index), "--json", question).stdout)
        whys = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("why:")]
        assert len(whys) == len(data["hits"])
        for why, hit in zip(whys, data["hits"], strict=True):
            plain = Terminal(ansi=False).plain(hit["definition"])
            assert not any(len(s.split()) >= 4 and s in why for s in sentences(plain)), (why, hit["term"])
            assert len(why) < 80


@pytest.mark.real_model
def test_bold_on_a_terminal(real_index):
    out = on_a_terminal("--index-dir", str(real_index), "-k", "1", "fine tuning", env={})
    assert "Fine-Tuning" in out and f"{BOLD}Transfer" in out and "**" not in out
    assert "\x1b" not in on_a_terminal("--index-dir", str(real_index), "-k", "1", "fine tuning",
                                       env={"NO_COLOR": "1"})


@pytest.mark.real_model
def test_json_keeps_its_keys_and_the_long_why(real_index):
    data = json.loads(cli("--index-dir", str(real_index), "--json", "-k", "1", "how do I avoid overfitting").stdout)
    hit = data["hits"][0]
    assert {"term", "score", "definition", "aliases", "related", "why", "source", "anchor", "explanation",
            "band"} <= set(hit)
    assert hit["term"] == "Dropout" and hit["why"].startswith("how-to: overfitting — ")  # the readable long form


# First use.


@pytest.mark.real_model
def test_a_fresh_users_first_question_builds_the_default_index(tmp_path):
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "CI": "true"}
    # The model's ONNX export stays in the session's cache (GLOSSARY_MODEL_CACHE, conftest): only the index is new.
    first = cli("what is sgd", env=env, drop=("GLOSSARY_INDEX_DIR",))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1. Stochastic Gradient Descent (SGD)")
    assert "building it from the bundled glossary" in first.stderr and "47 terms" in first.stderr
    assert (home / ".cache" / "glossary-search" / "index" / "CURRENT").is_file()
    again = cli("what is sgd", env=env, drop=("GLOSSARY_INDEX_DIR",))
    assert again.returncode == 0 and again.stdout == first.stdout and "building" not in again.stderr


def test_a_named_missing_index_is_an_error_and_is_not_built(tmp_path):
    missing = tmp_path / "nowhere"
    for done in (cli("what is sgd", env={"GLOSSARY_INDEX_DIR": str(missing)}),
                 cli("--index-dir", str(missing), "what is sgd")):
        err = done.stderr.strip()
        assert done.returncode == 1 and done.stdout == ""
        assert err.startswith("glossary-search: error: no index at") and "\n" not in err
    assert not missing.exists()
