"""The query side: load an index folder once, answer questions from it."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from index import store, vectors
from index.aliases import build_lexicon, read_lexicon
from index.calibrate import read_threshold
from index.encoder import Encoder, query_encoder
from index.entry import Entry
from index.errors import GlossarySearchError, IndexCorruptError, IndexMismatchError
from index.manifest import Manifest, read_manifest, stale_glossaries
from index.passages import Passage
from index.paths import default_index_dir
from search.filters import source_mask
from search.query import clean_k, clean_query
from search.rank import Ranker
from search.results import Hit, SearchResult

log = logging.getLogger(__name__)

NO_MATCH_BELOW = 0.5  # Hit.score at the calibrated no-match line (search/rank.py maps scores around it)


class Engine:
    """One loaded index. `search` is thread-safe; `refresh` picks up a rebuilt index without a restart."""

    def __init__(self, index_dir: Path, encoder: Encoder | None = None):
        import faiss

        # One question is one FAISS query: OpenMP threads only wait for busy cores (p99 12-16 ms -> 2-5 ms
        # of ranking under load, docs/quality.md); searches from several requests run in their own threads.
        faiss.omp_set_num_threads(1)
        self.index_dir = index_dir
        self._given_encoder = encoder
        self._lock = threading.Lock()
        self._unreadable: str | None = None  # a published version that failed to load
        for attempt in range(3):
            marker = store.current_marker(index_dir)
            try:
                self._load()
                break
            except IndexCorruptError:  # a rebuild may have replaced and pruned the version mid-read
                if attempt == 2 or store.current_marker(index_dir) == marker:
                    raise

    def _load(self) -> None:
        version = store.live_version(self.index_dir)
        manifest = read_manifest(version / store.MANIFEST)
        try:
            entries = [Entry.from_json(row) for row in store.read_jsonl(version / store.ENTRIES)]
            passages = [Passage(**row) for row in store.read_jsonl(version / store.PASSAGES)]
        except (TypeError, AttributeError, ValueError) as err:  # JSON rows of the wrong shape
            raise IndexCorruptError(f"the index at {self.index_dir} is damaged ({err}); run rebuild-index") \
                from None
        faiss_index = vectors.read_index(version / store.FAISS)
        if len(entries) != manifest.entries or len(passages) != manifest.passages:
            raise IndexCorruptError(f"the index at {self.index_dir} is incomplete; run rebuild-index")
        if faiss_index.ntotal != len(passages) or faiss_index.d != manifest.dim:
            raise IndexCorruptError(f"the index at {self.index_dir} does not match its manifest; run rebuild-index")
        previous = getattr(self, "_state", None)
        if self._given_encoder is not None:
            encoder = self._given_encoder
        elif previous is not None and previous[5].name == manifest.model:
            encoder = previous[5]  # a rebuild with the same model: keep the loaded one
        else:
            encoder = query_encoder(manifest.model, manifest.query_encoder, version)  # ONNX: no torch
        if encoder.name != manifest.model:
            raise IndexMismatchError(
                f"the index was built with the model {manifest.model}, not {encoder.name};"
                " run rebuild-index with the model you want"
            )
        ranker = Ranker(entries, passages, faiss_index, encoder, manifest.dim,
                        read_lexicon(version) or build_lexicon(entries), read_threshold(version))
        # Swap everything at once so a concurrent search sees the old index or the new, never a mix.
        self._state = (version.name, manifest, entries, passages, faiss_index, encoder,
                       np.array([p.entry for p in passages], dtype=np.int64), ranker)

    @property
    def manifest(self) -> Manifest:
        return self._state[1]

    @property
    def entries(self) -> list[Entry]:
        return self._state[2]

    def lookup(self, term: str) -> Entry | None:
        """The entry with this heading, else one whose heading or alias matches ignoring case, spaces and hyphens."""
        entries = self.entries
        exact = next((e for e in entries if e.term == term), None)
        if exact is not None:
            return exact
        wanted = _name_key(term)
        return next((e for e in entries if wanted in {_name_key(n) for n in (e.term, *e.aliases)}), None)

    def stale(self) -> list[str]:
        """Glossary files changed since this index was built."""
        return stale_glossaries(self.manifest)

    def refresh(self) -> bool:
        """Reload if a rebuild published a new version; True when it did.

        Never fails a search: a new version that cannot be read leaves the loaded index serving (logged,
        tried again when CURRENT next changes); one pruned by a later rebuild mid-read is simply re-read.
        """
        if store.current_marker(self.index_dir) in (None, self._state[0], self._unreadable):
            return False
        with self._lock:
            for _ in range(3):
                marker = store.current_marker(self.index_dir)
                if marker in (None, self._state[0], self._unreadable):
                    return False
                try:
                    self._load()
                    return True
                except GlossarySearchError as err:
                    if store.current_marker(self.index_dir) == marker:  # damaged, not replaced meanwhile
                        log.warning("keeping the loaded index: %s", err)
                        self._unreadable = marker
                        return False
        return False

    def search(self, query: str, k: int = 5, source: str | None = None) -> SearchResult:
        entries = self._state[2]
        text = clean_query(query)
        allowed = source_mask(entries, source)  # None: every glossary
        k = clean_k(k, len(entries) if allowed is None else int(allowed.sum()))
        ranking = self._state[7].rank(text, k, allowed)
        hits = tuple(_hit(entries[s.entry], ranking.score(s.fused), s.why) for s in ranking.scored)
        return SearchResult(query=text, hits=hits, no_match=ranking.no_match)


def _name_key(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


def _hit(entry: Entry, score: float, why: str) -> Hit:
    return Hit(
        term=entry.term,
        score=round(score, 4),
        definition=entry.definition,
        aliases=entry.aliases,
        related=entry.related,
        why=why,
        source=entry.source,
        anchor=entry.anchor,
    )


def open_index(index_dir: str | Path | None = None, encoder: Encoder | None = None) -> Engine:
    """Open the index in `index_dir` (default: $GLOSSARY_INDEX_DIR or the user cache folder)."""
    return Engine(Path(index_dir) if index_dir is not None else default_index_dir(), encoder)
