"""Browser and server fixtures: the real app in a subprocess, driven by Debian's chromium through Playwright.

Reusable by any test under tests/web/:
- `web_index`: the seed glossary plus a small second one (KITCHEN, with hostile markup in one entry), indexed
  with the real model once per session; two glossaries, so the page shows its glossary filter.
- `app_server`: the real `python app.py` on a free loopback port over `web_index`, started once per
  session; `.url`, `.index_dir`, `.glossary` (the kitchen file), `.startup_seconds` (start to first answer).
- `browser`: one headless chromium per session; skips with a reason when chromium or Playwright is missing.
- `page` (1280x900) and `phone_page` (390x844): a fresh browser context per test, already on the app, ready;
  `page.context.app_server` is the server.
- `open_app(page, query="")`: go to the app (e.g. `open_app(page, "?q=dropout")`) and wait until it is ready.
- `shot(page, name)`: a full-page screenshot in test-artifacts/web/NAME.png.

Page landmarks: `page.get_by_role("textbox", name="Question")` (the question box, in `#question`),
`#results` (cards: `article.card`, heading `h3`), `#all-terms` (button), `#index-facts` (footer), `#examples`;
the Lens tab (`get_by_role("tab", name="Lens")`): `#lens-text`, the "Mark the terms" button, `#lens-out` (marked
terms: `mark.lens-term` with `data-term`, the definition in `.lens-tip`).
The same server also answers the REST API under /api and the MCP server at /mcp (tests/web/test_rest.py,
tests/web/test_mcp.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.load_test import SearchApiError, stop_app
from benchmarks.load_test import call_search as call_search_api

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "deep_learning_glossary.md"
KITCHEN_FILE = "kitchen_glossary.md"
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 180  # a cold CI box imports torch and gradio on 2 shared cores
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


KITCHEN = """Kitchen Glossary
Terms from a cook's kitchen.

### Braising
A way of cooking meat slowly in a little liquid in a covered pot, after [searing](#searing) it.

### Searing
Browning the surface of meat quickly at a high heat before it is cooked through.

### Tasting Spoon
A spoon kept by the stove for tasting. Markup such as <script>alert('xss')</script> and \
<img src=x onerror=alert(1)> is shown as text, and [a bad link](javascript:alert(1)) never runs.
"""


@dataclass(frozen=True)
class AppServer:
    url: str  # ends without a slash, e.g. http://127.0.0.1:51234
    process: subprocess.Popen
    index_dir: Path
    glossary: Path  # the second glossary's file (the first is the seed)
    log: Path
    startup_seconds: float  # process start until the first answer from the search API


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_first_answer(url: str, process: subprocess.Popen, log: Path, started: float) -> float:
    while time.monotonic() - started < START_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            call_search_api(url, "how do I avoid overfitting", 1, timeout=10)
            return time.monotonic() - started
        except SearchApiError:
            raise
        except (OSError, RuntimeError):  # not listening yet, or the queue not ready
            time.sleep(0.1)
    raise RuntimeError(f"app.py gave no answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def web_index(real_index, tmp_path_factory) -> Path:
    from index import build_index

    root = tmp_path_factory.mktemp("web")
    (root / KITCHEN_FILE).write_text(KITCHEN, encoding="utf-8")
    index_dir = root / "index"
    shutil.copytree(real_index, index_dir)  # the seed's vectors are reused: only the new entries are embedded
    build_index([SEED, root / KITCHEN_FILE], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def app_server(web_index) -> AppServer:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = ARTIFACTS / "server.log"
    env = {**os.environ, "GLOSSARY_INDEX_DIR": str(web_index), "HF_HUB_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        started = time.monotonic()
        command = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        seconds = wait_for_first_answer(url, process, log, started)
        (ARTIFACTS / "startup.txt").write_text(f"start to first answer: {seconds:.2f} s\n")
        yield AppServer(url, process, web_index, web_index.parent / KITCHEN_FILE, log, seconds)
    finally:
        stop_app(process)


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does it): "
                    "browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed: browser tests skipped")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_app(page, query: str = "") -> None:
    """Go to the app (optionally with a query string such as "?q=dropout") and wait until it is ready."""
    page.goto(page.context.app_url + "/" + query)
    page.get_by_role("textbox", name="Question").wait_for()
    page.locator("#index-facts .facts").wait_for()  # the footer is filled by the page-load event


def _page(browser, app_server, viewport):
    context = browser.new_context(viewport=viewport)
    context.app_url = app_server.url
    context.app_server = app_server
    page = context.new_page()
    page.set_default_timeout(20_000)
    _open_app(page)
    yield page
    context.close()


@pytest.fixture
def page(browser, app_server):
    yield from _page(browser, app_server, DESKTOP)


@pytest.fixture
def phone_page(browser, app_server):
    yield from _page(browser, app_server, PHONE)


@pytest.fixture
def open_app():
    return _open_app


@pytest.fixture
def shot():
    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
