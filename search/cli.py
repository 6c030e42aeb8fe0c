"""`glossary-search`: ask a question from the shell, or mark the glossary terms in a text (--lens)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from indexformat.errors import GlossarySearchError, QueryError
from indexformat.paths import INDEX_DIR_ENV, default_index_dir
from indexformat.version import __version__
from search import preload

if TYPE_CHECKING:  # the engine, the ranking and numpy are imported once the encoder has started loading (main)
    from search.engine import Engine
    from search.lens import LensResult
    from search.results import SearchResult
    from search.terminal import Terminal

STDIN = "-"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="glossary-search", description="Find the glossary terms that answer a question.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("query", nargs="*", help="the question; '-' or nothing: read it from standard input "
                                            "(with --format jsonl, one question a line)")
    p.add_argument("-k", default="5", metavar="N", help="how many terms to show (default 5)")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default=None,
                   help="text (default), one JSON object, or JSON lines (one answer a line; --lens: one span a line)")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--lens", metavar="FILE", help="mark every glossary term in FILE ('-': standard input) instead")
    p.add_argument("--source", metavar="GLOSSARY", help="only terms from this glossary (the hits' 'source')")
    p.add_argument("--index-dir", metavar="DIR", help=f"index folder (default: ${INDEX_DIR_ENV} or the user cache)")
    return p


def read_stdin() -> str:
    data = sys.stdin.buffer.read() if not sys.stdin.isatty() else b""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("standard input is not UTF-8 text; convert it first, e.g. with iconv -t UTF-8") from None


def read_question(words: list[str]) -> str:
    if words and words != [STDIN]:
        return " ".join(words)
    return read_stdin()


def read_text(path: str) -> str:
    if path == STDIN:
        return read_stdin()
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        raise QueryError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"{path} is not UTF-8 text; convert it first, e.g. with iconv -t UTF-8") from None


def render(result: SearchResult, term: Terminal) -> str:
    """The answer for a person: definitions as text (bold on a terminal), a short why, the confidence in words."""
    from search.terminal import short_why

    lines = []
    if result.no_match:
        lines.append("Nothing in the glossary answers this." + (" Nearest terms:" if result.hits else ""))
    for n, hit in enumerate(result.hits, 1):
        lines.append(f"{n}. {term.style(hit.term, 'bold')}  ({hit.score:.2f}, {hit.band} match)")
        lines += term.lines(hit.definition, indent="   ")
        why = short_why(hit.explanation, term.plain(hit.definition))
        if why:
            lines.append(f"   why: {why}")
    return "\n".join(lines)


def render_lens(result: LensResult, term: Terminal) -> str:
    if not result.spans:
        return "No glossary terms in this text."
    return "\n".join(f"{s.start}-{s.end}  {s.text!r} -> {term.style(s.term, 'bold')}  ({s.how}, {s.confidence:.2f}): "
                     f"{term.plain(s.definition)}" for s in result.spans)


def warn(message: str) -> None:
    print(f"glossary-search: warning: {message}", file=sys.stderr)  # noqa: T201


def questions_of(args, fmt: str) -> list[str]:
    """The question, or with jsonl from standard input, one question a line."""
    if fmt == "jsonl" and args.query in ([], [STDIN]):
        questions = [line for line in read_stdin().splitlines() if line.strip()]
        if not questions:
            raise QueryError("standard input holds no question; give one question a line")
        return questions
    return [read_question(args.query)]


def answers(args, engine: Engine, fmt: str, questions: list[str]) -> list[str]:
    """The lines to print for the questions."""
    from search.terminal import Terminal, styles_for

    term = Terminal(styles_for(sys.stdout))
    out = []
    for question in questions:
        result = engine.search(question, args.k, source=args.source)
        if result.note:  # the library's note, the same one the JSON and the web API carry
            warn(result.note)
        out.append(render(result, term) if fmt == "text" else json.dumps(result.to_json(), ensure_ascii=False))
    return out


def lens_lines(args, engine: Engine, fmt: str) -> list[str]:
    from search.terminal import Terminal, styles_for

    result = engine.lens.read(read_text(args.lens), args.source)
    if result.truncated:
        warn("the text is long; only its first part was read")
    if fmt == "json":
        return [json.dumps(result.to_json(), ensure_ascii=False)]
    if fmt == "jsonl":
        return [json.dumps(s.to_json(), ensure_ascii=False) for s in result.spans]
    return [render_lens(result, Terminal(styles_for(sys.stdout)))]


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.json and args.format not in (None, "json"):
        p.error(f"--json and --format {args.format} disagree; give one of them")
    fmt = "json" if args.json else (args.format or "text")
    if args.lens is not None and args.query:
        p.error("--lens reads its text from FILE; give no question with it")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        questions = questions_of(args, fmt) if args.lens is None else []  # a bad stdin before the index opens
        # The ONNX session builds in a thread (C++, no GIL) while the engine, the ranking and numpy import.
        preload.start(Path(args.index_dir) if args.index_dir is not None else default_index_dir())
        from search.first_use import open_or_build

        engine = open_or_build(args.index_dir, "glossary-search")  # the default index: built on first use
        for path in engine.stale():
            warn(f"stale index: {path} changed since the build; run rebuild-index")
        lines = lens_lines(args, engine, fmt) if args.lens is not None else answers(args, engine, fmt, questions)
    except GlossarySearchError as err:
        print(f"glossary-search: error: {err}", file=sys.stderr)  # noqa: T201
        return 2 if isinstance(err, QueryError) else 1
    try:
        print("\n".join(lines))  # noqa: T201
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing to report, and no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def run() -> None:
    """The `glossary-search` command: `main`, then an exit that skips tearing the interpreter down. Freeing the
    ONNX session, the arrays and every module costs ~0.04 s of a cold answer, and by then everything is
    written: the output is flushed here, and a first-use build was published before the search began."""
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed: nothing to keep
            pass
    os._exit(code)
