"""The MCP server through a real MCP client session over streamable HTTP (the SDK's own client)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest

pytestmark = pytest.mark.real_model
mcp_client = pytest.importorskip("mcp.client.streamable_http")
from mcp import ClientSession  # noqa: E402

TOOLS = {"search_glossary", "define_term", "define_terms_in"}


def session_calls(url: str, calls: list[tuple[str, dict]]) -> tuple[list, list]:
    """List the tools, then make each call, in one client session: (tools, results)."""

    async def run():
        async with mcp_client.streamable_http_client(url + "/mcp") as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = (await session.list_tools()).tools
                return tools, [await session.call_tool(name, args) for name, args in calls]

    # Its own thread: the browser tests' sync Playwright may leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, run).result()


def payload(result) -> dict:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


@pytest.fixture(scope="module")
def round_trip(app_server):
    return session_calls(app_server.url, [
        ("search_glossary", {"question": "how do I avoid overfitting", "k": 3}),
        ("define_term", {"term": "sgd"}),
        ("define_terms_in", {"text": "The CNN overfits, so we add dropout; it trains with SGD."}),
        ("define_term", {"term": "Zebra Crossing"}),
        ("search_glossary", {"question": "   "}),
        ("search_glossary", {"question": "cooking meat", "source": "Kitchen Glossary"}),
    ])


def test_lists_the_three_tools_with_docstrings(round_trip):
    tools, _ = round_trip
    assert {t.name for t in tools} == TOOLS
    for tool in tools:
        assert len(tool.description) > 100  # what it is for, its arguments and what it returns
        assert tool.input_schema["properties"]


def test_each_tool_answers(round_trip):
    _, (search, define, lens, *_) = round_trip
    found = payload(search)
    assert found["hits"][0]["term"] == "Dropout" and len(found["hits"]) == 3
    assert payload(define)["term"] == "Stochastic Gradient Descent (SGD)"
    assert [s["term"] for s in payload(lens)["spans"]] == ["Overfitting", "Dropout",
                                                         "Stochastic Gradient Descent (SGD)"]


def test_errors_are_tool_errors_an_agent_can_read(round_trip):
    _, (*_, unknown, empty, kitchen) = round_trip
    for result, words in ((unknown, "no term"), (empty, "empty")):
        assert result.is_error and words in result.content[0].text and "Traceback" not in result.content[0].text
    assert {h["source"] for h in payload(kitchen)["hits"]} == {"Kitchen Glossary"}
