"""Arbitrary Unicode (control characters, unpaired surrogates, digits of every script,
dates at the ends of the calendar, integers beyond 64 bits) sent to every API operation, as
every path parameter, query field and body field, and to the web pages' filters: nothing
answers 5xx, and afterwards every export still opens. Text stored before input was
canonical (written straight to the ledger: control characters; the store never held an
unpaired surrogate) exports too."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zipfile
from datetime import date
from typing import Any
from urllib.parse import quote

import docx
import openpyxl  # type: ignore[import-untyped]
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from api.routing import operations
from domain.access import Role
from service.commands import ChangeDeadline, CompleteTask, Context, ReportProgress
from service.tenancy import Tenancy
from tests.api.conftest import assert_problem
from tests.api.principals import login, token
from tests.web.conftest import sign_in

SLUG = "quang-nam"
UNSAFE = ["\x00", "\x07", "\x1b[2J", "\r\nX-Injected: 1", "\ud800", "\udfff", "\ufffe",
          "٢٠٢٥-Q1", "２０２５-Ｑ１", "𝟐𝟎𝟐𝟓", "01/01/0001", "31/12/9999", "0001-01-01",
          "9999-12-31", str(2**64), str(-(2**63) - 1), "1e309", "NaN", "", " ", "../..",
          "eyJhZnRlciI6IDE4NDQ2NzQ0MDczNzA5NTUxNjE2fQ==", "'; DROP TABLE x; --"]
texts = st.one_of(st.sampled_from(UNSAFE),
                  st.text(st.characters(exclude_categories=()), max_size=12))
# Operations that would end the run for every later example: archiving the one tenant.
SKIPPED = re.compile(r"/archive$")
WEB_FILTERS = ("q", "on", "known_at", "effective_on", "from", "to", "recorded_from",
               "recorded_to", "effective_from", "effective_to", "type", "task", "agency",
               "actor", "cursor", "year", "status", "lead", "group", "plan", "next",
               "before", "after")


@pytest.fixture
def everyone(app: Flask, seeded: str) -> FlaskClient:
    return login(app, "test.everyone", (Role.SYSTEM_ADMIN, "", ""),
                 (Role.TENANT_ADMIN, SLUG, ""), (Role.AUDITOR, SLUG, ""))


def url_text(value: str) -> str:
    """Percent-encoded as a client would send it, unpaired surrogates as their raw bytes."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query(args: dict[str, str]) -> str:
    return "&".join(f"{url_text(k)}={url_text(v)}" for k, v in args.items())


