"""Load test: N concurrent clients against the app's `search` web API on loopback, bounded in time and size.

    python -m benchmarks.load_test                      # starts app.py on a free port, 8 clients, 60 s
    python -m benchmarks.load_test --seconds 5          # smoke run
    python -m benchmarks.load_test --url http://127.0.0.1:7860 --json   # an app that is already running
    python -m benchmarks.load_test --mode rest --seconds 20            # the REST route GET /api/search

Each client is a thread calling `search` over Gradio's documented HTTP API (POST /gradio_api/call/search,
then read the event stream; `--mode rest`: one GET /api/search), in a loop over a fixed list of questions,
weird ones included; any HTTP client would make the same requests. (gradio_client adds ~60 ms of its own
per call here and collapses under 8 threads in one process, so it would measure the client.) Reports
requests served, errors, p50/p99 latency, and the server's resident memory after warm-up and at the end.
Exits 1 if any request failed or memory grew 10% or more.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "how do I avoid overfitting", "what is sgd", "cost function", "encoder vs decoder", "skip connection",
    "randomly switching off units while training", "backpropogation", "what is the capital of France",
    "<img src=x onerror=alert(1)>", "ما هو dropout؟", "how do I avoid overfitting 🤔", "a" * 2000,
]
MAX_GROWTH = 0.10
START_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(index_dir: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)]
    if index_dir:
        command += ["--index-dir", index_dir]
    log = tempfile.NamedTemporaryFile("w", prefix="load-test-app-", suffix=".log", delete=False)
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def stop_app(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop an app server: SIGTERM, then SIGKILL if it has not exited within `grace` seconds."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class SearchApiError(RuntimeError):
    """The search endpoint answered with an error event."""


def call_search(url: str, question: str, k: int = 5, source: str | None = None, timeout: float = 60) -> dict:
    """One request to the `search` endpoint over Gradio's plain HTTP API (which wants every parameter)."""
    body = json.dumps({"data": [question, k, source]}).encode()  # source None: every glossary
    request = urllib.request.Request(f"{url}/gradio_api/call/search", body,
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        event_id = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/search/{event_id}", timeout=timeout) as response:
        event = None
        for raw in response:
            line = raw.decode().strip()
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line.split(":", 1)[1])
                if event == "error":
                    raise SearchApiError(f"search API error: {data}")
                return data[0]
    raise RuntimeError("the event stream ended without an answer")


def call_rest(url: str, question: str, k: int = 5, source: str | None = None, timeout: float = 60) -> dict:
    """One GET /api/search (the REST API beside the page): the same JSON object as `call_search`."""
    query = urllib.parse.urlencode({"q": question, "k": k, **({"source": source} if source else {})})
    with urllib.request.urlopen(f"{url}/api/search?{query}", timeout=timeout) as response:
        return json.load(response)


CALLS = {"gradio": call_search, "rest": call_rest}


