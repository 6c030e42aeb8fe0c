"""One command for every speed and scale figure: `python -m benchmarks [--quick] [--json] [--only ...]`.

Everything is measured in fresh processes against the plain baseline (benchmarks/baseline.py) in the same
run, several times, reporting medians: the machine is shared and noisy, so ratios mean more than seconds.
Default sizes: 100k glossary entries and 1M synthetic vectors (tens of minutes on 2 cores); --quick uses
10k entries and 100k vectors (a few minutes). The `iso` section builds ../shared's ISO/TC 211 terminology and
is skipped, with a note, where that folder is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.load_test import stop_app
from benchmarks.probes import questions
from benchmarks.synthetic import glossary_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "deep_learning_glossary.md"
# ISO/TC 211 (1,228 entries, issue 21's warm target), in the shared/ folder beside the checkout (or a worktree's
# checkout); never copied into the repository. Its row is skipped, with a note, when the folder is absent.
ISO = next((p / "shared" / "benchmarks" / "isotc211" / "isotc211.jsonl" for p in ROOT.parents
            if (p / "shared" / "benchmarks" / "isotc211" / "isotc211.jsonl").is_file()),
           ROOT.parent / "shared" / "benchmarks" / "isotc211" / "isotc211.jsonl")
SECTIONS = ("rebuild", "cold", "warm", "warm_iso", "web", "disk", "iso", "scale", "faiss")
BASELINE_BUILD_PASSAGES = 1_000  # the plain program embeds a sample: its rate, not its hour, is the figure
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def sh(
    *args: str, timeout: float = 3600, env: dict | None = None
) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        list(args), capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env or ENV
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])}... failed: {done.stderr.strip()[-800:]}")
    return seconds, done


def probe(*args: str, timeout: float = 7200) -> dict:
    _, done = sh(sys.executable, "-m", "benchmarks.probes", *args, timeout=timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def live(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def search_command() -> list[str]:
    script = Path(sys.executable).parent / "glossary-search"  # the installed entry point, as users run it
    return [str(script)] if script.is_file() else [sys.executable, "-m", "search"]


def rebuild(work: Path, repeat: int) -> dict:
    index_dir, glossary = work / "seed-index", work / "seed.md"
    glossary.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    full, _ = sh(sys.executable, "-m", "index", "--glossary", str(glossary), "--index-dir", str(index_dir))
    unchanged = [
        sh(sys.executable, "-m", "index", "--glossary", str(glossary), "--index-dir", str(index_dir))[0]
        for _ in range(repeat)
    ]
    in_process = [probe("build", str(glossary), str(index_dir)) for _ in range(repeat)]
    one_entry, embedded, torch_loaded = [], [], []
    text = glossary.read_text(encoding="utf-8")
    for n in range(repeat):  # a different one-word edit each time, so every rebuild has work to do
        glossary.write_text(
            text.replace("This helps prevent overfitting.", f"It curbs overfitting ({n})."), encoding="utf-8"
        )
        result = probe("build", str(glossary), str(index_dir))
        one_entry.append(result["seconds"])
        embedded.append(result["embedded"])
        torch_loaded.append(result["torch_loaded"])
    glossary.write_text(text, encoding="utf-8")
    sh(sys.executable, "-m", "index", "--glossary", str(glossary), "--index-dir", str(index_dir))
    return {
        "full_s": full,
        "unchanged_cli_s": statistics.median(unchanged),
        "unchanged_in_process_s": statistics.median(r["seconds"] for r in in_process),
        "unchanged_skipped": all(r["skipped"] for r in in_process),
        "unchanged_torch_loaded": any(r["torch_loaded"] for r in in_process),
        "one_entry_s": statistics.median(one_entry),
        "one_entry_embedded": max(embedded),
        "one_entry_torch_loaded": any(torch_loaded),
    }


def cold(work: Path, repeat: int) -> dict:
    index_dir = work / "seed-index"
    ours, base = [], []
    env = {**ENV, "GLOSSARY_INDEX_DIR": str(index_dir)}
    for n in range(repeat):  # alternate, so both sides see the same background load
        question = ["how do I avoid overfitting", "what is sgd", "encoder vs decoder"][n % 3]
        ours.append(sh(*search_command(), question, env=env)[0])
        base.append(
            sh(sys.executable, str(ROOT / "benchmarks" / "baseline.py"), str(live(index_dir)), question)[0]
        )
    reached = resident_calls(index_dir, env, repeat)
    return {
        "cli_s": statistics.median(ours),
        "baseline_s": statistics.median(base),
        "ratio": statistics.median(ours) / statistics.median(base),
        "resident_cli_s": statistics.median(reached),
        "resident_ratio": statistics.median(reached) / statistics.median(base),
        "runs": repeat,
    }


def resident_calls(index_dir: Path, env: dict, repeat: int) -> list[float]:
    """Seconds of `glossary-search` calls answered by a `glossary-search --serve` of the same index (opt-in)."""
    from search import resident

    server = subprocess.Popen([*search_command(), "--serve"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not resident.wait_until_serving(index_dir, server, 120):
            raise RuntimeError("glossary-search --serve did not start")
        return [sh(*search_command(), "what is sgd", env=env)[0] for _ in range(repeat)]
    finally:
        server.terminate()
        server.wait(timeout=60)


def warm(work: Path, repeat: int, index_dir: Path | None = None) -> dict:
    """Warm query latency (full ranking) over the seed index, or `index_dir`, against the plain program."""
    index_dir = index_dir or work / "seed-index"
    terms = [json.loads(line)["term"] for line in (live(index_dir) / "entries.jsonl").open(encoding="utf-8")]
    asked = work / f"questions-{index_dir.name}.json"
    asked.write_text(json.dumps(questions(terms, 200)), encoding="utf-8")
    ours = [probe("warm", str(index_dir), str(asked)) for _ in range(repeat)]
    base = []
    for _ in range(repeat):
        _, done = sh(
            sys.executable,
            str(ROOT / "benchmarks" / "baseline.py"),
            str(live(index_dir)),
            "--warm",
            str(asked),
        )
        from benchmarks.probes import percentiles

        answer = json.loads(done.stdout.strip().splitlines()[-1])
        base.append({**percentiles(answer["latencies"]), "load_s": answer["load_s"]})
    p50, p99 = (statistics.median(r[key] for r in ours) for key in ("p50_ms", "p99_ms"))
    b50, b99 = (statistics.median(r[key] for r in base) for key in ("p50_ms", "p99_ms"))
    return {
        "load_s": statistics.median(r["load_s"] for r in ours),
        "baseline_load_s": statistics.median(r["load_s"] for r in base),
        "questions": ours[0]["n"],
        "p50_ms": p50,
        "p99_ms": p99,
        "baseline_p50_ms": b50,
        "baseline_p99_ms": b99,
        "ratio_p50": p50 / b50,
        "encoder": ours[0]["encoder"],
    }


def _iso_missing() -> dict | None:
    """The note both ISO sections give when ../shared's ISO/TC 211 file is absent, else None."""
    if ISO.is_file():
        return None
    return {"skipped": f"no {ISO} (the shared/ folder beside the checkout is absent): ISO/TC 211 not measured"}


