"""The MCP server (official MCP Python SDK): three tools an agent can call. The web app serves it over streamable
HTTP at /mcp (web/server.py), `glossary-search-mcp` over stdio (web/mcp_stdio.py): the same tools either way.

Each tool reads the engine once and answers with the same JSON objects as the REST API (web/api.py); the
library's one-line errors reach the agent as tool errors it can read and act on. No web framework is imported
here, so the stdio server runs on an install without the web demo's stack.
"""

from __future__ import annotations

from typing import Any, Protocol

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from indexformat.errors import GlossarySearchError
from search.engine import Engine
from web.answers import lens_json, term_json

INSTRUCTIONS = ("A glossary of terms. Use search_glossary to find the terms that answer a question, define_term "
                "to read one term's definition, and define_terms_in to explain the jargon in a piece of text.")


class EngineSource(Protocol):
    """Where the tools get the engine each call: the web app's SearchService, or the stdio server's own."""

    def engine(self) -> Engine: ...


def mcp_server(service: EngineSource) -> MCPServer:
    server = MCPServer("glossary-search", instructions=INSTRUCTIONS)

    @server.tool(structured_output=True)
    def search_glossary(question: str, k: int = 5, source: str | None = None) -> dict[str, Any]:
        """Find the glossary terms that answer a question in plain words, best first.

        Use this when someone asks what something is called, how to do something ("how do I avoid
        overfitting"), or what a term means and you are not sure of its exact name.
        Args: question: the question, in plain words; k: how many terms (1-100, default 5); source: only
        terms of this glossary (a hit's "source"; leave empty for all).
        Returns {"query", "no_match", "hits": [{"term", "score" (0-1), "definition", "aliases", "related",
        "why", "source", "anchor"}]}. When "no_match" is true nothing in the glossary answers the question and
        the hits are only the nearest terms: say so rather than presenting them as the answer.
        """
        try:
            return service.engine().search(question, k, source=source or None).to_json()
        except GlossarySearchError as err:
            raise ToolError(str(err)) from None

    @server.tool(structured_output=True)
    def define_term(term: str) -> dict[str, Any]:
        """The glossary's entry for one term, by its name, an alias or its acronym (any case).

        Use this when you know the term ("Dropout", "SGD", "cost function") and need its exact definition.
        Returns {"term", "definition" (markdown), "aliases", "related" (terms it refers to), "mentioned_in"
        (terms whose definitions refer to it), "source", "anchor"}. An unknown term is an error; then call
        search_glossary with the words instead.
        """
        try:
            return term_json(service.engine(), term)
        except GlossarySearchError as err:
            raise ToolError(str(err)) from None

    @server.tool(structured_output=True)
    def define_terms_in(text: str, source: str | None = None) -> dict[str, Any]:
        """Find every glossary term used in a text and give each one's short definition.

        Use this to explain the jargon of a paragraph, an abstract or an email, e.g. before summarising it
        for a newcomer. Terms are found by name, alias, acronym, inflected form ("overfits") and close
        misspelling. Returns {"spans": [{"start", "end" (character offsets), "text", "term", "definition",
        "confidence" (0-1), "how", "source", "anchor"}], "terms" (how many different terms), "truncated"}.
        Spans with a low confidence (below 0.7) are likelier to be ordinary words than the term.
        """
        try:
            return lens_json(service.engine(), text, source)
        except GlossarySearchError as err:
            raise ToolError(str(err)) from None

    return server