def connect(url: str, process: subprocess.Popen | None) -> None:
    """Wait until the app answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"load_test: error: app.py exited with status {process.returncode}")
        try:
            call_search(url, "warm up", 5, timeout=10)
            return
        except (OSError, RuntimeError):
            if time.monotonic() > deadline:
                raise SystemExit(f"load_test: error: no answer from {url} in {START_TIMEOUT_S} s") from None
            time.sleep(0.5)


def server_pid(url: str, process: subprocess.Popen | None) -> int | None:
    """The process listening on the URL's port (ours, or an app already running on this machine)."""
    if process is not None:
        return process.pid
    import psutil

    port = urllib.parse.urlsplit(url).port
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def hammer(url: str, clients: int, seconds: float, max_requests: int,
           call=call_search) -> tuple[list[float], list[str]]:
    """`clients` threads asking in a loop for `seconds` (or `max_requests` in all): (latencies, errors)."""
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client_loop(n: int) -> None:
        nonlocal issued
        i = n
        while time.monotonic() < stop_at:
            with lock:
                if issued >= max_requests:
                    return
                issued += 1
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.perf_counter()
            try:
                data = call(url, question)
                if not data.get("hits"):
                    raise ValueError(f"no hits for {question[:40]!r}")
            except Exception as err:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    errors.append(f"{type(err).__name__}: {str(err)[:200]}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def run(url: str, clients: int, seconds: float, max_requests: int, pid: int | None = None,
        warmup: float | None = None, mode: str = "gradio") -> dict:
    """Warm up, then hammer `url` for `seconds`; the figures as a dict.

    The memory baseline is taken after a warm-up under the same concurrency (default: a sixth of the run,
    at most 10 s): the first minutes of any Python server grow caches and pools once, which is not a leak.
    RSS is also sampled every few seconds of the measured run, so a steady climb shows as one.
    """
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"load_test: error: {url} is not on loopback; this test runs on this machine only")
    warmup = min(10.0, seconds / 6) if warmup is None else warmup
    call = CALLS[mode]
    _, warmup_errors = hammer(url, clients, warmup, max_requests, call)
    memory_start = rss_mb(pid)

    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(max(1.0, seconds / 12)):
            if (mb := rss_mb(pid)) is not None:
                samples.append(round(mb, 1))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.monotonic()
    latencies, errors = hammer(url, clients, seconds, max_requests, call)
    elapsed = time.monotonic() - began
    done.set()
    memory_end = rss_mb(pid)
    errors = warmup_errors + errors
    ms = sorted(x * 1000 for x in latencies)
    growth = (memory_end - memory_start) / memory_start if memory_start and memory_end else None
    return {
        "mode": mode,
        "clients": clients,
        "warmup_seconds": round(warmup, 1),
        "seconds": round(elapsed, 1),
        "served": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "throughput_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 1) if ms else None,
        "max_ms": round(ms[-1], 1) if ms else None,
        "memory_start_mb": round(memory_start, 1) if memory_start else None,
        "memory_end_mb": round(memory_end, 1) if memory_end else None,
        "memory_growth": round(growth, 4) if growth is not None else None,
        "memory_samples_mb": samples,
    }


def table(r: dict) -> str:
    growth = f"{100 * r['memory_growth']:+.1f}%" if r["memory_growth"] is not None else "n/a"
    rows = [
        ("mode", r["mode"]), ("clients", r["clients"]), ("warm-up", f"{r['warmup_seconds']} s"),
        ("duration", f"{r['seconds']} s"),
        ("requests served", r["served"]),
        ("errors", r["errors"]), ("throughput", f"{r['throughput_per_s']} req/s"),
        ("latency p50", f"{r['p50_ms']} ms"), ("latency p99", f"{r['p99_ms']} ms"),
        ("latency max", f"{r['max_ms']} ms"),
        ("memory start", f"{r['memory_start_mb']} MiB"), ("memory end", f"{r['memory_end_mb']} MiB"),
        ("memory growth", growth), ("memory samples", " ".join(map(str, r["memory_samples_mb"])) + " MiB"),
    ]
    lines = [f"{name:<16} {value}" for name, value in rows]
    lines += [f"error: {e}" for e in r["error_samples"]]
    return "\n".join(lines)


def passed(r: dict) -> bool:
    grew = r["memory_growth"] is not None and r["memory_growth"] >= MAX_GROWTH
    return r["errors"] == 0 and r["served"] > 0 and not grew


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="load_test", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--mode", choices=sorted(CALLS), default="gradio",
                   help="gradio: the page's `search` endpoint (default); rest: GET /api/search")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests in all")
    p.add_argument("--warmup", type=float, help="seconds of load before the memory baseline (default: run/6)")
    p.add_argument("--url", help="an app already running on loopback (default: start app.py on a free port)")
    p.add_argument("--index-dir", help="index folder for the app started here (default: $GLOSSARY_INDEX_DIR)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    process = None
    if args.url is None:
        process, url = start_app(args.index_dir)
    else:
        url = args.url.rstrip("/")
    try:
        connect(url, process)
        pid = server_pid(url, process)
        result = run(url, args.clients, args.seconds, args.max_requests, pid, args.warmup, args.mode)
    finally:
        if process is not None:
            stop_app(process)
    print(json.dumps(result) if args.json else table(result))  # noqa: T201
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
