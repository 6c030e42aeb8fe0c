"""Every file of a built index, damaged (garbage bytes, or cut in half), is a one-line error that says to run
rebuild-index, at every door: the CLI (exit 1, one line on stderr), the Python API (the library's own error),
REST (a JSON 5xx) and the page (a message). The files are whatever the version folder holds, so a file a
later build adds is covered without a new row. The app's service rebuilds a damaged index on its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from indexformat import store
from indexformat.errors import GlossarySearchError, IndexCorruptError, IndexMismatchError
from tests.conftest import ROOT

pytestmark = pytest.mark.real_model  # the real index: it holds the ONNX export files too

QUESTION = "how do I avoid overfitting"
WAYS = ("garbage", "half")
GARBAGE_BYTES = 64 << 10  # enough to replace every small file whole; a 90 MB model gets a garbage head
STRICT = {"GLOSSARY_STRICT_ENCODER": "1"}  # a damaged export is an error, not a slow sentence-transformers load


def damage(data: bytes, way: str) -> bytes:
    if way == "garbage":
        return np.random.default_rng(len(data)).bytes(max(64, min(len(data), GARBAGE_BYTES)))
    return data[: len(data) // 2]


@pytest.fixture(scope="module")
def damaged(real_index, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(file, way) -> an index folder (hard-linked copy of the real one) with that one file damaged."""
    root = tmp_path_factory.mktemp("damaged")
    version = store.live_version(real_index)
    files = sorted(p.relative_to(version).as_posix() for p in version.rglob("*") if p.is_file())
    assert {store.MANIFEST, store.ENTRIES, store.PASSAGES, store.VECTORS, store.FAISS, store.LEXICON,
            store.RANKING} <= set(files) and any(f.startswith(store.BM25 + "/") for f in files), files
    cases = {}
    for name in files:
        for way in WAYS:
            folder = root / f"{name.replace('/', '__')}-{way}"
            shutil.copytree(real_index, folder, copy_function=os.link)
            target = store.live_version(folder) / name
            data = target.read_bytes()
            target.unlink()  # break the hard link before writing
            target.write_bytes(damage(data, way))
            cases[(name, way)] = folder
    return cases


def one_line_saying_rebuild(message: str) -> None:
    assert message and "\n" not in message.strip() and "Traceback" not in message, message
    assert "rebuild-index" in message, message


def test_the_cli_says_one_line_and_exits_1(damaged):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **STRICT}

    def ask(folder: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "search", "--index-dir", str(folder), "--json", QUESTION],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    with ThreadPoolExecutor(max_workers=3) as pool:
        done = dict(zip(damaged, pool.map(ask, damaged.values()), strict=True))
    wrong = {}
    for case, run in done.items():
        lines = run.stderr.strip().splitlines()
        ok = (run.returncode == 1 and run.stdout == "" and len(lines) == 1
              and lines[0].startswith("glossary-search: error: ") and "rebuild-index" in lines[0])
        if not ok:
            wrong[case] = (run.returncode, run.stderr[-600:])
    assert not wrong, wrong


def test_the_python_api_raises_the_librarys_error(damaged, monkeypatch):
    from search import open_index

    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "1")
    wrong = {}
    for case, folder in damaged.items():
        try:
            open_index(folder).search(QUESTION, 3)
        except (IndexCorruptError, IndexMismatchError) as err:
            try:
                one_line_saying_rebuild(str(err))
            except AssertionError as failed:
                wrong[case] = str(failed)
        except Exception as err:  # noqa: BLE001 - any other type is the finding
            wrong[case] = f"{type(err).__name__}: {err}"
        else:
            wrong[case] = "answered"
    assert not wrong, wrong


def test_rest_answers_a_json_5xx_and_the_page_a_message(damaged, monkeypatch):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    import app as app_module
    from web import api
    from web.service import SearchService

    monkeypatch.setenv("GLOSSARY_STRICT_ENCODER", "1")
    wrong = {}
    for case, folder in damaged.items():
        service = SearchService(folder, build_missing=False)  # rebuilding is the next test's
        server = FastAPI()
        api.install(server, service)
        with TestClient(server) as client:
            response = client.get("/api/search", params={"q": QUESTION})
        page = app_module.Page(SearchService(folder, build_missing=False)).search_view(QUESTION)
        try:
            assert response.status_code >= 500, response.text
            assert response.headers["content-type"].startswith("application/json")
            one_line_saying_rebuild(response.json()["error"])
            assert "rebuild-index" in page, page[:300]
        except AssertionError as failed:
            wrong[case] = str(failed)[:300]
    assert not wrong, wrong


@pytest.mark.parametrize("name", [store.LEXICON, store.VECTORS])
def test_the_app_rebuilds_a_damaged_index_on_its_own(real_index, tmp_path, name):
    """lexicon.json: a file the build's up-to-date check does not read, so the rebuild must be forced."""
    from web.service import SearchService

    folder = tmp_path / "index"
    shutil.copytree(real_index, folder, copy_function=os.link)
    target = store.live_version(folder) / name
    data = target.read_bytes()
    target.unlink()
    target.write_bytes(damage(data, "half"))
    try:
        result = SearchService(folder).search(QUESTION, 3)
    except GlossarySearchError as err:
        pytest.fail(f"not rebuilt: {err}")
    assert "Dropout" in [h.term for h in result.hits]
    assert store.live_version(folder).name != store.live_version(real_index).name
