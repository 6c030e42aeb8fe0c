"""One table of bad input, tried through every door: the Python API, the CLI in-process and as a real
subprocess, and the app's functions in-process. tests/web/test_bad_input_web.py takes the same table
through the web API (gradio_client against the running server) and the page in a real browser.

Every row either answers (hits that keep the invariants) or gives one sentence naming the problem and
what to do; never a traceback.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, SEED

LONG = ("how do I avoid overfitting " * 4000)[:100_000]
XSS = "<img src=x onerror=alert(1)>"
DAMAGED_FAISS = r"index\.faiss is damaged; run rebuild-index"


@dataclass(frozen=True)
class Case:
    id: str
    query: str | bytes = "how do I avoid overfitting"
    k: object = 5
    index: str = "good"  # how the index folder is prepared: see BadIndexes.make
    action: str = "search"  # or "rebuild": build the seed glossary into the index folder
    stdin: bool = False  # the CLI reads the question from standard input (bytes as given)
    error: str | None = None  # regex the one-sentence error must match; None: the row answers
    code: int = 0  # CLI exit status
    expect_query: str | None = None  # the cleaned question the answer echoes
    top: str | None = None  # a term expected among the first five hits
    warning: str | None = None  # regex for a CLI warning on stderr
    web: bool = True  # reachable through the web API (JSON text and a number)
    page: bool = False  # typed into the page's question box
    seconds: float = 30  # whole door, including a cold subprocess
    skip: dict = field(default_factory=dict)  # door -> reason this door cannot express the row


CASES = [
    Case("empty", "", error="question is empty", code=2, page=True),
    Case("whitespace", " \t\n  ", error="question is empty", code=2, page=True),
    Case("invisible-only", "\u200b\u200e\u2060\x07", error="question is empty", code=2, page=True),
    Case("long-100k", LONG, expect_query=LONG[:1000].strip(), top="Dropout", warning="first 1000 characters",
         seconds=15, page=True),
    Case("emoji", "how do I avoid overfitting 🤔🔥", expect_query="how do I avoid overfitting 🤔🔥",
         top="Dropout", page=True),
    Case("right-to-left", "ما هو dropout؟", expect_query="ما هو dropout؟", top="Dropout", page=True),
    Case("zero-width-bidi-control", "drop\u200bout\u202e \x1b\x07rate\ufeff", expect_query="dropout rate",
         top="Dropout", page=True),
    Case("html-img", XSS, expect_query=XSS, page=True),
    Case("script-tag", "<script>window.pwned=1</script> what is dropout", top="Dropout", page=True),
    Case("non-utf8-stdin", b"what is dr\xff\xfeopout", stdin=True, error="not UTF-8|must be text", code=2,
         skip={"web": "HTTP JSON carries text only", "page": "a browser sends text only"}),
    Case("k-zero", k=0, error="at least 1", code=2),
    Case("k-negative", k=-3, error="at least 1", code=2),
    Case("k-huge", k=10**9),
    Case("k-not-a-number", k="five", error="whole number", code=2),
    Case("k-fraction", k=2.5, error="whole number", code=2),
    Case("definitions-with-html", "what is dropout", index="html_glossary", top="Dropout"),
    Case("index-missing", index="missing", error=r"no index at .*run rebuild-index", code=1),
    Case("index-empty", index="empty", error=r"no index at .*run rebuild-index", code=1),
    Case("index-read-only", index="read_only", top="Dropout"),
    Case("faiss-garbage", index="garbage_faiss", error=DAMAGED_FAISS, code=1),
    Case("faiss-truncated", index="truncated_faiss", error=DAMAGED_FAISS, code=1),
    Case("entries-truncated", index="truncated_entries", error=r"entries\.jsonl is damaged.*rebuild", code=1),
    Case("manifest-model", index="other_model", error=r"other-model.*rebuild-index", code=1),
    Case("manifest-dimension", index="other_dim", error=r"256.*run rebuild-index", code=1),
    Case("stale-glossary", index="stale", top="Dropout", warning=r"stale index: .*run rebuild-index"),
    Case("rebuild-not-writable", action="rebuild", index="unwritable",
         error=r"cannot write the index at .*choose a writable folder", code=1),
    Case("rebuild-into-a-file", action="rebuild", index="a_file",
         error=r"cannot write the index at .*choose a writable folder", code=1),
]
INDEX_ROWS = {"missing", "empty", "read_only", "garbage_faiss", "truncated_faiss", "truncated_entries",
              "other_model", "other_dim", "stale", "a_file", "html_glossary", "unwritable"}
for _case in CASES:  # index rows exist on disk here only; the web server serves the session's good index
    if _case.index in INDEX_ROWS:
        _case.skip.setdefault("web", "the server serves the good index; this one is tried in the app door")
        _case.skip.setdefault("page", "the server serves the good index; see the app door")

HTML_GLOSSARY = """# Tricky Glossary

