"""The query side: load an index folder once, answer questions from it."""

from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from indexformat import store, vectors
from indexformat.encoder import Encoder
from indexformat.entry import Entry, mentioned_in
from indexformat.errors import GlossarySearchError, IndexCorruptError, IndexMismatchError
from indexformat.manifest import Manifest, stale_glossaries
from indexformat.paths import default_index_dir
from indexformat.reader import IndexReader
from indexformat.text import bare_name, normalize
from ranking.config import read_config
from ranking.explain import Why, why_text
from ranking.lexical import Lexical
from ranking.rank import Ranker, entry_vectors
from search import preload
from search.filters import source_mask, sources
from search.query import clean_k, clean_query, truncation_note
from search.results import Hit, SearchResult

if TYPE_CHECKING:
    from search.lens import Lens

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class LoadedIndex:
    """Everything one published index version needs to answer, swapped in as one reference."""

    version: str  # the version folder's name (what CURRENT points at)
    manifest: Manifest
    entries: tuple[Entry, ...]
    ranker: Ranker
    encoder: Encoder
    sources: tuple[str, ...]  # glossary labels, in index order
    names: dict[str, int]  # every name and alias, normalized (and, after _EXACT, as written) -> entry row
    mentions: dict[str, tuple[str, ...]]  # term -> the terms whose definitions refer to it

    @cached_property
    def lens(self) -> Lens:
        """The glossary lens over these entries: built on first use, once per loaded version."""
        from search.lens import Lens  # imported with its first use: a question never needs it

        return Lens(self.entries)

    @cached_property
    def anchors(self) -> tuple[tuple[str, str], ...]:
        """(anchor, term) of every entry with an anchor: in-page links of the definitions."""
        return tuple((e.anchor, e.term) for e in self.entries if e.anchor)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while an index loads: its ~100k new objects (entries, passages, the name
    table) all live as long as the index, so the collector's passes over them are wasted (10-20% of a load at
    10k entries, measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_EXACT = "\0"  # marks a name table key that keeps the name's case: `HEAD` and `head` are two entries


