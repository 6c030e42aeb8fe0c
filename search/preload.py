"""The query encoder loaded in a thread, so its ONNX session builds while the rest of an index is read.

onnxruntime builds a session in C++ with the GIL released (0.2-0.25 s of a cold answer on a quiet machine,
reading and optimising 87 MB of weights). Started first, it overlaps the Python work that does not need it:
importing the ranking, reading entries, passages and the keyword index, analysing the question. The CLI
starts it before it imports the rest of the query side (`start`); `Engine` takes it (`take`) or starts its
own. This module imports nothing heavy itself: the thread does.
"""

from __future__ import annotations

import threading
from pathlib import Path


class Background:
    """`work()` run in a thread; `result()` waits for it and returns what it returned or raises what it raised."""

    def __init__(self, work):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(work,), name="glossary-encoder", daemon=True)
        self._thread.start()

    def _run(self, work) -> None:
        try:
            self._value = work()
        except BaseException as err:  # noqa: BLE001 - handed to whoever waits, as if raised there
            self._error = err

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


_started: dict[Path, Background] = {}  # index folder -> the load of its encoder: (version name, model name, encoder)
_lock = threading.Lock()


def start(index_dir: Path) -> None:
    """Begin loading the live version's query encoder in `index_dir`. Best effort: whatever goes wrong (no
    index, a damaged export) is left for the engine's own open to report in its own words."""

    def load():
        from indexformat.reader import IndexReader

        reader = IndexReader.live(index_dir)
        manifest = reader.manifest
        return reader.name, manifest.model, reader.encoder()

    with _lock:
        if index_dir not in _started:
            _started[index_dir] = Background(load)


def take(index_dir: Path, version: str, model: str):
    """The encoder `start` loaded for this version and model, or None (none started, another version, failed)."""
    with _lock:
        pending = _started.pop(index_dir, None)
    if pending is None:
        return None
    try:
        loaded_version, loaded_model, encoder = pending.result()
    except Exception:  # noqa: BLE001 - the engine loads the encoder itself and reports the error
        return None
    return encoder if (loaded_version, loaded_model) == (version, model) else None
