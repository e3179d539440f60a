"""Reading Word plans whose header sits in paragraphs and layout tables and whose appendices
are real tables, built here with python-docx the way provincial offices lay them out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TypeVar

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.table import Table

from domain.plan_document import IndicatorRow, PlanDocument, TaskRow
from importers import ImportFormatError, read_plan_bytes, read_plan_document
from tests.conftest import SEED  # the copy the project ships
from tests.messages import english, vietnamese

TASK_HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Thời hạn",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm",
    "Nguồn kinh phí",
]


def _cell_lines(table: Table, row: int, column: int, lines: Sequence[str]) -> None:
    cell = table.cell(row, column)
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _add_row(table: Table, cells: Sequence[str]) -> None:
    row = table.add_row()  # type: ignore[no-untyped-call]
    for cell, text in zip(row.cells, cells, strict=True):
        cell.text = text


def _add_merged_row(table: Table, first: str, rest: str, *, whole_row: bool = False) -> None:
    """A group or section row: its title merged across the row (with the number, or not)."""
    row = table.add_row()  # type: ignore[no-untyped-call]
    cells = row.cells
    if whole_row:
        cells[0].merge(cells[-1]).text = f"{first} {rest}"
    else:
        cells[0].text = first
        cells[1].merge(cells[-1]).text = rest


def _header_blocks(document: WordDocument) -> None:
    top = document.add_table(rows=1, cols=2)
    left = top.cell(0, 0).paragraphs[0]
    left.add_run("ỦY BAN NHÂN DÂN")
    left.add_run().add_break()
    left.add_run("THÀNH PHỐ ĐÀ NẴNG")
    top.cell(0, 0).add_paragraph("Số: 12/KH-UBND")
    _cell_lines(
        top,
        0,
        1,
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đà Nẵng, ngày 05 tháng 3 năm 2025",
        ],
    )
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học")
    document.add_paragraph("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;")
    document.add_paragraph("Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ;")
    document.add_paragraph(
        "Theo đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 15/TTr-SKHCN;"
    )
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Triển khai kịp thời, đồng bộ.")
    signature = document.add_table(rows=1, cols=2)
    _cell_lines(signature, 0, 0, ["Nơi nhận:", "- Như trên;", "- Lưu: VT."])
    _cell_lines(
        signature,
        0,
        1,
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Trần Thị Bình"],
    )


def _task_table(document: WordDocument) -> None:
    document.add_paragraph("PHỤ LỤC II")
    table = document.add_table(rows=1, cols=len(TASK_HEADER))
    for cell, text in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        cell.text = text
    _add_row(table, [f"({n})" for n in range(1, 8)])
    _add_merged_row(table, "I.", "Hoàn thiện thể chế, chính sách")
    _add_row(
        table,
        [
            "1.",
            "Xây dựng quy chế quản lý dữ liệu",
            "Quý II/2025",
            "Sở Khoa học và Công nghệ",
            "Sở Tư pháp",
            "Quyết định",
            "Ngân sách thành phố",
        ],
    )
    _add_row(table, ["2", "Rà soát thủ tục", "2025", "Sở Nội vụ", "Các sở, ngành", "Báo cáo", ""])
    _add_row(table, ["a)", "Nhiệm vụ không số", "2025", "Sở Nội vụ", "", "", ""])
    _add_merged_row(table, "II.", "Phát triển hạ tầng số", whole_row=True)
    _add_row(table, ["3.", "Phủ sóng 5G", "Thường xuyên", "Sở Khoa học và Công nghệ", "", "", ""])


def _indicator_table(document: WordDocument) -> None:
    document.add_paragraph("PHỤ LỤC I")
    header = ["TT", "Tên chỉ tiêu", "ĐVT", "Chỉ tiêu đến năm 2030", "Đơn vị chủ trì theo dõi"]
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    _add_merged_row(table, "I", "Đến năm 2030")
    _add_row(
        table, ["1.", "Tỉ lệ dịch vụ công trực tuyến", "%", "≥ 80", "Sở Khoa học và Công nghệ"]
    )
    heading = table.add_row().cells
    heading[0].text = "2."
    heading[1].merge(heading[3]).text = "Chỉ tiêu về chuyển đổi số"
    heading[4].text = "Sở Khoa học và Công nghệ"
    _add_row(table, ["2.1", "Tỉ lệ hồ sơ được số hóa", "%", "100", "Văn phòng UBND thành phố"])
    _add_merged_row(table, "II.", "Định hướng đến năm 2045")
    _add_row(table, ["3", "Quy mô kinh tế số", "% GRDP", "≥ 50", "Sở Tài chính"])


def _save(document: WordDocument) -> bytes:
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    document = Document()
    _header_blocks(document)
    _task_table(document)
    _indicator_table(document)
    return read_plan_bytes(_save(document), "ke-hoach-12.docx")


def test_a_word_plan_header_is_read_from_paragraphs_and_layout_tables(plan: PlanDocument) -> None:
    header = plan.header

    assert header.number == "12/KH-UBND"
    assert (header.place, header.issued_on) == ("Đà Nẵng", date(2025, 3, 5))
    assert header.issuing_body == "UBND thành phố Đà Nẵng"
    assert (header.signer_title, header.signer) == ("Phó Chủ tịch", "Trần Thị Bình")
    assert header.title == "Triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học"
    assert header.legal_basis == ("57-NQ/TW", "71/NQ-CP")
    assert plan.source_format == "docx"


def test_word_task_columns_are_mapped_by_meaning_not_position(plan: PlanDocument) -> None:
    first = plan.tasks[0]

    assert (first.group_code, first.number) == ("I", "1")
    assert first.title == "Xây dựng quy chế quản lý dữ liệu"
    assert first.leads == "Sở Khoa học và Công nghệ"
    assert first.coordinators == "Sở Tư pháp"
    assert first.expected_output == "Quyết định"
    assert first.deadline == "Quý II/2025"
    assert first.extra == {"Nguồn kinh phí": "Ngân sách thành phố"}
    assert first.source_row == 4


def test_roman_rows_open_groups_whether_merged_beside_or_across_the_number(
    plan: PlanDocument,
) -> None:
    assert [(group.code, group.title) for group in plan.groups] == [
        ("I", "Hoàn thiện thể chế, chính sách"),
        ("II", "Phát triển hạ tầng số"),
    ]
    assert [(task.group_code, task.number) for task in plan.tasks] == [
        ("I", "1"),
        ("I", "2"),
        ("II", "3"),
    ]


def test_a_word_row_that_cannot_be_read_is_reported_with_its_table_row(
    plan: PlanDocument,
) -> None:
    (problem,) = plan.problems

    assert problem.row == 6
    assert problem.content.startswith("a) | Nhiệm vụ không số | 2025 | Sở Nội vụ")
    assert english(problem.reason) == "table 3: unreadable task number 'a)'"
    assert vietnamese(problem.reason) == "bảng 3: không đọc được số thứ tự 'a)'"


def test_word_indicator_sections_set_horizons_and_a_merged_row_is_a_heading(
    plan: PlanDocument,
) -> None:
    rows = {row.code: row for row in plan.indicators}

    assert list(rows) == ["1", "2", "2.1", "3"]
    assert (rows["1"].unit, rows["1"].target, rows["1"].horizon_year) == ("%", "≥ 80", 2030)
    assert rows["2"].is_heading
    assert (rows["2"].name, rows["2"].unit, rows["2"].target) == (
        "Chỉ tiêu về chuyển đổi số",
        "",
        "",
    )
    assert (rows["2.1"].parent_code, rows["2.1"].horizon_year) == ("2", 2030)
    assert rows["3"].horizon_year == 2045


def test_a_header_spanning_two_rows_with_merged_cells_is_read_as_one(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("Số: 3/KH-UBND")
    table = document.add_table(rows=3, cols=5)
    for column, text in [(0, "TT"), (1, "Tên nhiệm vụ"), (4, "Thời gian hoàn thành")]:
        table.cell(0, column).merge(table.cell(1, column)).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
    table.cell(1, 2).text = "Chủ trì"
    table.cell(1, 3).text = "Phối hợp"
    for cell, text in zip(
        table.rows[2].cells, ["1.", "Lập kế hoạch", "Sở A", "Sở B", "2025"], strict=True
    ):
        cell.text = text
    path = tmp_path / "hai-dong-tieu-de.docx"
    document.save(str(path))

    task = read_plan_document(path).tasks[0]

    assert (task.number, task.title, task.deadline) == ("1", "Lập kế hoạch", "2025")
    assert (task.leads, task.coordinators) == ("Sở A", "Sở B")
    assert task.extra == {}


def test_a_word_file_without_a_task_table_is_refused() -> None:
    document = Document()
    document.add_paragraph("Số: 3/KH-UBND")
    document.add_paragraph("KẾ HOẠCH")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(_save(document), "khong-bang.docx")
    assert re.search("no task table", english(refused.value))


def test_a_damaged_word_file_is_refused_as_not_a_docx() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"PK\x03\x04 this is not a zip archive", "hong.docx")
    assert re.search(r"not a valid \.docx", english(refused.value))




def _word_copy_of_the_seed(text_plan: PlanDocument) -> bytes:
    """The seed as a Word file: its opening lines as paragraphs, its appendices as tables."""
    document = Document()
    for line in SEED.read_text(encoding="utf-8").splitlines()[:114]:
        document.add_paragraph(line)
    document.add_paragraph("PHỤ LỤC I")
    indicators = document.add_table(rows=1, cols=5)
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]
    for cell, text in zip(indicators.rows[0].cells, header, strict=True):
        cell.text = text
    for row in text_plan.indicators:
        if row.code in {"1", "29"}:
            _add_merged_row(
                indicators, "I" if row.code == "1" else "II", f"Đến năm {row.horizon_year}"
            )
        _add_row(indicators, [f"{row.code}.", row.name, row.unit, row.target, row.responsible])
    document.add_paragraph("PHỤ LỤC II")
    tasks = document.add_table(rows=1, cols=6)
    header = [
        "TT",
        "Tên nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Kết quả",
        "Thời gian hoàn thành",
    ]
    for cell, text in zip(tasks.rows[0].cells, header, strict=True):
        cell.text = text
    titles = {group.code: group.title for group in text_plan.groups}
    for task in text_plan.tasks:
        if titles.get(task.group_code):
            _add_merged_row(tasks, f"{task.group_code}.", titles.pop(task.group_code))
        _add_row(
            tasks,
            [
                task.number,
                task.title,
                task.leads,
                task.coordinators,
                task.expected_output,
                task.deadline,
            ],
        )
    return _save(document)


Row = TypeVar("Row", TaskRow, IndicatorRow)


def _without_source_rows(rows: Sequence[Row]) -> list[Row]:
    return [replace(row, source_row=0) for row in rows]


def test_a_word_copy_of_the_seed_reads_the_same_as_the_text() -> None:
    text_plan = read_plan_document(SEED)

    word_plan = read_plan_bytes(_word_copy_of_the_seed(text_plan), "1534-KH-UBND.docx")

    assert word_plan.header == text_plan.header
    assert word_plan.groups == text_plan.groups
    assert _without_source_rows(word_plan.tasks) == _without_source_rows(text_plan.tasks)
    assert _without_source_rows(word_plan.indicators) == _without_source_rows(text_plan.indicators)
    assert word_plan.problems == ()
