"""Work queues in the web, on both stores: "Việc cần xử lý" per role with its count in the
header, the reporter's own tasks as its landing page, and dashboard counts that lead to the
task list filtered to what they count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from domain.clock import Clock
from domain.obligations import days_overdue
from service.commands import ChangeDeadline, Context, ReportProgress, ReturnReport
from service.tenancy import Tenancy
from tests.web.conftest import REPORTER_AGENCY, TENANT, Tokens, csrf_of, sign_in, text
from web.views import queue as queue_views

AS_REPORTER = Context(actor="noivu.minh", agency=REPORTER_AGENCY)
DOST = Context(actor="dost.lan")
HEADER_COUNT = re.compile(r"data-queue-count>(\d+)<")
ROWS = re.compile(r'<tbody>(.*?)</tbody>', re.S)


def header_count(html: str) -> int:
    found = HEADER_COUNT.search(html)
    assert found, "the header shows no work queue count"
    return int(found.group(1))


def task_list_count(html: str) -> int:
    found = re.search(r'<p role="status">(\d+) nhiệm vụ', html)
    assert found, "the task list says no count"
    return int(found.group(1))


def test_the_standing_body_sees_what_waits_for_it_and_the_count_in_the_header(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(task="5", period="2025-Q1", percent=40,
                                 narrative="Đang dự thảo"), AS_REPORTER)
    sign_in(client, province.admin)
    dashboard = text(client.get(f"/t/{TENANT}/"))
    assert header_count(dashboard) == 1
    page = text(client.get(f"/t/{TENANT}/queue"))
    assert "Chờ cơ quan thường trực xem xét (1)" in page
    assert "Báo cáo tiến độ số 1" in page and "Quý I/2025: 40%" in page
    assert REPORTER_AGENCY in page and "Hôm nay" in page
    ledger.handle(ReturnReport(task="5", report=1, reason="Thiếu số liệu"), DOST)
    assert header_count(text(client.get(f"/t/{TENANT}/queue"))) == 0


def test_a_reporter_lands_on_its_agency_tasks_with_days_overdue_and_returned_reasons(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(task="9", period="2025-Q1", percent=30,
                                 narrative="Đang làm"), AS_REPORTER)
    ledger.handle(ReturnReport(task="9", report=1, reason="Chưa có minh chứng"), DOST)
    page = client.get("/sign-in").get_data(as_text=True)
    landing = client.post("/sign-in", data={"token": province.reporter,
                                            "csrf_token": csrf_of(page)})
    assert landing.status_code == 303 and landing.headers["Location"].endswith(
        f"/t/{TENANT}/my-tasks")
    page = text(client.get(f"/t/{TENANT}/my-tasks"))
    assert "Nhiệm vụ của đơn vị tôi" in page and "Nhiệm vụ đơn vị chủ trì (4)" in page
    state = tenancy.queries(TENANT).state()
    task = next(t for t in state.tasks.values() if t.number == "9")
    late = days_overdue(task.facts(), Clock().today())
    assert late is not None and f"Quá hạn {late} ngày" in page
    assert "Lý do trả lại: Chưa có minh chứng" in page
    queue = text(client.get(f"/t/{TENANT}/queue"))
    assert "Báo cáo bị trả lại" in queue and "Lý do: Chưa có minh chứng" in queue
    # 5, 8 and 9 (led) were due 3/2025, 31 (coordinated) 6/2025; 4 waits for its trigger.
    assert "Quá hạn (4)" in queue
    assert header_count(queue) >= 4


def test_auditors_see_what_is_new_since_their_last_visit(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.auditor)
    client.get(f"/t/{TENANT}/queue")
    tenancy.ledger(TENANT, for_writing=True).handle(ChangeDeadline(
        task="5", deadline="9/2025", reason="Chờ hướng dẫn", decision_ref="12/QĐ-UBND"), DOST)
    assert header_count(text(client.get(f"/t/{TENANT}/"))) == 1
    page = text(client.get(f"/t/{TENANT}/queue"))
    assert "Mới ghi nhận từ lần xem trước" in page and "Nhiệm vụ 5" in page


def test_each_dashboard_count_leads_to_the_tasks_it_counts(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    on = (Clock().today() - timedelta(days=600)).strftime("%d/%m/%Y")
    dashboard = text(client.get(f"/t/{TENANT}/?on={on}"))
    cards = re.findall(r'<a class="card-link" href="([^"]+)"><span class="count" '
                       r'data-status="(\w+)">(\d+)</span>', dashboard)
    assert len(cards) >= 6
    for href, _, count in cards:
        assert task_list_count(text(client.get(href))) == int(count), href
    bars = re.findall(r'<a href="([^"]+status=(\w+))"><g><title>[^<]*: [^<]* (\d+)</title>',
                      dashboard)
    assert bars
    for href, _, count in bars[:12]:
        assert task_list_count(text(client.get(href.replace("&amp;", "&")))) == int(count)
    for anchor in ("due_within=30", "missing=1"):
        href = re.search(rf'href="([^"]*{anchor}[^"]*)">Xem (\d+) nhiệm vụ', dashboard)
        assert href, anchor
        assert task_list_count(text(client.get(href.group(1).replace("&amp;", "&")))) == int(
            href.group(2))


def test_a_long_review_queue_lists_the_longest_waiting_first_and_all_on_request(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_views, "REVIEW_SHOWN", 1)
    ledger = tenancy.ledger(TENANT, for_writing=True)
    for period in ("2025-Q1", "2025-Q2"):
        ledger.handle(ReportProgress(task="5", period=period, percent=40,
                                     narrative="Đang dự thảo"), AS_REPORTER)
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/queue"))
    assert "Chờ cơ quan thường trực xem xét (2)" in page
    assert "Báo cáo tiến độ số 1" in page and "Báo cáo tiến độ số 2" not in page
    assert "Đang hiển thị 1 việc chờ lâu nhất trong số 2 việc." in page
    every = text(client.get(f"/t/{TENANT}/queue", query_string={"all": "1"}))
    assert "Báo cáo tiến độ số 1" in every and "Báo cáo tiến độ số 2" in every
    assert "Đang hiển thị" not in every
    assert header_count(every) == 2
