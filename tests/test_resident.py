"""`glossary-search --serve`: a real resident process, reached by real `glossary-search` processes over its socket."""

import os
import signal
import subprocess
import sys

import pytest

from search import resident
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "search", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=120)


def start(index_dir, log):
    server = subprocess.Popen([sys.executable, "-m", "search", "--serve", "--index-dir", str(index_dir)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL)
    assert resident.wait_until_serving(index_dir, server, 90), "the resident process never answered"
    return server


@pytest.fixture
def served(real_index, tmp_path):
    log = (tmp_path / "serve.log").open("w")
    server = start(real_index, log)
    yield server, tmp_path / "serve.log"
    server.kill()
    server.wait()
    log.close()
    resident.socket_path(real_index).unlink(missing_ok=True)


ASKED = [("--json", "-k", "3", "what is sgd"), ("how do I avoid overfitting",), ("--format", "jsonl", "-")]


def test_a_call_reaching_the_resident_process_prints_what_it_would_print_itself(real_index, tmp_path):
    stdin = "dropout\nwhat is a neuron\n"
    alone = [cli("--index-dir", str(real_index), *a, stdin=stdin) for a in ASKED]
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = start(real_index, log)
        try:
            served = [cli("--index-dir", str(real_index), *a, stdin=stdin) for a in ASKED]
        finally:
            server.terminate()
            assert server.wait(timeout=30) == 0
    for own, reached in zip(alone, served, strict=True):
        assert own.returncode == reached.returncode == 0
        assert own.stdout == reached.stdout and own.stdout.strip()
    assert log_path.read_text().count("answered") == len(ASKED)  # the resident process answered every call
    assert not resident.socket_path(real_index).exists()  # SIGTERM: the socket went with the process


def test_errors_come_back_as_the_same_one_line_and_exit_code(real_index, served):
    bad = cli("--index-dir", str(real_index), "-k", "0", "dropout")
    assert bad.returncode == 2 and "at least 1" in bad.stderr and bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr and not bad.stdout
    assert "answered 1 question(s), exit 2" in served[1].read_text()


def test_a_second_server_for_the_same_index_is_refused_in_one_line(real_index, served):
    again = cli("--serve", "--index-dir", str(real_index))
    assert again.returncode == 1 and "already serves" in again.stderr and again.stderr.count("\n") == 1


def test_a_dead_server_leaves_calls_answering_themselves_and_a_new_server_starts(real_index, tmp_path):
    with (tmp_path / "serve.log").open("w") as log:
        server = start(real_index, log)
        os.kill(server.pid, signal.SIGKILL)  # no clean-up: the socket file stays behind
        server.wait()
        assert resident.socket_path(real_index).exists()
        answered = cli("--index-dir", str(real_index), "--json", "dropout")
        assert answered.returncode == 0 and '"term": "Dropout"' in answered.stdout
        server = start(real_index, log)  # the stale socket is replaced
        server.terminate()
        server.wait(timeout=30)


def test_a_socket_folder_others_may_enter_is_never_used(tmp_path, monkeypatch, real_index):
    monkeypatch.setattr(resident.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = tmp_path / f"glossary-search-{os.getuid()}"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert resident.ask(real_index, {"ping": True}) is None
    with pytest.raises(OSError, match="only this user"):
        resident.listen(real_index)


def test_a_request_that_is_not_ours_gets_no_answer_and_the_server_goes_on(real_index, served):
    import socket

    for junk in (b"not json\n", b'{"questions": "dropout"}\n', b"[1, 2]\n"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(30)
            conn.connect(str(resident.socket_path(real_index)))
            conn.sendall(junk)
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(100) == b""  # closed without a reply: a caller would answer itself
    answered = cli("--index-dir", str(real_index), "--json", "dropout")
    assert answered.returncode == 0 and '"term": "Dropout"' in answered.stdout
    assert "answered 1 question(s), exit 0" in served[1].read_text()
