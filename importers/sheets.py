"""CSV and XLSX files as grids of cell texts: one grid per sheet, rows numbered from 1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl  # type: ignore[import-untyped]
from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # type: ignore[import-untyped]

from domain.messages import Message, message
from domain.text import nfc
from importers.columns import classify
from importers.decoding import decode_text
from importers.errors import ImportFormatError, LimitExceeded
from importers.grid import GridRow
from importers.limits import at_row, budget, check_zip

_DELIMITERS = (",", ";", "\t")
# Metadata lines may precede the header row; look this far for it when sniffing.
_SNIFF_ROWS = 40


@dataclass(frozen=True)
class Sheet:
    context: Message | None  # how problems name the sheet ("sheet 'Nhiệm vụ'"); None: CSV
    rows: tuple[GridRow, ...]


def csv_sheet(data: bytes) -> Sheet:
    """The CSV file as one grid, split on whichever delimiter reveals a plan table."""
    text = decode_text(data)
    candidates = [_csv_rows(text, delimiter) for delimiter in _DELIMITERS]
    chosen = max(candidates, key=_table_score)
    count = budget()
    for row in chosen:
        count.row(row.number, row.cells)
    return Sheet(None, chosen)


def _csv_rows(text: str, delimiter: str) -> tuple[GridRow, ...]:
    rows = []
    limits = budget().limits
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            # Counted against the limits, not the budget: the file is split three ways.
            if number > limits.rows:
                raise LimitExceeded("rows", limits.rows)
            if len(record) > limits.columns and any(record[limits.columns :]):
                raise LimitExceeded("columns", limits.columns, at_row("", number))
            rows.append(GridRow(number, _clean(record)))
    except csv.Error as error:
        raise ImportFormatError("import.bad_csv", reason=str(error)) from None
    return tuple(rows)


def _table_score(rows: tuple[GridRow, ...]) -> tuple[int, int]:
    """How well a split reads: columns recognised in a header row, then the widest row.
    Vietnamese text is full of commas, so a semicolon file split on commas still has
    several columns but never a recognisable header."""
    recognised = (classify(row.cells) for row in rows[:_SNIFF_ROWS])
    best = max((len(found.fields) for found in recognised if found), default=0)
    return best, max((len(row.cells) for row in rows[:_SNIFF_ROWS]), default=0)


def xlsx_sheets(data: bytes) -> list[Sheet]:
    invalid = ImportFormatError("import.bad_xlsx")
    check_zip(data, invalid)  # sized before openpyxl parses any part
    try:
        # Read-only mode streams each sheet row by row instead of building it in memory.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except MemoryError:
        raise
    except Exception:  # zipfile, lxml and openpyxl each raise their own on damaged files
        raise invalid from None
    try:
        return [
            Sheet(message("import.sheet", name=sheet.title), _sheet_rows(sheet))
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _sheet_rows(sheet: ReadOnlyWorksheet) -> tuple[GridRow, ...]:
    """The sheet's rows, streamed. A sheet may claim any dimension ("A1:XFD1048576") and
    openpyxl pads every row to it; the claim is checked first and rows are read no wider
    than one column past the limit, so a cell beyond it is seen without padding to it."""
    where = message("import.sheet", name=sheet.title)
    count = budget()
    limits = count.limits
    if (sheet.max_row or 0) > limits.rows:
        raise LimitExceeded("rows", limits.rows, where)
    if (sheet.max_column or 0) > limits.columns:
        raise LimitExceeded("columns", limits.columns, where)
    rows = []
    for number, cells in enumerate(sheet.iter_rows(max_col=limits.columns + 1), start=1):
        texts = _clean(_cell_text(cell.value, getattr(cell, "number_format", None))
                       for cell in cells)
        count.row(number, texts, where)
        rows.append(GridRow(number, texts))
    return tuple(rows)


def _cell_text(value: object, number_format: str | None) -> str:
    """A cell as its text. Excel turns '3/2025' typed in a cell into a date; written back
    with the cell's own format, a deadline reads as it was typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        shows_day = "d" in (number_format or "d").lower()
        return value.strftime("%d/%m/%Y") if shows_day else f"{value.month}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clean(cells: Iterable[str]) -> tuple[str, ...]:
    cleaned = [nfc(cell) for cell in cells]
    while cleaned and not cleaned[-1]:
        cleaned.pop()  # trailing empty cells are formatting, not columns
    return tuple(cleaned)