## Dropout
A regularization method that <b>randomly</b> drops units. <script>window.pwned = 1</script>
<img src=x onerror="window.pwned = 1"> See also [Overfitting](#overfitting) and **Overfitting**.

## Overfitting
When a model learns noise: `<iframe src=javascript:alert(1)>` and [a link](javascript:alert(1)).

## Markdown Table
| a | b |
|---|---|
| <svg onload=alert(1)> | **bold** |
"""


def one_sentence(message: str) -> None:
    assert message and "\n" not in message.strip() and "Traceback" not in message, message


def check_answer(case: Case, data: dict) -> None:
    """The invariants every answer keeps, plus what the row expects."""
    assert set(data) >= {"query", "no_match", "hits"}
    hits = data["hits"]
    k = case.k if isinstance(case.k, int) else 5
    assert 1 <= len(hits) <= min(k, 100)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert len({h["term"] for h in hits}) == len(hits)
    assert len(data["query"]) <= 1000
    if case.expect_query is not None:
        assert data["query"] == case.expect_query
    if case.top is not None:
        assert case.top in [h["term"] for h in hits[:5]], [h["term"] for h in hits]


# Broken index folders, made once per session and shared by the doors (they only read them).


def _link_copy(src: Path, dst: Path) -> Path:
    """A copy made of hard links (the ONNX model is ~90 MB); files are changed only through `_replace`."""
    shutil.copytree(src, dst, copy_function=os.link)
    return dst


def _replace(path: Path, data: bytes) -> None:
    path.unlink()  # break the hard link before writing
    path.write_bytes(data)


def _live(index_dir: Path) -> Path:
    from indexformat import store

    return store.live_version(index_dir)


def _edit_manifest(index_dir: Path, **changes) -> None:
    path = _live(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    _replace(path, json.dumps(manifest).encode())


def make_unwritable(folder: Path) -> None:
    """chmod for ordinary users; root ignores modes, so use the immutable flag (ext4, xfs, btrfs)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a folder read-only for root here (chattr: {done.stderr.decode().strip()})")


def make_writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    else:
        folder.chmod(0o755)


class BadIndexes:
    def __init__(self, root: Path, good: Path):
        self.root, self.good, self.made = root, good, {}
        self.unwritable: list[Path] = []

    def __call__(self, kind: str) -> Path:
        if kind == "good":
            return self.good
        if kind not in self.made:
            self.made[kind] = self.make(kind, self.root / kind)
        return self.made[kind]

    def make(self, kind: str, path: Path) -> Path:
        if kind == "missing":
            return path
        if kind == "empty":
            path.mkdir()
            return path
        if kind == "unwritable":
            path.mkdir()
            make_unwritable(path)
            self.unwritable.append(path)
            return path
        if kind == "a_file":
            path.write_text("not a folder\n")
            return path
        if kind == "html_glossary":
            from index import build_index

            glossary = self.root / "tricky.md"
            glossary.write_text(HTML_GLOSSARY)
            build_index(glossary, path)
            return path
        _link_copy(self.good, path)
        live = _live(path)
        if kind == "read_only":
            make_unwritable(path)
            self.unwritable.append(path)
        elif kind == "garbage_faiss":
            _replace(live / "index.faiss", np.random.default_rng(0).bytes(20_000))
        elif kind == "truncated_faiss":
            data = (live / "index.faiss").read_bytes()
            _replace(live / "index.faiss", data[: len(data) // 2])
        elif kind == "truncated_entries":
            data = (live / "entries.jsonl").read_bytes()
            _replace(live / "entries.jsonl", data[: len(data) // 2])
        elif kind == "other_model":
            _edit_manifest(path, model="other-model")
            # the query side must not quietly load a model export other than the one named
            for name in ("encoder.json", "encoder.onnx", "tokenizer.json"):
                if (live / name).exists():
                    (live / name).unlink()
            if "query_encoder" in json.loads((live / "manifest.json").read_text()):
                _edit_manifest(path, query_encoder={})
        elif kind == "other_dim":
            import faiss

            flat = faiss.IndexFlatIP(256)
            ntotal = json.loads((live / "manifest.json").read_text())["passages"]
            flat.add(np.random.default_rng(0).standard_normal((ntotal, 256)).astype(np.float32))
            (live / "index.faiss").unlink()
            faiss.write_index(flat, str(live / "index.faiss"))
            _edit_manifest(path, dim=256)
        elif kind == "stale":
            glossary = self.root / "stale-glossary.md"
            glossary.write_text(SEED.read_text())
            manifest = json.loads((live / "manifest.json").read_text())
            manifest["glossaries"][0]["path"] = str(glossary.resolve())
            _edit_manifest(path, glossaries=manifest["glossaries"])
            glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")
        else:
            raise ValueError(kind)
        return path

    def close(self):
        for path in self.unwritable:
            make_writable(path)


@pytest.fixture(scope="session")
def bad_indexes(tmp_path_factory, real_index):
    indexes = BadIndexes(tmp_path_factory.mktemp("bad-indexes"), real_index)
    yield indexes
    indexes.close()


# Doors.


def api_door(case: Case, index_dir: Path, real_engine=None):
    from index import build_index
    from indexformat.errors import GlossarySearchError
    from search import open_index

    try:
        if case.action == "rebuild":
            build_index(SEED, index_dir)
            return {}, None
        query = case.query
        engine = real_engine if case.index == "good" and real_engine is not None else open_index(index_dir)
        if case.warning and "stale" in case.warning:
            assert engine.stale(), "the API reports the changed glossary"
        return engine.search(query, case.k).to_json(), None
    except GlossarySearchError as err:
        return None, str(err)


def _cli_args(case: Case, index_dir: Path) -> list[str]:
    if case.action == "rebuild":
        return ["index", "--glossary", str(SEED), "--index-dir", str(index_dir), "-q"]
    words = [] if case.stdin else [case.query]
    return ["search", "--index-dir", str(index_dir), "--json", "-k", str(case.k), *words]


def _cli_result(case: Case, code: int, out: str, err: str):
    prog = "rebuild-index" if case.action == "rebuild" else "glossary-search"
    lines = err.strip().splitlines()
    assert all(line.startswith(f"{prog}: ") for line in lines), f"stray output on stderr:\n{err}"
    if case.error:
        assert code == case.code, (code, err)
        assert out == "" and lines and lines[-1].startswith(f"{prog}: error: "), err
        return None, lines[-1]
    assert code == 0, err
    if case.warning:
        assert re.search(case.warning, err), err
    return (json.loads(out) if case.action == "search" else {}), None


def cli_door(case: Case, index_dir: Path, capsys=None, monkeypatch=None):
    from index import cli as index_cli
    from search import cli as search_cli

    args = _cli_args(case, index_dir)
    if case.stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(case.query)))
    main = index_cli.main if args[0] == "index" else search_cli.main
    code = main(args[1:])
    captured = capsys.readouterr()
    return _cli_result(case, code, captured.out, captured.err)


def subprocess_door(case: Case, index_dir: Path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", *_cli_args(case, index_dir)], cwd=ROOT, env=env,
                          input=case.query if case.stdin else b"", capture_output=True, timeout=120)
    return _cli_result(case, done.returncode, done.stdout.decode(), done.stderr.decode())


def app_door(case: Case, index_dir: Path, monkeypatch=None):
    import gradio as gr

    import app as app_module

    if case.action == "rebuild":
        pytest.skip("the app does not rebuild into a chosen folder")
    from web.service import SearchService

    page = app_module.Page(SearchService(index_dir, build_missing=False))  # building is tests/test_app.py's
    try:
        return page.search(case.query, case.k), None
    except gr.Error as err:
        return None, err.message


def check(case: Case, answer: dict | None, error: str | None) -> None:
    if case.error:
        assert answer is None, f"expected an error, got an answer: {str(answer)[:200]}"
        one_sentence(error)
        assert re.search(case.error, error), error
    else:
        assert error is None, error
        if case.action == "search":
            check_answer(case, answer)


IDS = [c.id for c in CASES]


@pytest.mark.real_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_api(case, bad_indexes, real_engine):
    if case.stdin:
        case = Case(case.id, case.query, error="must be text", code=2)  # bytes handed to search()
    started = time.perf_counter()
    answer, error = api_door(case, bad_indexes(case.index), real_engine=real_engine)
    check(case, answer, error)
    assert time.perf_counter() - started < case.seconds


@pytest.mark.real_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_in_process(case, bad_indexes, capsys, monkeypatch):
    answer, error = cli_door(case, bad_indexes(case.index), capsys=capsys, monkeypatch=monkeypatch)
    check(case, answer, error)


@pytest.fixture(scope="module")
def subprocess_runs(bad_indexes):
    """Every row's command started at once, a few at a time: most of each run is interpreter start-up."""
    from concurrent.futures import ThreadPoolExecutor

    def timed(case):
        started = time.perf_counter()
        try:
            return subprocess_door(case, bad_indexes(case.index)), time.perf_counter() - started
        except AssertionError as err:  # reported by the row's own test
            return err, time.perf_counter() - started

    for case in CASES:
        bad_indexes(case.index)  # made here, not in the worker threads
    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(IDS, pool.map(timed, CASES), strict=True))


@pytest.mark.real_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_subprocess(case, subprocess_runs):
    outcome, seconds = subprocess_runs[case.id]
    if isinstance(outcome, AssertionError):
        raise outcome
    check(case, *outcome)
    assert seconds < case.seconds


@pytest.mark.real_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_app_functions(case, bad_indexes, monkeypatch):
    if case.stdin:
        case = Case(case.id, case.query, error="must be text", code=2)
    answer, error = app_door(case, bad_indexes(case.index), monkeypatch=monkeypatch)
    check(case, answer, error)


@pytest.mark.real_model
def test_a_bad_index_changes_nothing_on_disk(bad_indexes):
    """Reading a broken index never 'repairs' or deletes it: the files stay for the user to inspect."""
    path = bad_indexes("garbage_faiss")
    before = sorted((p.name, p.stat().st_size) for p in _live(path).iterdir())
    api_door(Case("x", index="garbage_faiss", error="damaged"), path)
    assert sorted((p.name, p.stat().st_size) for p in _live(path).iterdir()) == before


@pytest.mark.real_model
def test_output_into_a_closed_pipe_is_not_a_traceback(real_index):
    """`glossary-search ... | head`: the reader may leave before the answer is written; no traceback."""
    command = f"{sys.executable} -m search --index-dir {real_index} --json -k 50 what is sgd | true"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr


@pytest.mark.real_model
def test_app_start_rebuilds_a_damaged_index(bad_indexes, tmp_path):
    """`python app.py` over a damaged index rebuilds it (from the glossaries its manifest names), then serves."""
    import app as app_module
    from search import open_index

    index_dir = _link_copy(bad_indexes("garbage_faiss"), tmp_path / "index")
    served = []
    app_module.main(["--index-dir", str(index_dir)], serve=lambda app, host, port: served.append(port))
    assert served
    assert "Dropout" in [h.term for h in open_index(index_dir).search("how do I avoid overfitting", 3).hits]


@pytest.mark.real_model
def test_app_start_that_cannot_build_is_one_line(bad_indexes):
    """`python app.py` where no index can be built stops at once with one sentence, not a traceback."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, str(ROOT / "app.py"), "--index-dir", str(bad_indexes("a_file"))]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert lines[-1].startswith("app.py: error: ") and "cannot write the index" in lines[-1], lines


ADVICE = [c for c in CASES if c.id in ("faiss-truncated", "entries-truncated", "manifest-dimension")]


@pytest.mark.real_model
@pytest.mark.parametrize("case", ADVICE, ids=[c.id for c in ADVICE])
def test_doing_what_the_message_says_fixes_the_index(case, bad_indexes, tmp_path, capsys):
    from index import cli as index_cli
    from search import open_index

    index_dir = _link_copy(bad_indexes(case.index), tmp_path / "index")
    _, error = api_door(case, index_dir)
    advice = re.search(r"run (rebuild-index(?: --force)?)", error)
    assert advice, error
    extra = advice.group(1).split()[1:]
    assert index_cli.main(["--glossary", str(SEED), "--index-dir", str(index_dir), *extra]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert "Dropout" in [h.term for h in open_index(index_dir).search("how do I avoid overfitting", 5).hits]
