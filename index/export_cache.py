"""One ONNX export per model on this machine, shared by every index: a content-addressed folder cache.

    $GLOSSARY_MODEL_CACHE, else $XDG_CACHE_HOME/glossary-search/models (~/.cache/...)
        <key>/      encoder.onnx, tokenizer.json, encoder.json: one export; key = hash of the model's files
        .tmp-*/     an export being written, renamed to <key>/ only when complete
        .lock       held while an export is written, so two builds of one model export it once

A build hard-links the three files into its own folder (a copy where links cannot cross file systems), so a
second index of the same model adds only its own data, and an index folder stays whole on its own (the
query side reads the files from the build folder, never from here). Deleting the cache is safe: the next
build of a model re-seeds it from the live build's linked files, or exports again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from indexformat import store
from indexformat.onnx_encoder import CONFIG, FILES
from indexformat.paths import model_cache_dir

log = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 1800  # an export takes seconds to a few minutes; a stuck one should not hang a build forever


def lookup(key: str, root: Path | None = None) -> Path | None:
    """The cached export for `key`, or None when it is absent or incomplete."""
    folder = (root or model_cache_dir()) / key
    return folder if stored_key(folder) == key else None


def stored_key(folder: Path) -> str | None:
    """The key an export folder's encoder.json records, when all its files are there."""
    try:
        if not all((folder / name).is_file() for name in FILES):
            return None
        return json.loads((folder / CONFIG).read_text(encoding="utf-8")).get("key")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None


def publish(key: str, write: Callable[[Path], None], root: Path | None = None) -> Path:
    """The cached export for `key`, calling `write(folder)` to create it when it is missing.

    Raises OSError when the cache cannot be written (the caller then exports into the build folder).
    """
    root = root or model_cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT_S):
        if (found := lookup(key, root)) is not None:  # another build exported it while we waited
            return found
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            write(staging)
            target = root / key
            if target.exists():  # an incomplete folder left by a crash
                shutil.rmtree(target)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def adopt(key: str, folder: Path, root: Path | None = None) -> Path | None:
    """Put an existing export (a live build's linked files) back into the cache; None if that fails."""
    try:
        return publish(key, lambda staging: link_files(folder, staging), root)
    except OSError as err:
        log.info("cannot store the export of %s in the model cache (%s)", folder, err)
        return None


def evict(key: str, root: Path | None = None) -> None:
    """Drop a damaged export; builds that linked it keep their own links."""
    root = root or model_cache_dir()
    with FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT_S):
        shutil.rmtree(root / key, ignore_errors=True)


def link_files(source: Path, target: Path) -> None:
    """Hard-link the export files of `source` into `target`, copying where a link is impossible."""
    store.link_files(source, target, FILES)
