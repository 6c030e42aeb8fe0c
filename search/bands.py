"""`python -m search.bands FILE [--index-dir DIR] [--json]`: do the confidence bands say the truth on a question set?

"strong" should mean "answers the question". Over the hits a person sees (the first SHOWN), this counts how often
a strong hit is not a relevant term (strong wrong), how often a question's right answer is banded strong, and
how often each band holds a relevant term. Questions and labels are read as `python -m search.eval` reads them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from indexformat.errors import GlossarySearchError, QueryError
from search.eval import Outcome, read_questions, resolve_labels, run
from search.results import CONFIDENCE_BANDS, band_of

SHOWN = 5  # hits a person sees: the CLI's and the page's default


def band_metrics(outcomes: list[Outcome], band: Callable[[float, int], str] = band_of) -> dict:
    strong = wrong = 0
    inside = answered = right_first = right_first_strong = offtopic_strong = 0
    per_band: dict[str, list[int]] = {name: [0, 0] for _, name in CONFIDENCE_BANDS}  # [relevant, all]
    for o in outcomes:
        relevant = set(o.question.relevant)
        bands = [band(score, rank) for rank, score in enumerate(o.scores[:SHOWN], 1)]
        for term, name in zip(o.terms, bands, strict=False):
            per_band[name][0] += term in relevant
            per_band[name][1] += 1
            if name == "strong":
                strong += 1
                wrong += term not in relevant
        if o.question.off_topic:
            offtopic_strong += "strong" in bands
            continue
        inside += 1
        answered += any(n == "strong" and t in relevant for t, n in zip(o.terms, bands, strict=False))
        if o.terms and o.terms[0] in relevant:
            right_first += 1
            right_first_strong += bands[0] == "strong"
    off_topic = len(outcomes) - inside
    return {
        "questions": len(outcomes),
        "strong_hits": strong,
        "strong_wrong": wrong / strong if strong else 0.0,
        "answer_strong": answered / inside if inside else 0.0,
        "right_first_strong": right_first_strong / right_first if right_first else 0.0,
        "offtopic_strong": offtopic_strong / off_topic if off_topic else 0.0,
        "band_precision": {name: (rel / n if n else None, n) for name, (rel, n) in per_band.items()},
    }


def render(m: dict) -> str:
    precision = ", ".join(f"{name} {p:.2f} ({n})" for name, (p, n) in m["band_precision"].items() if p is not None)
    return (f"questions {m['questions']}, strong hits {m['strong_hits']}\n"
            f"strong but wrong {m['strong_wrong']:.3f}; right answer banded strong {m['answer_strong']:.3f} "
            f"(when first: {m['right_first_strong']:.3f}); off-topic with a strong hit {m['offtopic_strong']:.3f}\n"
            f"relevant share per band: {precision}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m search.bands", description="Check the confidence bands on a "
                                "question set.")
    p.add_argument("file", help="JSON lines: id, query, relevant (terms; empty = off-topic), primary, kind")
    p.add_argument("--index-dir", metavar="DIR", help="index folder (default: $GLOSSARY_INDEX_DIR or the user cache)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: list[str] | None = None) -> int:
    from search.engine import open_index

    args = parser().parse_args(argv)
    try:
        engine = open_index(args.index_dir)
        data = band_metrics(run(engine, resolve_labels(read_questions(args.file), engine), SHOWN))
    except GlossarySearchError as err:
        print(f"search.bands: error: {err}", file=sys.stderr)  # noqa: T201
        return 2 if isinstance(err, QueryError) else 1
    print(json.dumps(data) if args.json else render(data))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
