"""Write the plan templates shipped beside this file: ke-hoach-mau.xlsx and nhiem-vu-mau.csv.

Run `python importers/templates/make_templates.py` after changing a column or an example; the
generated files are committed so users can download them as they are.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
XLSX = HERE / "ke-hoach-mau.xlsx"
CSV = HERE / "nhiem-vu-mau.csv"

PLAN_ROWS = [
    ("Số kế hoạch", "1534/KH-UBND"),
    (
        "Tên kế hoạch",
        "Thực hiện Nghị quyết số 03/NQ-CP của Chính phủ và Chương trình số 60-CTr/TU của Ban "
        "Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
    ),
    ("Ngày ban hành (dd/mm/yyyy)", "27/02/2025"),
    ("Địa danh", "Quảng Nam"),
    ("Cơ quan ban hành", "UBND tỉnh Quảng Nam"),
    ("Người ký", "Lê Văn Dũng"),
    ("Chức vụ người ký", "Chủ tịch"),
    ("Căn cứ (phân cách bằng dấu ;)", "57-NQ/TW; 03/NQ-CP; 60-CTr/TU"),
]
TASK_COLUMNS = [
    "Nhóm",
    "Tên nhóm",
    "TT",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Kết quả",
    "Thời gian hoàn thành",
    "Ghi chú",
]
TASK_ROWS = [
    [
        "I",
        "Nâng cao nhận thức, đột phá về đổi mới tư duy",
        "1",
        "Xây dựng, trình UBND tỉnh ban hành chương trình tuyên truyền về Nghị quyết số 57-NQ/TW",
        "Sở Khoa học và Công nghệ",
        "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố",
        "Chương trình",
        "02/2025",
        "",
    ],
    [
        "II",
        "Hoàn thiện cơ chế, chính sách",
        "2",
        "Chỉ đạo rà soát các điểm nghẽn trong hoạt động chuyển đổi số",
        "Sở Tư pháp, Sở Khoa học và Công nghệ",
        "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố",
        "Báo cáo, đề xuất",
        "3/2025",
        "Ví dụ: có thể xoá dòng này",
    ],
]
INDICATOR_COLUMNS = [
    "Mốc năm",
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kết quả",
    "Cơ quan chủ trì theo dõi",
]
INDICATOR_ROWS = [
    [
        "2030",
        "1",
        "Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp",
        "%",
        "≥ 80",
        "Sở Khoa học và Công nghệ",
    ],
    ["2045", "2", "Quy mô kinh tế số", "% GRDP", "≥ 50", "Sở Khoa học và Công nghệ"],
]
# Text format keeps Excel from turning "3/2025" or "27/02/2025" into dates.
TEXT = "@"


def write_xlsx(path: Path) -> None:
    workbook = Workbook()
    _fill(workbook.active, "Kế hoạch", ["Thông tin", "Giá trị"], [list(row) for row in PLAN_ROWS])
    _fill(workbook.create_sheet(), "Nhiệm vụ", TASK_COLUMNS, TASK_ROWS)
    _fill(workbook.create_sheet(), "Chỉ tiêu", INDICATOR_COLUMNS, INDICATOR_ROWS)
    workbook.save(path)


def _fill(ws: Any, title: str, columns: list[str], rows: list[list[str]]) -> None:
    """Header row in bold, then the example rows, every cell formatted as text."""
    ws.title = title
    ws.append(columns)
    for row in rows:
        ws.append(row)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        width = max(len(column), *(len(row[index - 1]) for row in rows))
        ws.column_dimensions[letter].width = min(max(width, 8) + 2, 60)
        ws.column_dimensions[letter].number_format = TEXT
    for cells in ws.iter_rows():
        for cell in cells:
            cell.number_format = TEXT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def write_csv(path: Path) -> None:
    # A BOM lets Excel open the file as UTF-8; the importer reads it with or without one.
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows(PLAN_ROWS)
        writer.writerow(TASK_COLUMNS)
        writer.writerows(TASK_ROWS)


if __name__ == "__main__":
    write_xlsx(XLSX)
    write_csv(CSV)
