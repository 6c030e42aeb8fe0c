"""Glossary files of any supported format -> `Glossary` objects, one per file, each labelled with its source.

The format comes from the file extension unless one is named (`rebuild-index --format`). A folder stands for
every glossary file inside it. A bare name such as `astronomy` means a glossary bundled with the package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from index.errors import GlossaryParseError
from index.formats.jsonfile import parse_json, parse_jsonl
from index.formats.rst import parse_rst
from index.formats.table import parse_csv, parse_tsv
from index.parse import Glossary, parse_file, with_source
from index.paths import default_glossary

READERS: dict[str, Callable[[Path], Glossary]] = {
    "markdown": parse_file,
    "csv": parse_csv,
    "tsv": parse_tsv,
    "json": parse_json,
    "jsonl": parse_jsonl,
    "rst": parse_rst,
}
FORMATS = tuple(READERS)
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rst": "rst",
    ".rest": "rst",
}


def format_of(path: Path, format: str | None = None) -> str:
    """The format named, or the one the extension implies."""
    if format is not None:
        if format not in READERS:
            raise GlossaryParseError(
                path, None, f"unknown format '{format}'; use one of {', '.join(FORMATS)}"
            )
        return format
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = " ".join(sorted(EXTENSIONS))
        raise GlossaryParseError(
            path,
            None,
            f"cannot tell the format from '{path.suffix or 'no extension'}' (known: {known}); use --format",
        ) from None


def bundled_glossary(name: str) -> Path | None:
    """`astronomy` -> the packaged `astronomy_glossary.md`, when there is one."""
    if not name or any(sep in name for sep in "/\\.") or name != name.strip():
        return None
    path = default_glossary().parent / f"{name.replace('-', '_')}_glossary.md"
    return path if path.is_file() else None


def glossary_files(paths: Sequence[str | Path], format: str | None = None) -> list[Path]:
    """The files to read, each once: folders expanded (sorted, hidden files skipped), bundled names found."""
    files: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists() and (bundled := bundled_glossary(str(given))) is not None:
            path = bundled
        if path.is_dir():
            found = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (format is not None or p.suffix.lower() in EXTENSIONS)
            ]
            if not found:
                raise GlossaryParseError(path, None, "the folder holds no glossary files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise GlossaryParseError(path, None, "no such glossary file or folder")
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)  # named twice, or also inside a named folder: read once
    return list(unique.values())


def load_glossary(path: str | Path, format: str | None = None) -> Glossary:
    path = Path(path)
    if not path.is_file():
        raise GlossaryParseError(path, None, "no such glossary file")
    return READERS[format_of(path, format)](path)


def load_glossaries(files: Sequence[Path], format: str | None = None) -> list[Glossary]:
    """One glossary per file. Labels stay distinct so that entries of different files never share a source."""
    glossaries, labels = [], set()
    for path in files:
        glossary = load_glossary(path, format)
        label = glossary.title
        if label in labels:
            label = f"{glossary.title} ({path.name})"
        if label in labels:
            label = f"{glossary.title} ({path})"
        labels.add(label)
        if label != glossary.title:
            glossary = replace(with_source(glossary, label), title=label)
        glossaries.append(glossary)
    return glossaries
