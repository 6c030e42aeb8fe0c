"""Measurements that run in a process of their own (so imports, memory and start-up are counted honestly).

Each probe prints one JSON object on its last stdout line; `benchmarks.run` starts them and reads it.
    python -m benchmarks.probes warm INDEX_DIR QUESTIONS.json
    python -m benchmarks.probes build GLOSSARY INDEX_DIR
    python -m benchmarks.probes embed VERSION_DIR N       # the build's encoder on N of its passages, timed
    python -m benchmarks.probes faiss-build N DIM PATH
    python -m benchmarks.probes faiss-load PATH N DIM
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

TEMPLATES = (
    "what is {}",
    "how does {} work",
    "when should I use {}",
    "explain {} simply",
    "why is {} useful",
)


def questions(terms: list[str], n: int = 200, seed: int = 0) -> list[str]:
    """`n` distinct questions about the glossary's terms, in a fixed shuffled order."""
    found = list(dict.fromkeys(t.format(term.lower()) for term in terms for t in TEMPLATES))
    np.random.default_rng(seed).shuffle(found)
    return found[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def percentiles(latencies: list[float]) -> dict:
    ms = np.array(latencies) * 1000
    return {"p50_ms": float(np.median(ms)), "p99_ms": float(np.percentile(ms, 99)), "n": len(ms)}


def warm(index_dir: str, questions_file: str) -> dict:
    """Full engine.search (ranking included) per question, after loading; plus recall of the FAISS layer."""
    from search import open_index

    started = time.perf_counter()
    engine = open_index(Path(index_dir))
    load_s = time.perf_counter() - started
    asked = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    for q in asked[:5]:
        engine.search(q, 5)
    latencies = []
    for q in asked:
        t = time.perf_counter()
        engine.search(q, 5)
        latencies.append(time.perf_counter() - t)
    return {
        **percentiles(latencies),
        "load_s": load_s,
        "encoder": type(engine.encoder).__name__,
        "index_type": engine.manifest.index_type,
        "recall_at_10": _recall(engine, asked),
        "peak_rss_mb": peak_rss_mb(),
    }


def _recall(engine, asked: list[str]) -> float:
    """recall@10 of the live FAISS index against exact search over the same vectors, for real questions."""
    import faiss

    from index import vectors
    from indexformat import store

    version = store.live_version(engine.index_dir)
    stored = np.load(version / store.VECTORS, mmap_mode="r")
    queries = engine.encoder.encode(asked)
    _, found = engine.loaded.ranker.features.faiss_index.search(queries, 10)
    _, exact = faiss.knn(queries, np.ascontiguousarray(stored), 10, metric=faiss.METRIC_INNER_PRODUCT)
    return vectors.recall_at_k(found, exact)


def build(glossary: str, index_dir: str) -> dict:
    from index import build, build_index

    stages = _time_stages(
        build,
        {
            "export": "onnx_export.prepare",
            "embed": "_embed",
            "faiss": "vectors.make_index",
            "ranking_files": "calibrate.write_ranking_files",
        },
    )
    started = time.perf_counter()
    report = build_index(glossary, index_dir)
    seconds = time.perf_counter() - started
    from indexformat import store

    version = store.live_version(Path(index_dir))
    sizes = {p.name: p.stat().st_size for p in version.iterdir()}
    model_bytes = sum(sizes.get(n, 0) for n in ("encoder.onnx", "tokenizer.json", "encoder.json"))
    return {
        "seconds": seconds,
        "entries": report.manifest.entries,
        "passages": report.manifest.passages,
        "embedded": report.embedded,
        "skipped": report.skipped,
        "index_type": report.manifest.index_type,
        "index_mb": (sum(sizes.values()) - model_bytes) / 2**20,
        "model_mb": model_bytes / 2**20,
        "peak_rss_mb": peak_rss_mb(),
        "torch_loaded": "torch" in sys.modules,
        "stages_s": {k: round(v, 3) for k, v in stages.items()},
    }


def embed(version_dir: str, n: str) -> dict:
    """Embedding alone with the build's settings (the ONNX export, every core, no spinning), for a like-for-like
    rate against `baseline.py --build` on the same passages."""
    from indexformat import store
    from indexformat.onnx_encoder import OnnxEncoder, build_threads

    folder = Path(version_dir)
    texts = [row["text"] for row in store.read_jsonl(folder / store.PASSAGES)][: int(n)]
    encoder = OnnxEncoder(folder, "probe", threads=build_threads(), spinning=False)
    encoder.encode(texts[:64])  # warm-up, as the baseline does
    started = time.perf_counter()
    encoder.encode(texts)
    return {"passages": len(texts), "seconds": time.perf_counter() - started}


def _time_stages(module, names: dict[str, str]) -> dict[str, float]:
    """Wrap the build's steps (looked up through `module`) with timers; behaviour is unchanged."""
    spent: dict[str, float] = {}
    for label, dotted in names.items():
        owner = module
        *path, attr = dotted.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, attr):
            continue  # a step this version of the build does not have
        original = getattr(owner, attr)

        def timed(*args, _original=original, _label=label, **kwargs):
            t = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t

        setattr(owner, attr, timed)
    return spent


def faiss_build(n: int, dim: int, path: str) -> dict:
    from benchmarks.synthetic import clustered_vectors
    from index import vectors
    from indexformat.vectors import index_type, write_index

    started = time.perf_counter()
    data = clustered_vectors(n, dim, seed=0)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = vectors.make_index(data)
    built = time.perf_counter() - started
    write_index(index, Path(path))
    return {
        "generate_s": generated,
        "build_s": built,
        "index_type": index_type(index),
        "file_mb": Path(path).stat().st_size / 2**20,
        "peak_rss_mb": peak_rss_mb(),
    }


def faiss_load(path: str, n: int, dim: int) -> dict:
    import faiss
    import psutil

    from benchmarks.synthetic import clustered_vectors
    from index import vectors
    from indexformat.vectors import read_index

    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    index = read_index(Path(path))
    load_s = time.perf_counter() - started
    after_load = process.memory_info().rss
    queries = clustered_vectors(200, dim, seed=0, noise_seed=1)  # held out: same topics, new points
    latencies = []
    for q in queries:
        t = time.perf_counter()
        index.search(q[None, :], 10)
        latencies.append(time.perf_counter() - t)
    after_queries = process.memory_info().rss
    _, found = index.search(queries, 10)
    _, exact = faiss.knn(queries, clustered_vectors(n, dim, seed=0), 10, metric=faiss.METRIC_INNER_PRODUCT)
    return {
        **percentiles(latencies),
        "load_s": load_s,
        "rss_after_load_mb": (after_load - before) / 2**20,
        "rss_after_queries_mb": (after_queries - before) / 2**20,
        "recall_at_10": vectors.recall_at_k(found, exact),
    }


PROBES = {"warm": warm, "build": build, "embed": embed, "faiss-build": faiss_build, "faiss-load": faiss_load}

if __name__ == "__main__":
    name, args = sys.argv[1], sys.argv[2:]
    if name.startswith("faiss"):
        args = [int(a) if a.isdigit() else a for a in args]
    sys.stdout.write("\n" + json.dumps(PROBES[name](*args)) + "\n")
