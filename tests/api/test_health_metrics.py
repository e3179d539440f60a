"""Liveness, readiness, Prometheus metrics, request ids and JSON logs."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.logs import JsonFormatter


def test_liveness_and_readiness_answer_ok(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_readiness_fails_cleanly_when_the_database_is_gone(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Gone:
        dialect = "sqlite"

        def transaction(self) -> None:
            raise OSError("unreachable")

    monkeypatch.setattr(app.extensions["r57"].tenancy.storage, "database", Gone())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_metrics_count_requests_by_route_and_status_and_events_appended(
    client: FlaskClient, seeded: str
) -> None:
    client.get(f"{seeded}/tasks/3")
    client.get(f"{seeded}/tasks/99")
    client.post(f"{seeded}/tasks/3/reports",
                json={"period": "2025", "percent": 10, "narrative": "x"})
    text = client.get("/metrics").get_data(as_text=True)
    route = 'route="/api/v1/tenants/<tenant>/tasks/<number>"'
    assert f'r57_http_requests_total{{method="GET",{route},status="200"}} 1.0' in text
    assert f'r57_http_requests_total{{method="GET",{route},status="404"}} 1.0' in text
    assert "r57_http_request_duration_seconds_bucket" in text
    # The seed import recorded 143 events (plan, catalogue, tasks, indicators, agencies).
    imported = 3 + 60 + 40 + 38
    assert f'r57_events_appended_total{{tenant="quang-nam"}} {imported + 1}.0' in text


def test_unknown_methods_and_paths_add_no_metric_series(client: FlaskClient) -> None:
    before = client.get("/metrics").get_data(as_text=True).count("\n")
    for n in range(30):
        client.open(f"/api/v1/nowhere/{n}", method=f"BREW{n}")
        client.open("/healthz", method=f"X{n}")
        client.get(f"/no/such/page/{n}")
    text = client.get("/metrics").get_data(as_text=True)
    assert "BREW" not in text and 'method="X' not in text
    assert 'method="OTHER"' in text
    grown = text.count("\n") - before
    assert grown < 100  # a few bounded series, not one per request


def test_the_read_model_lag_gauge_can_be_set(app: Flask, client: FlaskClient) -> None:
    app.extensions["r57"].metrics.set_read_model_lag("quang-nam", 7)
    assert 'r57_read_model_lag_events{tenant="quang-nam"} 7.0' in client.get(
        "/metrics").get_data(as_text=True)


def test_a_request_id_is_honoured_or_made_and_echoed(client: FlaskClient) -> None:
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers[
        "X-Request-Id"] == "abc-123"
    bad = client.get("/healthz", headers={"X-Request-Id": "bad id <script>"})
    made = bad.headers["X-Request-Id"]
    assert len(made) == 32 and "<" not in made


def test_every_log_line_during_a_request_is_json_with_its_request_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="r57"):
        client.get("/api/v1/tenants/nowhere/status", headers={"X-Request-Id": "trace-7"})
    (record,) = [r for r in caplog.records if r.name == "r57.http"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-7"
    assert (line["status"], line["route"], line["message"]) == (
        404, "/api/v1/tenants/<tenant>/status", "request")
