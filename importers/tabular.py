"""Plans from the shipped spreadsheet template (.xlsx) or its CSV form.

Plan metadata is written as label/value rows ("Số kế hoạch" | "1534/KH-UBND"): on a sheet of
its own, or above the header row of the task table. Each table is found by the meaning of
its header row, so columns may come in any order and extra columns are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from domain.messages import message
from domain.plan_document import PlanDocument, PlanHeader
from importers.builder import PlanBuilder
from importers.columns import normal
from importers.grid import GridRow, find_table, read_table
from importers.header import document_number
from importers.sheets import Sheet, csv_sheet, xlsx_sheets

# Labels of the metadata rows, as written in the template, and a few common variants.
LABELS: dict[str, str] = {
    "so ke hoach": "number",
    "so hieu": "number",
    "ten ke hoach": "title",
    "trich yeu": "title",
    "ngay ban hanh": "issued_on",
    "dia danh": "place",
    "co quan ban hanh": "issuing_body",
    "nguoi ky": "signer",
    "chuc vu nguoi ky": "signer_title",
    "can cu": "legal_basis",
}
# Metadata rows come first, so the header row can sit well below the top.
_HEADER_SEARCH = 40
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PARENTHESES = re.compile(r"\(.*?\)")
_NO_NUMBER = "import.sheet_no_plan_number"


def read_csv_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    return _read([csv_sheet(data)], given, "csv")


def read_xlsx_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    return _read(xlsx_sheets(data), given, "xlsx")


def _read(sheets: Iterable[Sheet], given: PlanHeader | None, source_format: str) -> PlanDocument:
    builder = PlanBuilder()
    found: dict[str, str] = {}
    for sheet in sheets:
        builder.context = sheet.context
        table = find_table(sheet.rows, _HEADER_SEARCH)
        above = [row for row in sheet.rows if table is None or row.number < table.header_row.number]
        _collect_metadata(above, found, builder)
        if table is not None:
            read_table(table, builder)
    builder.context = None
    return builder.build(_header(found), given, source_format, _NO_NUMBER)


def _collect_metadata(rows: Iterable[GridRow], found: dict[str, str], builder: PlanBuilder) -> None:
    """Label/value rows into `found`; the first row naming a field wins."""
    for row in rows:
        start = next((i for i, cell in enumerate(row.cells) if cell), None)
        if start is None or start + 1 >= len(row.cells):
            continue
        name = LABELS.get(normal(_PARENTHESES.sub(" ", row.cells[start])))
        value = row.cells[start + 1]
        if name == "legal_basis":
            # In a semicolon CSV an unquoted list of documents spreads over several cells.
            value = "; ".join(cell for cell in row.cells[start + 1 :] if cell)
        if name is None or not value or name in found:
            continue
        if name == "issued_on" and parse_date(value) is None:
            builder.problem(row.number, row.content,
                            message("import.unreadable_date", value=value))
            continue
        found[name] = value


def parse_date(text: str) -> date | None:
    """'27/02/2025' (also with '-' or '.', or ISO '2025-02-27') -> date(2025, 2, 27)."""
    day_first = _DAY_FIRST.match(text.strip())
    iso = _ISO.match(text.strip())
    try:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            return date(year, month, day)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _header(found: dict[str, str]) -> PlanHeader:
    issued = found.get("issued_on", "")
    basis = (part for part in found.get("legal_basis", "").split(";") if part.strip())
    return PlanHeader(
        number=found.get("number", ""),
        title=found.get("title", ""),
        issued_on=parse_date(issued) if issued else None,
        place=found.get("place", ""),
        issuing_body=found.get("issuing_body", ""),
        signer=found.get("signer", ""),
        signer_title=found.get("signer_title", ""),
        legal_basis=tuple(dict.fromkeys(document_number(part) for part in basis)),
    )
