"""`python -m search.evalall [--build] [--save NAME] [--against NAME]`: every eval set in one table.

Each set is a question file over one glossary, built once into `--root` (default /tmp/gs-eval) and reused. The
table has plain dense beside the ranking, and a saved earlier run ("before") beside the current one; a second
table pools the in-glossary questions per kind. `--build` builds the indexes that are missing; `--force`
rebuilds them all (needed after a change to the build-time fit). Glossaries outside the repository are read
from ../shared (never copied here); a set whose glossary or questions are absent is skipped.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared") if Path("/work/shared").is_dir() else REPO.parent / "shared"
REAL = SHARED / "real-glossaries"
ISO = SHARED / "benchmarks" / "isotc211"
EVAL = REPO / "data" / "eval"


@dataclass(frozen=True)
class EvalSet:
    name: str
    questions: Path
    glossary: Path
    index: str  # the index folder's name (two sets may share one index)


SETS = (
    EvalSet("deep_learning", EVAL / "deep_learning.jsonl", REPO / "data" / "deep_learning_glossary.md",
            "deep_learning"),
    EvalSet("astronomy", EVAL / "astronomy.jsonl", REPO / "data" / "astronomy_glossary.md", "astronomy"),
    EvalSet("python", EVAL / "python.jsonl", REAL / "python" / "glossary.rst", "python"),
    EvalSet("kubernetes", EVAL / "kubernetes.jsonl", REAL / "kubernetes", "kubernetes"),
    EvalSet("ogc", EVAL / "ogc.jsonl", REPO / "data" / "glossaries" / "ogc" / "ogc_glossary.ttl", "ogc"),
    EvalSet("glosario", EVAL / "glosario.jsonl", REPO / "data" / "glossaries" / "glosario" / "glossary.yml",
            "glosario"),
    EvalSet("numpy", EVAL / "numpy.jsonl", REAL / "numpy" / "glossary.rst", "numpy"),
    EvalSet("git", EVAL / "git.jsonl", REAL / "git" / "glossary-content.adoc", "git"),
    EvalSet("postgres", EVAL / "postgres.jsonl", REAL / "postgres" / "glossary.sgml", "postgres"),
    EvalSet("mdn", EVAL / "mdn.jsonl", REAL / "mdn", "mdn"),
    EvalSet("forrt", EVAL / "forrt.jsonl", REAL / "forrt", "forrt"),
    # A book's glossary (energy and climate), kept out of the repository by its licence: data/eval/external/energy.
    EvalSet("energy", EVAL / "energy.jsonl", EVAL / "external" / "energy" / "06_Glossary.md", "energy"),
    # Plurals and describing questions that say another entry's plural (written for issue 19's third round).
    EvalSet("deep_learning_plural", EVAL / "plural" / "deep_learning.jsonl",
            REPO / "data" / "deep_learning_glossary.md", "deep_learning"),
    EvalSet("python_plural", EVAL / "plural" / "python.jsonl", REAL / "python" / "glossary.rst", "python"),
    EvalSet("git_plural", EVAL / "plural" / "git.jsonl", REAL / "git" / "glossary-content.adoc", "git"),
    EvalSet("kubernetes_plural", EVAL / "plural" / "kubernetes.jsonl", REAL / "kubernetes", "kubernetes"),
    # How-to questions only, phrased as a user would even when that says a word of the answer's name (written for
    # issue 19's fourth round, to check how-to rules on questions they were not tuned on).
    EvalSet("python_howto", EVAL / "howto" / "python.jsonl", REAL / "python" / "glossary.rst", "python"),
    EvalSet("git_howto", EVAL / "howto" / "git.jsonl", REAL / "git" / "glossary-content.adoc", "git"),
    EvalSet("kubernetes_howto", EVAL / "howto" / "kubernetes.jsonl", REAL / "kubernetes", "kubernetes"),
    EvalSet("postgres_howto", EVAL / "howto" / "postgres.jsonl", REAL / "postgres" / "glossary.sgml", "postgres"),
    EvalSet("mdn_howto", EVAL / "howto" / "mdn.jsonl", REAL / "mdn", "mdn"),
    EvalSet("forrt_howto", EVAL / "howto" / "forrt.jsonl", REAL / "forrt", "forrt"),
    EvalSet("numpy_howto", EVAL / "howto" / "numpy.jsonl", REAL / "numpy" / "glossary.rst", "numpy"),
    EvalSet("iso_human", ISO / "human_std.jsonl", ISO / "isotc211.jsonl", "iso"),
    EvalSet("iso_auto", ISO / "auto_std.jsonl", ISO / "isotc211.jsonl", "iso"),
)


def build(s: EvalSet, root: Path, force: bool, quantize: str | None = None) -> None:
    folder = root / s.index
    if (folder / "CURRENT").exists() and not force:
        return
    cmd = [sys.executable, "-m", "index", "--glossary", str(s.glossary), "--index-dir", str(folder), "--force",
           *(["--quantize", quantize] if quantize else [])]
    print(f"building {s.index} ...", file=sys.stderr, flush=True)  # noqa: T201
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def ablated(config, ablation: str | None):
    """The fitted config with one stage switched off: `one-vector` (every question fused by the naming
    weights, no understanding), `describing-only` (every question fused by the describing weights)."""
    from dataclasses import replace

    if ablation == "one-vector":
        return replace(config, describing=config.weights)
    if ablation == "describing-only":
        return replace(config, weights=config.describing)
    if ablation is not None:
        raise SystemExit(f"unknown ablation {ablation!r}")
    return config


def measure(s: EvalSet, root: Path, ablation: str | None = None) -> dict:
    from search.engine import open_index
    from search.eval import DenseBaseline, evaluate

    engine = open_index(root / s.index)
    ranker = engine.loaded.ranker
    ranker.config = ablated(ranker.config, ablation)
    unknown: set[str] = set()
    now = evaluate(s.questions, engine, unknown)
    dense = evaluate(s.questions, DenseBaseline(engine), set())
    if unknown:  # a label the glossary names otherwise: reported, never edited here
        print(f"{s.name}: labels not in the index, left out: {sorted(unknown)}", file=sys.stderr)  # noqa: T201
    return {"now": now, "dense": dense, "unknown_labels": sorted(unknown)}


def _cell(m: dict, key: str) -> str:
    return f"{m[key]:.3f}" if key in m else "  -  "


def table(results: dict, before: dict) -> str:
    heads = ("set", "n", "dense h@1", "before h@1", "now h@1", "now r@5", "now h@10", "dense h@10",
             "false ref", "before fr", "offtopic rej", "before ot", "p50 ms")
    lines = [" | ".join(heads), " | ".join("---" for _ in heads)]
    for name, r in results.items():
        now, dense = r["now"]["overall"], r["dense"]["overall"]
        old = before.get(name, {}).get("now", {}).get("overall", {})
        lines.append(" | ".join([
            name, str(now["questions"]), _cell(dense, "hit@1"), _cell(old, "hit@1"), _cell(now, "hit@1"),
            _cell(now, "recall@5"), _cell(now, "hit@10"), _cell(dense, "hit@10"), _cell(now, "false_rejection"),
            _cell(old, "false_rejection"), _cell(now, "offtopic_rejection"), _cell(old, "offtopic_rejection"),
            f"{now['latency_ms_p50']:.1f}",
        ]))
    return "\n".join(lines)


def pooled(results: dict, before: dict, skip: tuple[str, ...] = ("iso_auto", "iso_human")) -> str:
    """hit@1 per kind over every set's in-glossary questions (ISO apart: its kinds are one "human"/"auto")."""
    sums: dict[str, dict[str, list[float]]] = {}
    for name, r in results.items():
        if name in skip:
            continue
        for side, data in (("dense", r["dense"]), ("now", r["now"]), ("before", before.get(name, {}).get("now"))):
            if not data:
                continue
            for kind, m in data["per_kind"].items():
                cell = sums.setdefault(kind, {}).setdefault(side, [0.0, 0.0, 0.0, 0.0])
                if "hit@1" in m:
                    cell[0] += m["hit@1"] * m["in_glossary"]
                    cell[1] += m["in_glossary"]
                if "offtopic_rejection" in m:
                    cell[2] += m["offtopic_rejection"] * m["off_topic"]
                    cell[3] += m["off_topic"]
    lines = ["kind | n | dense h@1 | before h@1 | now h@1 | before ot rej | now ot rej", "---|---|---|---|---|---|---"]
    for kind, sides in sorted(sums.items()):

        def rate(side: str, i: int, sides: dict = sides) -> str:
            c = sides.get(side)
            return f"{c[i] / c[i + 1]:.3f}" if c and c[i + 1] else "-"

        n = int(sides["now"][1] or sides["now"][3])
        lines.append(" | ".join([kind, str(n), rate("dense", 0), rate("before", 0), rate("now", 0),
                                 rate("before", 2), rate("now", 2)]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m search.evalall", description=__doc__.splitlines()[0])
    p.add_argument("--root", default="/tmp/gs-eval", help="where the eval indexes live")
    p.add_argument("--build", action="store_true", help="build the indexes that are missing")
    p.add_argument("--force", action="store_true", help="rebuild every index")
    p.add_argument("--only", action="append", help="measure only these sets")
    p.add_argument("--quantize", choices=("int8",), help="build with `rebuild-index --quantize` (a separate --root)")
    p.add_argument("--save", metavar="NAME", help="save the results as ROOT/NAME.json")
    p.add_argument("--against", metavar="PATH", default="before",
                   help="the saved run to compare with (a name in ROOT or a path)")
    p.add_argument("--ablate", choices=("one-vector", "describing-only"), help="switch one stage off")
    p.add_argument("--show", metavar="PATH", help="print the tables of a saved run instead of measuring")
    args = p.parse_args(argv)
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in SETS if (not args.only or s.name in args.only)]
    chosen = [s for s in chosen if s.questions.exists() and s.glossary.exists()]
    results = {}
    if args.show:
        results = json.loads(Path(args.show).read_text())
        chosen = []
    for s in chosen:
        if args.build or args.force:
            build(s, root, args.force and s.index not in {c.index for c in chosen[: chosen.index(s)]},
                  args.quantize)
        if not (root / s.index / "CURRENT").exists():
            print(f"skipping {s.name}: no index in {root / s.index} (use --build)", file=sys.stderr)  # noqa: T201
            continue
        results[s.name] = measure(s, root, args.ablate)
        print(f"{s.name}: hit@1 {results[s.name]['now']['overall'].get('hit@1', 0):.3f}", file=sys.stderr,  # noqa: T201
              flush=True)
    saved = Path(args.against) if Path(args.against).is_file() else root / f"{args.against}.json"
    before = json.loads(saved.read_text()) if saved.exists() else {}
    if args.save:
        (root / f"{args.save}.json").write_text(json.dumps(results))
    print(table(results, before))  # noqa: T201
    print()  # noqa: T201
    print(pooled(results, before))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
