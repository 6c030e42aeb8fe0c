"""Crashes and concurrent rebuilds never cost the live index.

The kill trials run the real build code in a subprocess (tests/crash_helper.py: `build_index` with the
fake encoder) over a synthetic glossary, and SIGKILL it at random moments; one more trial kills the real
`rebuild-index` command with the real model.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index import build_index
from index.formats.markdown import parse_file
from indexformat import store
from indexformat.errors import IndexLockedError
from search import open_index
from tests.conftest import ROOT, SEED, FakeEncoder

TERMS = 120
KILLS = 20  # interrupted builds wanted (kills that land after a build finished do not count)
WORDS = "gradient loss layer network weight bias neuron activation tensor batch epoch kernel".split()


def synthetic_glossary(path: Path, variant: str) -> Path:
    """TERMS entries, each with a unique marker word; every 10th definition differs between variants."""
    parts = [f"# Synthetic Glossary {variant}\n"]
    for i in range(TERMS):
        rng = random.Random(i)
        words = " ".join(rng.choice(WORDS) for _ in range(25))
        extra = f" variant{variant}" if i % 10 == 0 else ""
        parts.append(f"## Term {i:04d}\nThe marker{i:04d} entry: {words}{extra}.\n")
    path.write_text("\n".join(parts))
    return path


def helper(*args: str | Path) -> subprocess.Popen:
    """The real build in a new process; its first line is `ready` once imports are done."""
    process = subprocess.Popen([sys.executable, "-m", "tests.crash_helper", *map(str, args)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def check_live_index(index_dir: Path, glossaries: dict[str, Path]) -> str:
    """The live index loads, answers, and is one whole build of one glossary (never a mix); returns which."""
    engine = open_index(index_dir, encoder=FakeEncoder())
    digest = engine.manifest.glossaries[0].sha256
    name = next(n for n, path in glossaries.items() if store_sha(path) == digest)
    expected = {(e.term, e.definition) for e in parse_file(glossaries[name]).entries}
    assert {(e.term, e.definition) for e in engine.entries} == expected
    hits = engine.search("marker0042 gradient loss", 3).hits
    assert hits and {(h.term, h.definition) for h in hits} <= expected
    return name


def store_sha(path: Path) -> str:
    from indexformat.manifest import sha256_file

    return sha256_file(path)


def leftovers(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(("v-", ".tmp-")))


def leftovers_in_progress(index_dir: Path) -> list[str]:
    return [name for name in leftovers(index_dir) if name.startswith(".tmp-")]


@pytest.fixture
def glossaries(tmp_path) -> dict[str, Path]:
    return {v: synthetic_glossary(tmp_path / f"{v}.md", v) for v in "ab"}


def test_sigkill_at_random_points_never_loses_the_index(tmp_path, glossaries):
    index_dir = tmp_path / "index"
    build_index(glossaries["a"], index_dir, encoder=FakeEncoder())
    # How long a build takes here, ready -> done, so kills spread over all of it.
    process = helper(glossaries["b"], index_dir)
    started = time.monotonic()
    assert process.wait(120) == 0, process.stderr.read()
    build_seconds = time.monotonic() - started
    assert check_live_index(index_dir, glossaries) == "b"

    rng = random.Random(int(os.environ.get("CRASH_SEED", "6")))
    interrupted, trials, outcomes = 0, 0, []
    while interrupted < KILLS and trials < 2 * KILLS:
        trials += 1
        live = check_live_index(index_dir, glossaries)
        target = "a" if live == "b" else "b"
        process = helper(glossaries[target], index_dir)
        delay = rng.uniform(0, build_seconds)
        time.sleep(delay)
        still_running = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        interrupted += still_running
        now = check_live_index(index_dir, glossaries)  # the previous build, or the new one if published
        outcomes.append((round(delay, 2), still_running, now == target))
        if trials % 7 == 0:  # the next build after a crash succeeds and cleans up what the crash left
            report = build_index(glossaries[target], index_dir, encoder=FakeEncoder())
            assert report.manifest.entries == TERMS
            assert check_live_index(index_dir, glossaries) == target
            assert leftovers(index_dir) == [store.current_marker(index_dir)]
    print(f"{trials} trials, {interrupted} interrupted builds, build {build_seconds:.2f} s: {outcomes}")  # noqa: T201
    assert interrupted >= KILLS, outcomes
    final = "a" if check_live_index(index_dir, glossaries) == "b" else "b"
    build_index(glossaries[final], index_dir, encoder=FakeEncoder())
    assert check_live_index(index_dir, glossaries) == final
    assert leftovers(index_dir) == [store.current_marker(index_dir)]
    # Both outcomes happened: kills before the switch kept the old index, late ones left the new one live.
    assert any(not swapped for _, running, swapped in outcomes if running), outcomes


@pytest.mark.real_model
def test_sigkill_real_rebuild_index_command(tmp_path, real_index):
    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir, copy_function=os.link)  # hard links: the model export is large
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal with black and white stripes.\n")
    before = store.current_marker(index_dir)
    command = [sys.executable, "-m", "index", "--glossary", str(glossary), "--index-dir", str(index_dir)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Kill once the new version's folder exists: mid-build, whatever this machine's speed (a fixed sleep
    # outlasted a whole rebuild on a fast machine, since unchanged entries reuse their vectors).
    deadline = time.monotonic() + 120
    while not leftovers_in_progress(index_dir) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the rebuild finished before it could be killed"
    process.kill()
    process.wait(30)
    assert leftovers_in_progress(index_dir), "the kill landed before the build started writing"
    assert store.current_marker(index_dir) == before
    engine = open_index(index_dir)
    assert "Dropout" in [h.term for h in engine.search("how do I avoid overfitting", 5).hits]

    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert engine.refresh()
    assert engine.search("striped animal", 1).hits[0].term == "Zebra"
    assert leftovers(index_dir) == [store.current_marker(index_dir)]


def test_two_rebuilds_at_once_take_turns_and_never_mix(tmp_path, glossaries):
    index_dir = tmp_path / "index"
    build_index(glossaries["a"], index_dir, encoder=FakeEncoder())
    seen, errors, stop = set(), [], threading.Event()

    def read_while_building():
        while not stop.is_set():
            try:
                seen.add(check_live_index(index_dir, glossaries))
            except Exception as err:  # noqa: BLE001 - any failure here is the test failing
                errors.append(repr(err))

    reader = threading.Thread(target=read_while_building)
    reader.start()
    try:
        first = helper(glossaries["b"], index_dir)
        second = helper(glossaries["a"], index_dir)
        results = [(p.wait(120), p.stderr.read()) for p in (first, second)]
    finally:
        stop.set()
        reader.join()
    assert [code for code, _ in results] == [0, 0], results
    assert any("another rebuild" in err and "waiting" in err for _, err in results), results
    assert errors == []
    assert seen <= {"a", "b"}
    check_live_index(index_dir, glossaries)
    assert leftovers(index_dir) == [store.current_marker(index_dir)]


def test_a_rebuild_that_cannot_get_the_lock_says_so(tmp_path, glossaries):
    index_dir = tmp_path / "index"
    build_index(glossaries["a"], index_dir, encoder=FakeEncoder())
    holder = helper(glossaries["a"], index_dir, "--hold-lock", "30")
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError, match=r"another rebuild of .* still running .*try again later"):
            build_index(glossaries["b"], index_dir, encoder=FakeEncoder(), lock_timeout=0.5)
    finally:
        holder.kill()
        holder.wait()
    assert check_live_index(index_dir, glossaries) == "a"
    build_index(glossaries["b"], index_dir, encoder=FakeEncoder())  # a killed lock holder blocks nobody
    assert check_live_index(index_dir, glossaries) == "b"


@pytest.mark.real_model
def test_the_app_answers_through_a_rebuild_then_serves_the_new_index(tmp_path, real_index):
    """A running app keeps answering while `rebuild-index` replaces its index, then serves the new one."""
    from tests.web.conftest import call_search_api, free_port, stop_app, wait_for_first_answer

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir, copy_function=os.link)
    glossary = tmp_path / "g.md"
    glossary.write_text(SEED.read_text() + "\n### Zebra\nA striped animal with black and white stripes.\n")
    port, log = free_port(), tmp_path / "app.log"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    with open(log, "w") as out:
        started = time.monotonic()
        command = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port),
                   "--index-dir", str(index_dir)]
        app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    served, errors, zebra_at, stop = [], [], [], threading.Event()

    def client(questions):
        while not stop.is_set():
            for question in questions:
                try:
                    hits = call_search_api(url, question, 3)["hits"]
                    assert hits, f"no hits for {question!r}"
                    served.append(time.monotonic())
                    if hits[0]["term"] == "Zebra" and not zebra_at:
                        zebra_at.append(time.monotonic())
                except Exception as err:  # noqa: BLE001 - every failed request fails the test
                    errors.append(f"{question!r}: {err!r}")

    try:
        wait_for_first_answer(url, app, log, started)
        threads = [threading.Thread(target=client, args=(qs,)) for qs in
                   (["how do I avoid overfitting", "what is sgd"], ["cost function", "skip connection"],
                    ["a striped animal with black and white stripes"])]
        for t in threads:
            t.start()
        rebuild_started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "index", "--glossary", str(glossary), "--index-dir",
                               str(index_dir), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        rebuilt = time.monotonic()
        deadline = rebuilt + 30
        while not zebra_at and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # a few more answers from the new index
        stop.set()
        for t in threads:
            t.join(60)
        assert done.returncode == 0, done.stderr
        assert app.poll() is None, "the app stopped"
    finally:
        stop.set()
        stop_app(app)
    assert errors == []
    assert sum(rebuild_started <= t <= rebuilt for t in served) >= 3, "the app answered during the rebuild"
    assert zebra_at, "the app never served the new index"


def test_a_damaged_new_version_leaves_the_loaded_index_serving(tmp_path, glossaries):
    index_dir = tmp_path / "index"
    build_index(glossaries["a"], index_dir, encoder=FakeEncoder())
    engine = open_index(index_dir, encoder=FakeEncoder())
    build_index(glossaries["b"], index_dir, encoder=FakeEncoder())
    faiss_file = store.live_version(index_dir) / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])  # damaged after publishing (disk, a person)
    assert not engine.refresh()  # logged, not raised: requests keep their answers
    assert engine.search("marker0042", 3).hits
    assert engine.manifest.glossaries[0].sha256 == store_sha(glossaries["a"])
    assert not build_index(glossaries["b"], index_dir, encoder=FakeEncoder()).skipped  # repaired
    glossaries["b"].write_text(glossaries["b"].read_text() + "\n## Zebra\nA striped animal.\n")
    build_index(glossaries["b"], index_dir, encoder=FakeEncoder())  # a fresh, whole version
    assert engine.refresh() and engine.manifest.entries == TERMS + 1


@pytest.mark.parametrize("step, live_after", [("rename", "a"), ("replace", "a"), ("rmtree", "b")])
def test_sigkill_at_each_step_of_the_switch(tmp_path, glossaries, step, live_after):
    """Killed as the new build folder is renamed, as CURRENT is replaced, or while old builds are removed."""
    index_dir = tmp_path / "index"
    build_index(glossaries["a"], index_dir, encoder=FakeEncoder())
    process = helper(glossaries["b"], index_dir, "--die-at", step)
    assert process.wait(120) == -signal.SIGKILL, process.stderr.read()
    assert check_live_index(index_dir, glossaries) == live_after
    build_index(glossaries["b"], index_dir, encoder=FakeEncoder())
    assert check_live_index(index_dir, glossaries) == "b"
    assert leftovers(index_dir) == [store.current_marker(index_dir)]
