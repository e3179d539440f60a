"""Plans published as PDF with a text layer (printed from Word): tables found by pdfplumber.

A table that runs over several pages is one table: the header row repeated at the top of
each page is recognised and skipped, and a row whose number cell is empty at the top of a
page continues the task above it (the builder joins it). A PDF with no text at all is a
scan, and is refused saying so.
"""

from __future__ import annotations

from io import BytesIO

import pdfplumber
from pdfplumber.page import Page

from domain.messages import message
from domain.plan_document import PlanDocument, PlanHeader
from domain.text import nfc
from importers.builder import PlanBuilder
from importers.columns import normal
from importers.errors import ImportFormatError, LimitExceeded
from importers.grid import GridRow, find_table, read_table
from importers.header import parse_header
from importers.limits import budget

_HEADER_SEARCH = 8
_NO_NUMBER = "import.text_no_plan_number"


def read_pdf_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    count = budget()
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception:  # pdfminer raises its own on damaged files
        raise ImportFormatError("import.not_pdf") from None
    with pdf:
        if len(pdf.pages) > count.limits.pages:
            raise LimitExceeded("pages", count.limits.pages)
        lines: list[str] = []
        grid: list[GridRow] = []
        header: tuple[str, ...] | None = None
        for page in pdf.pages:
            lines.extend(_lines(page))
            for table in page.extract_tables():
                for cells in table:
                    row = tuple(_cell(cell) for cell in cells)
                    if header is not None and _same_header(row, header):
                        continue  # the header row repeated on a new page
                    count.row(len(grid) + 1, row, message("import.pdf_table"))
                    grid.append(GridRow(len(grid) + 1, row))
                    if header is None and find_table(grid[-1:], 1):
                        header = row
    if not lines:
        raise ImportFormatError("import.pdf_without_text")
    builder = PlanBuilder()
    found = find_table(grid, _HEADER_SEARCH) if grid else None
    if found is not None:
        read_table(found, builder)
    return builder.build(parse_header(lines), given, "pdf", _NO_NUMBER)


def _lines(page: Page) -> list[str]:
    text = page.extract_text() or ""
    kept = []
    for line in text.splitlines():
        cleaned = nfc(line)
        budget().text(cleaned)
        if cleaned:
            kept.append(cleaned)
    return kept


def _cell(text: str | None) -> str:
    # A cell's text wraps over lines in print; the lines are one text.
    return nfc(" ".join((text or "").split()))


def _same_header(row: tuple[str, ...], header: tuple[str, ...]) -> bool:
    return [normal(cell) for cell in row] == [normal(cell) for cell in header]