def _build_iso(index_dir: Path) -> float:
    """`rebuild-index` of ISO/TC 211 into `index_dir`, as a user runs it; its wall seconds."""
    seconds, _ = sh(sys.executable, "-m", "index", "--glossary", str(ISO), "-q", "--index-dir", str(index_dir))
    return seconds


def _iso_index(work: Path) -> Path:
    """The ISO/TC 211 index of this run, built once (untimed; it also exports the model into the run's cache)
    for both ISO sections."""
    index_dir = work / "iso-index"
    if not (index_dir / "CURRENT").is_file():
        _build_iso(index_dir)
    return index_dir


def warm_iso(work: Path, repeat: int) -> dict:
    """The warm figures on ISO/TC 211, or a note saying why they were skipped."""
    if (missing := _iso_missing()) is not None:
        return missing
    index_dir = _iso_index(work)
    return {"entries": sum(1 for _ in (live(index_dir) / "entries.jsonl").open(encoding="utf-8")),
            **warm(work, repeat, index_dir)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web(work: Path, requests: int = 1000, clients: int = 8) -> dict:
    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    app = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=ROOT,
        env={**ENV, "GLOSSARY_INDEX_DIR": str(work / "seed-index")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = None
        while first is None and time.perf_counter() - started < 120:
            try:
                info = httpx.get(f"{base}/gradio_api/info", timeout=2).json()
                first = _ask(httpx.Client(base_url=base, timeout=30), info, "what is sgd")
            except (httpx.HTTPError, ValueError):
                time.sleep(0.05)
        start_to_answer = time.perf_counter() - started
        rss_mb = _tree_rss_mb(app.pid)
        asked = questions(
            [
                json.loads(line)["term"]
                for line in (live(work / "seed-index") / "entries.jsonl").open(encoding="utf-8")
            ],
            200,
        )
        latencies, errors, lock = [], [], threading.Lock()

        def client(worker: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as session:
                for n in range(requests // clients):
                    t = time.perf_counter()
                    try:
                        hits = _ask(session, info, asked[(worker * 31 + n) % len(asked)])
                        ok = isinstance(hits, list)
                    except (httpx.HTTPError, ValueError) as err:
                        ok, hits = False, str(err)
                    with lock:
                        (latencies.append(time.perf_counter() - t) if ok else errors.append(hits))

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(client, range(clients)))
    finally:
        stop_app(app)
    ms = sorted(x * 1000 for x in latencies)
    return {
        "start_to_first_answer_s": start_to_answer,
        "rss_after_first_answer_mb": rss_mb,
        "requests": len(ms) + len(errors),
        "errors": len(errors),
        "clients": clients,
        "p50_ms": statistics.median(ms),
        "p99_ms": ms[int(len(ms) * 0.99) - 1],
    }


def _tree_rss_mb(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def disk(work: Path) -> dict:
    """What a second index of the same model adds on disk: its files not hard-linked to the first index or the
    model cache (st_ino), each counted once, as `du` would."""
    first, second = live(work / "seed-index"), work / "second-index"
    sh(sys.executable, "-m", "index", "--glossary", str(SEED), "--index-dir", str(second), "-q")
    seen = {p.stat().st_ino for root in (first, Path(ENV["GLOSSARY_MODEL_CACHE"])) for p in root.rglob("*")
            if p.is_file()}
    files = [p for p in live(second).iterdir() if p.is_file()]
    own = {p.stat().st_ino: p.stat().st_size for p in files if p.stat().st_ino not in seen}
    shared = sum(p.stat().st_size for p in files if p.stat().st_ino in seen)
    vectors = (live(second) / "vectors.npy").stat().st_size
    return {
        "extra_index_mb": sum(own.values()) / 2**20,
        "beyond_vectors_mb": (sum(own.values()) - vectors) / 2**20,
        "shared_model_mb": shared / 2**20,
        "baseline_vectors_mb": vectors / 2**20,  # the plain program keeps only its vectors
    }


def _ask(session, info: dict, question: str):
    """One call of the app's `search` API over plain HTTP (Gradio's two-step call: submit, then stream)."""
    params = info["named_endpoints"]["/search"]["parameters"]
    data = [question, 5] + [p.get("parameter_default") for p in params[2:]]
    event = session.post("/gradio_api/call/search", json={"data": data}).json()["event_id"]
    body = session.get(f"/gradio_api/call/search/{event}").text
    if "event: complete" not in body:
        raise ValueError(body[:200])
    return json.loads(body.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0])[0][
        "hits"
    ]


def _plain_build(index_dir: Path, passages: int = BASELINE_BUILD_PASSAGES) -> dict:
    """sentence-transformers embedding the first `passages` of the index's passages (baseline.py --build)."""
    _, done = sh(sys.executable, str(ROOT / "benchmarks" / "baseline.py"), str(live(index_dir)), "--build",
                 str(passages))
    return json.loads(done.stdout.strip().splitlines()[-1])


def iso(work: Path, repeat: int) -> dict:
    """A full `rebuild-index` of the ISO/TC 211 terminology (a fresh index folder each time, the model's export
    already cached, as for any build after the first) against the plain program embedding every passage of
    the same index (benchmarks/baseline.py --build), alternating so both see the same load."""
    if (missing := _iso_missing()) is not None:
        return missing
    built = _iso_index(work)
    ours, in_process, plain, plain_process = [], [], [], []
    for n in range(repeat):
        index_dir = work / f"iso-index-{n}"
        ours.append(_build_iso(index_dir))
        in_process.append(json.loads((live(index_dir) / "manifest.json").read_text())["build_seconds"])
        started = time.perf_counter()
        embedded = _plain_build(built, passages=10**9)
        plain_process.append(time.perf_counter() - started)
        plain.append(embedded["seconds"])
        shutil.rmtree(index_dir, ignore_errors=True)
    manifest = json.loads((live(built) / "manifest.json").read_text())
    return {
        "entries": manifest["entries"],
        "passages": manifest["passages"],
        "cli_s": statistics.median(ours),  # the whole `rebuild-index` process, as a user waits for it
        "build_in_process_s": statistics.median(in_process),  # the manifest's build_seconds
        "plain_embed_s": statistics.median(plain),  # the plain program's encode() of every passage
        "plain_process_s": statistics.median(plain_process),  # the same, with its start and model load
        "ratio": statistics.median(ours) / statistics.median(plain),
        "runs": repeat,
    }


def scale(work: Path, entries: int) -> dict:
    glossary = work / f"synthetic-{entries}.md"
    glossary.write_text(glossary_text(entries, seed=0), encoding="utf-8")
    index_dir = work / f"synthetic-{entries}-index"
    built = probe("build", str(glossary), str(index_dir))
    terms = [json.loads(line)["term"] for line in (live(index_dir) / "entries.jsonl").open(encoding="utf-8")]
    asked = work / "scale-questions.json"
    asked.write_text(
        json.dumps(questions(terms[:: max(1, len(terms) // 100)], 200, seed=1)), encoding="utf-8"
    )
    served = probe("warm", str(index_dir), str(asked))
    # Embedding alone, ours and the plain program's, alternating on the same passages: the load drifts.
    plain, ours = [], []
    for _ in range(2):
        plain.append(_plain_build(index_dir))
        ours.append(probe("embed", str(live(index_dir)), str(BASELINE_BUILD_PASSAGES)))
    rate = statistics.mean(p["passages"] / p["seconds"] for p in plain)  # passages/s
    per_entry = built["passages"] / built["entries"]
    return {
        "entries": built["entries"],
        "passages": built["passages"],
        "build_s": built["seconds"],
        "entries_per_s": built["entries"] / built["seconds"],
        # The plain program embeds every passage with sentence-transformers; its entries/s at this glossary's
        # passages per entry, from its measured rate on a sample.
        "baseline_entries_per_s": rate / per_entry,
        "ratio_entries_per_s": built["entries"] / built["seconds"] / (rate / per_entry),
        "build_embed_passages_per_s": built["embedded"] / built["stages_s"]["embed"],
        "embed_sample_passages_per_s": statistics.mean(p["passages"] / p["seconds"] for p in ours),
        "baseline_passages_per_s": rate,
        "index_type": built["index_type"],
        "index_mb": built["index_mb"],
        "model_mb": built["model_mb"],
        "build_peak_rss_mb": built["peak_rss_mb"],
        "build_stages_s": built["stages_s"],
        "load_s": served["load_s"],
        "query_p50_ms": served["p50_ms"],
        "query_p99_ms": served["p99_ms"],
        "recall_at_10": served["recall_at_10"],
        "serve_peak_rss_mb": served["peak_rss_mb"],
    }


def faiss_only(work: Path, n: int, dim: int = 384) -> dict:
    path = work / f"vectors-{n}.faiss"
    built = probe("faiss-build", str(n), str(dim), str(path))
    loads = [probe("faiss-load", str(path), str(n), str(dim)) for _ in range(3)]
    middle = sorted(loads, key=lambda r: r["p50_ms"])[1]
    return {
        "vectors": n,
        "dim": dim,
        **{k: built[k] for k in ("build_s", "index_type", "file_mb")},
        "build_peak_rss_mb": built["peak_rss_mb"],
        "load_s": statistics.median(r["load_s"] for r in loads),
        "query_p50_ms": middle["p50_ms"],
        "query_p99_ms": middle["p99_ms"],
        "rss_after_load_mb": middle["rss_after_load_mb"],
        "rss_after_queries_mb": middle["rss_after_queries_mb"],
        "recall_at_10": middle["recall_at_10"],
    }


TARGETS = [  # (section, key, limit, label): issue 21's table first, then issue 15's and the earlier ones still held
    ("cold", "cli_s", 0.4, "cold CLI answer <= 0.4 s"),
    ("cold", "ratio", 0.07, "cold CLI <= 0.07x baseline"),
    ("cold", "resident_cli_s", 0.4, "CLI answer with `glossary-search --serve` running <= 0.4 s (opt-in)"),
    ("web", "start_to_first_answer_s", 2.5, "app start to first answer <= 2.5 s"),
    ("warm", "p50_ms", 2.5, "warm p50 <= 2.5 ms (seed, encoder included)"),
    ("warm_iso", "p50_ms", 4.0, "warm p50 <= 4 ms (ISO/TC 211, 1,228 entries)"),
    ("rebuild", "unchanged_cli_s", 0.3, "unchanged rebuild <= 0.3 s"),
    ("web", "rss_after_first_answer_mb", 250, "app RSS after first answer <= 250 MB"),
    ("iso", "ratio", 1.5, "ISO/TC 211 build <= 1.5x the plain program's embedding"),
    ("scale", "entries_per_s", -100, "build throughput >= 100 entries/s"),
    ("scale", "build_peak_rss_mb", 1500, "build peak memory <= 1.5 GB"),
    ("scale", "load_s", 1.0, "engine load (scale glossary) <= 1 s"),
    ("disk", "beyond_vectors_mb", 5.0, "second index of a model <= +5 MB beyond its vectors"),
    ("warm", "p99_ms", 20.0, "warm p99 <= 20 ms"),
    ("warm", "ratio_p50", 1.0, "warm p50 <= baseline p50"),
    ("web", "p50_ms", 50.0, "HTTP API p50 <= 50 ms (8 clients)"),
    ("web", "errors", 0, "HTTP API errors = 0"),
    ("rebuild", "one_entry_embedded", 5, "one-entry change re-embeds that entry's passages only"),
    ("scale", "recall_at_10", None, "scale recall@10 >= 0.95"),
    ("faiss", "query_p50_ms", 10.0, "1M vectors query p50 <= 10 ms"),
    ("faiss", "recall_at_10", None, "1M recall@10 >= 0.95"),
]


def verdicts(results: dict) -> list[tuple[str, str, bool]]:
    rows = []
    for section, key, limit, label in TARGETS:
        if key not in results.get(section, {}):
            continue
        value = results[section][key]
        if limit is None:
            ok = value >= 0.95
        elif limit < 0:  # a floor, written as a negative limit
            ok = value >= -limit
        else:
            ok = value <= limit
        rows.append((label, f"{value:.3g}", ok))
    return rows


SUMMARY = [  # issue 15's and 21's rows: (figure, (section, ours), (section, baseline) or None, unit)
    ("cold CLI answer", ("cold", "cli_s"), ("cold", "baseline_s"), "s"),
    ("app start to first answer", ("web", "start_to_first_answer_s"), ("cold", "baseline_s"), "s"),
    ("app RSS after first answer", ("web", "rss_after_first_answer_mb"), None, "MB"),
    ("ISO/TC 211 build", ("iso", "cli_s"), ("iso", "plain_embed_s"), "s"),
    ("build throughput", ("scale", "entries_per_s"), ("scale", "baseline_entries_per_s"), "entries/s"),
    ("build peak memory", ("scale", "build_peak_rss_mb"), None, "MB"),
    ("engine load, seed glossary", ("warm", "load_s"), ("warm", "baseline_load_s"), "s"),
    ("engine load, scale glossary", ("scale", "load_s"), None, "s"),
    ("disk per extra index (same model)", ("disk", "extra_index_mb"), ("disk", "baseline_vectors_mb"), "MB"),
    ("warm query p50", ("warm", "p50_ms"), ("warm", "baseline_p50_ms"), "ms"),
    ("warm query p50, ISO/TC 211", ("warm_iso", "p50_ms"), ("warm_iso", "baseline_p50_ms"), "ms"),
    ("unchanged rebuild", ("rebuild", "unchanged_cli_s"), None, "s"),
]


def summary(results: dict) -> list[dict]:
    """One row per figure of issue 15: ours, the plain baseline of the same run, and their ratio."""
    rows = []
    for figure, (section, key), base, unit in SUMMARY:
        if key not in results.get(section, {}):
            continue
        row = {"figure": figure, "ours": results[section][key], "unit": unit}
        if base is not None and base[1] in results.get(base[0], {}):
            row["baseline"] = results[base[0]][base[1]]
            row["ratio"] = row["ours"] / row["baseline"] if row["baseline"] else None
        rows.append(row)
    return rows


def table(results: dict) -> str:
    lines = ["[summary: ours / plain baseline in the same run = ratio]"]
    for row in summary(results):
        shown = f"  {row['figure']:<36} {row['ours']:>9.4g} {row['unit']}"
        if "baseline" in row:
            shown += f"  / {row['baseline']:.4g} = x{row['ratio']:.3g}"
        lines.append(shown)
    for section, values in results.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            lines.append(f"  {key:<28} {shown}")
    lines.append("[targets]")
    for label, value, ok in verdicts(results):
        lines.append(f"  {'PASS' if ok else 'MISS'}  {label:<58} {value}")
    for section, key, _, label in TARGETS:
        if "skipped" in results.get(section, {}) and key not in results[section]:
            lines.append(f"  SKIP  {label:<58} {results[section]['skipped']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes and fewer repeats (a few minutes)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated sections of {','.join(SECTIONS)}"
    )
    p.add_argument("--entries", type=int, help="synthetic glossary size for 'scale' (default 100000)")
    p.add_argument("--vectors", type=int, help="synthetic vectors for 'faiss' (default 1000000)")
    p.add_argument("--repeat", type=int, help="runs per timing (default 5, --quick 3)")
    p.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = p.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    if unknown := set(only) - set(SECTIONS):
        p.error(f"unknown sections {sorted(unknown)}")
    repeat = args.repeat or (3 if args.quick else 5)
    entries = args.entries or (10_000 if args.quick else 100_000)  # --quick: issue 21's 10k-entry build
    n_vectors = args.vectors or (100_000 if args.quick else 1_000_000)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    try:
        # Our own model cache: the first build exports, as on a fresh machine; later builds link it.
        ENV["GLOSSARY_MODEL_CACHE"] = str(work / "model-cache")
        if {"rebuild", "cold", "warm", "web", "disk"} & set(only):
            results["rebuild"] = rebuild(work, repeat)  # also builds the seed index the others use
        if "cold" in only:
            results["cold"] = cold(work, repeat)
        if "warm" in only:
            results["warm"] = warm(work, repeat)
        if "warm_iso" in only:
            results["warm_iso"] = warm_iso(work, repeat)
        if "web" in only:
            results["web"] = web(work)
        if "disk" in only:
            results["disk"] = disk(work)
        if "iso" in only:
            results["iso"] = iso(work, repeat)
        if "scale" in only:
            results["scale"] = scale(work, entries)
        if "faiss" in only:
            results["faiss"] = faiss_only(work, n_vectors)
        if "rebuild" not in only:
            results.pop("rebuild", None)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"] = {
        "cpus": os.cpu_count(),
        "load_1min": os.getloadavg()[0],
        "python": sys.version.split()[0],
    }
    print(json.dumps({**results, "summary": summary(results)}, indent=2) if args.json else table(results))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
