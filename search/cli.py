"""`glossary-search`: ask a question from the shell."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap

from index.errors import GlossarySearchError, QueryError
from index.paths import INDEX_DIR_ENV
from index.version import __version__
from search.engine import open_index
from search.query import truncation_note
from search.results import SearchResult


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="glossary-search", description="Find the glossary terms that answer a question.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("query", nargs="*", help="the question (read from standard input when left out)")
    p.add_argument("-k", default="5", metavar="N", help="how many terms to show (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--source", metavar="GLOSSARY", help="only terms from this glossary (the hits' 'source')")
    p.add_argument("--index-dir", metavar="DIR", help=f"index folder (default: ${INDEX_DIR_ENV} or the user cache)")
    return p


def read_question(words: list[str]) -> str:
    if words:
        return " ".join(words)
    data = sys.stdin.buffer.read() if not sys.stdin.isatty() else b""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("standard input is not UTF-8 text; convert it first, e.g. with iconv -t UTF-8") from None


def render(result: SearchResult) -> str:
    lines = []
    if result.no_match:
        lines.append("Nothing in the glossary answers this." + (" Nearest terms:" if result.hits else ""))
    for n, hit in enumerate(result.hits, 1):
        lines.append(f"{n}. {hit.term}  ({hit.score:.2f})")
        lines += textwrap.wrap(hit.definition, 96, initial_indent="   ", subsequent_indent="   ")
        if hit.why:
            lines.append(f"   why: {hit.why}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        question = read_question(args.query)
        engine = open_index(args.index_dir)
        for path in engine.stale():
            print(f"glossary-search: warning: stale index: {path} changed since the build; run rebuild-index",  # noqa: T201
                  file=sys.stderr)
        result = engine.search(question, args.k, source=args.source)
        if note := truncation_note(question):
            print(f"glossary-search: warning: {note}", file=sys.stderr)  # noqa: T201
    except GlossarySearchError as err:
        print(f"glossary-search: error: {err}", file=sys.stderr)  # noqa: T201
        return 2 if isinstance(err, QueryError) else 1
    try:
        print(json.dumps(result.to_json(), ensure_ascii=False) if args.json else render(result))  # noqa: T201
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing to report, and no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
