"""A page or an API answer loads the tenant's plan state once, however many parts read it;
the status, the summary and a task read only what they show, never the whole state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from projections.store import ReadModelStore
from service.queries import TenantQueries
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per load of the whole plan state from the read models."""
    counted: list[int] = []
    original = ReadModelStore.load

    def load(store: ReadModelStore, cursor: Any,
             kinds_ids: Iterable[tuple[str, str]] | None = None, *more: Any) -> Any:
        if kinds_ids is None:
            counted.append(1)
        return original(store, cursor, kinds_ids, *more)

    monkeypatch.setattr(ReadModelStore, "load", load)
    return counted


def test_a_page_that_reads_the_plan_state_loads_it_once(
    client: FlaskClient, province: Tokens, loads: list[int]
) -> None:
    sign_in(client, province.admin)
    client.get(f"/t/{TENANT}/indicators")  # the read models catch up first
    loads.clear()
    assert client.get(f"/t/{TENANT}/indicators").status_code == 200
    assert len(loads) == 1


@pytest.mark.parametrize(("token", "path"), [
    ("admin", "/t/{t}/"), ("admin", "/t/{t}/tasks"), ("admin", "/t/{t}/tasks?missing=1"),
    ("admin", "/t/{t}/queue"), ("reporter", "/t/{t}/my-tasks"),
    ("admin", "/changes"), ("admin", "/changes?tenant={t}")])
def test_the_pages_opened_every_day_read_no_whole_plan_state(
    client: FlaskClient, province: Tokens, loads: list[int], token: str, path: str
) -> None:
    # The dashboard, the task list, the work queues and the change log show counts, rows
    # and the latest report of each task: read from the status rows, never every report.
    sign_in(client, getattr(province, token))
    client.get(path.format(t=TENANT))  # the read models catch up first
    loads.clear()
    assert client.get(path.format(t=TENANT)).status_code == 200
    assert loads == []


@pytest.mark.parametrize("token", ["admin", "reporter"])
def test_a_task_page_and_its_header_count_read_no_whole_plan_state(
    client: FlaskClient, province: Tokens, loads: list[int], token: str
) -> None:
    sign_in(client, getattr(province, token))
    client.get(f"/t/{TENANT}/tasks/5")  # the read models catch up first
    loads.clear()
    page = client.get(f"/t/{TENANT}/tasks/5")
    assert page.status_code == 200 and "Việc cần xử lý" in page.get_data(as_text=True)
    assert loads == []


@pytest.mark.parametrize(("path", "whole_loads"), [
    ("/indicators", 1), ("/tasks/5", 0), ("/summary", 0), ("/status", 0)])
def test_an_api_answer_loads_the_plan_state_at_most_once(
    client: FlaskClient, province: Tokens, loads: list[int], path: str, whole_loads: int
) -> None:
    headers = {"Authorization": f"Bearer {province.admin}"}
    client.get(f"/api/v1/tenants/{TENANT}{path}", headers=headers)
    loads.clear()
    assert client.get(f"/api/v1/tenants/{TENANT}{path}", headers=headers).status_code == 200
    assert len(loads) == whole_loads


@pytest.mark.parametrize("query", ["", "?mode=known&on={today}", "?on={today}&plan=1"])
def test_the_time_travel_page_reads_no_whole_plan_state(
    client: FlaskClient, province: Tokens, loads: list[int],
    monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # As known at a time, the page reads the plans then and the checkpointed status rows,
    # neither the whole state folded at that time nor the whole state of now.
    folded: list[dict[str, Any]] = []
    original = TenantQueries.state

    def whole(reads: TenantQueries, **when: Any) -> Any:
        folded.append(when)
        return original(reads, **when)

    monkeypatch.setattr(TenantQueries, "state", whole)
    sign_in(client, province.admin)
    path = f"/t/{TENANT}/time-travel" + query.format(today=date.today().strftime("%d/%m/%Y"))
    client.get(path)  # the read models catch up first
    loads.clear()
    folded.clear()
    page = client.get(path)
    assert page.status_code == 200 and "Tổng số nhiệm vụ" in page.get_data(as_text=True)
    assert loads == [] and folded == []


# The standing body's forms on a task read that task alone (and the report reviewed),
# whether shown, refused or recorded.
TASKS = f"/t/{TENANT}/tasks"
TASK_FORMS = ["5/deadline", "5/reword", "5/reassign", "4/trigger", "5/cancel",
              "5/suspend", "5/resume"]


@pytest.mark.parametrize("form", TASK_FORMS)
def test_a_task_form_reads_no_whole_plan_state(
    client: FlaskClient, province: Tokens, loads: list[int], form: str
) -> None:
    sign_in(client, province.admin)
    client.get(f"{TASKS}/5")  # the read models catch up first
    loads.clear()
    shown = client.get(f"{TASKS}/{form}")
    refused = client.post(f"{TASKS}/{form}", data={
        **form_fields(text(shown)), "effective_on": "31/02/2025", "triggered_on": "31/02/2025"})
    assert (shown.status_code, refused.status_code) == (200, 422)
    assert "'31/02/2025' không phải ngày hợp lệ" in text(refused)
    assert loads == []


def test_reviewing_a_report_reads_that_report_and_records_its_decision(
    client: FlaskClient, province: Tokens, loads: list[int], tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    report = text(client.get(f"{TASKS}/5/report"))
    for percent in ("20", "40"):
        client.post(f"{TASKS}/5/report", data={
            **form_fields(report), "period": "2025-Q1", "percent": percent,
            "narrative": "Đang làm"})
        report = text(client.get(f"{TASKS}/5/report"))
    client.post("/sign-out", data=form_fields(report))
    sign_in(client, province.admin)
    client.get(f"{TASKS}/5")
    loads.clear()
    path = f"{TASKS}/5/reports/1/review"
    shown = text(client.get(path))
    assert "Xem xét báo cáo số 1" in shown and "20 %" in shown
    assert client.get(f"{TASKS}/5/reports/3/review").status_code == 404
    done = client.post(path, data={**form_fields(shown), "decision": "verify", "note": ""})
    assert done.status_code == 303 and done.headers["Location"].endswith("/tasks/5#bao-cao")
    assert loads == []
    detail = tenancy.queries(TENANT).task_detail("5", None, tenancy.clock.today())
    assert [r.state for r in detail.reports] == ["verified", "submitted"]
