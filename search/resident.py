"""An opt-in resident process: `glossary-search --serve` keeps one index loaded, and later `glossary-search`
calls for the same index reach it over a local socket instead of loading the index themselves.

A cold answer spends nearly all of its ~0.5 s importing numpy, tokenizers and onnxruntime and building the ONNX
session (docs/benchmarks.md); a call that reaches a resident process imports none of them. The client side
(`ask`) uses the standard library only. Nothing changes for a call that finds no resident process, or one that
does not answer: it answers in its own process, as before.

The socket lives in a folder only this user may enter (0700, owned by the user), named by a hash of the index
folder's resolved path: one resident process per index. One request is one JSON line; the reply is one JSON
object, then the connection closes.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import tempfile
import time
from pathlib import Path

ASK_TIMEOUT_S = 10.0  # a resident process slower than this is treated as absent: the call answers itself
MAX_REQUEST_BYTES = 1 << 20  # a request past this is refused (a question is cut at 2,000 characters anyway)


def socket_path(index_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(index_dir).expanduser().resolve()).encode()).hexdigest()[:20]
    return _private_dir() / f"{key}.sock"


def _private_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"glossary-search-{os.getuid()}"


def _safe(folder: Path) -> bool:
    """The folder is ours and nobody else may enter it: a socket there was put there by this user."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def ask(index_dir: Path, request: dict) -> dict | None:
    """The resident process's reply to `request`, or None when none answers (none running, a stale socket, a
    folder that is not safely ours, a timeout, a reply that is not JSON)."""
    path = socket_path(index_dir)
    if not _safe(path.parent):
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(ASK_TIMEOUT_S)
            conn.connect(str(path))
            conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
            conn.shutdown(socket.SHUT_WR)
            reply = b"".join(iter(lambda: conn.recv(1 << 16), b""))
        answer = json.loads(reply.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return answer if isinstance(answer, dict) and isinstance(answer.get("code"), int) else None


def wait_until_serving(index_dir: Path, process, timeout_s: float) -> bool:
    """Whether the `glossary-search --serve` in `process` (a Popen) answers within `timeout_s`; False as soon as
    it exits."""
    deadline = time.monotonic() + timeout_s
    while ask(index_dir, {"ping": True}) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def listen(index_dir: Path) -> socket.socket:
    """A listening socket for `index_dir`; OSError when another resident process already serves it."""
    folder = _private_dir()
    folder.mkdir(mode=0o700, exist_ok=True)
    if not _safe(folder):
        raise OSError(f"{folder} is not a folder only this user may enter; remove it and try again")
    path = socket_path(index_dir)
    if path.exists():
        if ask(index_dir, {"ping": True}) is not None:
            raise OSError(f"another glossary-search --serve already serves {Path(index_dir).resolve()}")
        path.unlink()  # left by a process that died without removing it
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    return server


def read_request(conn: socket.socket) -> dict:
    """The one JSON line a client sent; ValueError when it is not one."""
    data = b""
    while b"\n" not in data:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST_BYTES:
            raise ValueError("the request is too long")
    request = json.loads(data.decode("utf-8"))
    if not isinstance(request, dict):
        raise ValueError("the request is not a JSON object")
    return request
