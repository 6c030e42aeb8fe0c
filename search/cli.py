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
from search import preload, resident
from search.tty import styles_for

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
    p.add_argument("--serve", action="store_true",
                   help="stay running with the index loaded: later glossary-search calls for the same index are "
                        "answered by this process, without loading anything (Ctrl-C stops it)")
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
    print(warning_line(message), file=sys.stderr)  # noqa: T201


def warning_line(message: str) -> str:
    return f"glossary-search: warning: {message}"


def questions_of(args, fmt: str) -> list[str]:
    """The question, or with jsonl from standard input, one question a line."""
    if fmt == "jsonl" and args.query in ([], [STDIN]):
        questions = [line for line in read_stdin().splitlines() if line.strip()]
        if not questions:
            raise QueryError("standard input holds no question; give one question a line")
        return questions
    return [read_question(args.query)]


def answers(engine: Engine, questions: list[str], k, source: str | None, fmt: str, styled: bool
            ) -> tuple[list[str], list[str]]:
    """The lines to print for the questions, and the library's notes on them to print as warnings."""
    from search.terminal import Terminal

    term = Terminal(styled)
    out, notes = [], []
    for question in questions:
        result = engine.search(question, k, source=source)
        if result.note:  # the library's note, the same one the JSON and the web API carry
            notes.append(result.note)
        out.append(render(result, term) if fmt == "text" else json.dumps(result.to_json(), ensure_ascii=False))
    return out, notes


def stale_notes(engine: Engine) -> list[str]:
    return [f"stale index: {path} changed since the build; run rebuild-index" for path in engine.stale()]


def lens_lines(args, engine: Engine, fmt: str) -> list[str]:
    from search.terminal import Terminal

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
    if args.serve and (args.query or args.lens is not None):
        p.error("--serve answers later calls; give it no question and no --lens")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    index_dir = Path(args.index_dir) if args.index_dir is not None else default_index_dir()
    try:
        if args.serve:
            return serve(args.index_dir, index_dir)
        questions = questions_of(args, fmt) if args.lens is None else []  # a bad stdin before the index opens
        styled = styles_for(sys.stdout)
        if args.lens is None and (reply := resident.ask(index_dir, {
                "questions": questions, "k": args.k, "source": args.source, "format": fmt,
                "styled": styled})) is not None:
            for line in reply.get("stderr", []):
                print(line, file=sys.stderr)  # noqa: T201
            return _print(str(reply.get("stdout", ""))) if reply["code"] == 0 else reply["code"]
        # The ONNX session builds in a thread (C++, no GIL) while the engine, the ranking and numpy import.
        preload.start(index_dir)
        from search.first_use import open_or_build

        engine = open_or_build(args.index_dir, "glossary-search")  # the default index: built on first use
        for note in stale_notes(engine):
            warn(note)
        if args.lens is not None:
            lines = lens_lines(args, engine, fmt)
        else:
            lines, notes = answers(engine, questions, args.k, args.source, fmt, styled)
            for note in notes:
                warn(note)
    except GlossarySearchError as err:
        print(error_line(err), file=sys.stderr)  # noqa: T201
        return exit_code(err)
    return _print("\n".join(lines))


def error_line(err: GlossarySearchError) -> str:
    return f"glossary-search: error: {err}"


def exit_code(err: GlossarySearchError) -> int:
    return 2 if isinstance(err, QueryError) else 1


def _print(text: str) -> int:
    try:
        print(text)  # noqa: T201
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing to report, and no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def serve(named: str | None, index_dir: Path) -> int:
    """`--serve`: load the index once, then answer the calls that reach this process (search/resident.py)."""
    import signal
    import threading

    from search.first_use import open_or_build

    engine = open_or_build(named, "glossary-search")
    try:
        server = resident.listen(index_dir)
    except OSError as err:
        raise GlossarySearchError(f"cannot serve: {err}") from None
    path = resident.socket_path(index_dir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill`: remove the socket on the way out
    print(f"glossary-search: serving {index_dir.resolve()} to later glossary-search calls (Ctrl-C stops)",  # noqa: T201
          file=sys.stderr, flush=True)
    try:
        while True:
            conn, _ = server.accept()
            threading.Thread(target=_answer_one, args=(engine, conn), daemon=True).start()
    except KeyboardInterrupt:
        return 0
    finally:
        server.close()
        path.unlink(missing_ok=True)


def _answer_one(engine: Engine, conn) -> None:
    """One call: its request, the same answer the call would print itself, the connection closed."""
    with conn:
        conn.settimeout(resident.ASK_TIMEOUT_S)  # a caller that connects and says nothing does not hold a thread
        try:
            request = resident.read_request(conn)
            if request.get("ping"):
                reply = {"code": 0, "stdout": ""}
            else:
                reply = _reply(engine, request)
                print(f"glossary-search: answered {len(request['questions'])} question(s), "  # noqa: T201
                      f"exit {reply['code']}", file=sys.stderr, flush=True)  # one line a call: an access log
        except (ValueError, KeyError, TypeError, OSError):
            return  # not a request of ours: the caller, given no reply, answers in its own process
        try:
            conn.sendall(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # the caller went away


def _reply(engine: Engine, request: dict) -> dict:
    """What a call would print itself, for `request` ({"questions", "k", "source", "format", "styled"})."""
    questions = request["questions"]
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise TypeError("the request holds no list of questions")
    engine.refresh()  # a rebuild since the last call is answered from, as a fresh call would
    stale = [warning_line(n) for n in stale_notes(engine)]  # first, as a call prints them
    try:
        lines, notes = answers(engine, questions, request.get("k", "5"), request.get("source"),
                               request.get("format", "text"), bool(request.get("styled")))
    except GlossarySearchError as err:
        return {"code": exit_code(err), "stderr": [*stale, error_line(err)]}
    return {"code": 0, "stdout": "\n".join(lines), "stderr": [*stale, *(warning_line(n) for n in notes)]}


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
