"""Collect groups, rows and problems while a reader walks a file, then build the document.

Every reader ends here, so the rules shared by all formats live here: which group a task
belongs to, what makes an indicator a heading, duplicate rows, and when a file holds no plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace

from domain.messages import Message, message
from domain.plan_document import (
    IndicatorRow,
    PlanDocument,
    PlanHeader,
    RowNote,
    RowProblem,
    TaskGroup,
    TaskRow,
)
from importers.columns import ColumnMap
from importers.errors import ImportFormatError, LimitExceeded
from importers.limits import budget

# Tasks listed before any group row, or in a sheet without a group column, form one group.
DEFAULT_GROUP = TaskGroup("I", "Nhiệm vụ")


class MissingNumber(ImportFormatError):
    """The document names no plan number; `document` is everything else it holds, so the
    person importing can supply the number (never guessed)."""

    def __init__(self, code: str, document: PlanDocument) -> None:
        super().__init__(code)
        self.document = document


class PlanBuilder:
    """Accumulates what a reader finds; `context` names the table or sheet being read."""

    def __init__(self) -> None:
        self.context: Message | None = None  # the table or sheet being read
        self._titles: dict[str, str] = {}
        self._untitled: set[str] = set()
        self._group: str | None = None
        self._tasks: list[TaskRow] = []
        self._indicators: list[IndicatorRow] = []
        self._problems: list[RowProblem] = []
        self._notes: list[tuple[RowNote, int | None]] = []
        self._table_errors: list[Message] = []
        self._seen: set[tuple[str, ...]] = set()
        self._task_tables = 0
        self._open_task: int | None = None  # the task a continuation row may extend

    @property
    def task_count(self) -> int:
        return len(self._tasks)

    @property
    def indicator_count(self) -> int:
        return len(self._indicators)

    def problem(self, row: int, content: str, reason: Message) -> None:
        if self.context is not None:
            reason = message("import.row_in", where=self.context, reason=reason)
        self._problems.append(RowProblem(row, content, reason))

    def note(self, row: int, content: str, note: Message, task: int | None = None) -> None:
        """Record what was done with a row; `task` is the index of the task it concerns."""
        placed = (message("import.row_in", where=self.context, reason=note)
                  if self.context is not None else note)
        self._notes.append((RowNote(row, content, placed, note.code), task))

    @property
    def last_task(self) -> int:
        return len(self._tasks) - 1

    def task_table_found(self) -> None:
        self._task_tables += 1
        self._open_task = None

    def unusable_table(self, row: int, content: str, columns: ColumnMap) -> None:
        """A table was recognised but lacks a required column: none of its rows can be read."""
        missing = columns.missing_message()
        self._table_errors.append(missing)
        self.problem(row, content, missing)

    def enter_group(self, code: str, title: str = "") -> None:
        """Make `code` the current group; a later row may give an untitled group its title."""
        if code not in self._titles or (title and code in self._untitled):
            self._titles[code] = title or f"Nhóm {code}"
            if title:
                self._untitled.discard(code)
            else:
                self._untitled.add(code)
        self._group = code
        self._open_task = None

    def current_group(self) -> str:
        if self._group is None:
            self.enter_group(DEFAULT_GROUP.code)
            self._titles[DEFAULT_GROUP.code] = DEFAULT_GROUP.title
        return self._group or DEFAULT_GROUP.code

    def add_task(
        self, columns: ColumnMap, cells: Sequence[str], number: str, row: int, content: str
    ) -> None:
        group = self.current_group()
        limits = budget().limits
        if len(self._tasks) >= limits.tasks:
            raise LimitExceeded("tasks", limits.tasks)
        if not self._first_time("task", group, number):
            self.problem(row, content, message("import.row_task_twice", number=number,
                                               group=group))
            return
        self._tasks.append(
            TaskRow(
                group_code=group,
                number=number,
                title=columns.cell(cells, "title"),
                leads=columns.cell(cells, "leads"),
                coordinators=columns.cell(cells, "coordinators"),
                expected_output=columns.cell(cells, "expected_output"),
                deadline=columns.cell(cells, "deadline"),
                extra=columns.extra_cells(cells),
                source_row=row,
            )
        )
        self._open_task = len(self._tasks) - 1

    def continue_task(self, columns: ColumnMap, cells: Sequence[str], row: int,
                      content: str) -> bool:
        """Join a row with no number to the task above it (a row split across pages, or
        typed over two rows); False when there is no task above it in this group."""
        if self._open_task is None:
            return False
        task = self._tasks[self._open_task]
        joined = {
            name: _join(getattr(task, name), columns.cell(cells, name))
            for name in ("title", "leads", "coordinators", "expected_output", "deadline")
        }
        extra = {key: _join(task.extra.get(key, ""), value)
                 for key, value in columns.extra_cells(cells).items()}
        self._tasks[self._open_task] = replace(
            task, title=joined["title"], leads=joined["leads"],
            coordinators=joined["coordinators"], expected_output=joined["expected_output"],
            deadline=joined["deadline"], extra={**task.extra, **extra})
        self.note(row, content, message("import.note.continuation", task=task.number),
                  self._open_task)
        return True

    def add_indicator(
        self,
        columns: ColumnMap,
        cells: Sequence[str],
        code: str,
        horizon: int | None,
        row: int,
        content: str,
    ) -> None:
        limits = budget().limits
        if len(self._indicators) >= limits.indicators:
            raise LimitExceeded("indicators", limits.indicators)
        if not self._first_time("indicator", str(horizon), code):
            self.problem(row, content, Message("import.row_indicator_twice", {"code": code}))
            return
        unit, target = columns.cell(cells, "unit"), columns.cell(cells, "target")
        self._indicators.append(
            IndicatorRow(
                code=code,
                name=columns.cell(cells, "name"),
                unit=unit,
                target=target,
                responsible=columns.cell(cells, "responsible"),
                horizon_year=horizon,
                # A row with neither unit nor target heads the sub-rows below it (7 over 7.1).
                is_heading=not unit and not target,
                parent_code=code.rsplit(".", 1)[0] if "." in code else None,
                extra=columns.extra_cells(cells),
                source_row=row,
            )
        )

    def _first_time(self, *key: str) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def build(
        self, found: PlanHeader, given: PlanHeader | None, source_format: str,
        no_number: str,
    ) -> PlanDocument:
        """`no_number` is the code of the refusal when the plan number is not found."""
        """The document, or ImportFormatError when it has no plan number or no task."""
        header = merge_header(found, given)
        tasks = _qualified(self._tasks)
        if not self._tasks:
            raise self._no_tasks()
        document = PlanDocument(
            header=header,
            groups=tuple(TaskGroup(code, title) for code, title in self._titles.items()),
            tasks=tuple(tasks),
            indicators=tuple(self._indicators),
            problems=tuple(self._problems),
            source_format=source_format,
            notes=tuple(
                replace(note, reference=tasks[task].number) if task is not None else note
                for note, task in self._notes
            ),
        )
        if not header.number:
            raise MissingNumber(no_number, document)
        return document

    def _no_tasks(self) -> ImportFormatError:
        if self._table_errors:
            return ImportFormatError("import.tables_unusable", problems=self._table_errors)
        if self._task_tables and self._problems:
            first = self._problems[0]
            return ImportFormatError("import.no_readable_task_row", row=first.row,
                                     reason=first.reason)
        if self._task_tables:
            return ImportFormatError("import.no_task_rows")
        return ImportFormatError("import.no_task_table")


def _join(first: str, more: str) -> str:
    return f"{first} {more}".strip() if more else first


def _qualified(tasks: list[TaskRow]) -> list[TaskRow]:
    """Task references unique in the plan. A document that numbers 1, 2, ... again in each
    group refers to its tasks by group and number, and so do we: task 3 of group II is
    "II.3" (the number printed stays "3"). Numbering that never restarts is kept as is."""
    numbers = [task.number for task in tasks]
    if len(set(numbers)) == len(numbers):
        return tasks
    return [
        task if task.number == task.group_code
        else replace(task, number=f"{task.group_code}.{task.number}", written_number=task.number)
        for task in tasks
    ]


def merge_header(found: PlanHeader, given: PlanHeader | None) -> PlanHeader:
    """What the caller gave wins field by field; empty fields fall back to the file."""
    if given is None:
        return found
    chosen = {f.name: getattr(given, f.name) or getattr(found, f.name) for f in fields(PlanHeader)}
    return PlanHeader(**chosen)
