"""The JSON answers that the REST API and the MCP servers share, with no web framework: one term, a lens."""

from __future__ import annotations

from indexformat.errors import QueryError
from search.engine import Engine


class UnknownTermError(QueryError):
    """A term that is not in the glossary (REST: 404)."""


def term_json(engine: Engine, term: str) -> dict:
    entry = engine.lookup(term)
    if entry is None:
        raise UnknownTermError(f"there is no term '{term[:80]}' in this glossary; search for it with other words")
    mentioned = list(engine.mentioned_in(entry.term))
    return {"term": entry.term, "definition": entry.definition, "aliases": list(entry.aliases),
            "related": list(entry.related), "mentioned_in": mentioned, "source": entry.source,
            "anchor": entry.anchor}


def lens_json(engine: Engine, text: object, source: str | None) -> dict:
    return engine.lens.read(text, source).to_json()
