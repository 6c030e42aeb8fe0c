"""Glossary files of any supported format -> `Glossary` objects, one per file, each labelled with its source.

The format comes from the file extension (and, where the extension is ambiguous, the content) unless one is named
(`rebuild-index --format`). A folder stands for every glossary file inside it, unless it is itself one
glossary: a folder of front-matter pages (one per term) or a Glossarist concept dataset. A bare name such as
`astronomy` means a glossary bundled with the package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from index.formats.sniff import AMBIGUOUS, sniff_format
from index.paths import default_glossary
from indexformat.errors import GlossaryParseError

if TYPE_CHECKING:
    from index.parse import Glossary

# Readers as "module:function", imported when a glossary of that format is read: an up-to-date rebuild, or a
# build of one markdown file, loads no XML, RDF or YAML library (rdflib alone: ~0.1-0.2 s).
READERS: dict[str, str] = {
    "markdown": "index.formats.markdown:parse_file",
    "csv": "index.formats.table:parse_csv",
    "tsv": "index.formats.table:parse_tsv",
    "xlsx": "index.formats.table:parse_xlsx",
    "ods": "index.formats.table:parse_ods",
    "json": "index.formats.jsonfile:parse_json",
    "jsonl": "index.formats.jsonfile:parse_jsonl",
    "rst": "index.formats.rst:parse_rst",
    "deflist": "index.formats.deflist:parse_deflist",
    "yaml": "index.formats.yamlfile:parse_yaml",
    "tbx": "index.formats.tbx:parse_tbx",
    "skos": "index.formats.skos:parse_skos",
    "glossarist": "index.formats.glossarist:parse_glossarist",  # one concept file; a dataset folder: below
    "asciidoc": "index.formats.asciidoc:parse_asciidoc",
    "docbook": "index.formats.docbook:parse_docbook",
    "html": "index.formats.htmlpage:parse_html",
    "latex": "index.formats.latex:parse_latex",
    "bib2gls": "index.formats.latex:parse_bib2gls",
    "docx": "index.formats.worddoc:parse_docx",
}
# Formats whose glossary is a whole folder, each with the test that recognises such a folder.
FOLDER_READERS: dict[str, str] = {
    "frontmatter": "index.formats.frontmatter:parse_frontmatter_folder",
    "glossarist": "index.formats.glossarist:parse_glossarist",
}
FOLDER_DETECTORS: dict[str, str] = {
    "glossarist": "index.formats.glossarist:is_glossarist_folder",
    "frontmatter": "index.formats.frontmatter:is_frontmatter_folder",
}


def _function(dotted: str) -> Callable:
    module, name = dotted.split(":")
    return getattr(importlib.import_module(module), name)


FORMATS = tuple(dict.fromkeys([*READERS, *FOLDER_READERS]))
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ods": "ods",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".rst": "rst",
    ".rest": "rst",
    ".tbx": "tbx",
    ".ttl": "skos",
    ".rdf": "skos",
    ".adoc": "asciidoc",
    ".asciidoc": "asciidoc",
    ".asc": "asciidoc",
    ".xml": "docbook",  # unless the content says TBX or SKOS (see `sniff_format`)
    ".sgml": "docbook",
    ".sgm": "docbook",
    ".docbook": "docbook",
    ".dbk": "docbook",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".tex": "latex",
    ".bib": "bib2gls",
    ".docx": "docx",
}

# Forms a glossary may come in that no reader reads, each with the way to a form one does.
UNREADABLE = {
    ".xls": "an Excel 97-2003 workbook: save it as .xlsx (or CSV) and build from that",
    ".numbers": "a Numbers spreadsheet: export it as .xlsx (or CSV) and build from that",
    ".doc": "a Word 97-2003 document: save it as .docx and build from that",
    ".odt": "an OpenDocument text: save it as .docx and build from that",
    ".pdf": "a PDF: copy its glossary into a .docx, .md or .csv file and build from that",
}


def format_of(path: Path, format: str | None = None) -> str:
    """The format named, or the one the extension implies."""
    if format is not None:
        if format not in FORMATS:
            raise GlossaryParseError(
                path, None, f"unknown format '{format}'; use one of {', '.join(FORMATS)}"
            )
        return format
    if path.is_dir():
        if (found := folder_format(path)) is not None:
            return found
        raise GlossaryParseError(path, None, "cannot tell the format of this folder; use --format")
    if path.suffix.lower() in AMBIGUOUS and (found := sniff_format(path)) is not None:
        return found  # `.txt` that is AsciiDoc, `.xml` that is TBX, a file with no extension
    if (advice := UNREADABLE.get(path.suffix.lower())) is not None:
        raise GlossaryParseError(path, None, advice)
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = " ".join(sorted(EXTENSIONS))
        raise GlossaryParseError(
            path,
            None,
            f"cannot tell the format from '{path.suffix or 'no extension'}' (known: {known}); use --format",
        ) from None


def folder_format(folder: Path) -> str | None:
    """The format of a folder that is one glossary as a whole, or None for a folder of glossary files."""
    return next((name for name, detect in FOLDER_DETECTORS.items() if _function(detect)(folder)), None)


def bundled_glossary(name: str) -> Path | None:
    """`astronomy` -> the packaged `astronomy_glossary.md`, when there is one."""
    if not name or any(sep in name for sep in "/\\.") or name != name.strip():
        return None
    path = default_glossary().parent / f"{name.replace('-', '_')}_glossary.md"
    return path if path.is_file() else None


def glossary_files(paths: Sequence[str | Path], format: str | None = None) -> list[Path]:
    """What to read, each once: glossary files, and folders that are one glossary each (front-matter pages).
    Other folders are expanded (sorted, hidden files skipped); bundled names are found."""
    files: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists() and (bundled := bundled_glossary(str(given))) is not None:
            path = bundled
        if path.is_dir():
            found = _expand(path, format)
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


def _expand(folder: Path, format: str | None) -> list[Path]:
    if format in FOLDER_READERS or (format is None and folder_format(folder) is not None):
        return [folder]
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            found.extend(_expand(path, format))
        elif path.is_file() and (format is not None or path.suffix.lower() in EXTENSIONS):
            found.append(path)
    return found


def load_glossary(path: str | Path, format: str | None = None) -> Glossary:
    path = Path(path)
    if path.is_dir():
        name = format_of(path, format)
        if name not in FOLDER_READERS:
            raise GlossaryParseError(path, None, f"the {name} format reads files; name a file, not a folder")
        return _function(FOLDER_READERS[name])(path)
    if not path.is_file():
        raise GlossaryParseError(path, None, "no such glossary file")
    name = format_of(path, format)
    if name not in READERS:
        raise GlossaryParseError(path, None, f"the {name} format reads a folder of pages; name the folder")
    from index.formats.deflist import is_deflist
    from index.parse import read_text

    if format is None and name == "markdown" and is_deflist(read_text(path)):
        name = "deflist"  # `Term` / `: definition` lists rather than headings
    return _function(READERS[name])(path)


def load_glossaries(files: Sequence[Path], format: str | None = None) -> list[Glossary]:
    """One glossary per file. Labels stay distinct so that entries of different files never share a source."""
    from index.parse import with_source

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
