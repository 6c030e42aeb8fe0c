"""Every write of a built index goes through `IndexWriter`: a private folder filled file by file, then published
as the live version in one atomic step (indexformat/store.py), or dropped: a crash leaves the previous one live.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from indexformat import store
from indexformat.lexicon import Lexicon
from indexformat.manifest import Manifest
from indexformat.vectors import write_index


class IndexWriter:
    """A version folder being written. `publish` makes it live; `discard` removes it."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.folder = store.new_version_dir(self.index_dir)

    def path(self, name: str) -> Path:
        """Where a file that a library writes itself (the streamed vectors, the keyword index) goes."""
        return self.folder / name

    def write_jsonl(self, name: str, rows: Iterable[dict]) -> None:
        store.write_jsonl(self.path(name), rows)

    def write_json(self, name: str, data, indent: int | None = None) -> None:
        self.path(name).write_text(json.dumps(data, indent=indent, ensure_ascii=False), encoding="utf-8")

    def write_entries(self, entries) -> None:
        self.write_jsonl(store.ENTRIES, (e.to_json() for e in entries))

    def write_passages(self, passages) -> None:
        self.write_jsonl(store.PASSAGES, (p.to_json() for p in passages))

    def write_faiss(self, faiss_index) -> None:
        write_index(faiss_index, self.path(store.FAISS))

    def write_lexicon(self, lexicon: Lexicon) -> None:
        self.write_json(store.LEXICON, lexicon.to_json())

    def write_manifest(self, manifest: Manifest) -> None:
        # ensure_ascii: as the manifest was always written (a JSON reader of any age reads it)
        self.path(store.MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2), encoding="utf-8")

    def link(self, source: Path, names: Iterable[str]) -> None:
        """Hard-link files kept elsewhere (the model cache's ONNX export) into the version."""
        store.link_files(source, self.folder, names)

    def publish(self) -> Path:
        return store.publish(self.index_dir, self.folder)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
