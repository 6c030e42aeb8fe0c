"""The offline build: glossary files -> entries -> passage vectors -> FAISS index on disk."""

from __future__ import annotations

import datetime as dt
import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from index import calibrate, onnx_export, vectors
from index.parse import ReadReport
from index.passages import SCHEME, passages_for
from index.paths import default_glossary
from index.sources import glossary_files, load_glossaries
from indexformat import late, store
from indexformat.encoder import DEFAULT_MODEL, Encoder
from indexformat.errors import (
    GlossaryParseError,
    GlossarySearchError,
    GlossaryWarningsError,
    IndexLockedError,
    IndexMismatchError,
    IndexWriteError,
)
from indexformat.manifest import SCHEMA_VERSION, BuildConfig, GlossaryFile, Manifest, fingerprint, sha256_file
from indexformat.passages import Passage
from indexformat.paths import default_index_dir
from indexformat.reader import IndexReader
from indexformat.vectors import index_type
from indexformat.version import __version__
from indexformat.writer import IndexWriter

log = logging.getLogger(__name__)

EMBED_CHUNK = 4096  # texts per encoder call: bounds the build's memory; large enough for long sorted batches


@dataclass
class BuildReport:
    manifest: Manifest
    index_dir: Path
    skipped: bool  # the live index already matched: nothing was embedded or written
    embedded: int = 0
    reused: int = 0
    warnings: list[str] = field(default_factory=list)
    ranking: str = ""  # the build-time fit's self-test and no-match line
    self_test: dict = field(default_factory=dict)  # the fit's report: weights, self-test overall and per kind

    @property
    def reads(self) -> list[tuple[str, ReadReport]]:
        """What was read from each glossary (for an up-to-date index: at the build that made it)."""
        from index.parse import ReadReport

        return [(r.get("glossary", ""), ReadReport.from_json(r)) for r in self.manifest.reads]

    def read_line(self) -> str:
        """`Read 450 headings -> 446 entries, 3 redirects, 1 skipped (terms.md:12: ...)`; several: by name."""
        reads = self.reads
        if not reads:
            return ""
        if len(reads) == 1:
            return f"Read {reads[0][1].summary()}. "
        return "Read " + "; ".join(f"{name}: {report.summary()}" for name, report in reads) + ". "

    def summary(self) -> str:
        m = self.manifest
        if self.skipped:
            return (f"{self.read_line()}Index up to date: {m.entries} terms, {m.passages} vectors, model {m.model},"
                    f" at {self.index_dir}")
        return (
            f"{self.read_line()}Indexed {m.entries} terms as {m.passages} vectors ({self.embedded} embedded,"
            f" {self.reused} reused) with {m.model} in {m.build_seconds:.1f} s -> {self.index_dir}"
        ) + (f"; ranking {self.ranking}" if self.ranking else "")

    def to_json(self) -> dict:
        m = self.manifest
        reads = dict(enumerate(report for _, report in self.reads))
        return {
            "index_dir": str(self.index_dir),
            "up_to_date": self.skipped,
            "model": m.model,
            "entries": m.entries,
            "passages": m.passages,
            "embedded": self.embedded,
            "reused": self.reused,
            "build_seconds": m.build_seconds,
            "glossaries": [
                {"name": g.name, "path": g.path, "terms": g.terms,
                 **({"read": reads[n].to_json()} if n in reads else {})}
                for n, g in enumerate(m.glossaries)
            ],
            "warnings": list(self.warnings),
            "self_test": self.self_test,
            "summary": self.summary(),
        }


