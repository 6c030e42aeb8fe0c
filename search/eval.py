"""`python -m search.eval FILE [--index-dir DIR] [--json]`: answer quality on a labelled question set.

Each line of FILE is {"id", "query", "relevant": [terms], "primary": term or null, "kind"}; an empty
`relevant` marks an off-topic question that should get "no match". Ranking metrics (hit@1, recall@5,
MRR@10, nDCG@10) are over the in-glossary questions and read the ranked hits whether or not the engine
said "no match"; refusals are counted apart (off-topic rejection, false rejection).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexformat.errors import GlossarySearchError, QueryError

DEPTH = 10  # hits asked for per question


@dataclass(frozen=True)
class Question:
    id: str
    query: str
    relevant: tuple[str, ...]
    primary: str | None
    kind: str

    @property
    def off_topic(self) -> bool:
        return not self.relevant


@dataclass(frozen=True)
class Outcome:
    question: Question
    terms: tuple[str, ...]  # ranked hits
    scores: tuple[float, ...]
    no_match: bool
    seconds: float


def read_questions(path: str | Path) -> list[Question]:
    path = Path(path)
    questions = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read the question set {path} ({err})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            relevant = tuple(row["relevant"])
            primary = row.get("primary") or (relevant[0] if relevant else None)
            questions.append(
                Question(str(row["id"]), row["query"], relevant, primary, row.get("kind", "other"))
            )
        except (ValueError, KeyError, TypeError) as err:
            raise QueryError(
                f"{path}:{n}: not a question line ({err}); expected id, query, relevant, kind"
            ) from None
    if not questions:
        raise QueryError(f"{path} holds no questions")
    return questions


def check_labels(questions: Iterable[Question], terms: set[str]) -> None:
    """Labels must be the glossary's exact heading text, or every score would quietly be wrong."""
    unknown = sorted({t for q in questions for t in q.relevant if t not in terms})
    if unknown:
        raise QueryError(f"labels not in the index: {', '.join(unknown[:5])}; use the exact heading text")


def resolve_labels(questions: list[Question], engine, unknown: set[str] | None = None) -> list[Question]:
    """Labels as the index names them: a label that is another name of an entry (a `See X` page that the
    reader turned into an alias, a term written with markup) becomes that entry's heading. With `unknown` (a
    set), labels the index does not have are left out and collected there instead of refused, and a question
    left with none is dropped."""
    terms = {e.term for e in engine.entries}

    def term_of(label: str) -> str:
        if label in terms:
            return label
        for form in (label, label.strip("`* ").strip()):
            entry = engine.lookup(form)
            if entry is not None:
                return entry.term
        return label

    resolved = []
    for q in questions:
        relevant = tuple(dict.fromkeys(term_of(t) for t in q.relevant))
        primary = term_of(q.primary) if q.primary else None
        if unknown is not None and q.relevant:
            unknown.update(t for t in relevant if t not in terms)
            relevant = tuple(t for t in relevant if t in terms)
            primary = primary if primary in terms else (relevant[0] if relevant else None)
            if not relevant:
                continue
        resolved.append(Question(q.id, q.query, relevant, primary, q.kind))
    check_labels(resolved, terms)
    return resolved


@dataclass(frozen=True)
class _DenseHit:
    term: str
    score: float


@dataclass(frozen=True)
class _DenseResult:
    hits: tuple[_DenseHit, ...]
    no_match: bool = False


class DenseBaseline:
    """Plain dense retrieval over the same index: one "term: definition" vector per entry, cosine, top k."""

    def __init__(self, engine):
        self._engine = engine
        self.entries = engine.entries
        self.lookup = engine.lookup

    def search(self, query: str, k: int = DEPTH) -> _DenseResult:
        loaded = self._engine.loaded
        vectors = loaded.ranker.features.entry_vectors
        scores = vectors @ loaded.encoder.encode([query])[0]
        top = np.argsort(-scores)[:k]
        return _DenseResult(tuple(_DenseHit(loaded.entries[i].term, round(float(scores[i]), 4)) for i in top))


def run(engine, questions: Iterable[Question], depth: int = DEPTH) -> list[Outcome]:
    outcomes = []
    for q in questions:
        started = time.perf_counter()
        result = engine.search(q.query, depth)
        seconds = time.perf_counter() - started
        outcomes.append(
            Outcome(
                q,
                tuple(h.term for h in result.hits),
                tuple(h.score for h in result.hits),
                result.no_match,
                seconds,
            )
        )
    return outcomes


def _rank(outcome: Outcome) -> int | None:
    """1-based rank of the first relevant hit."""
    return next((i for i, t in enumerate(outcome.terms, 1) if t in outcome.question.relevant), None)


def _ndcg(outcome: Outcome, depth: int = DEPTH) -> float:
    q = outcome.question
    gains = {t: (2.0 if t == q.primary else 1.0) for t in q.relevant}
    dcg = sum(gains.get(t, 0.0) / math.log2(i + 1) for i, t in enumerate(outcome.terms[:depth], 1))
    ideal = sorted(gains.values(), reverse=True)[:depth]
    return dcg / sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))


