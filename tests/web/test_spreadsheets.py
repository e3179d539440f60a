"""Spreadsheets ready to hand over: a title block, a frozen and filterable header, typed
values, A4 landscape fitted to the width with the header on every page, meaningful sheet
names, a summary per agency with percentages, and the plan on every sheet."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, sign_in
from tests.web.test_history import change_deadlines

T = f"/t/{TENANT}"


def book(client: FlaskClient, path: str) -> openpyxl.Workbook:
    response = client.get(path)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


def test_the_task_workbook_is_ready_to_print_and_hand_over(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    workbook = book(client, f"{T}/tasks.xlsx?on=30/06/2025")
    assert workbook.sheetnames == ["Tình trạng nhiệm vụ", "Tổng hợp theo cơ quan"]
    tasks = workbook["Tình trạng nhiệm vụ"]
    assert tasks["A1"].value == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM"
    assert tasks["A2"].value == "TÌNH TRẠNG THỰC HIỆN CÁC NHIỆM VỤ"
    assert tasks["A3"].value == "Kế hoạch số 1534/KH-UBND"
    assert "30/06/2025" in tasks["A4"].value
    assert tasks.freeze_panes == "A7" and tasks.auto_filter.ref == "A6:P66"
    assert tasks.page_setup.orientation == "landscape" and tasks.page_setup.paperSize == 9
    assert tasks.page_setup.fitToWidth == 1 and tasks.sheet_properties.pageSetUpPr.fitToPage
    assert tasks.print_title_rows == "$6:$6"
    assert tasks["P6"].value == "Kế hoạch" and tasks["P7"].value == "1534/KH-UBND"
    assert isinstance(tasks["H7"].value, datetime) and isinstance(tasks["I7"].value, int)
    assert tasks.column_dimensions["C"].width >= 40
    summary = workbook["Tổng hợp theo cơ quan"]
    header = [c.value for c in summary[6]]
    assert header[0] == "Cơ quan chủ trì" and header[-1] == "Kế hoạch"
    share = summary.cell(row=7, column=header.index("Tỷ lệ hoàn thành") + 1)
    assert isinstance(share.value, int | float) and share.number_format == "0.0%"
    assert sum(row[1].value for row in summary.iter_rows(min_row=7)) >= 60


def test_scorecard_and_change_log_workbooks_name_their_sheets_and_plans(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    change_deadlines(tenancy)
    sign_in(client, province.admin)
    scores = book(client, f"{T}/scorecard.xlsx?year=2025")
    assert scores.sheetnames == ["Xếp hạng cơ quan năm 2025"]
    sheet = scores.active
    assert sheet["J6"].value == "Kế hoạch" and sheet["G7"].number_format == "0.0%"
    changes = book(client, f"/changes.xlsx?tenant={TENANT}").active
    assert changes.title == "Nhật ký thay đổi"
    assert changes["L6"].value == "Kế hoạch" and changes["L7"].value == "1534/KH-UBND"
    assert isinstance(changes["B7"].value, datetime | date)
