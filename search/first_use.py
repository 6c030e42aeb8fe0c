"""A fresh user's first question: the default index, when missing, is built from the bundled glossary first.

Only the default index (no --index-dir, no $GLOSSARY_INDEX_DIR): an index someone named and that is not there
is a mistake to report, not something to build. The build runs as `rebuild-index` in a child process, so the
query side never imports the build (docs/architecture.md); its progress and summary go to standard error,
which keeps standard output for the answer (and, for the MCP server, for JSON-RPC alone).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from indexformat.errors import IndexNotFoundError
from indexformat.paths import INDEX_DIR_ENV, default_index_dir
from search.engine import Engine, open_index


def is_default(index_dir: str | Path | None) -> bool:
    """True when no index folder was named, by option or by $GLOSSARY_INDEX_DIR."""
    return index_dir is None and not os.environ.get(INDEX_DIR_ENV)


def open_or_build(index_dir: str | Path | None, prog: str) -> Engine:
    """The engine for `index_dir`; the default index is built first when it is missing."""
    try:
        return open_index(index_dir)
    except IndexNotFoundError:
        if not is_default(index_dir):
            raise
    build_default(prog)
    return open_index(None)


def build_default(prog: str) -> None:
    import subprocess  # only on first use: kept off every other question's start

    target = default_index_dir().resolve()
    print(f"{prog}: no index yet at {target}; building it from the bundled glossary (once, "  # noqa: T201
          "this takes a minute)", file=sys.stderr, flush=True)
    # -P: the current folder is not put on the child's path, so a folder named `index` there is never run.
    command = [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "index",
               "--index-dir", str(target)]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=_stderr_fd(), check=False)
    except OSError as err:
        raise IndexNotFoundError(f"no index at {target}, and rebuild-index could not start ({err})") from None
    if done.returncode != 0:
        raise IndexNotFoundError(f"no index at {target}, and building it failed (rebuild-index said why above); "
                                 "run rebuild-index")


def _stderr_fd() -> int:
    """The child's standard output: our standard error (its file, or the real one when stderr was replaced)."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return 2
