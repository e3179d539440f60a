"""Time travel and diffs for auditors, the change log across provinces for inspectors, and
the exports (CSV with a BOM, XLSX, DOCX)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

import docx
import openpyxl
from flask import Flask
from flask.testing import FlaskClient

from projections.change_log import ChangeFilter
from service.commands import ChangeDeadline, Context
from service.tenancy import Tenancy
from tests.web.conftest import OTHER, TENANT, Tokens, sign_in, text
from web.state import state
from web.views.changes import encode, merged_page

T = f"/t/{TENANT}"


def change_deadlines(tenancy: Tenancy) -> None:
    ctx = Context("dost.lan", effective_on=date(2025, 5, 15))
    tenancy.ledger(TENANT, for_writing=True).handle(ChangeDeadline(
        task="5", deadline="9/2025", reason="Chờ Trung ương", decision_ref="20/QĐ-UBND"), ctx)
    tenancy.ledger(OTHER, for_writing=True).handle(ChangeDeadline(
        task="7", deadline="12/2025", reason="Thiếu kinh phí",
        decision_ref="88/QĐ-UBND"), Context("danang.admin"))


def test_time_travel_shows_the_plan_as_known_at_the_end_of_a_day(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, web_app: Flask
) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.auditor)
    with web_app.app_context():
        today = state().today()
    before = text(client.get(f"{T}/time-travel?on={today - timedelta(days=1):%d/%m/%Y}"))
    assert "Như đã biết vào cuối ngày" in before and "Không có nhiệm vụ nào." in before
    now = text(client.get(f"{T}/time-travel?on={today:%d/%m/%Y}"))
    assert re.search(r'data-status="total">60<', now) and "9/2025" in now


def test_time_travel_by_effective_date_applies_changes_from_the_day_they_took_effect(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.auditor)

    def deadline_of_task_5(on: str) -> str:
        page = text(client.get(f"{T}/time-travel?mode=effective&on={on}"))
        row = page.split('/t/quang-nam/tasks/5"', 1)[1].split("</tr>", 1)[0]
        return re.findall(r"<td data-label=\"Thời hạn\">([^<]+)<br>", row)[-1]

    assert deadline_of_task_5("01/05/2025") == "3/2025"
    assert deadline_of_task_5("01/06/2025") == "9/2025"
    before_plan = text(client.get(f"{T}/time-travel?mode=effective&on=01/01/2025"))
    assert "Không có nhiệm vụ nào." in before_plan


def test_the_diff_between_two_days_lists_what_changed(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, web_app: Flask
) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.auditor)
    with web_app.app_context():
        today = state().today()
    page = text(client.get(f"{T}/diff?before={today - timedelta(days=1):%d/%m/%Y}"
                           f"&after={today:%d/%m/%Y}"))
    assert page.count("Nhiệm vụ mới") == 60
    same_day = text(client.get(f"{T}/diff?before={today:%d/%m/%Y}&after={today:%d/%m/%Y}"))
    assert "0 thay đổi" in same_day
    backwards = text(client.get(f"{T}/diff?before={today:%d/%m/%Y}&after=01/01/2025"))
    assert "Ngày đầu phải trước hoặc bằng ngày sau" in backwards


def test_the_change_log_merges_the_provinces_an_inspector_may_see(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.inspector)
    page = text(client.get("/changes"))
    assert "Quảng Nam" in page and "Đà Nẵng" in page
    assert "Điều chỉnh thời hạn từ '3/2025' thành '9/2025'" in page and "88/QĐ-UBND" in page
    assert page.index("20/QĐ-UBND") < page.index("88/QĐ-UBND")  # in recorded order
    one = text(client.get(f"/changes?tenant={OTHER}"))
    assert "88/QĐ-UBND" in one and "20/QĐ-UBND" not in one
    by_agency = text(client.get("/changes?agency=so+noi+vu&type=deadline_changed"))
    assert "20/QĐ-UBND" in by_agency and "88/QĐ-UBND" not in by_agency
    by_effective = text(client.get("/changes?effective_from=01/05/2025&effective_to=31/05/2025"))
    assert "20/QĐ-UBND" in by_effective and "88/QĐ-UBND" not in by_effective
    sign_in(client, province.admin)  # a new session: Quảng Nam's standing body
    assert "88/QĐ-UBND" not in text(client.get("/changes"))


def test_the_merged_change_log_pages_by_a_cursor_of_positions(
    web_app: Flask, province: Tokens, tenancy: Tenancy
) -> None:
    for slug in (TENANT, OTHER):
        ledger = tenancy.ledger(slug, for_writing=True)
        for number in ("1", "2", "3"):
            ledger.handle(ChangeDeadline(
                task=number, deadline="12/2025", reason="Lùi",
                decision_ref=""), Context("dost.lan"))
    with web_app.test_request_context():
        tenants = tenancy.registry.list()
        first, after = merged_page(tenants, ChangeFilter(), 4, {})
        assert after is not None and len(first) == 4
        second, end = merged_page(tenants, ChangeFilter(), 4, after)
        assert end is None and len(second) == 2
    seen = [(c.tenant.slug, c.entry.position) for c in first + second]
    assert len(set(seen)) == 6
    assert [c.entry.recorded_at for c in first + second] == sorted(
        c.entry.recorded_at for c in first + second)
    assert encode(after)


def test_exports_are_excel_ready(client: FlaskClient, province: Tokens, tenancy: Tenancy
                                 ) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.admin)
    status_csv = client.get(f"{T}/tasks.csv?status=open_overdue&on=01/04/2025")
    assert status_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in status_csv.headers["Content-Disposition"]
    assert status_csv.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(status_csv.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nhóm", "TT", "Tên nhiệm vụ"]
    assert {row[10] for row in rows[1:]} == {"Chưa hoàn thành - quá hạn"}
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", rows[1][7])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{T}/tasks.xlsx").data)).active
    assert sheet["C6"].value == "Tên nhiệm vụ" and sheet.max_row == 66
    assert isinstance(sheet["H7"].value, datetime) and sheet["H7"].number_format == "dd/mm/yyyy"
    scores = openpyxl.load_workbook(io.BytesIO(
        client.get(f"{T}/scorecard.xlsx?year=2025").data)).active
    assert scores["B6"].value == "Cơ quan" and scores.max_row > 6
    changes = client.get("/changes.csv?type=deadline_changed")
    lines = list(csv.reader(io.StringIO(changes.data.decode("utf-8-sig"))))
    assert lines[0][0] == "Thời điểm ghi nhận" and lines[1][7] == "Chờ Trung ương"
    assert lines[1][3:7] == ["Điều chỉnh thời hạn", "Nhiệm vụ 5",
                             "Điều chỉnh thời hạn từ '3/2025' thành '9/2025'", "3/2025 → 9/2025"]
    changes_xlsx = openpyxl.load_workbook(io.BytesIO(client.get("/changes.xlsx").data)).active
    assert changes_xlsx.max_row == 7


def test_the_periodic_report_prints_and_downloads_as_word(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"{T}/periodic-report?kind=Q2&year=2025&on=01/04/2025"))
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Nam" in page and "quý II năm 2025" in page
    assert "IV. Nhiệm vụ chưa hoàn thành, quá hạn" in page
    word = client.get(f"{T}/periodic-report.docx?kind=Q2&year=2025&on=01/04/2025")
    document = docx.Document(io.BytesIO(word.data))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Nam" in paragraphs
