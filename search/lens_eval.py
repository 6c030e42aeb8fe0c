"""`python -m search.lens_eval FILE... [--index-dir DIR] [--json]`: precision and recall of the lens's spans.

Each line of FILE is {"id", "glossary", "marked"}: a paragraph in which a person marked every glossary term as
`[[words as written|Term heading]]`. The lens reads the unmarked text (only that glossary's terms) and its spans
are compared with the marked ones: exact (same characters, same term) and overlapping (some character in
common, same term).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from indexformat.errors import GlossarySearchError

_MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    term: str


def unmark(marked: str) -> tuple[str, list[Gold]]:
    """The plain paragraph and its hand-marked spans."""
    text, gold, at = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[at:m.start()]
        text.append(before)
        length += len(before)
        gold.append(Gold(length, length + len(m.group(1)), m.group(2)))
        text.append(m.group(1))
        length += len(m.group(1))
        at = m.end()
    text.append(marked[at:])
    return "".join(text), gold


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def evaluate(rows: Iterable[dict], lens) -> dict:
    found = marked = exact = overlap_found = overlap_marked = 0
    misses, extras = [], []
    for row in rows:
        text, gold = unmark(row["marked"])
        spans = lens.find(text, source=row.get("glossary"))
        found += len(spans)
        marked += len(gold)
        pairs = {(g.start, g.end, g.term) for g in gold}
        exact += sum((s.start, s.end, s.term) in pairs for s in spans)
        overlap_found += sum(any(s.term == g.term and s.start < g.end and g.start < s.end for g in gold)
                             for s in spans)
        hit = [any(s.term == g.term and s.start < g.end and g.start < s.end for s in spans) for g in gold]
        overlap_marked += sum(hit)
        misses += [f"{row['id']}: {text[g.start:g.end]!r} ({g.term})" for g, ok in zip(gold, hit, strict=True)
                   if not ok]
        extras += [f"{row['id']}: {s.text!r} -> {s.term} ({s.how})" for s in spans
                   if (s.start, s.end, s.term) not in pairs]
    return {
        "paragraphs": None, "marked": marked, "found": found,
        "precision": _ratio(exact, found), "recall": _ratio(exact, marked),
        "overlap_precision": _ratio(overlap_found, found), "overlap_recall": _ratio(overlap_marked, marked),
        "missed": misses, "extra": extras,
    }


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m search.lens_eval", description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", type=Path, help="JSONL files of marked paragraphs (data/eval/lens/)")
    p.add_argument("--index-dir", help="index holding the files' glossaries (default: $GLOSSARY_INDEX_DIR)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    from search.engine import open_index

    try:
        lens = open_index(args.index_dir).lens
    except GlossarySearchError as err:
        print(f"lens_eval: error: {err}", file=sys.stderr)  # noqa: T201
        return 1
    report = {}
    for path in [*args.files, None]:
        rows = [r for f in args.files for r in read_rows(f)] if path is None else read_rows(path)
        result = evaluate(rows, lens)
        result["paragraphs"] = len(rows)
        report["all" if path is None else path.stem] = result
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))  # noqa: T201
        return 0
    for name, r in report.items():
        print(f"{name:<22} paragraphs {r['paragraphs']:>3}  marked {r['marked']:>4}  found {r['found']:>4}  "  # noqa: T201
              f"precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
              f"(overlap: {r['overlap_precision']:.3f} / {r['overlap_recall']:.3f})")
    for r in list(report.values())[:-1]:
        for line in r["missed"]:
            print(f"  missed {line}")  # noqa: T201
        for line in r["extra"]:
            print(f"  extra  {line}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
