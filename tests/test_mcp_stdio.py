"""`glossary-search-mcp`: launched as a subprocess the way an MCP client does, and spoken to with the SDK's own
stdio client. Standard output must carry JSON-RPC alone, or the client's session breaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

stdio = pytest.importorskip("mcp.client.stdio")
from mcp import ClientSession  # noqa: E402

from tests.conftest import ROOT  # noqa: E402

TOOLS = {"search_glossary", "define_term", "define_terms_in"}
TIMEOUT_S = 180  # a whole session, start included, on a busy 2-core machine
# The console script when installed beside this interpreter (pyproject [project.scripts]), else what it runs.
SCRIPT = Path(sys.executable).with_name("glossary-search-mcp")
SERVER = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "web.mcp_stdio"]
HELLO = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}


def talk(args: list[str], calls: list[tuple[str, dict]], env: dict | None = None):
    """Start the server, list its tools, make each call: (tools, results, what it wrote to stderr)."""
    errlog = open(os.devnull, "w")  # noqa: SIM115 - the client writes the server's stderr here

    async def run():
        params = stdio.StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], *args], cwd=str(ROOT),
                                             env={**os.environ, **(env or {})})
        with anyio.fail_after(TIMEOUT_S):
            async with stdio.stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    tools = (await session.list_tools()).tools
                    return tools, [await session.call_tool(name, arguments) for name, arguments in calls]

    try:
        return anyio.run(run)
    finally:
        errlog.close()


def payload(result) -> dict:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


@pytest.mark.real_model
def test_lists_the_three_tools_and_answers_over_stdio(real_index):
    tools, (search, define, lens, unknown) = talk(["--index-dir", str(real_index)], [
        ("search_glossary", {"question": "how do I avoid overfitting"}),
        ("define_term", {"term": "sgd"}),
        ("define_terms_in", {"text": "Our network overfits, so we add dropout."}),
        ("define_term", {"term": "Zebra Crossing"}),
    ])
    assert {t.name for t in tools} == TOOLS
    found = payload(search)
    assert found["hits"][0]["term"] == "Dropout" and found["no_match"] is False
    assert payload(define)["term"] == "Stochastic Gradient Descent (SGD)"
    assert [s["term"] for s in payload(lens)["spans"]] == ["Overfitting", "Dropout"]
    assert unknown.is_error and "no term 'Zebra Crossing'" in unknown.content[0].text


@pytest.mark.real_model
def test_the_environment_variable_names_the_index(real_index):
    tools, (search,) = talk([], [("search_glossary", {"question": "what is sgd", "k": 1})],
                            env={"GLOSSARY_INDEX_DIR": str(real_index)})
    assert payload(search)["hits"][0]["term"] == "Stochastic Gradient Descent (SGD)"


def run_server(*args: str, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([*SERVER, *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


@pytest.mark.real_model
def test_stdout_holds_json_rpc_only(real_index):
    """One request by hand, then end of input: every line on stdout is a JSON-RPC message, logs go to stderr."""
    done = run_server("--index-dir", str(real_index), stdin=json.dumps(HELLO) + "\n")
    assert_json_rpc_only(done)


def assert_json_rpc_only(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(json.loads(line)["jsonrpc"] == "2.0" for line in lines)
    assert json.loads(lines[0])["result"]["serverInfo"]["name"] == "glossary-search"


@pytest.mark.real_model
def test_first_use_builds_the_default_index_with_nothing_on_stdout(tmp_path):
    """A fresh user's client starts the server: the bundled glossary is built, its summary goes to stderr."""
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "CI": "true", "GLOSSARY_INDEX_DIR": ""}
    done = run_server(env=env, stdin=json.dumps(HELLO) + "\n")  # the model's export: the session's cache
    assert_json_rpc_only(done)
    assert "building it from the bundled glossary" in done.stderr and "47 terms" in done.stderr
    assert (home / ".cache" / "glossary-search" / "index" / "CURRENT").is_file()


@pytest.mark.parametrize("args, env, message", [
    (["--index-dir", "/no/such/index"], {}, "no index at /no/such/index"),
    ([], {"GLOSSARY_INDEX_DIR": "/no/such/index"}, "no index at /no/such/index"),
    (["--bogus"], {}, "unrecognized arguments: --bogus"),
])
def test_bad_options_and_a_missing_named_index_are_one_line_errors(args, env, message):
    done = run_server(*args, env=env)
    err = done.stderr.strip()
    assert done.returncode != 0 and done.stdout == ""
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) <= 2  # argparse: usage line + the error; ours: one line


def test_the_stdio_server_imports_no_web_framework_or_torch():
    """It must run on an install without the web demo (Gradio, FastAPI) and without the build extra (torch)."""
    script = ("import sys; from web import mcp_stdio; from web.mcp import mcp_server; "
              "print(sorted({m.split('.')[0] for m in sys.modules} & "
              "{'gradio', 'fastapi', 'torch', 'sentence_transformers'}))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
