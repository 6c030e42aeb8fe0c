"""A short run of benchmarks/load_test.py against the session's app: 8 clients, no failed request."""

from __future__ import annotations

import pytest

from benchmarks import load_test

pytestmark = pytest.mark.real_model


def test_eight_clients_for_a_few_seconds_get_only_answers(app_server):
    server = app_server
    result = load_test.run(server.url, clients=8, seconds=4, max_requests=2000, pid=server.process.pid)
    assert result["errors"] == 0, result["error_samples"]
    assert result["served"] >= 8 and result["p50_ms"] is not None
    assert result["memory_start_mb"] and result["memory_end_mb"]


def test_the_load_test_refuses_a_host_other_than_loopback():
    with pytest.raises(SystemExit, match="not on loopback"):
        load_test.run("http://192.0.2.1:7860", clients=1, seconds=1, max_requests=1)


def test_eight_clients_on_the_rest_route(app_server):
    result = load_test.run(app_server.url, clients=8, seconds=3, max_requests=2000, pid=app_server.process.pid,
                           mode="rest")
    assert result["errors"] == 0, result["error_samples"]
    assert result["mode"] == "rest" and result["served"] >= 8
