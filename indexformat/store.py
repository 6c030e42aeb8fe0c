"""The index folder on disk.

    INDEX_DIR/CURRENT        name of the live version, replaced atomically (os.replace)
    INDEX_DIR/v-.../         one complete build: manifest.json, entries.jsonl, passages.jsonl,
                             vectors.npy (the embeddings, reused by the next build), index.faiss
    INDEX_DIR/.lock          held by a rebuild

A build writes a new version folder in full, then points CURRENT at it; a crash at any moment leaves
the previous version live. Readers open whatever CURRENT names.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from indexformat.errors import IndexCorruptError, IndexNotFoundError

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
ENTRIES = "entries.jsonl"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.npy"
FAISS = "index.faiss"
LEXICON = "lexicon.json"  # the name table (indexformat/lexicon.py, built by index/aliases.py)
RANKING = "ranking.json"  # the fitted ranking config and its calibration (index/calibrate.py)
BM25 = "bm25"  # the keyword index, a folder as bm25s saves it (ranking/lexical.py)
LATE = "late.npy"  # each entry's word-piece vectors, for the late-interaction stage (indexformat/late.py)
LATE_ROWS = "late_rows.npy"  # where each entry's pieces start in LATE


def live_version(index_dir: Path) -> Path:
    """The folder of the live build, or a clear error saying what to run."""
    if not index_dir.is_dir():
        raise IndexNotFoundError(f"no index at {index_dir}; run rebuild-index to build it")
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexNotFoundError(f"no index at {index_dir}; run rebuild-index to build it") from None
    except (OSError, UnicodeDecodeError) as err:
        raise IndexCorruptError(f"the index at {index_dir} is damaged ({err}); run rebuild-index") from None
    version = index_dir / name
    if not name.startswith("v-") or "/" in name or not version.is_dir():
        raise IndexCorruptError(f"the index at {index_dir} points to a missing build '{name}'; run rebuild-index")
    return version


def current_marker(index_dir: Path) -> str | None:
    """Cheap check for a swapped index: the live version name, or None."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None


# Index files above this size are parsed with orjson (several times faster than json: the engine load at 10k
# entries); smaller ones with json, since importing orjson costs 10-40 ms of a cold start.
FAST_JSON_BYTES = 1 << 20


def _json_parser(size: int):
    """orjson's loads for a large file when it is installed, else json's; the same values either way."""
    if size > FAST_JSON_BYTES:
        try:
            from orjson import loads as fast
        except ImportError:  # an install without it reads the same values with json
            return json.loads

        def parse(data: bytes | str):
            try:
                return fast(data)
            except ValueError:  # orjson refuses a few things json accepts (NaN, huge integers): json decides
                return json.loads(data)

        return parse
    return json.loads


def loads(data: bytes):
    """One JSON file of the index, read as bytes."""
    return _json_parser(len(data))(data)


def read_jsonl(path: Path) -> list[dict]:
    rows, n = [], 1
    try:
        with open(path, "rb") as f:
            parse = _json_parser(os.fstat(f.fileno()).st_size)
            for n, line in enumerate(f, 1):  # noqa: B007 (n names the bad line below)
                if line.strip():
                    rows.append(parse(line))
    except FileNotFoundError:
        raise IndexCorruptError(f"the index file {path} is missing; run rebuild-index") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise IndexCorruptError(f"the index file {path} is damaged at line {n} ({err}); run rebuild-index") from None
    return rows


def write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def link_files(source: Path, target: Path, names: Iterable[str]) -> None:
    """Hard-link files of `source` into `target`, copying where a link is impossible."""
    for name in names:
        destination = target / name
        if destination.exists():
            destination.unlink()
        try:
            os.link(source / name, destination)  # ~90 MB for MiniLM's ONNX export: share it, don't copy it
        except OSError:  # another file system, or one without hard links
            shutil.copy2(source / name, destination)


def new_version_dir(index_dir: Path) -> Path:
    """A private folder to build into; it becomes live only through `publish`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tmp-", dir=index_dir))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_dir():  # the keyword index is a folder of its own
            _fsync_tree(path)
            continue
        with open(path, "rb") as f:
            os.fsync(f.fileno())
    _fsync_dir(folder)


def publish(index_dir: Path, build_dir: Path) -> Path:
    """Make `build_dir` the live version in one atomic step, then drop old versions."""
    _fsync_tree(build_dir)
    version = index_dir / f"v-{time.strftime('%Y%m%dT%H%M%S')}-{build_dir.name[5:]}"
    os.rename(build_dir, version)
    pointer = index_dir / f".{CURRENT}.tmp"
    pointer.write_text(version.name + "\n", encoding="utf-8")
    with open(pointer, "rb") as f:
        os.fsync(f.fileno())
    os.replace(pointer, index_dir / CURRENT)
    _fsync_dir(index_dir)
    prune(index_dir, keep={version.name})
    return version


def prune(index_dir: Path, keep: set[str]) -> None:
    """Remove versions and half-written builds other than `keep`. Call only while holding the lock.

    Readers that already opened an old version keep working: their files stay readable until closed.
    """
    for path in index_dir.iterdir():
        if path.is_dir() and (path.name.startswith("v-") or path.name.startswith(".tmp-")) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
