"""`rebuild-index`: parse the glossary and write the index."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from index.build import build_index
from index.onnx_export import QUANTIZE
from index.paths import default_glossary
from index.sources import FORMATS
from indexformat.encoder import quiet_model_libraries
from indexformat.errors import GlossarySearchError
from indexformat.paths import INDEX_DIR_ENV, default_index_dir
from indexformat.version import __version__


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rebuild-index", description="Build the search index for a glossary.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--glossary", action="append", metavar="PATH",
                   help="glossary file or folder, or a bundled name such as 'astronomy' "
                   f"(repeat for several; default: {default_glossary().name})")
    p.add_argument("--format", choices=FORMATS,
                   help="read every glossary as this format (default: from the extension)")
    p.add_argument("--index-dir", metavar="DIR", help=f"where to write the index (default: ${INDEX_DIR_ENV} or "
                   f"{default_index_dir()})")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="sentence-transformers model (default: all-MiniLM-L6-v2)")
    p.add_argument("--quantize", choices=QUANTIZE,
                   help="embed and answer with an int8 copy of the model (smaller, faster; off by default)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    p.add_argument("--strict", action="store_true",
                   help="fail on any warning of the read (empty or duplicate entries, undefined references)")
    p.add_argument("--json", action="store_true",
                   help="print the build report (what was read from each glossary, counts, warnings) as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, format="%(message)s")
    quiet_model_libraries()  # before anything imports transformers: no library progress bars or chatter
    try:
        report = build_index(args.glossary, args.index_dir, model=args.model, progress=show_progress(args.quiet),
                             format=args.format, force=args.force, quantize=args.quantize, strict=args.strict)
    except GlossarySearchError as err:
        for line in str(err).splitlines() or [""]:  # --strict: one line per warning
            print(f"rebuild-index: error: {line}", file=sys.stderr)  # noqa: T201
        return 1
    except KeyboardInterrupt:
        print("rebuild-index: interrupted; the previous index is unchanged", file=sys.stderr)  # noqa: T201
        return 130
    if args.json:  # asked for: printed even with -q
        print(json.dumps(report.to_json(), ensure_ascii=False))  # noqa: T201
    elif not args.quiet:
        for _, read in report.reads:  # what each glossary's reader left out, and why
            for line in read.skipped:
                print(f"skipped: {line}", file=sys.stderr)  # noqa: T201
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)  # noqa: T201
        print(report.summary())  # noqa: T201
    return 0


def show_progress(quiet: bool) -> bool:
    """A progress bar only for a person watching: not with -q, not into a pipe or file, not under CI."""
    return not quiet and sys.stderr.isatty() and os.environ.get("CI", "").lower() != "true"
