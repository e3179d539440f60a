"""Tables held as rows of cells (Word tables, spreadsheets): find the header, read the rows.

Word and spreadsheet tables differ in where they put groups: a Word plan writes a roman
numeral row ("II." + title) above its tasks, a flat spreadsheet repeats the group in a
"Nhóm" column on every row. Both are read here so either layout works in either format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from domain.messages import Message, message
from importers.builder import PlanBuilder
from importers.cells import (
    distinct,
    group_code,
    is_column_numbers,
    last_year,
    roman,
    roman_heading,
    task_number,
)
from importers.columns import LEADING, ColumnMap, TableKind, classify, match_field, normal

# Section rows of an indicator table name the horizon: "Đến năm 2030", "Định hướng đến 2045".
_SECTION_WORDS = ("den nam", "dinh huong", "giai doan", "tam nhin", "nam ")


@dataclass(frozen=True)
class GridRow:
    number: int  # 1-based row number in the table, sheet or CSV file
    cells: tuple[str, ...]

    @property
    def content(self) -> str:
        return " | ".join(distinct(self.cells))


@dataclass(frozen=True)
class GridTable:
    columns: ColumnMap
    header_row: GridRow
    rows: tuple[GridRow, ...]  # the rows under the header


def find_table(rows: Sequence[GridRow], search: int) -> GridTable | None:
    """The first table whose header row lies among the first `search` rows."""
    for index in range(min(search, len(rows))):
        found = _header_at(rows, index)
        if found:
            columns, body_start = found
            return GridTable(columns, rows[index], tuple(rows[body_start:]))
    return None


def _header_at(rows: Sequence[GridRow], index: int) -> tuple[ColumnMap, int] | None:
    """A header row, joined with the row below when that row names sub-columns."""
    alone = classify(rows[index].cells)
    if index + 1 < len(rows):
        first, second = rows[index].cells, rows[index + 1].cells
        both = classify(combine_headers(first, second))
        if both and (alone.kind if alone else both.kind) == both.kind:
            # A first row that names nothing ("Căn cứ", a title) is not half of a header.
            opens = alone is not None or len(_named(first, both.kind)) >= 2
            if opens and _continues(first, second, both.kind):
                return both, index + 2
    return (alone, index + 1) if alone else None


def combine_headers(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Two header rows as one: a merged 'Cơ quan thực hiện' over 'Chủ trì' | 'Phối hợp'."""
    return [
        low if low and low != high else high
        for high, low in zip_longest(first, second, fillvalue="")
    ]


def _named(texts: Iterable[str], kind: TableKind) -> list[str]:
    """The texts that clearly name a column (whole header or its leading words)."""
    return [text for text in texts if (found := match_field(text, kind)) and found[1] >= LEADING]


def _continues(first: Sequence[str], second: Sequence[str], kind: TableKind) -> bool:
    # Merged header cells repeat their text in the second row; only new text matters, and a
    # data row would carry a task number.
    changed = [low for high, low in zip_longest(first, second, fillvalue="") if low and low != high]
    numbered = any(task_number(text) or roman(text) for text in changed)
    return bool(_named(changed, kind)) and not numbered


def read_tasks(table: GridTable, builder: PlanBuilder) -> None:
    builder.task_table_found()
    for row in table.rows:
        if not any(row.cells) or is_column_numbers(row.cells):
            continue
        if not _read_group(row, table.columns, builder):
            _read_task(row, table.columns, builder)


def _read_group(row: GridRow, columns: ColumnMap, builder: PlanBuilder) -> bool:
    """Apply the row's group; True when the row only opens a group (or cannot be placed)."""
    cells = row.cells
    written = columns.cell(cells, "group")
    if written:
        code = group_code(written)
        if code is None:
            builder.problem(row.number, row.content,
                            message("import.unreadable_group", value=written))
            return True
        builder.enter_group(code, columns.cell(cells, "group_title"))
        return not columns.cell(cells, "title") and not columns.cell(cells, "number")
    heading = _roman_row(row, columns, "number")
    if heading:
        builder.enter_group(*heading)
        _group_task(row, columns, heading, builder)
    return heading is not None


