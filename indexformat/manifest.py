"""The index manifest: what was built, from what, with which model. JSON, never pickle."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indexformat.errors import IndexCorruptError

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class GlossaryFile:
    name: str
    path: str
    sha256: str
    terms: int


@dataclass(frozen=True)
class BuildConfig:
    """How an index was built (glossaries as given, format, model, quantize): a rebuild not told otherwise
    repeats it."""

    glossaries: tuple[str, ...] = ()
    format: str | None = None
    model: str | None = None
    quantize: str | None = None

    def __bool__(self) -> bool:
        return bool(self.glossaries)  # an index from before the manifest remembered its build has none

    @classmethod
    def from_json(cls, data: dict | None) -> BuildConfig:
        data = data or {}
        return cls(tuple(str(g) for g in data.get("glossaries") or ()), data.get("format"), data.get("model"),
                   data.get("quantize"))


@dataclass(frozen=True)
class Manifest:
    schema: int
    model: str
    dim: int
    fingerprint: str  # hash of everything that decides the vectors; equal -> nothing to rebuild
    glossaries: list[GlossaryFile]
    entries: int
    passages: int
    index_type: str
    built_at: str
    build_seconds: float
    versions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    query_encoder: dict = field(default_factory=dict)  # what queries load: {"kind": "onnx", ...} or empty
    reads: list[dict] = field(default_factory=list)  # per glossary: {"glossary": name, **ReadReport.to_json()}
    # How it was built (glossaries as given, format, model, quantize): a rebuild not told otherwise repeats it.
    build: BuildConfig = field(default_factory=BuildConfig)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        data = dict(data)
        data["glossaries"] = [GlossaryFile(**g) for g in data.get("glossaries", [])]
        data["build"] = BuildConfig.from_json(data.get("build"))
        return cls(**data)


def sha256_file(path: Path) -> str:
    """A file's digest; a folder that is one glossary (front-matter pages) digests every file inside it."""
    if path.is_dir():
        digest = hashlib.sha256()
        for file in sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)):
            digest.update(f"{file.relative_to(path).as_posix()}\0{sha256_file(file)}\n".encode())
        return digest.hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(model: str, glossary_hashes: list[str], settings: dict) -> str:
    payload = json.dumps({"schema": SCHEMA_VERSION, "model": model, "glossaries": glossary_hashes, **settings},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def read_manifest(path: Path) -> Manifest:
    try:
        manifest = Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise IndexCorruptError(f"the index in {path.parent} has no manifest; run rebuild-index") from None
    except (ValueError, TypeError, KeyError) as err:
        raise IndexCorruptError(f"the index manifest {path} is damaged ({err}); run rebuild-index") from None
    if manifest.schema != SCHEMA_VERSION:
        raise IndexCorruptError(
            f"the index in {path.parent} has format {manifest.schema}, this version reads {SCHEMA_VERSION};"
            " run rebuild-index"
        )
    return manifest


def stale_glossaries(manifest: Manifest) -> list[str]:
    """Glossary files that changed on disk since the build (missing files cannot be judged)."""
    changed = []
    for g in manifest.glossaries:
        path = Path(g.path)
        if path.exists() and sha256_file(path) != g.sha256:
            changed.append(g.path)
    return changed
