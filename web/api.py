"""The REST API beside the page: plain JSON over GET and POST, documented by FastAPI's OpenAPI schema.

Every route reads the engine once. The library's errors become one-line JSON answers, `{"error": "..."}`,
with a 4xx status (5xx only when the index itself cannot be read); no traceback reaches a client.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from indexformat.errors import GlossarySearchError, QueryError
from indexformat.version import __version__
from search.engine import Engine
from search.filters import find_source
from search.lens import MAX_TEXT_CHARS
from web.answers import UnknownTermError, lens_json, term_json
from web.service import SearchService

MAX_BODY_BYTES = 256 * 1024  # a JSON body for /api/* (a lens text of MAX_TEXT_CHARS fits with room to spare)
PAGE_LIMIT, MAX_PAGE_LIMIT = 50, 500  # /api/terms page size: default and most


class SearchBody(BaseModel):
    q: str = Field(description="the question, in plain words", examples=["how do I avoid overfitting"])
    k: Any = Field(5, description="how many terms, a whole number from 1 to 100", examples=[5])
    source: str | None = Field(None, description="only terms of this glossary (a hit's `source`)")


class LensBody(BaseModel):
    text: str = Field(description=f"the text to read; at most {MAX_TEXT_CHARS} characters are used",
                      examples=["Our convolutional network overfits, so we add dropout."])
    source: str | None = Field(None, description="only terms of this glossary")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status)


def status_of(err: GlossarySearchError) -> int:
    if isinstance(err, UnknownTermError):
        return 404
    return 400 if isinstance(err, QueryError) else 503


def _source(engine: Engine, source: str | None) -> str | None:
    """The glossary asked for, checked against the index (unknown: a one-line error naming the ones it holds)."""
    if source is None or not source.strip():
        return None
    found = find_source(engine.sources, source)
    if found is None:
        raise QueryError(f"no glossary '{source[:80]}' in this index; it holds: {', '.join(engine.sources)}")
    return found


def router(service: SearchService) -> APIRouter:
    api = APIRouter(prefix="/api")

    @api.get("/search", summary="Search the glossary")
    async def search_get(
        q: Annotated[str, Query(description="the question, in plain words")] = "",
        k: Annotated[str, Query(description="how many terms, a whole number from 1 to 100")] = "5",
        source: Annotated[str | None, Query(description="only terms of this glossary")] = None,
    ) -> dict:
        """The same JSON object as `glossary-search --json`: `{"query", "no_match", "hits": [...]}`."""
        return await run_in_threadpool(lambda: service.engine().search(q, k, source=source or None).to_json())

    @api.post("/search", summary="Search the glossary (a long question in a JSON body)")
    async def search_post(body: SearchBody) -> dict:
        """As GET /api/search, for questions too long for an address."""
        return await run_in_threadpool(
            lambda: service.engine().search(body.q, body.k, source=body.source or None).to_json())

    @api.get("/terms", summary="List the terms, a page at a time")
    async def terms(
        offset: Annotated[int, Query(ge=0, description="how many terms to skip")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT, description="terms per page")] = PAGE_LIMIT,
        source: Annotated[str | None, Query(description="only terms of this glossary")] = None,
    ) -> dict:
        """Terms A-Z with their aliases and glossary, and the glossaries of the index with their sizes."""
        engine = service.engine()
        wanted = _source(engine, source)
        entries = [e for e in engine.entries if wanted is None or e.source == wanted]
        entries.sort(key=lambda e: (e.term.casefold(), e.source))
        counts = {s: sum(e.source == s for e in engine.entries) for s in engine.sources}
        page = [{"term": e.term, "aliases": list(e.aliases), "source": e.source, "anchor": e.anchor}
                for e in entries[offset:offset + limit]]
        return {"total": len(entries), "offset": offset, "limit": limit, "terms": page,
                "sources": [{"name": s, "terms": n} for s, n in counts.items()]}

    @api.get("/terms/{term:path}", summary="One term")
    async def term(term: str) -> dict:
        """The entry (by heading or alias, any case), its aliases, related terms, and the terms that mention it."""
        return term_json(service.engine(), term)

    @api.post("/lens", summary="Mark the glossary terms in a text")
    async def lens(body: LensBody) -> dict:
        """Every occurrence of a glossary term in the text: spans with start/end offsets, the text, the term,
        a short definition, a confidence (0-1) and how it matched (name, alias, acronym, inflected, misspelled)."""
        return await run_in_threadpool(lambda: lens_json(service.engine(), body.text, body.source))

    @api.get("/health", summary="The index being served")
    async def health() -> dict:
        """Index format, fingerprint, terms, model, build time, glossaries, and whether one changed since."""
        engine = service.engine()
        m = engine.manifest
        stale = engine.stale()
        return {"status": "ok", "version": __version__, "index_format": m.schema,
                "index_fingerprint": m.fingerprint, "terms": m.entries, "model": m.model,
                "built_at": m.built_at, "glossaries": [{"name": g.name, "terms": g.terms} for g in m.glossaries],
                "stale": bool(stale), "stale_glossaries": stale}

    return api


async def _glossary_error(request: Request, err: GlossarySearchError) -> JSONResponse:
    return error(status_of(err), str(err))


async def _validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
    first = err.errors()[0] if err.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")) or "request"
    if first.get("type") == "json_invalid":
        return error(400, "the request body is not valid JSON")
    return error(422, f"{where}: {first.get('msg', 'invalid value')}")


class BodyLimit:
    """ASGI middleware: a request body to /api/ over MAX_BODY_BYTES gets 413 before any of it is parsed."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await self._too_large(scope, receive, send)
        # No length given (chunked): read it here, up to the limit, then hand it on whole.
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await self._too_large(scope, receive, send)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send):
        response = error(413, f"the request body is larger than {self.limit // 1024} KB; send less text")
        await response(scope, receive, send)


def install(app: FastAPI, service: SearchService) -> None:
    """Add the /api routes, their error answers and the body limit to `app`."""
    app.include_router(router(service))
    app.add_exception_handler(GlossarySearchError, _glossary_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(BodyLimit)
