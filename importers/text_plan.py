"""Plans as plain text whose appendix tables are flattened one cell per line (the seed's layout).

A table starts at a block of header lines ("TT", "Tên nhiệm vụ", ...) and runs to the next
appendix or table. Inside it a row starts at its number line ("12.", or "7.1" under row 7)
and owns the lines up to the next marker; a roman numeral line opens a task group or an
indicator section. Lines are numbered from 1 as in the file, blank lines included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from domain.messages import Message, message
from domain.plan_document import PlanDocument, PlanHeader
from domain.text import nfc
from importers.builder import PlanBuilder
from importers.cells import last_year
from importers.columns import WHOLE, ColumnMap, classify, match_field, normal
from importers.decoding import decode_text
from importers.header import parse_header
from importers.limits import budget

_ROW = re.compile(r"^(\d+)\.$")
_SUB_ROW = re.compile(r"^(\d+)\.\d+\.?$")
_GROUP = re.compile(r"^[IVXLC]+\.$")
_SECTION = re.compile(r"^[IVXLC]+\.?$")
_FOOTNOTE = re.compile(r"^\[\d+\]")
_COLUMN_NUMBER = re.compile(r"^\(\d+\)$")
_HEADER_LINES = 15
_NO_NUMBER = "import.text_no_plan_number"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


@dataclass(frozen=True)
class _Table:
    columns: ColumnMap
    header: list[_Line]
    body: list[_Line]


@dataclass
class _Record:
    """A marker line ("3.", "II.") and the cell lines that follow it."""

    kind: str  # "row", "group", "section", "note" (footnote) or "stray" (before any marker)
    start: _Line | None
    cells: list[_Line] = field(default_factory=list)

    @property
    def row(self) -> int:
        first = self.start or self.cells[0]
        return first.number

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.cells]

    @property
    def content(self) -> str:
        lines = [self.start, *self.cells] if self.start else self.cells
        return " | ".join(line.text for line in lines)


def read_text_plan(data: bytes, given: PlanHeader | None = None) -> PlanDocument:
    lines = _lines(decode_text(data))
    tables = _tables(lines)
    head_end = min([_first_appendix(lines), *(lines.index(t.header[0]) for t in tables)])
    found = parse_header([line.text for line in lines[:head_end]])
    builder = PlanBuilder()
    for table in tables:
        if table.columns.missing:
            content = " | ".join(line.text for line in table.header)
            builder.unusable_table(table.header[0].number, content, table.columns)
        elif table.columns.kind == "task":
            builder.task_table_found()
            _read_tasks(table, builder)
        else:
            _read_indicators(table, builder)
    return builder.build(found, given, "text", _NO_NUMBER)


def _lines(text: str) -> list[_Line]:
    count = budget()
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _Line(number, nfc(raw))
        count.row(number, (line.text,))
        if line.text:
            lines.append(line)
    return lines


def _is_appendix(text: str) -> bool:
    return normal(text).startswith("phu luc")


def _first_appendix(lines: list[_Line]) -> int:
    return next((i for i, line in enumerate(lines) if _is_appendix(line.text)), len(lines))


def _ends_header(text: str) -> bool:
    markers = (_ROW, _SUB_ROW, _SECTION, _FOOTNOTE)
    return any(marker.match(text) for marker in markers) or _is_appendix(text)


def _header_at(lines: list[_Line], start: int) -> tuple[int, ColumnMap] | None:
    """The end of the header block opening at `start` ("TT", ...) and its columns."""
    opening = match_field(lines[start].text, "task")
    if opening != ("number", WHOLE):
        return None
    end = start + 1
    while end < len(lines) and not _ends_header(lines[end].text):
        end += 1
        if end - start > _HEADER_LINES:
            return None
    columns = classify([line.text for line in lines[start:end]])
    return (end, columns) if columns else None


def _tables(lines: list[_Line]) -> list[_Table]:
    headers = [(i, found) for i in range(len(lines)) if (found := _header_at(lines, i))]
    tables = []
    for position, (start, (end, columns)) in enumerate(headers):
        following = headers[position + 1][0] if position + 1 < len(headers) else len(lines)
        appendix = next(
            (i for i in range(end, following) if _is_appendix(lines[i].text)), following
        )
        tables.append(_Table(columns, lines[start:end], lines[end:appendix]))
    return tables


def _split(body: list[_Line], marker: Callable[[str, str], str | None]) -> list[_Record]:
    """Cut a table body into records at marker lines; `marker` sees the last row number."""
    records = [_Record("stray", None)]
    top = ""
    for line in body:
        kind = marker(line.text, top)
        if kind is None:
            records[-1].cells.append(line)
            continue
        records.append(_Record(kind, line))
        if found := _ROW.match(line.text):
            top = found.group(1)
    return [record for record in records if record.start or record.cells]


def _task_marker(text: str, top: str) -> str | None:
    if _ROW.match(text):
        return "row"
    if _GROUP.match(text):
        return "group"
    return "note" if _FOOTNOTE.match(text) else None


def _indicator_marker(text: str, top: str) -> str | None:
    sub_row = _SUB_ROW.match(text)
    # "7.1" starts a row only under row 7; elsewhere it is a cell such as a target.
    if _ROW.match(text) or (sub_row and sub_row.group(1) == top):
        return "row"
    if _SECTION.match(text):
        return "section"
    return "note" if _FOOTNOTE.match(text) else None


def _read_tasks(table: _Table, builder: PlanBuilder) -> None:
    columns = table.columns
    expected = len(columns.headers) - (1 if columns.has("number") else 0)
    for record in _split(table.body, _task_marker):
        if record.kind == "stray":
            _stray(record, builder)
        elif record.kind == "group":
            _group(record, builder)
        elif record.kind == "row" and record.start:
            number = record.start.text.rstrip(".")
            if len(record.cells) != expected:
                reason = message("import.task_cells", expected=expected,
                                 found=len(record.cells))
                builder.problem(record.row, record.content, reason)
            else:
                cells = _with_value(columns, "number", number, record.texts)
                builder.add_task(columns, cells, number, record.row, record.content)


def _with_value(columns: ColumnMap, name: str, value: str, cells: list[str]) -> list[str]:
    index = columns.fields.get(name)
    return cells if index is None else [*cells[:index], value, *cells[index:]]


def _group(record: _Record, builder: PlanBuilder) -> None:
    code = record.start.text.rstrip(".") if record.start else ""
    if not record.cells:
        builder.problem(record.row, record.content,
                        Message("import.group_untitled", {"code": code}))
    elif len(record.cells) > 1:
        extra = " | ".join(record.texts[1:])
        reason = Message("import.lines_after_group_title", {"code": code})
        builder.problem(record.cells[1].number, extra, reason)
    builder.enter_group(code, record.texts[0] if record.cells else "")


def _stray(record: _Record, builder: PlanBuilder) -> None:
    # The "(1) (2) (3)" line under a header numbers the columns; anything else is lost data.
    if not all(_COLUMN_NUMBER.match(text) for text in record.texts):
        builder.problem(record.row, record.content, message("import.stray_lines"))


def _read_indicators(table: _Table, builder: PlanBuilder) -> None:
    columns = table.columns
    horizon: int | None = None
    for record in _split(table.body, _indicator_marker):
        if record.kind == "stray":
            _stray(record, builder)
        elif record.kind == "section":
            horizon = last_year(" ".join(record.texts)) or horizon
            if len(record.cells) > 1:
                reason = message("import.lines_after_section_title")
                builder.problem(record.cells[1].number, " | ".join(record.texts[1:]), reason)
        elif record.kind == "row" and record.start:
            _indicator(record, columns, horizon, builder)


def _indicator(record: _Record, columns: ColumnMap, horizon: int | None, b: PlanBuilder) -> None:
    code = record.start.text.rstrip(".") if record.start else ""
    cells = _indicator_cells(columns, record.texts)
    if cells is None:
        slots = len(columns.headers) - (1 if columns.has("code") else 0)
        reason = message("import.indicator_cells", expected=slots, without_unit=slots - 1,
                         found=len(record.cells))
        b.problem(record.row, record.content, reason)
    else:
        b.add_indicator(columns, cells, code, horizon, record.row, record.content)


def _indicator_cells(columns: ColumnMap, texts: list[str]) -> list[str] | None:
    """Place a row's cells: all of them, all but the unit, or a heading's name and agency."""
    at = columns.fields.get
    slots = [i for i in range(len(columns.headers)) if i != at("code")]
    unit, name, responsible = at("unit"), at("name"), at("responsible")
    if len(texts) == len(slots):
        return _place(columns, slots, texts)
    if unit is not None and len(texts) == len(slots) - 1:
        return _place(columns, [slot for slot in slots if slot != unit], texts)
    if len(texts) == 2 and name is not None and responsible is not None:
        return _place(columns, [name, responsible], texts)
    return None


def _place(columns: ColumnMap, slots: list[int], texts: list[str]) -> list[str]:
    cells = [""] * len(columns.headers)
    for slot, text in zip(slots, texts, strict=True):
        cells[slot] = text
    return cells
