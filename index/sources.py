"""Load a glossary file into entries, whatever its format."""

from __future__ import annotations

from pathlib import Path

from index.errors import GlossaryParseError
from index.parse import Glossary, parse_file


def load_glossary(path: str | Path) -> Glossary:
    path = Path(path)
    if not path.exists():
        raise GlossaryParseError(path, None, "no such glossary file")
    if path.suffix.lower() not in (".md", ".markdown", ".txt"):
        raise GlossaryParseError(path, None, f"unknown glossary format '{path.suffix}'; use a markdown file")
    return parse_file(path)