class Engine:
    """One loaded index. `search` is thread-safe; `refresh` picks up a rebuilt index without a restart."""

    def __init__(self, index_dir: Path, encoder: Encoder | None = None):
        self.index_dir = index_dir
        self._given_encoder = encoder
        self._reloading = threading.Lock()  # one reload at a time; searches never wait for it
        self._unreadable: str | None = None  # a published version that failed to load
        self._loaded: LoadedIndex | None = None
        self._stale: tuple | None = None  # ((version, file stamps), the stale files) of the last `stale()`
        for attempt in range(3):
            marker = store.current_marker(index_dir)
            try:
                self._loaded = self._load()
                break
            except IndexCorruptError:  # a rebuild may have replaced and pruned the version mid-read
                if attempt == 2 or store.current_marker(index_dir) == marker:
                    raise

    def _load(self) -> LoadedIndex:
        with _collector_paused():
            return self._read()

    def _read(self) -> LoadedIndex:
        reader = IndexReader.live(self.index_dir)
        manifest = reader.manifest
        previous = self._loaded
        if self._given_encoder is not None:
            encoder = self._given_encoder
        elif previous is not None and previous.encoder.name == manifest.model:
            encoder = previous.encoder  # a rebuild with the same model: keep the loaded one
        else:  # the ONNX export (no torch), its session built in a thread while the rest is read
            encoder = preload.take(self.index_dir, reader.name, manifest.model)
            if encoder is None:
                encoder = preload.Background(reader.encoder)
        entries = reader.entries()
        passages = reader.passages()
        matrix = reader.vectors(len(passages))
        faiss_index = reader.search_index(matrix)  # numpy over the vectors for a small flat index: no faiss import
        reader.check(entries, passages, (faiss_index.ntotal, faiss_index.d))
        lexicon = reader.lexicon()
        # The keyword index is saved by the build; an older index has none and builds it here.
        keywords = reader.load(store.BM25, lambda path: Lexical.load(path, entries)) if reader.has(store.BM25) \
            else None
        if isinstance(encoder, preload.Background):
            encoder = encoder.result()
        if encoder.name != manifest.model:
            raise IndexMismatchError(
                f"the index was built with the model {manifest.model}, not {encoder.name};"
                " run rebuild-index with the model you want"
            )
        ranker = Ranker(entries, passages, faiss_index, encoder, manifest.dim, lexicon, read_config(reader),
                        entry_vectors(matrix, passages, len(entries)), keywords, reader.late(len(entries)))
        names: dict[str, int] = {}
        for pass_ in (lambda e: (e.term,), lambda e: (bare_name(e.term), *e.aliases)):  # headings win over aliases
            for row, entry in enumerate(entries):
                for name in pass_(entry):
                    names.setdefault(_EXACT + " ".join(name.split()), row)
                    names.setdefault(normalize(name), row)
        return LoadedIndex(reader.name, manifest, entries, ranker, encoder, tuple(sources(entries)), names,
                           mentioned_in(entries))

    @property
    def loaded(self) -> LoadedIndex:
        return self._loaded

    @property
    def manifest(self) -> Manifest:
        return self._loaded.manifest

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._loaded.entries

    @property
    def sources(self) -> tuple[str, ...]:
        return self._loaded.sources

    @property
    def lens(self) -> Lens:
        return self._loaded.lens

    def mentioned_in(self, term: str) -> tuple[str, ...]:
        """The terms whose definitions refer to `term`."""
        return self._loaded.mentions.get(term, ())

    @property
    def encoder(self) -> Encoder:
        return self._loaded.encoder

    def lookup(self, term: str) -> Entry | None:
        """The entry named `term` by its heading, bare name or an alias (case, spacing, hyphens ignored); of
        names that differ only in case (`HEAD`, `head`), the one written as asked."""
        loaded = self._loaded
        row = loaded.names.get(_EXACT + " ".join(str(term).split()), loaded.names.get(normalize(str(term))))
        return loaded.entries[row] if row is not None else None

    def stale(self) -> list[str]:
        """Glossary files changed since this index was built. A page asks on every load: the files are hashed
        again only when their size or modification time changed since the last answer."""
        loaded = self._loaded
        stamps = tuple(_stamp(g.path) for g in loaded.manifest.glossaries)
        cached = self._stale
        if cached is None or cached[0] != (loaded.version, stamps):
            cached = self._stale = ((loaded.version, stamps), stale_glossaries(loaded.manifest))
        return list(cached[1])

    def refresh(self) -> bool:
        """Reload if a rebuild published a new version; True when it did.

        The new version is read outside any lock that searches take, then swapped in as one reference. Never
        fails a search: a version that cannot be read leaves the loaded index serving (logged, tried again
        when CURRENT next changes); one pruned by a later rebuild mid-read is simply re-read.
        """
        if store.current_marker(self.index_dir) in (None, self._loaded.version, self._unreadable):
            return False
        if not self._reloading.acquire(blocking=False):
            return False  # another thread is loading it; keep answering from the loaded index
        try:
            for _ in range(3):
                marker = store.current_marker(self.index_dir)
                if marker in (None, self._loaded.version, self._unreadable):
                    return False
                try:
                    self._loaded = self._load()
                    return True
                except GlossarySearchError as err:
                    if store.current_marker(self.index_dir) == marker:  # damaged, not replaced meanwhile
                        log.warning("keeping the loaded index: %s", err)
                        self._unreadable = marker
                        return False
        finally:
            self._reloading.release()
        return False

    def search(self, query: str, k: int = 5, source: str | None = None) -> SearchResult:
        loaded = self._loaded  # read once: a refresh mid-search cannot pair old rows with new arrays
        text = clean_query(query)
        entries = loaded.entries
        allowed = source_mask(entries, source)  # None: every glossary
        k = clean_k(k, len(entries) if allowed is None else int(allowed.sum()))
        label = entries[int(np.flatnonzero(allowed)[0])].source if allowed is not None else None
        # One question is one FAISS query: OpenMP threads only wait for busy cores (p99 12-16 ms -> 2-5 ms
        # of ranking under load, docs/quality.md); searches from several requests run in their own threads.
        with vectors.single_threaded():
            ranking = loaded.ranker.rank(text, k, allowed, label)
        hits = tuple(_hit(entries[s.entry], s.confidence, s.why, n) for n, s in enumerate(ranking.scored, 1))
        return SearchResult(query=text, hits=hits, no_match=ranking.no_match, note=truncation_note(query))


def _hit(entry: Entry, score: float, why: Why, rank: int) -> Hit:
    return Hit(
        term=entry.term,
        score=round(score, 4),
        definition=entry.definition,
        aliases=entry.aliases,
        related=entry.related,
        why=why_text(why),
        source=entry.source,
        anchor=entry.anchor,
        explanation=why,
        rank=rank,
    )


def _stamp(path: str) -> tuple | None:
    """Size and modification time; of every file inside, for a glossary that is a folder."""
    folder = Path(path)
    try:
        if folder.is_dir():
            return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")))
        found = folder.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def open_index(index_dir: str | Path | None = None, encoder: Encoder | None = None) -> Engine:
    """Open the index in `index_dir` (default: $GLOSSARY_INDEX_DIR or the user cache folder)."""
    return Engine(Path(index_dir) if index_dir is not None else default_index_dir(), encoder)
