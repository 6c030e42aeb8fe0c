"""The one-way flow: readers -> build -> index folder -> engine -> edges (docs/architecture.md).

indexformat/ (the data model and the index folder) imports nothing of ours; ranking/ imports only it; the build
(index/) and the query side (search/) import both and never each other; web/ and app.py sit on top. Checked on
the source (every import, including those inside functions) and on a real process.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Each top-level package is one layer; a module may import only the layers below its own (and its own).
LAYERS = {"indexformat": "format", "ranking": "ranking", "index": "build", "search": "query"}
ALLOWED = {  # layer -> the layers its modules may import
    "format": {"format"},
    "ranking": {"format", "ranking"},
    "build": {"format", "ranking", "build"},
    "query": {"format", "ranking", "query"},
}


def layer(module: str) -> str | None:
    return LAYERS.get(module.split(".")[0])


def modules():
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path) -> set[str]:
    """Every module of ours that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m for m in found if layer(m) is not None}


@pytest.mark.parametrize("module, path", list(modules()), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_imports_follow_the_layers(module, path):
    own = layer(module)
    wrong = sorted(m for m in imported(path) if layer(m) not in ALLOWED[own])
    assert not wrong, f"{module} ({own}) imports {wrong}"


def test_every_package_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks", "web"}
    assert packages == set(LAYERS), packages


def test_searching_loads_no_build_module_and_leaves_the_environment_alone(fake_index):
    script = (
        "import json, os, sys; before = dict(os.environ)\n"
        "from search import open_index; from tests.conftest import FakeEncoder\n"
        f"open_index({str(fake_index)!r}, encoder=FakeEncoder()).search('what is dropout', 3)\n"
        "print(json.dumps({'modules': sorted(sys.modules), "
        "'changed': sorted(k for k in set(os.environ) | set(before) if os.environ.get(k) != before.get(k))}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    data = json.loads(out.stdout.splitlines()[-1])
    build = [m for m in data["modules"] if layer(m) == "build"]
    heavy = [m for m in data["modules"] if m.split(".")[0] in ("markdown_it", "filelock", "docutils", "rdflib",
                                                                 "lxml", "torch", "sentence_transformers")]
    assert not build and not heavy, (build, heavy)
    assert data["changed"] == []