def metrics(outcomes: list[Outcome]) -> dict:
    """Ranking metrics over in-glossary questions, refusal rates over both kinds."""
    inside = [o for o in outcomes if not o.question.off_topic]
    outside = [o for o in outcomes if o.question.off_topic]
    ranks = [_rank(o) for o in inside]
    found: dict = {"questions": len(outcomes), "in_glossary": len(inside), "off_topic": len(outside)}
    if inside:
        n = len(inside)
        found.update(
            {
                "hit@1": sum(r == 1 for r in ranks) / n,
                "recall@5": sum(r is not None and r <= 5 for r in ranks) / n,  # a correct term in the top 5
                "hit@10": sum(r is not None and r <= DEPTH for r in ranks) / n,
                "all@5": statistics.fmean(  # share of all relevant terms in the top 5
                    len(set(o.terms[:5]) & set(o.question.relevant)) / len(o.question.relevant)
                    for o in inside
                ),
                "mrr@10": sum(1 / r for r in ranks if r is not None and r <= DEPTH) / n,
                "ndcg@10": statistics.fmean(_ndcg(o) for o in inside),
                "false_rejection": sum(o.no_match for o in inside) / n,
            }
        )
    if outside:
        found["offtopic_rejection"] = sum(o.no_match for o in outside) / len(outside)
    times = sorted(o.seconds for o in outcomes)
    found["latency_ms_p50"] = 1000 * times[len(times) // 2]
    found["latency_ms_p99"] = 1000 * times[min(len(times) - 1, int(0.99 * len(times)))]
    return found


def misses(outcomes: list[Outcome]) -> list[dict]:
    """Wrong answers: a wrong first term, a refused in-glossary question, an accepted off-topic one."""
    found = []
    for o in outcomes:
        q = o.question
        problems = []
        if q.off_topic and not o.no_match:
            problems.append("accepted")
        if not q.off_topic:
            rank = _rank(o)
            if rank != 1:
                problems.append(f"rank {rank}" if rank else "not found")
            if o.no_match:
                problems.append("refused")
        if problems:
            found.append(
                {
                    "id": q.id,
                    "kind": q.kind,
                    "query": q.query,
                    "problem": ", ".join(problems),
                    "expected": list(q.relevant),
                    "got": list(o.terms[:3]),
                    "scores": [round(s, 3) for s in o.scores[:3]],
                }
            )
    return found


def report(outcomes: list[Outcome]) -> dict:
    kinds = sorted({o.question.kind for o in outcomes})
    return {
        "overall": metrics(outcomes),
        "per_kind": {k: metrics([o for o in outcomes if o.question.kind == k]) for k in kinds},
        "misses": misses(outcomes),
    }


def render(data: dict) -> str:
    columns = ["hit@1", "recall@5", "mrr@10", "ndcg@10", "false_rejection", "offtopic_rejection"]
    heads = ["hit@1", "rec@5", "mrr@10", "ndcg@10", "false_rej", "offtopic_rej"]

    def row(name: str, m: dict) -> str:
        pairs = zip(columns, heads, strict=True)
        cells = [f"{m[c]:>{len(h)}.3f}" if c in m else "-".rjust(len(h)) for c, h in pairs]
        return f"{name:<14}{m['questions']:>5}  " + "  ".join(cells)

    lines = [f"{'kind':<14}{'n':>5}  " + "  ".join(heads)]
    lines += [row(kind, m) for kind, m in data["per_kind"].items()]
    lines.append(row("ALL", data["overall"]))
    o = data["overall"]
    lines.append(f"latency: p50 {o['latency_ms_p50']:.1f} ms, p99 {o['latency_ms_p99']:.1f} ms per question")
    if data["misses"]:
        lines.append(f"\nmisses ({len(data['misses'])}):")
        for m in data["misses"]:
            got = ", ".join(f"{t} ({s})" for t, s in zip(m["got"], m["scores"], strict=True))
            lines.append(f"  {m['id']} [{m['kind']}] {m['problem']}: {m['query'][:80]!r}")
            lines.append(f"      expected {m['expected']}; got {got}")
    return "\n".join(lines)


def evaluate(path: str | Path, engine, unknown: set[str] | None = None) -> dict:
    questions = resolve_labels(read_questions(path), engine, unknown)
    engine.search("warm up", 1)  # the first call loads the model; keep it out of the latency figures
    return report(run(engine, questions))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m search.eval", description="Measure answer quality on a question set."
    )
    p.add_argument("file", help="JSON lines: id, query, relevant (terms; empty = off-topic), primary, kind")
    p.add_argument(
        "--index-dir", metavar="DIR", help="index folder (default: $GLOSSARY_INDEX_DIR or the user cache)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--dense", action="store_true",
                   help="measure plain dense retrieval over the same index instead (one vector per entry)")
    return p


def main(argv: list[str] | None = None) -> int:
    from search.engine import open_index

    args = parser().parse_args(argv)
    try:
        engine = open_index(args.index_dir)
        data = evaluate(args.file, DenseBaseline(engine) if args.dense else engine)
    except GlossarySearchError as err:
        print(f"search.eval: error: {err}", file=sys.stderr)  # noqa: T201
        return 2 if isinstance(err, QueryError) else 1
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else render(data))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
