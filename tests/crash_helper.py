"""Test helper: `python -m tests.crash_helper GLOSSARY INDEX_DIR [--hold-lock SECONDS | --die-at STEP]`.

Runs the real `build_index` with the tests' fake encoder, so a build takes about a second and
tests/test_crash.py can kill it at many points. Prints `ready` once imports are done. `--die-at` SIGKILLs
the process at the first call of one file-system step of publishing (rename, replace, rmtree), so the
narrow moments around the switch are hit every time, not only by chance.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from filelock import FileLock

from index import build_index
from indexformat import store
from tests.conftest import FakeEncoder


def main(argv: list[str]) -> int:
    glossary, index_dir = argv[0], argv[1]
    print("ready", flush=True)  # noqa: T201
    if len(argv) > 2 and argv[2] == "--hold-lock":  # stand in for a long rebuild
        with FileLock(f"{index_dir}/.lock"):
            print("locked", flush=True)  # noqa: T201
            time.sleep(float(argv[3]))
        return 0
    if len(argv) > 2 and argv[2] == "--die-at":
        module = store.shutil if argv[3] == "rmtree" else store.os
        setattr(module, argv[3], lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL))
    report = build_index(glossary, index_dir, encoder=FakeEncoder(), lock_timeout=120)
    print(report.summary(), flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