def _group_task(
    row: GridRow, columns: ColumnMap, heading: tuple[str, str], builder: PlanBuilder
) -> None:
    """A group heading row that names its own lead agency or deadline assigns a task too
    (the group's title is its task); a heading merged across the row repeats its title in
    every cell and names neither."""
    code, title = heading
    own = [
        columns.cell(row.cells, name) for name in ("leads", "deadline")
        if columns.cell(row.cells, name) not in ("", title)
    ]
    if not own or not title:
        return
    builder.add_task(columns, _with_title(row.cells, columns, title), code, row.number,
                     row.content)
    builder.note(row.number, row.content, Message("import.note.group_task", {"code": code}),
                 builder.last_task)


def _with_title(cells: tuple[str, ...], columns: ColumnMap, title: str) -> list[str]:
    placed = list(cells)
    index = columns.fields.get("title")
    if index is not None:
        placed.extend([""] * (index + 1 - len(placed)))
        placed[index] = title
    number = columns.fields.get("number")
    if number is not None and number < len(placed):
        placed[number] = ""
    return placed


def _roman_row(row: GridRow, columns: ColumnMap, number_field: str) -> tuple[str, str] | None:
    """('II', title) for a roman numeral row, whether its title sits in its own cell or in
    one cell merged across the whole row."""
    parts = distinct(row.cells)
    code = roman(columns.cell(row.cells, number_field))
    if code:
        rest = distinct(
            cell for i, cell in enumerate(row.cells) if i != columns.fields.get(number_field)
        )
        return code, rest[0] if rest else ""
    return roman_heading(parts[0]) if len(parts) == 1 else None


def _read_task(row: GridRow, columns: ColumnMap, builder: PlanBuilder) -> None:
    cells = row.cells
    # Without a number column, tasks are numbered in the order they are listed.
    written = (
        columns.cell(cells, "number") if columns.has("number") else str(builder.task_count + 1)
    )
    number = task_number(written)
    if not written and columns.has("number") and builder.continue_task(
            columns, cells, row.number, row.content):
        return
    if not columns.cell(cells, "title"):
        builder.problem(row.number, row.content, message("import.task_untitled"))
    elif number is None:
        reason = (message("import.unreadable_task_number", value=written) if written
                  else message("import.task_unnumbered"))
        builder.problem(row.number, row.content, reason)
    else:
        builder.add_task(columns, cells, number, row.number, row.content)


def read_indicators(table: GridTable, builder: PlanBuilder) -> None:
    columns = table.columns
    # "Chỉ tiêu đến năm 2030" as the target header gives the horizon of every row.
    horizon = (
        last_year(columns.headers[columns.fields["target"]]) if columns.has("target") else None
    )
    for row in table.rows:
        if not any(row.cells) or is_column_numbers(row.cells):
            continue
        section = _section(row, columns)
        if section is not None:
            horizon = section or horizon
            continue
        written = columns.cell(row.cells, "horizon")
        if written and last_year(written) is None:
            builder.problem(row.number, row.content,
                            message("import.unreadable_year", value=written))
            continue
        # A year written once holds for the rows below it until another is written.
        horizon = last_year(written) or horizon
        _read_indicator(row, columns, horizon, builder)


def _section(row: GridRow, columns: ColumnMap) -> int | None:
    """For a section row ("I" | "Đến năm 2030"), its year, or 0 when it names none."""
    heading = _roman_row(row, columns, "code")
    if heading:
        return last_year(heading[1]) or 0
    parts = distinct(row.cells)
    if len(parts) == 1 and normal(parts[0]).startswith(_SECTION_WORDS) and last_year(parts[0]):
        return last_year(parts[0])
    return None


def _read_indicator(row: GridRow, columns: ColumnMap, horizon: int | None, b: PlanBuilder) -> None:
    cells = row.cells
    written = columns.cell(cells, "code") if columns.has("code") else str(b.indicator_count + 1)
    code = task_number(written)
    if not columns.cell(cells, "name"):
        b.problem(row.number, row.content, message("import.indicator_unnamed"))
    elif code is None:
        reason = (message("import.unreadable_indicator_code", value=written) if written
                  else message("import.indicator_uncoded"))
        b.problem(row.number, row.content, reason)
    else:
        b.add_indicator(columns, cells, code, horizon, row.number, row.content)


def read_table(table: GridTable, builder: PlanBuilder) -> None:
    """Read a recognised table as tasks or indicators, or report the column it lacks."""
    if table.columns.missing:
        builder.unusable_table(table.header_row.number, table.header_row.content, table.columns)
    elif table.columns.kind == "task":
        read_tasks(table, builder)
    else:
        read_indicators(table, builder)
