"""Workbooks ready to hand over: a title block (province, plan, period, as-of date) above a
frozen, filterable header; typed numbers, dates and percentages; widths that fit; printed
on A4 landscape, fitted to the page's width, the header repeated on every page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from domain.text import printable
from reports.words import VIETNAM

Cell = str | int | float | date | datetime | None
SHEET_NAME_LIMIT = 31
PERCENT = "0.0%"
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
# A typed text starting with one of these is a formula to Excel or LibreOffice: written as
# typed, a reporter's "=HYPERLINK(...)" would run in the reader's spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="808080")


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab: at most 31 characters, said in full, never cut
    title: str  # the heading above the table
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    percent_columns: tuple[int, ...] = ()  # 0-based; values are shares (0.25 is 25 %)
    widths: dict[int, float] = field(default_factory=dict)  # 0-based column -> characters


SIMULATED = "Dữ liệu mô phỏng để trình diễn, không phải số liệu thật"


@dataclass(frozen=True)
class Heading:
    """What the title block says of every sheet."""

    issuer: str  # "UBND tỉnh Quảng Nam"
    plan: str  # "Kế hoạch số 1534/KH-UBND"
    period: str  # "Quý II năm 2025", or "" when the data is not of a period
    as_of: date
    simulated: bool = False  # of a simulated tenant (`r57 demo`): the block says so first


def sheet_name(name: str) -> str:
    cleaned = " ".join(name.translate(_FORBIDDEN).split())
    if len(cleaned) > SHEET_NAME_LIMIT:
        raise ValueError(f"Sheet name '{cleaned}' is longer than {SHEET_NAME_LIMIT}.")
    return cleaned


def inert(text: str) -> str:
    """Text a spreadsheet shows as typed: never run as a formula, and any character the
    format cannot hold (history stored before input was canonical) replaced, not fatal."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _value(cell: Cell) -> Cell:
    # Excel stores no time zone: recorded times are written in Vietnam's clock.
    if isinstance(cell, datetime):
        return cell.astimezone(VIETNAM).replace(tzinfo=None) if cell.tzinfo else cell
    if isinstance(cell, str):
        return inert(cell)
    return cell


def to_xlsx(heading: Heading, sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write(book.create_sheet(sheet_name(sheet.name)), heading, sheet)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _title_block(ws: Worksheet, heading: Heading, sheet: Sheet) -> int:
    """Writes the block; returns the row of the table's header."""
    width = len(sheet.headers)
    lines = [(SIMULATED.upper(), Font(bold=True, size=12, color="B91C1C"))] * heading.simulated
    lines += [(heading.issuer.upper(), Font(bold=True, size=12)),
             (sheet.title.upper(), Font(bold=True, size=14)),
             (heading.plan, Font(italic=True, size=11)),
             ("; ".join(p for p in (heading.period, f"số liệu tại ngày {heading.as_of:%d/%m/%Y}")
                        if p), Font(italic=True, size=11))]
    for row, (text, font) in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=inert(text)).font = font
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(1, width))
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    return len(lines) + 2


def _write(ws: Worksheet, heading: Heading, sheet: Sheet) -> None:
    top = _title_block(ws, heading, sheet)
    fill = PatternFill("solid", fgColor="DDE6F0")
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    for column, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=top, column=column, value=printable(header))
        cell.font, cell.fill, cell.border = Font(bold=True), fill, border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for offset, values in enumerate(sheet.rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=top + offset, column=column, value=_value(value))
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column - 1 in sheet.percent_columns:
                cell.number_format = PERCENT
            elif isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.0"
    last = top + max(1, len(sheet.rows))
    end = get_column_letter(len(sheet.headers))
    ws.freeze_panes = f"A{top + 1}"
    ws.auto_filter.ref = f"A{top}:{end}{last}"
    _widths(ws, sheet)
    _print_setup(ws, top)


def _widths(ws: Worksheet, sheet: Sheet) -> None:
    for index, header in enumerate(sheet.headers):
        if index in sheet.widths:
            width = sheet.widths[index]
        else:
            texts = [header, *(_shown(row[index]) for row in sheet.rows[:300])]
            width = min(50.0, max(8.0, max(len(t) for t in texts) * 1.1 + 2))
        ws.column_dimensions[get_column_letter(index + 1)].width = width


def _shown(cell: Cell) -> str:
    if isinstance(cell, datetime):
        return "00/00/0000 00:00"
    if isinstance(cell, date):
        return "00/00/0000"
    return "" if cell is None else str(cell)


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.print_options.horizontalCentered = True
