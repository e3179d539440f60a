"""The reading pages: dashboard, task list and filters, task page, indicators, scorecard,
public page. Every page is Vietnamese, dated dd/mm/yyyy."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient

from service.commands import (
    CancelTask,
    ChangeDeadline,
    CompleteTask,
    Context,
    ReassignTask,
    ReportIndicatorValue,
    ReportProgress,
    VerifyReport,
)
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.integrity.conftest import Intruder
from tests.web.conftest import TENANT, Tokens, sign_in, text

ON = date(2025, 3, 15)


def counts_on_page(html: str) -> dict[str, int]:
    return {status: int(count) for status, count in
            re.findall(r'data-status="(\w+)">(\d+)<', html)}


def test_the_dashboard_counts_each_status_class_as_the_summary_does(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(
        task="5", period="2025-Q1", percent=40, narrative="Đang dự thảo"), Context("dost.lan"))
    ledger.handle(CompleteTask(
        task="1", output_document="Kế hoạch 10/KH-UBND",
        completed_on=date(2025, 2, 28)), Context("dost.lan"))
    ledger.handle(CancelTask(
        task="2", reason="Trùng nhiệm vụ 3", decision_ref="99/QĐ-UBND"), Context("dost.lan"))
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/?on=15/03/2025"))
    summary = tenancy.queries(TENANT).summary(ON)
    shown = {k: v for k, v in summary.overall.items() if k != "suspended"}
    assert counts_on_page(html) == shown
    assert summary.overall["cancelled"] == 1 and "Đã hủy (tính riêng)" in html
    assert summary.overall["done_on_time"] == 1 and summary.overall["open_within_deadline"] >= 1
    assert "Tình trạng chung ngày 15/03/2025" in html
    assert html.count("<svg class=\"chart\"") == 2
    assert "Tình trạng nhiệm vụ theo cơ quan chủ trì" in html
    assert "Nhiệm vụ chưa báo cáo Quý I/2025" in html
    assert "#157f3b" in html and "#b91c1c" in html  # green and red segments


def test_a_date_that_cannot_be_read_is_said_so_and_today_is_used(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/?on=31/02/2025"))
    assert "'31/02/2025' không phải ngày hợp lệ" in html and 'aria-invalid="true"' in html


def test_the_task_list_searches_without_diacritics_and_filters(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    def numbers(query: str) -> list[str]:
        found = text(client.get(f"/t/{TENANT}/tasks?q={query}"))
        return re.findall(r'/t/quang-nam/tasks/(\d+)"', found)

    bare, marked = numbers("ha+tang+so"), numbers("hạ+tầng+số")
    assert bare == marked and 0 < len(bare) < 60
    overdue = text(client.get(f"/t/{TENANT}/tasks?status=open_overdue&on=01/04/2025"))
    assert "Chưa hoàn thành - quá hạn" in overdue
    assert "Chưa triển khai</span>" not in overdue
    group = text(client.get(f"/t/{TENANT}/tasks?group=IV"))
    assert re.findall(r"<tr><td data-label=\"Nhóm\">(\w+)</td>", group) == ["IV", "IV"]
    due = text(client.get(f"/t/{TENANT}/tasks?due_from=01/03/2025&due_to=31/03/2025"))
    assert "hạn 31/03/2025" in due and "hạn 28/02/2025" not in due
    bad = text(client.get(f"/t/{TENANT}/tasks?due_from=hôm+qua"))
    assert "không phải ngày hợp lệ" in bad


def test_the_task_page_shows_details_reports_and_a_timeline_of_every_event(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ctx = Context("dost.lan", effective_on=date(2025, 3, 10))
    ledger.handle(ChangeDeadline(
        task="5", deadline="6/2025", reason="Chờ hướng dẫn của Bộ",
        decision_ref="123/QĐ-UBND"), ctx)
    ledger.handle(ReassignTask(
        task="5", leads=("Sở Nội vụ",), coordinators=("Sở Tư pháp",), reason="Bổ sung phối hợp",
        decision_ref="130/QĐ-UBND"), Context("dost.lan"))
    ledger.handle(ReportProgress(
        task="5", period="2025-Q2", percent=60,
        narrative="Đã trình dự thảo"), Context("noivu.minh",
                           agency="Sở Nội vụ"))
    ledger.handle(VerifyReport(task="5", report=1, note="Đúng tiến độ"), Context("dost.lan"))
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/tasks/5"))
    for expected in ("Giao nhiệm vụ 5: chủ trì Sở Nội vụ, thời hạn '3/2025'",
                     "Điều chỉnh thời hạn từ '3/2025' thành '6/2025'", "Chờ hướng dẫn của Bộ",
                     "Văn bản: 123/QĐ-UBND", "hiệu lực 10/03/2025", "Giao lại cho Sở Nội vụ",
                     "Báo cáo số 1, Quý II/2025: 60%", "Báo cáo số 1 đã được xác nhận",
                     "Quý II/2025", "Đã xác nhận", "Sở Tư pháp", "thay mặt Sở Nội vụ",
                     "đã điều chỉnh 1 lần, lùi 91 ngày", "Diễn biến (5 sự kiện)"):
        assert expected in html, expected
    assert client.get(f"/t/{TENANT}/tasks/999").status_code == 404


def test_a_task_page_shows_the_latest_reports_and_events_and_every_one_when_asked(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    for n in range(1, 56):
        ledger.handle(ReportProgress(task="5", period="2025-Q2", percent=min(n, 100),
                                     narrative=f"Bước {n}"), Context("dost.lan"))
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/tasks/5"))
    assert "20 báo cáo gần nhất trong 55 báo cáo" in html
    assert "Bước 55" in html and "Bước 36<" in html and "Bước 35<" not in html
    assert "Diễn biến (56 sự kiện)" in html and "20 sự kiện gần nhất" in html
    assert "Giao nhiệm vụ 5" not in html  # the first event, older than the latest 20
    every = text(client.get(f"/t/{TENANT}/tasks/5?all=1"))
    assert "Bước 1<" in every and "Giao nhiệm vụ 5" in every
    assert "báo cáo gần nhất" not in every and "sự kiện gần nhất" not in every


def test_indicators_show_the_latest_value_against_the_target(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportIndicatorValue(
        indicator="7.1", period="2025", value="62,5",
        source="Báo cáo 30/BC-SKHCN"), Context("dost.lan"))
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/indicators"))
    assert "62,5" in html and "Báo cáo 30/BC-SKHCN" in html and "Năm 2025" in html
    assert 'class="heading"' in html and "Chưa có số liệu" in html


def test_the_scorecard_ranks_agencies_for_the_year_asked(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    tenancy.ledger(TENANT, for_writing=True).handle(CompleteTask(
        task="5", output_document="Quyết định 45/QĐ-UBND",
        completed_on=date(2025, 3, 20)), Context("dost.lan"))
    sign_in(client, province.admin)
    html = text(client.get(f"/t/{TENANT}/scorecard?year=2025"))
    first = tenancy.queries(TENANT).scorecard(2025, date.today())[0]
    assert first.agency == "Sở Nội vụ"
    assert re.search(r'<td class="num">1</td><th scope="row">Sở Nội vụ</th>', html)
    assert "Kết quả của các cơ quan năm 2025" in html


def test_the_public_page_needs_no_sign_in_and_links_to_nothing_internal(
    client: FlaskClient, province: Tokens
) -> None:
    html = text(client.get(f"/p/{TENANT}?on=01/04/2025"))
    assert "Quảng Nam: kết quả thực hiện Nghị quyết 57-NQ/TW" in html
    assert "Kết quả của các cơ quan năm 2025" in html and "Tiến độ thực hiện nhiệm vụ" in html
    assert "/t/quang-nam" not in html
    assert client.get("/p/khong-co").status_code == 404


def test_the_home_page_lists_the_provinces_each_viewer_follows(
    client: FlaskClient, province: Tokens
) -> None:
    anonymous = text(client.get("/"))
    assert "/p/quang-nam" in anonymous and "/t/quang-nam" not in anonymous
    sign_in(client, province.reporter)
    mine = text(client.get("/"))
    assert "/t/quang-nam/" in mine and "/t/da-nang/" not in mine


def test_the_pages_of_a_province_whose_log_failed_verification_say_so(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    tenancy.integrity.ttl = 0
    sign_in(client, province.admin)
    assert "bị sửa đổi" not in text(client.get(f"/t/{TENANT}/"))
    Intruder(tenancy, TENANT).flip_one_byte(20)
    TenantIntegrity(tenancy.application(TENANT)).verify_live()
    html = text(client.get(f"/t/{TENANT}/tasks"))
    assert "Cảnh báo: dữ liệu lịch sử có dấu hiệu bị sửa đổi" in html
    assert "đầu tiên tại vị trí 20" in html