def build_index(
    glossaries: Sequence[str | Path] | str | Path | None = None,
    index_dir: str | Path | None = None,
    model: str | None = None,
    encoder: Encoder | None = None,
    progress: bool = False,
    lock_timeout: float = 600,
    format: str | None = None,
    force: bool = False,
    quantize: str | None = None,
    strict: bool = False,
) -> BuildReport:
    """Build (or confirm) the index for `glossaries` in `index_dir`. Safe against crashes and concurrent builds.

    `force` rebuilds even an index that is up to date (e.g. a model folder whose contents changed).
    `quantize="int8"` embeds and answers with an int8 copy of the ONNX export (an option: off by default).
    `strict` makes every warning of the read an error (GlossaryWarningsError), as Sphinx's -W does; nothing is
    written then.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    remembered = _remembered_build(index_dir)
    if glossaries is None and remembered:  # the same glossaries, read the same way
        glossaries, format = list(remembered.glossaries), format or remembered.format
    if encoder is None:
        model = model or remembered.model
        quantize = quantize or remembered.quantize
    paths = glossary_files(_glossary_paths(glossaries), format)  # folders expanded, missing files reported
    model_name = encoder.name if encoder is not None else (model or DEFAULT_MODEL)
    build_config = BuildConfig(tuple(str(Path(g).expanduser().resolve()) if Path(g).expanduser().exists() else str(g)
                                     for g in _glossary_paths(glossaries)), format, model_name, quantize)
    hashes = [_hash_glossary(p) for p in paths]
    settings = {"passages": SCHEME, "query_encoder": onnx_export.SCHEME, "ranking": calibrate.SCHEME,
                "ranking_config": calibrate.config_fingerprint(), "late": late.SCHEME}
    options = {**({"format": format} if format else {}), **({"quantize": quantize} if quantize else {})}
    wanted = fingerprint(model_name, hashes, {**settings, **options})

    lock = FileLock(str(index_dir / ".lock"))
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:  # before OSError: filelock's Timeout is a TimeoutError
        log.warning("another rebuild of %s is running; waiting for it to finish", index_dir)
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise IndexLockedError(
                f"another rebuild of {index_dir} is still running after {lock_timeout:g} s; try again later"
            ) from None
    except OSError as err:
        raise _not_writable(index_dir, err) from None
    try:
        previous = _live_manifest(index_dir)
        if previous is not None and previous.fingerprint == wanted and not force:
            store.prune(index_dir, keep={store.current_marker(index_dir)})  # what a killed build left
            if strict and previous.warnings:
                raise GlossaryWarningsError(previous.warnings)
            return BuildReport(previous, index_dir, skipped=True, warnings=previous.warnings)

        entries, warnings, files, reads = [], [], [], []
        for glossary, path, digest in zip(load_glossaries(paths, format), paths, hashes, strict=True):
            entries.extend(glossary.entries)
            warnings.extend(glossary.warnings)
            files.append(GlossaryFile(glossary.title, str(path.resolve()), digest, len(glossary.entries)))
            reads.append({"glossary": glossary.title, **glossary.report.to_json()})
        if strict and warnings:
            raise GlossaryWarningsError(warnings)
        passages = [p for row, entry in enumerate(entries) for p in passages_for(row, entry)]

        # Embed with what queries will load: the ONNX export (once per model), else sentence-transformers.
        query_side = onnx_export.prepare(model_name, index_dir, quantize) if encoder is None else None
        encoder = encoder or query_side.encoder
        try:
            writer = IndexWriter(index_dir)
            previous_vectors = _cached_vectors(index_dir, model_name, quantize)
            matrix, reused = _embed(passages, encoder, previous_vectors, writer.path(store.VECTORS), progress)
            _write_pieces(entries, encoder, writer)
        except OSError as err:
            raise _not_writable(index_dir, err) from None

        faiss_index = vectors.make_index(matrix)
        manifest = Manifest(
            schema=SCHEMA_VERSION,
            model=model_name,
            dim=int(matrix.shape[1]),
            fingerprint=wanted,
            glossaries=files,
            entries=len(entries),
            passages=len(passages),
            index_type=index_type(faiss_index),
            built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
            versions=_versions(),
            warnings=warnings,
            query_encoder=query_side.record if query_side else {},
            reads=reads,
            build=build_config,
        )
        try:
            writer.write_entries(entries)
            writer.write_passages(passages)
            writer.write_faiss(faiss_index)
            writer.write_manifest(manifest)
            fitted = calibrate.write_ranking_files(writer, entries, passages, faiss_index, encoder, manifest.dim,
                                                   matrix)
            if query_side:
                onnx_export.install(query_side, writer)
            writer.publish()
        except OSError as err:  # disk full, read-only, permissions: the previous index stays live
            raise _not_writable(index_dir, err) from None
        return BuildReport(manifest, index_dir, False, len(passages) - reused, reused, warnings, fitted.line(),
                           fitted.fit.to_json())
    finally:
        lock.release()


def _glossary_paths(glossaries) -> list[Path]:
    if glossaries is None:
        return [default_glossary()]
    if isinstance(glossaries, (str, Path)):
        return [Path(glossaries)]
    return [Path(g) for g in glossaries]


def _hash_glossary(path: Path) -> str:
    try:
        return sha256_file(path)
    except FileNotFoundError:
        raise GlossaryParseError(path, None, "no such glossary file") from None
    except OSError as err:
        raise GlossaryParseError(path, None, f"cannot read the glossary ({err.strerror})") from None


def _not_writable(index_dir: Path, err: OSError) -> IndexWriteError:
    return IndexWriteError(
        f"cannot write the index at {index_dir} ({err.strerror or err}); "
        "choose a writable folder with --index-dir or $GLOSSARY_INDEX_DIR"
    )


def _remembered_build(index_dir: Path) -> BuildConfig:
    """How the live index was built; empty when there is none (or it cannot be read: then it is rebuilt)."""
    try:
        return IndexReader.live(index_dir).manifest.build
    except (GlossarySearchError, OSError, ValueError):
        return BuildConfig()


def _live_manifest(index_dir: Path) -> Manifest | None:
    """The live build's manifest if the build reads back whole; None (rebuild it) if missing or damaged."""
    try:
        reader = IndexReader.live(index_dir)
        reader.check(reader.entries(), reader.passages(), reader.index_shape())
    except GlossarySearchError:  # a missing or damaged index is simply rebuilt
        return None
    return reader.manifest


