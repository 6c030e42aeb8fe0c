"""The REST API (web/api.py) through real HTTP against the running app: every route, its errors, the docs, and the
bad-input table of tests/test_bad_input.py through this door too."""

from __future__ import annotations

import json

import httpx
import pytest

from indexformat import store
from tests.test_bad_input import CASES, Case, check
from tests.web.test_api import cli_json, same_answer

pytestmark = pytest.mark.real_model
KITCHEN = "Kitchen Glossary"


@pytest.fixture(scope="module")
def http(app_server):
    with httpx.Client(base_url=app_server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def entries(app_server) -> list[dict]:
    return store.read_jsonl(store.live_version(app_server.index_dir) / store.ENTRIES)


def one_line_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


def test_search_answers_dropout_first_like_the_cli(http, app_server, capsys):
    response = http.get("/api/search", params={"q": "how do I avoid overfitting"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["hits"][0]["term"] == "Dropout"
    same_answer(data, cli_json(app_server, capsys, "how do I avoid overfitting"))


def test_search_k_source_and_post(http, app_server, capsys):
    assert len(http.get("/api/search", params={"q": "what is sgd", "k": 2}).json()["hits"]) == 2
    data = http.get("/api/search", params={"q": "cooking meat", "source": KITCHEN}).json()
    assert data["hits"] and {h["source"] for h in data["hits"]} == {KITCHEN}
    same_answer(data, cli_json(app_server, capsys, "--source", KITCHEN, "cooking meat"))
    posted = http.post("/api/search", json={"q": "cooking meat", "k": 5, "source": KITCHEN}).json()
    same_answer(posted, data)


@pytest.mark.parametrize("params, status, message", [
    ({"q": ""}, 400, "empty"),
    ({}, 400, "empty"),
    ({"q": "sgd", "k": "0"}, 400, "at least 1"),
    ({"q": "sgd", "k": "five"}, 400, "whole number"),
    ({"q": "sgd", "source": "No Such Glossary"}, 400, "no glossary"),
])
def test_search_bad_input_is_a_one_line_4xx(http, params, status, message):
    assert message in one_line_error(http.get("/api/search", params=params), status)


def test_terms_are_paged_with_their_sources(http, entries):
    first = http.get("/api/terms", params={"limit": 10}).json()
    assert first["total"] == len(entries) and len(first["terms"]) == 10
    seen, offset = [], 0
    while offset < first["total"]:
        page = http.get("/api/terms", params={"offset": offset, "limit": 20}).json()
        seen += [(t["term"], t["source"]) for t in page["terms"]]
        offset += 20
    assert sorted(seen) == sorted((e["term"], e["source"]) for e in entries)
    counts = {s["name"]: s["terms"] for s in first["sources"]}
    assert counts == {src: sum(e["source"] == src for e in entries) for src in counts}
    assert KITCHEN in counts and len(counts) == 2
    kitchen = http.get("/api/terms", params={"source": KITCHEN}).json()
    assert kitchen["total"] == counts[KITCHEN] and {t["source"] for t in kitchen["terms"]} == {KITCHEN}


@pytest.mark.parametrize("params, status", [({"limit": 0}, 422), ({"offset": -1}, 422), ({"limit": "many"}, 422),
                                            ({"source": "Nope"}, 400)])
def test_terms_bad_paging_is_a_one_line_4xx(http, params, status):
    one_line_error(http.get("/api/terms", params=params), status)


def test_one_term_by_name_alias_and_case(http, entries):
    sgd = http.get("/api/terms/sgd").json()
    assert sgd["term"] == "Stochastic Gradient Descent (SGD)" and "SGD" in sgd["aliases"]
    assert http.get("/api/terms/Stochastic Gradient Descent (SGD)").json() == sgd
    searing = http.get("/api/terms/Searing").json()
    mentioning = sorted(e["term"] for e in entries if "Searing" in e["related"])
    assert mentioning and searing["mentioned_in"] == mentioning  # Braising's definition links to searing
    assert "Braising" in http.get("/api/terms/Braising").json()["term"]


def test_an_unknown_term_is_404(http):
    assert "no term" in one_line_error(http.get("/api/terms/Zebra Crossing"), 404)
    assert "no API route" in one_line_error(http.get("/api/nothing/here"), 404)


def test_lens_marks_the_terms_and_keeps_markup_as_offsets(http):
    text = "<b>We add dropout</b> because the CNN overfits; it is fine. SGD helps & so does <script>x</script>"
    data = http.post("/api/lens", json={"text": text}).json()
    spans = data["spans"]
    assert [s["term"] for s in spans] == ["Dropout", "Overfitting", "Stochastic Gradient Descent (SGD)"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert data["terms"] == 3 and data["truncated"] is False
    assert all(s["definition"] and 0 < s["confidence"] <= 1 for s in spans)
    only = http.post("/api/lens", json={"text": "searing then dropout", "source": KITCHEN}).json()
    assert [s["term"] for s in only["spans"]] == ["Searing"]


@pytest.mark.parametrize("body, status", [({"text": ""}, 400), ({"text": "  "}, 400), ({}, 422),
                                          ({"text": 5}, 422), ({"text": "x", "source": "Nope"}, 400)])
def test_lens_bad_input_is_a_one_line_4xx(http, body, status):
    one_line_error(http.post("/api/lens", json=body), status)


def test_a_huge_or_broken_body_is_refused(http):
    one_line_error(http.post("/api/lens", json={"text": "dropout " * 100_000}), 413)
    one_line_error(http.post("/api/lens", content=b"{not json", headers={"Content-Type": "application/json"}), 400)

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(400):
            yield b"x" * 1024

    one_line_error(http.post("/api/lens", content=chunks(), headers={"Content-Type": "application/json"}), 413)


def test_health_names_the_index(http, entries):
    data = http.get("/api/health").json()
    assert data["status"] == "ok" and data["terms"] == len(entries) and data["stale"] is False
    assert data["model"].endswith("all-MiniLM-L6-v2") and data["built_at"]
    assert {g["name"] for g in data["glossaries"]} == {e["source"] for e in entries}


def test_openapi_schema_and_docs_page(http):
    schema = http.get("/openapi.json").json()
    assert {"/api/search", "/api/terms", "/api/terms/{term}", "/api/lens", "/api/health"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/lens"] and "get" in schema["paths"]["/api/search"]
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_the_page_is_still_at_the_root(http):
    page = http.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()


REST_CASES = [c for c in CASES if "web" not in c.skip]


@pytest.mark.parametrize("case", REST_CASES, ids=[c.id for c in REST_CASES])
def test_bad_input_table(case: Case, http):
    response = http.post("/api/search", json={"q": case.query, "k": case.k})
    if response.status_code == 200:
        answer, error = response.json(), None
    else:
        assert 400 <= response.status_code < 500, response.text
        answer, error = None, one_line_error(response, response.status_code)
    check(case, answer, error)
    if len(case.query) < 2000 and not isinstance(case.k, float):  # short enough for an address, too
        by_get = http.get("/api/search", params={"q": case.query, "k": str(case.k)})
        assert by_get.status_code == response.status_code
        if error is None:
            assert json.dumps(by_get.json()["hits"]) == json.dumps(answer["hits"])
