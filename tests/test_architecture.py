"""The one-way flow: readers -> build -> index folder -> engine -> edges (docs/architecture.md).

Both the build and the query side read the index format and run the ranking stages; neither imports the other.
Checked on the source (every import, including those inside functions) and on a real process.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# The index folder's format and the types it stores: what every side may read.
FORMAT = {"index", "index.entry", "index.passages", "index.aliases", "index.text", "index.errors", "index.store",
          "index.manifest", "index.vectors", "index.paths", "index.version", "index.encoder", "index.onnx_encoder"}
ALLOWED = {  # layer -> the layers its modules may import
    "format": {"format"},
    "ranking": {"format", "ranking"},
    "build": {"format", "ranking", "build"},
    "query": {"format", "ranking", "query"},
}


def layer(module: str) -> str | None:
    if module in FORMAT or any(module.startswith(m + ".") for m in FORMAT - {"index"}):
        return "format"
    top = module.split(".")[0]
    return {"index": "build", "ranking": "ranking", "search": "query"}.get(top)


def modules():
    for package in ("index", "ranking", "search"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in found if layer(m) is not None and (m.split(".")[0] in ("index", "ranking", "search"))}


@pytest.mark.parametrize("module, path", list(modules()), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_imports_follow_the_layers(module, path):
    # The package's __init__ hands out build_index lazily: it belongs to the build.
    own = "build" if module == "index" else layer(module)
    wrong = sorted({as_module(m) for m in imported(path)} - {module})
    wrong = [m for m in wrong if layer(m) not in ALLOWED[own]]
    assert not wrong, f"{module} ({own}) imports {wrong}"


def as_module(name: str) -> str:
    """`index.text.words` (a function imported from a module) -> `index.text`."""
    path = ROOT / name.replace(".", "/")
    return name if path.with_suffix(".py").is_file() or path.is_dir() else name.rpartition(".")[0]


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
