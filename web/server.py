"""One process, one port: a FastAPI app holding the REST API (/api, /docs), the MCP server (/mcp) and the
Gradio page mounted at / (gr.mount_gradio_app), served by uvicorn.

FastAPI rather than Gradio's own routes: the REST routes get typed parameters, an OpenAPI schema and a docs
page for free, and the MCP SDK's ASGI app mounts beside them; Gradio keeps its page and `search` endpoint.
"""

from __future__ import annotations

import contextlib

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from indexformat.version import __version__
from web import api
from web.mcp import mcp_server
from web.service import SearchService

MCP_PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def build_server(service: SearchService, blocks: gr.Blocks, host: str = "127.0.0.1", port: int = 7860,
                 theme: gr.themes.Base | None = None, css: str | None = None) -> FastAPI:
    """The app to serve: REST and MCP routes first, then the page at / (it answers everything else)."""
    mcp = mcp_server(service)
    # Stateless and JSON answers: each MCP request stands alone, so nothing is kept per agent between calls.
    # On loopback the SDK also checks Host/Origin headers against DNS rebinding.
    mcp_app = mcp.streamable_http_app(streamable_http_path=MCP_PATH, stateless_http=True, json_response=True,
                                      host=host if host in LOOPBACK else "0.0.0.0")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with mcp.session_manager.run():
            yield

    app = FastAPI(title="Glossary search", version=__version__, lifespan=lifespan,
                  description="Search a glossary, read a term, mark the terms in a text. The page is at /, "
                              f"the MCP server at {MCP_PATH}.")
    api.install(app, service)
    app.router.routes.extend(mcp_app.routes)

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    async def unknown(rest: str, request: Request) -> JSONResponse:
        return api.error(404, f"no API route {request.method} /api/{rest[:80]}; see /docs for the routes")

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception) -> JSONResponse:  # logged by uvicorn; one line for the client
        return api.error(500, "internal error; the server log has the details")

    return gr.mount_gradio_app(app, blocks, path="/", server_name=host, server_port=port, footer_links=["api"],
                               ssr_mode=False, theme=theme, css=css, mcp_server=False)


def run(app: FastAPI, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")
