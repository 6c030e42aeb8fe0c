"""A long-lived engine for servers: opens lazily, builds a missing or damaged index, follows rebuilds."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from indexformat.errors import GlossarySearchError, IndexCorruptError, IndexNotFoundError
from indexformat.paths import default_index_dir
from indexformat.reader import IndexReader
from search.engine import Engine, open_index
from search.preload import Background
from search.results import SearchResult

log = logging.getLogger(__name__)


class SearchService:
    def __init__(self, index_dir: str | Path | None = None, build_missing: bool = True):
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self.build_missing = build_missing
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The engine, opened on first use; a missing or stale index is (re)built first.

        Only the first open waits on the lock; a later rebuild is picked up by `Engine.refresh`, which loads the
        new version aside while other requests keep answering from the old one.
        """
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._open()
                return self._engine
        engine.refresh()
        return engine

    def open_in_background(self) -> Background:
        """`engine()` in a thread: the app opens (or builds) its index while gradio imports. `.result()` waits
        for the engine and raises what opening it raised."""
        return Background(self.engine)

    def _open(self) -> Engine:
        from index.build import build_index  # only to build a missing, damaged or stale index

        try:
            engine = open_index(self.index_dir)
        except IndexNotFoundError:
            if not self.build_missing:
                raise
            log.warning("no index at %s yet; building it from the default glossary", self.index_dir)
            build_index(index_dir=self.index_dir)
            return open_index(self.index_dir)
        except IndexCorruptError as err:
            if not self.build_missing or not self._remembers_build():
                raise  # without a readable manifest, rebuilding would put the default glossary in its place
            # force: a file the build does not check (the name table, the keyword index) may be the damaged one
            log.warning("the index at %s is damaged (%s); rebuilding it", self.index_dir, err)
            build_index(index_dir=self.index_dir, force=True)
            return open_index(self.index_dir)
        if self.build_missing and engine.stale():
            log.warning("the glossary changed since the index was built; rebuilding")
            if engine.manifest.build:  # repeat the same build: glossaries as given, format, model
                build_index(index_dir=self.index_dir)
            else:  # an index from before the manifest remembered its build
                build_index([g.path for g in engine.manifest.glossaries], self.index_dir, model=engine.manifest.model)
            engine.refresh()
        return engine

    def _remembers_build(self) -> bool:
        """Whether the live index's manifest still says how it was built (glossaries, format, model)."""
        try:
            return bool(IndexReader.live(self.index_dir).manifest.build)
        except GlossarySearchError:
            return False

    def search(self, query: str, k: int = 5) -> SearchResult:
        return self.engine().search(query, k)
