"""The app's `search` endpoint through gradio_client, against the running server, compared with the CLI."""

from __future__ import annotations

import json

import pytest

from search.cli import main as cli_main

pytestmark = pytest.mark.real_model
gradio_client = pytest.importorskip("gradio_client")

QUESTIONS = ["how do I avoid overfitting", "what is sgd", "who won the football world cup final in 1998"]


@pytest.fixture(scope="module")
def client(app_server):
    return gradio_client.Client(app_server.url, verbose=False)


def cli_json(app_server, capsys, *args: str) -> dict:
    capsys.readouterr()
    assert cli_main(["--json", "--index-dir", str(app_server.index_dir), *args]) == 0
    return json.loads(capsys.readouterr().out)


def same_answer(api: dict, cli: dict) -> None:
    assert api.keys() == cli.keys() == {"query", "no_match", "hits"}
    assert (api["query"], api["no_match"]) == (cli["query"], cli["no_match"])
    assert [h["term"] for h in api["hits"]] == [h["term"] for h in cli["hits"]]
    for a, c in zip(api["hits"], cli["hits"], strict=True):
        assert a["score"] == pytest.approx(c["score"], abs=1e-3)
        assert {**a, "score": 0} == {**c, "score": 0}


@pytest.mark.parametrize("question", QUESTIONS)
def test_api_answers_with_the_cli_json(client, app_server, capsys, question):
    same_answer(client.predict(question, 5, api_name="/search"), cli_json(app_server, capsys, question))


def test_api_k_and_the_glossary_filter(client, app_server, capsys):
    assert len(client.predict("what is sgd", 2, api_name="/search")["hits"]) == 2
    api = client.predict("cooking meat", 5, "Kitchen Glossary", api_name="/search")
    assert api["hits"] and {h["source"] for h in api["hits"]} == {"Kitchen Glossary"}
    same_answer(api, cli_json(app_server, capsys, "--source", "Kitchen Glossary", "cooking meat"))


@pytest.mark.parametrize("args, message", [
    (("   ", 5), "empty"),
    (("what is sgd", 0), "at least 1"),
    (("what is sgd", 5, "No Such Glossary"), "no glossary"),
])
def test_api_bad_input_is_a_one_line_error(client, args, message):
    with pytest.raises(Exception, match=message) as info:
        client.predict(*args, api_name="/search")
    assert "Traceback" not in str(info.value)


def test_search_is_the_one_documented_endpoint(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/search"}
    assert [p["parameter_name"] for p in endpoints["/search"]["parameters"]] == ["query", "k", "source"]