@dataclass(frozen=True)
class _Previous:
    """The live build's vectors (memory-mapped) and the row of each passage text in them."""

    matrix: np.ndarray
    rows: dict[str, int]


def _cached_vectors(index_dir: Path, model_name: str, quantize: str | None = None) -> _Previous | None:
    """The live build's vectors when it used the same model (and quantisation), else None (embed everything)."""
    try:
        reader = IndexReader.live(index_dir)
        manifest = reader.manifest
        if manifest.model != model_name or manifest.query_encoder.get("quantize") != quantize:
            return None
        texts = reader.passage_texts()
        matrix = reader.vectors(len(texts))
    except GlossarySearchError:  # no usable cache: embed everything
        return None
    return _Previous(matrix, {text: i for i, text in enumerate(texts)})


def _write_pieces(entries, encoder: Encoder, writer: IndexWriter) -> None:
    """Each entry's word-piece vectors for the late-interaction stage (indexformat/late.py), when the encoder
    gives them (the ONNX export does; an encoder that cannot leaves the stage off for this index)."""
    with_pieces = getattr(encoder, "encode_with_pieces", None)
    if with_pieces is None:
        return
    texts = [f"{e.term}: {e.text}" for e in entries]  # the same text as each entry's whole-entry passage
    found: list = []
    for start in range(0, len(texts), EMBED_CHUNK):
        found += with_pieces(texts[start:start + EMBED_CHUNK])[1]
    pieces = late.LateVectors.stack(found, int(encoder.dim))
    np.save(writer.path(store.LATE), pieces.data, allow_pickle=False)
    np.save(writer.path(store.LATE_ROWS), pieces.rows, allow_pickle=False)


def _embed(passages: list[Passage], encoder: Encoder, previous: _Previous | None, path: Path, progress: bool):
    """Write every passage's vector into the .npy file at `path` and return it memory-mapped.

    Each distinct text is embedded once (aliases and sentences repeat across entries) and only when the live
    build lacks it; texts go to the encoder longest first in chunks, so batches carry little padding and
    memory stays bounded by one chunk, not by every vector of the glossary.
    """
    dim = int(encoder.dim)
    if previous is not None and previous.matrix.shape[1] != dim:
        previous = None
    rows_of: dict[str, list[int]] = {}
    for row, passage in enumerate(passages):
        rows_of.setdefault(passage.text, []).append(row)
    matrix = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(len(passages), dim))
    todo = []
    for text, rows in rows_of.items():
        old = previous.rows.get(text) if previous is not None else None
        if old is None:
            todo.append(text)
        else:
            matrix[rows] = previous.matrix[old]
    todo.sort(key=len, reverse=True)
    if todo:
        log.info("embedding %d passages with %s", len(todo), encoder.name)
    from tqdm import tqdm  # here, not at the top: `search` imports this module and tqdm costs ~40 ms

    with tqdm(total=len(todo), desc="Embedding", unit="passage", disable=not progress or not todo) as bar:
        for start in range(0, len(todo), EMBED_CHUNK):
            chunk = todo[start:start + EMBED_CHUNK]
            fresh = np.asarray(encoder.encode(chunk), dtype=np.float32)
            if fresh.shape != (len(chunk), dim):
                raise IndexMismatchError(
                    f"the model {encoder.name} gave vectors of shape {fresh.shape[1:]}, not ({dim},)")
            for text, vector in zip(chunk, fresh, strict=True):
                matrix[rows_of[text]] = vector
            bar.update(len(chunk))
    matrix.flush()
    reused = sum(len(rows) for text, rows in rows_of.items() if previous is not None and text in previous.rows)
    return matrix, reused


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"glossary-search": __version__, "python": platform.python_version()}
    for name in ("faiss-cpu", "numpy", "sentence-transformers", "torch"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found
