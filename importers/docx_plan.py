"""Word plans (.docx): header paragraphs as in the text layout, appendices as real tables.

Tables are told apart by their header row: a plan table (tasks or indicators) is read row
by row; any other table is layout (the two-column block holding "Số:" and the date, the
signature block) and its paragraphs are read as header lines, in document order.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO

import docx
from docx.document import Document
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from domain.messages import Message, message
from domain.plan_document import PlanDocument, PlanHeader
from domain.text import nfc
from importers.builder import PlanBuilder
from importers.convert import convert_to_docx
from importers.errors import ImportFormatError, LimitExceeded
from importers.grid import GridRow, find_table, read_table
from importers.header import parse_header
from importers.limits import at_row, budget, check_zip

# The header row is at the top of a table, under at most a title row or two.
_HEADER_SEARCH = 8
_NO_NUMBER = "import.docx_no_plan_number"


def read_docx_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    document = _open(data)
    lines: list[str] = []
    builder = PlanBuilder()
    tables = 0
    count = budget()
    for block in document.iter_inner_content():
        count.block()
        if isinstance(block, Paragraph):
            lines.extend(_texts([block]))
            continue
        tables += 1
        builder.context = where = message("import.table", number=tables)
        _read_block_table(block, lines, builder, where)
    builder.context = None
    return builder.build(parse_header(lines), given, "docx", _NO_NUMBER)


def read_converted_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    """A .doc or .odt file, converted to .docx by LibreOffice first (`importers.convert`)."""
    converted = data if data.startswith(b"PK") and _is_docx(data) else None
    document = read_docx_plan(converted or convert_to_docx(data, _suffix(data)), given)
    return replace(document, source_format="doc" if _suffix(data) == ".doc" else "odt")


def _suffix(data: bytes) -> str:
    return ".odt" if data.startswith(b"PK") else ".doc"


def _is_docx(data: bytes) -> bool:
    return b"word/document.xml" in data[-65536:]


def _open(data: bytes) -> Document:
    invalid = ImportFormatError("import.bad_docx")
    check_zip(data, invalid)  # sized before python-docx parses any part
    _count_paragraphs(data)
    try:
        return docx.Document(BytesIO(data))
    except MemoryError:
        raise
    except Exception:  # zipfile, lxml and python-docx each raise their own on damaged files
        raise invalid from None


_PARAGRAPH = re.compile(rb"<w:p[ >/]")


def _count_paragraphs(data: bytes) -> None:
    """Count the paragraphs of word/document.xml as a stream of bytes, before python-docx
    builds its tree: a small part can hold millions of empty paragraphs."""
    limit = budget().limits.blocks
    found, tail = 0, b""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive, \
                archive.open("word/document.xml") as part:
            while chunk := part.read(1 << 20):
                window = tail + chunk
                found += len(_PARAGRAPH.findall(window)) - len(_PARAGRAPH.findall(tail))
                tail = window[-8:]
                if found > limit:
                    raise LimitExceeded("blocks", limit)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # no document part, or a damaged one: python-docx says so next


def _read_block_table(
    table: Table, lines: list[str], builder: PlanBuilder, where: Message
) -> None:
    try:
        rows = _grid_rows(table, where)
    except (ValueError, IndexError, KeyError):
        # A broken merge (a continued cell with nothing above it) makes python-docx give up.
        builder.problem(1, "", message("import.inconsistent_merged_cells"))
        return
    found = find_table(rows, _HEADER_SEARCH)
    if found is None:
        lines.extend(_layout_lines(table))
    else:
        read_table(found, builder)


def _grid_rows(table: Table, where: Message | str = "") -> list[GridRow]:
    """Rows as cell texts, one per grid column. python-docx repeats a horizontally merged
    cell in every column it spans; only the first keeps the text, so a title merged across
    a group row is read once and a merged agency cell is not copied into its neighbour."""
    rows = []
    count = budget()
    for number, row in enumerate(table.rows, start=1):
        _check_width(row, number, where)
        texts = [""] * row.grid_cols_before
        previous: _Cell | None = None
        for cell in row.cells:
            texts.append("" if cell is previous else nfc(cell.text))
            previous = cell
        count.row(number, texts, where)
        rows.append(GridRow(number, tuple(texts)))
    return rows


def _check_width(row: _Row, number: int, where: Message | str) -> None:
    """A cell may claim to span any number of columns; python-docx would list each one."""
    limit = budget().limits.columns
    spans = sum(tc.grid_span for tc in row._tr.tc_lst) + row.grid_cols_before
    if spans > limit:
        raise LimitExceeded("columns", limit, at_row(where, number) if where else "")


def _layout_lines(table: Table) -> Iterator[str]:
    for number, row in enumerate(table.rows, start=1):
        _check_width(row, number, "")
        previous: _Cell | None = None
        for cell in row.cells:
            if cell is not previous:
                yield from _texts(cell.paragraphs)
            previous = cell


def _texts(paragraphs: list[Paragraph]) -> Iterator[str]:
    # A line break inside a paragraph (Shift+Enter) separates lines as much as a new one:
    # "ỦY BAN NHÂN DÂN<br/>Số: 12/KH-UBND" holds two header lines.
    for paragraph in paragraphs:
        for line in paragraph.text.split("\n"):
            text = nfc(line)
            budget().text(text)
            if text:
                yield text
