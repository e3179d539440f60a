"""Reading plans from spreadsheets: the shipped template, and CSV or XLSX files laid out
freely (columns shuffled, extra columns, semicolons, a byte order mark)."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from domain.plan_document import PlanHeader
from importers import ImportFormatError, read_plan_bytes, read_plan_document
from tests.messages import english

TEMPLATES = Path(__file__).resolve().parents[2] / "importers" / "templates"

SEMICOLON_CSV = """\
Số kế hoạch;45/KH-UBND
Ngày ban hành (dd/mm/yyyy);05/03/2025
Căn cứ;Nghị quyết số 57-NQ/TW; 03/NQ-CP

Thời hạn;Nội dung nhiệm vụ;STT;Cơ quan chủ trì;Nguồn kinh phí;Cơ quan phối hợp;Kết quả
3/2025;Xây dựng, ban hành kế hoạch chuyển đổi số;1;Sở Khoa học và Công nghệ;Ngân sách tỉnh;\
Các Sở, ban, ngành;Kế hoạch
;;;;;;
2025;;2;Sở Nội vụ;;;Báo cáo
Hằng năm;Đánh giá mức độ chuyển đổi số;một;Sở Tài chính;;;Báo cáo
Thường xuyên;Bảo đảm an toàn thông tin;4.;Công an tỉnh;;Các Sở;Báo cáo
"""


def test_a_semicolon_csv_with_a_byte_order_mark_and_shuffled_columns_is_read() -> None:
    data = "\ufeff".encode() + SEMICOLON_CSV.encode()

    document = read_plan_bytes(data, "nhiem-vu.csv")
    first = document.tasks[0]

    assert document.header.number == "45/KH-UBND"
    assert document.header.issued_on == date(2025, 3, 5)
    assert document.header.legal_basis == ("57-NQ/TW", "03/NQ-CP")
    assert [task.number for task in document.tasks] == ["1", "4"]
    assert first.title == "Xây dựng, ban hành kế hoạch chuyển đổi số"
    assert (first.leads, first.coordinators) == ("Sở Khoa học và Công nghệ", "Các Sở, ban, ngành")
    assert (first.expected_output, first.deadline) == ("Kế hoạch", "3/2025")
    assert first.extra == {"Nguồn kinh phí": "Ngân sách tỉnh"}
    assert document.source_format == "csv"


def test_csv_tasks_without_a_group_column_form_one_group() -> None:
    document = read_plan_bytes(SEMICOLON_CSV.encode(), "nhiem-vu.csv")

    assert [(group.code, group.title) for group in document.groups] == [("I", "Nhiệm vụ")]
    assert {task.group_code for task in document.tasks} == {"I"}


def test_csv_rows_missing_a_title_or_with_an_unreadable_number_are_reported_by_row() -> None:
    document = read_plan_bytes(SEMICOLON_CSV.encode(), "nhiem-vu.csv")

    assert [(problem.row, english(problem.reason)) for problem in document.problems] == [
        (8, "the task has no title"),
        (9, "unreadable task number 'một'"),
    ]
    assert document.problems[1].content.startswith("Hằng năm | Đánh giá mức độ chuyển đổi số")


def test_a_csv_without_a_plan_number_is_refused_naming_the_field() -> None:
    data = SEMICOLON_CSV.replace("Số kế hoạch;45/KH-UBND\n", "").encode()

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "nhiem-vu.csv")
    assert re.search("'Số kế hoạch' is needed", english(refused.value))


def test_a_caller_supplied_header_stands_in_for_missing_metadata() -> None:
    data = SEMICOLON_CSV.replace("Số kế hoạch;45/KH-UBND\n", "").encode()
    given = PlanHeader(number="45/KH-UBND", title="Kế hoạch chuyển đổi số", issued_on=None)

    document = read_plan_bytes(data, "nhiem-vu.csv", header=given)

    assert (document.header.number, document.header.title) == (given.number, given.title)
    assert document.header.issued_on == date(2025, 3, 5)


def _xlsx() -> bytes:
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = "Danh sách"
    tasks.append(["Số kế hoạch", "88/KH-UBND"])
    tasks.append(["Ngày ban hành", datetime(2025, 4, 1)])
    tasks.append([])
    tasks.append(
        ["Ghi chú", "Thời gian hoàn thành", "Tên nhiệm vụ", "TT", "Nhóm", "Tên nhóm", "Chủ trì"]
    )
    tasks.append(["", "6/2025", "Số hóa hồ sơ", 1, 1, "Chính quyền số", "Văn phòng UBND tỉnh"])
    tasks.append(["Gấp", datetime(2025, 9, 1), "Mở dữ liệu", 2, 1, "", "Sở Khoa học và Công nghệ"])
    tasks.cell(row=6, column=2).number_format = "m/yyyy"
    tasks.append(["", "2026", "Kinh tế số", 3, "II", "Kinh tế số", "Sở Tài chính"])
    tasks.append(["", "2026", "Xã hội số", "3a", "II", "", "Sở Văn hóa"])
    indicators = workbook.create_sheet("Chỉ tiêu")
    indicators.append(["Cơ quan theo dõi", "Kết quả", "Chỉ tiêu", "Mốc năm", "TT", "ĐVT"])
    indicators.append(["Sở Khoa học và Công nghệ", "≥ 80", "Dịch vụ công trực tuyến", 2030, 1, "%"])
    indicators.append(["Sở Tài chính", "≥ 50", "Kinh tế số", "2045", "2.", "% GRDP"])
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_an_xlsx_plan_with_shuffled_columns_and_a_group_column_is_read() -> None:
    document = read_plan_bytes(_xlsx(), "ke-hoach.xlsx")

    assert (document.header.number, document.header.issued_on) == ("88/KH-UBND", date(2025, 4, 1))
    assert [(group.code, group.title) for group in document.groups] == [
        ("I", "Chính quyền số"),
        ("II", "Kinh tế số"),
    ]
    assert [(t.group_code, t.number, t.title) for t in document.tasks] == [
        ("I", "1", "Số hóa hồ sơ"),
        ("I", "2", "Mở dữ liệu"),
        ("II", "3", "Kinh tế số"),
    ]
    assert document.tasks[1].leads == "Sở Khoa học và Công nghệ"
    assert document.tasks[1].extra == {"Ghi chú": "Gấp"}
    assert document.source_format == "xlsx"


def test_an_excel_date_in_a_deadline_cell_reads_as_it_was_typed() -> None:
    document = read_plan_bytes(_xlsx(), "ke-hoach.xlsx")

    assert document.tasks[1].deadline == "9/2025"


def test_an_xlsx_row_with_an_unreadable_number_is_reported_with_its_sheet_and_row() -> None:
    (problem,) = read_plan_bytes(_xlsx(), "ke-hoach.xlsx").problems

    assert problem.row == 8
    assert english(problem.reason) == "sheet 'Danh sách': unreadable task number '3a'"


def test_an_xlsx_indicator_sheet_reads_years_and_codes_in_any_column_order() -> None:
    indicators = read_plan_bytes(_xlsx(), "ke-hoach.xlsx").indicators

    assert [(row.code, row.name, row.unit, row.target, row.horizon_year) for row in indicators] == [
        ("1", "Dịch vụ công trực tuyến", "%", "≥ 80", 2030),
        ("2", "Kinh tế số", "% GRDP", "≥ 50", 2045),
    ]
    assert indicators[0].responsible == "Sở Khoa học và Công nghệ"


def test_the_shipped_xlsx_template_imports_with_its_examples() -> None:
    document = read_plan_document(TEMPLATES / "ke-hoach-mau.xlsx")

    assert document.header.number == "1534/KH-UBND"
    assert document.header.issued_on == date(2025, 2, 27)
    assert document.header.signer == "Lê Văn Dũng"
    assert document.header.legal_basis == ("57-NQ/TW", "03/NQ-CP", "60-CTr/TU")
    assert [group.code for group in document.groups] == ["I", "II"]
    assert len(document.tasks) == 2
    assert [row.horizon_year for row in document.indicators] == [2030, 2045]
    assert document.problems == ()


def test_the_shipped_csv_template_imports_with_its_metadata_lines() -> None:
    document = read_plan_document(TEMPLATES / "nhiem-vu-mau.csv")

    assert document.header.number == "1534/KH-UBND"
    assert document.header.issuing_body == "UBND tỉnh Quảng Nam"
    assert [task.deadline for task in document.tasks] == ["02/2025", "3/2025"]
    assert document.tasks[1].extra == {"Ghi chú": "Ví dụ: có thể xoá dòng này"}
    assert document.problems == ()


def test_a_damaged_xlsx_file_is_refused_as_not_a_workbook() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"not a workbook at all", "hong.xlsx")
    assert re.search(r"not a valid \.xlsx", english(refused.value))


def test_a_csv_with_a_task_header_but_no_rows_is_refused_saying_so() -> None:
    data = "Số kế hoạch,1/KH-UBND\nTT,Tên nhiệm vụ,Cơ quan chủ trì\n\n".encode()

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "nhiem-vu.csv")
    assert re.search("header but no task rows", english(refused.value))
