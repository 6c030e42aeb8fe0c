"""`glossary-search-mcp`: the app's three MCP tools (web/mcp.py) over stdio, for a client that launches the server.

An MCP client (a desktop assistant, an editor, a coding agent) starts this command and speaks JSON-RPC over its
standard input and output. So standard output carries JSON-RPC and nothing else: until the SDK's transport
takes the stream over (it then points file 1 at standard error itself), file 1 is pointed at standard error
here, so nothing a library prints while the index opens or builds can reach the client. Logs go to stderr.

No web framework (Gradio, FastAPI) is imported: the server runs on an install without the web demo.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator

from indexformat.errors import GlossarySearchError
from indexformat.paths import INDEX_DIR_ENV
from indexformat.version import __version__
from search.engine import Engine
from search.first_use import open_or_build

PROG = "glossary-search-mcp"


class MissingSdkError(GlossarySearchError):
    """The `mcp` package (the [mcp] extra) is not installed."""


class LocalEngine:
    """The engine the tools read: opened once at start, following any rebuild (`Engine.refresh`) per call."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def engine(self) -> Engine:
        self._engine.refresh()
        return self._engine


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Serve the glossary's search tools to an MCP client over "
                                "stdio (search_glossary, define_term, define_terms_in).")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--index-dir", metavar="DIR", help=f"index folder (default: ${INDEX_DIR_ENV} or the user cache; "
                                                      "the default one is built on first use)")
    return p


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Point file 1 at standard error for the block, then back: stray prints cannot reach the client."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def serve(engine: Engine):
    """The MCP server for `engine`; the SDK is imported here, so its import-time output is diverted too."""
    try:
        from web.mcp import mcp_server
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] not in ("mcp", "mcp_types"):
            raise
        raise MissingSdkError("the MCP SDK is not installed; pip install 'glossary-search[mcp]'") from None
    return mcp_server(LocalEngine(engine))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # a bad option: argparse's one-line usage error on stderr, exit 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format=f"{PROG}: %(message)s")
    with stdout_to_stderr():
        try:
            engine = open_or_build(args.index_dir, PROG)
            for path in engine.stale():
                logging.warning("stale index: %s changed since the build; run rebuild-index", path)
            server = serve(engine)
        except GlossarySearchError as err:
            print(f"{PROG}: error: {err}", file=sys.stderr)  # noqa: T201
            return 1
    import anyio

    try:
        anyio.run(server.run_stdio_async)
    except KeyboardInterrupt:  # the client stopped the server
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
