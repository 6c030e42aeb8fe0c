"""Security defaults: loopback only, no share link, no file serving outside the app, no pickle, no network."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, SEED, FakeEncoder

LIBRARY = [*sorted((ROOT / "index").rglob("*.py")), *sorted((ROOT / "search").rglob("*.py")),
           *sorted((ROOT / "web").rglob("*.py")), ROOT / "app.py"]


# Index and metadata are JSON, numpy without pickle, and FAISS: never unpickled.


def test_library_code_never_unpickles():
    offenders = []
    for path in LIBRARY:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("pickle", "dill", "joblib", "cloudpickle") for n in names):
                    offenders.append(f"{path.name}:{node.lineno} imports a pickle library")
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                kwargs = {k.arg: ast.unparse(k.value) for k in node.keywords}
                if name.endswith(("np.load", "numpy.load")) and kwargs.get("allow_pickle") != "False":
                    offenders.append(f"{path.name}:{node.lineno} np.load without allow_pickle=False")
                if name.endswith(("torch.load", "pd.read_pickle")):
                    offenders.append(f"{path.name}:{node.lineno} {name}")
    assert offenders == []


class Payload:
    """Unpickling this writes a file: proof that something unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "unpickled"))


def test_a_pickle_planted_in_the_index_is_never_loaded(tmp_path, fake_index):
    from index import build_index
    from indexformat import store
    from indexformat.errors import IndexCorruptError
    from search import open_index

    marker = tmp_path / "pwned"
    live = store.live_version(fake_index)
    payload = np.empty(1, dtype=object)
    payload[0] = Payload(marker)
    with open(live / "vectors.npy", "wb") as f:  # a valid .npy header for an object array, then a pickle
        np.lib.format.write_array(f, payload, allow_pickle=True)
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal.\n")

    with pytest.raises(IndexCorruptError, match="vectors.npy is damaged"):  # refused, not unpickled
        open_index(fake_index, encoder=FakeEncoder())
    build_index(glossary, fake_index, encoder=FakeEncoder())  # reads the old vectors as its cache
    assert open_index(fake_index, encoder=FakeEncoder()).search("striped animal", 1).hits
    assert not marker.exists()


# The query path makes no network calls.

AUDITED_SEARCH = """
import json, socket, sys
calls = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "socket.bind"):
        if not (event == "socket.bind" and args[0].family == socket.AF_UNIX):
            calls.append(f"{event} {args[1:]!r}")
sys.addaudithook(hook)
from search import open_index
engine = open_index(sys.argv[1])
hits = engine.search("how do I avoid overfitting", 5).hits
print(json.dumps({"terms": [h.term for h in hits], "network": calls}))
"""


def _unshare_works() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    done = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    return None if done.returncode == 0 else f"unshare -n is not permitted here ({done.stderr.strip()})"


@pytest.mark.real_model
def test_search_makes_no_network_calls_with_the_network_cut(real_index):
    if reason := _unshare_works():
        pytest.skip(reason)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", AUDITED_SEARCH, str(real_index)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Dropout" in result["terms"]
    assert result["network"] == []
    command = ["unshare", "-n", sys.executable, "-m", "search", "--index-dir", str(real_index), "what is sgd"]
    cli = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0 and "Stochastic Gradient Descent" in cli.stdout, cli.stderr[-2000:]


# The web app: loopback by default, no share link, no files from outside the app.


@pytest.fixture(scope="module")
def default_app(tmp_path_factory, real_index):
    """app.py started as a user would, with no --host, and GRADIO_SHARE=True in the environment."""
    from tests.web.conftest import free_port, stop_app, wait_for_first_answer

    port = free_port()
    log = tmp_path_factory.mktemp("security") / "app.log"
    env = {k: v for k, v in os.environ.items() if k not in ("GLOSSARY_HOST", "GRADIO_SERVER_NAME")}
    env.update(GLOSSARY_INDEX_DIR=str(real_index), GLOSSARY_PORT=str(port), GRADIO_SHARE="True",
               GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    with open(log, "w") as out:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_first_answer(url, process, log, started)
        yield process, url, port, log
    finally:
        stop_app(process)


@pytest.mark.real_model
def test_listens_on_loopback_only_and_makes_no_share_link(default_app):
    import psutil

    process, _, port, log = default_app
    listening = [c.laddr for c in psutil.Process(process.pid).net_connections("inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening), listening
    assert port in [addr.port for addr in listening]
    text = log.read_text()
    assert "gradio.live" not in text and "share" not in text.lower().replace("set `share=true`", "")


SECRET_PATHS = [
    "/file=/etc/passwd", "/gradio_api/file=/etc/passwd", "/gradio_api/file=../../../../../../etc/passwd",
    "/gradio_api/file=..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/gradio_api/file=%2fetc%2fpasswd",
    "/gradio_api/file=/proc/self/environ", "/file=../../../../../../etc/passwd",
    "/static/../../../../etc/passwd",
    "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd", "/gradio_api/file=" + str(ROOT / "app.py"),
]


@pytest.mark.real_model
@pytest.mark.parametrize("path", SECRET_PATHS)
def test_file_routes_do_not_serve_files_outside_the_app(default_app, real_index, path):
    _, url, _, _ = default_app
    paths = [path, f"/gradio_api/file={real_index}/CURRENT"]
    for p in paths:
        try:
            with urllib.request.urlopen(url + p, timeout=20) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        assert b"root:x:0:0" not in body and b"HF_HUB_OFFLINE" not in body, p
        assert b"def main(" not in body and not body.startswith(b"v-"), p
        assert status in (200, 400, 403, 404, 405), (p, status)
        if status == 200:  # the page's HTML shell for an unknown path is fine; a file's bytes are not
            assert body.lstrip().lower().startswith((b"<!doctype html", b"<html", b"{")), (p, body[:200])