def requests(app: Flask, value: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, request arguments) for every API operation, every input set to value."""
    found = []
    ops = operations(app.view_functions)
    for rule in app.url_map.iter_rules():
        op = ops.get(rule.endpoint)
        if op is None or SKIPPED.search(rule.rule):
            continue
        path = rule.rule
        for name in rule.arguments:
            given_value = SLUG if name == "tenant" else value
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", url_text(given_value) or "x", path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            kwargs: dict[str, Any] = {}
            if op.query is not None:
                kwargs["query_string"] = query({f: value for f in op.query.fields})
            if op.body is not None:
                kwargs["data"] = json.dumps({f: value for f in op.body.fields})
                kwargs["content_type"] = "application/json"
            found.append((method, path, kwargs))
    return found


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=texts)
@example(value="\ud800")
@example(value="\x07")
@example(value="٢٠٢٥-Q1")
@example(value="31/12/9999")
@example(value=str(2**64))
def test_no_input_makes_the_api_answer_5xx(app: Flask, everyone: FlaskClient,
                                           value: str) -> None:
    for method, path, kwargs in requests(app, value):
        response = everyone.open(path, method=method, **kwargs)
        assert response.status_code < 500, (method, path, value, response.get_data())


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=texts)
@example(value="\r\nLocation: //evil")
@example(value="01/01/0001")
@example(value="eyJhZnRlciI6IDE4NDQ2NzQ0MDczNzA5NTUxNjE2fQ==")
def test_no_filter_makes_a_page_answer_5xx(web_client: FlaskClient, value: str) -> None:
    args = {name: value for name in WEB_FILTERS}
    for path in ("/", f"/t/{SLUG}/", f"/t/{SLUG}/tasks", f"/t/{SLUG}/scorecard",
                 f"/t/{SLUG}/indicators", f"/t/{SLUG}/time-travel", f"/t/{SLUG}/diff",
                 "/changes", f"/t/{SLUG}/tasks.csv", f"/t/{SLUG}/periodic-report.docx",
                 "/changes.xlsx", "/sign-in", f"/p/{SLUG}"):
        response = web_client.get(path, query_string=query(args))
        assert response.status_code < 500, (path, value, response.get_data()[:300])


@pytest.fixture
def web_client(app: Flask, tenancy: Tenancy, seeded: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, token(app, "test.web", (Role.TENANT_ADMIN, SLUG, ""),
                          (Role.AUDITOR, SLUG, "")))
    return client


def test_history_stored_with_unprintable_text_still_exports(
    tenancy: Tenancy, web_client: FlaskClient
) -> None:
    ledger = tenancy.ledger(SLUG, for_writing=True)
    dost = Context("dost\x07")
    ledger.handle(ReportProgress(task="5", period="2025-Q1", percent=40,
                                 narrative="Đang\x00 dự\x1b thảo\x7f"), dost)
    ledger.handle(CompleteTask(task="1", output_document="Kế hoạch\x0b 10/KH\x01-UBND\x9f",
                               completed_on=date(2025, 2, 28)), dost)
    ledger.handle(ChangeDeadline(task="2", deadline="12/2025", reason="Lý do\x08",
                                 decision_ref="1\x02/QĐ"), dost)
    for kind in ("csv", "xlsx"):
        for path in (f"/t/{SLUG}/tasks.{kind}", f"/t/{SLUG}/scorecard.{kind}",
                     f"/changes.{kind}"):
            response = web_client.get(path)
            assert response.status_code == 200, path
            readable(kind, response.get_data())
    response = web_client.get(f"/t/{SLUG}/periodic-report.docx?on=30/06/2025")
    assert response.status_code == 200
    readable("docx", response.get_data())
    for path in (f"/t/{SLUG}/tasks", f"/t/{SLUG}/tasks/5", f"/t/{SLUG}/tasks/1"):
        assert web_client.get(path).status_code == 200, path


def readable(kind: str, body: bytes) -> None:
    if kind == "csv":
        assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    elif kind == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(body)).active.max_row >= 1
    else:
        with zipfile.ZipFile(io.BytesIO(body)):
            pass
        assert docx.Document(io.BytesIO(body)).paragraphs


def test_a_period_typed_in_other_digits_is_stored_in_ascii_and_seen_as_a_correction(
    client: FlaskClient, seeded: str
) -> None:
    for period in ("٢٠٢٥-Q1", "２０２５－Ｑ１", "𝟐𝟎𝟐𝟓-Q1"):
        response = client.post(f"{seeded}/tasks/5/reports",
                               json={"period": period, "percent": 10, "narrative": "x"})
        assert response.status_code == 201, response.get_json()
    task = client.get(f"{seeded}/tasks/5").get_json()
    assert {r["period"] for r in task["reports"]} == {"2025-Q1"}
    changes = client.get(f"{seeded}/changes?type=report_corrected").get_json()
    assert len(changes["entries"]) == 2


def test_text_with_a_control_character_or_a_lone_surrogate_is_refused_naming_the_field(
    client: FlaskClient, admin_client: FlaskClient, seeded: str
) -> None:
    body = assert_problem(client.post(f"{seeded}/tasks/5/reports", json={
        "period": "2025-Q1", "percent": 10, "narrative": "Đang\x07 làm"}), 422)
    assert "U+0007" in body["errors"]["narrative"][0]
    body = assert_problem(admin_client.post(
        "/api/v1/tenants", data='{"slug": "da-nang", "display_name": "\\ud800"}',
        content_type="application/json"), 422)
    assert "surrogate" in body["errors"]["display_name"][0]
    ok = client.post(f"{seeded}/tasks/5/reports", json={
        "period": "2025-Q1", "percent": 10, "narrative": "Dòng 1\r\nDòng 2\tcột"})
    assert ok.status_code == 201


def test_query_values_out_of_range_are_refused_with_422(client: FlaskClient,
                                                        seeded: str) -> None:
    beyond = base64.urlsafe_b64encode(json.dumps({"after": 2**64}).encode()).decode()
    assert_problem(client.get(f"{seeded}/changes?cursor={beyond}"), 422)
    for day in ("31/12/9999", "01/01/0001", "9999-12-31"):
        assert_problem(client.get(f"{seeded}/summary?on={day}"), 422)
        assert_problem(client.get(f"{seeded}/status?known_at={day}"), 422)
    assert client.get(f"{seeded}/summary?on=٣٠/٠٦/٢٠٢٥").get_json()["on"] == "2025-06-30"


def test_a_sign_in_next_with_a_line_break_lands_home(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/sign-in?next=/t/x%0D%0ALocation:%20//evil")
    assert response.status_code == 200
    assert "evil" not in response.get_data(as_text=True)
