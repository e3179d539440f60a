"""Each role sees and does exactly what domain/policy.py allows: links are hidden and the
server refuses anyway. A province a principal may not see answers as if it did not exist."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.commands import Context, ReportProgress
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text

T = f"/t/{TENANT}"
ROLES = ("admin", "reporter", "auditor", "inspector", "system", "other_admin")
# page -> expected status for each role above, in that order
MATRIX = {
    f"{T}/": (200, 200, 200, 200, 403, 404),
    f"{T}/tasks": (200, 200, 200, 200, 403, 404),
    f"{T}/tasks/5": (200, 200, 200, 200, 403, 404),
    f"{T}/indicators": (200, 200, 200, 200, 403, 404),
    f"{T}/scorecard?year=2025": (200, 200, 200, 200, 403, 404),
    f"{T}/periodic-report": (200, 200, 200, 200, 403, 404),
    f"{T}/tasks.csv": (200, 200, 200, 200, 403, 404),
    f"{T}/time-travel": (200, 200, 200, 403, 403, 404),
    f"{T}/diff": (200, 200, 200, 403, 403, 404),
    "/changes": (200, 403, 200, 200, 403, 200),
    f"{T}/import": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/deadline": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/reassign": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/report": (200, 200, 403, 403, 403, 404),
    f"{T}/tasks/1/report": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/reports/1/review": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/4/trigger": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/suspend": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/resume": (200, 403, 403, 403, 403, 404),
    f"{T}/tasks/5/cancel": (200, 403, 403, 403, 403, 404),
    f"{T}/indicators/7.8": (200, 200, 200, 200, 403, 404),
    f"{T}/indicators/7.8/values": (200, 200, 403, 403, 403, 404),
    f"{T}/indicators/7.1/values": (200, 403, 403, 403, 403, 404),
    f"{T}/indicators/7.8/target": (200, 403, 403, 403, 403, 404),
    f"/p/{TENANT}": (200, 200, 200, 200, 200, 200),
}


@pytest.fixture
def reported(province: Tokens, tenancy: Tenancy) -> Tokens:
    tenancy.ledger(TENANT, for_writing=True).handle(ReportProgress(
        task="5", period="2025-Q1", percent=30,
        narrative="Đang làm"), Context("noivu.minh", agency="Sở Nội vụ"))
    return province


def signed_in(web_app: Flask, token: str) -> FlaskClient:
    client = web_app.test_client()
    sign_in(client, token)
    return client


def test_each_role_reaches_exactly_the_pages_policy_allows(
    web_app: Flask, reported: Tokens
) -> None:
    found: dict[str, tuple[int, ...]] = {}
    for role in ROLES:
        client = signed_in(web_app, getattr(reported, role))
        for path in MATRIX:
            found[path] = (*found.get(path, ()), client.get(path).status_code)
    assert found == MATRIX


def test_links_a_role_may_not_use_are_not_shown(web_app: Flask, reported: Tokens) -> None:
    client = signed_in(web_app, reported.inspector)
    page = text(client.get(f"{T}/tasks/5"))
    assert "Điều chỉnh thời hạn" not in page and "Báo cáo tiến độ</a>" not in page
    assert "Diễn biến" not in page and "Tra cứu theo thời điểm" not in page
    assert "Xác nhận báo cáo 1" not in page and "Nhập kế hoạch" not in page
    client = signed_in(web_app, reported.reporter)
    assert "Báo cáo tiến độ</a>" in text(client.get(f"{T}/tasks/5"))
    assert "Báo cáo tiến độ</a>" not in text(client.get(f"{T}/tasks/1"))
    assert "Nhật ký thay đổi" not in text(client.get(f"{T}/"))
    client = signed_in(web_app, reported.admin)
    admin = text(client.get(f"{T}/tasks/5"))
    for link in ("Điều chỉnh thời hạn", "Giao lại", "Xác nhận báo cáo 1", "Nhập kế hoạch",
                 "Tra cứu theo thời điểm", "Diễn biến"):
        assert link in admin, link


def test_the_server_refuses_a_write_the_role_may_not_make(
    client: FlaskClient, reported: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, reported.reporter)
    fields = form_fields(text(client.get(f"{T}/tasks/5/report")))
    assert client.post(f"{T}/tasks/5/deadline", data={
        **fields, "deadline": "6/2025", "reason": "Lùi"}).status_code == 403
    assert client.post(f"{T}/tasks/1/report", data={
        **fields, "period": "2025-Q1", "percent": "10", "narrative": "x"}).status_code == 403
    assert client.post(f"{T}/tasks/5/reports/1/review", data={
        **fields, "decision": "verify"}).status_code == 403
    assert client.post(f"{T}/import/confirm", data=fields).status_code == 403
    assert tenancy.ledger(TENANT).task("5").deadline.text == "3/2025"
    assert len(tenancy.ledger(TENANT).task("1").reports) == 0


def test_a_reporter_reports_only_for_its_own_agency(
    client: FlaskClient, reported: Tokens, tenancy: Tenancy
) -> None:
    plan = tenancy.queries(TENANT).state()
    other = next(k for k, name in plan.agencies.items() if name == "Sở Tư pháp")
    sign_in(client, reported.reporter)
    fields = form_fields(text(client.get(f"{T}/tasks/5/report")))
    posted = client.post(f"{T}/tasks/5/report", data={
        **fields, "agency": other, "period": "2025-Q2", "percent": "50", "narrative": "x"})
    assert posted.status_code == 303
    entry = tenancy.queries(TENANT).history("5")[-1]
    assert entry.on_behalf_of == "Sở Nội vụ"
