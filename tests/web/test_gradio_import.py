"""web/gradio_import.py: gradio imported without rewriting its type stubs, and otherwise unchanged."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

CODE = """
import json, sys
from pathlib import Path
import importlib.util
stubs = Path(importlib.util.find_spec("gradio").origin).parent / "components"
before = {p.name: p.stat().st_mtime_ns for p in stubs.glob("*.pyi")}
from web import gradio_import
gr = gradio_import.load()
import gradio.component_meta as meta
with gr.Blocks() as blocks:
    box = gr.Textbox(label="Question")
    out = gr.HTML()
    box.submit(lambda q: q.upper(), box, out)
after = {p.name: p.stat().st_mtime_ns for p in stubs.glob("*.pyi")}
print(json.dumps({"writer": meta.create_or_modify_pyi.__name__, "hooks": [type(h).__name__ for h in sys.meta_path],
                  "same_stubs": before == after, "blocks": type(blocks).__name__,
                  "events": len(blocks.config["dependencies"])}))
"""


def test_gradio_loads_without_its_stub_writer_and_builds_a_page():
    done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["writer"] == "_write_no_stub"  # swapped before any component class was made
    assert "_SkipStubs" not in got["hooks"]  # the hook removed itself
    assert got["same_stubs"]  # no .pyi in site-packages rewritten
    assert got["blocks"] == "Blocks" and got["events"] == 1


def test_an_already_imported_gradio_is_returned_as_it_is():
    import gradio

    from web import gradio_import

    assert gradio_import.load() is gradio
