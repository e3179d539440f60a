"""Fold checkpoints: the plan as folded up to a log position, kept every few thousand
positions (projections/projector), so that a read as known at a past time folds only the
events after the latest checkpoint that time has seen.

A checkpoint keeps every view as the store keeps it, a task's without its reports, and
every task's status row: its size is that of the plan, not of its history. A task's
reports are rows of their own with the log positions that made them (`ReportPositions`),
so the reports as folded up to a checkpoint are read from those rows
(`ReadModelStore.reports_as_of`), for the tasks that need them.

A status as known at T reads the checkpoint's rows and folds the events after it. A task
those events touch is folded from its view with the reports made since the checkpoint
alone, and its row is the checkpoint's row merged with theirs (`row_since`): the same row
as the whole fold, unless one of the earlier reports is returned since, and then that task
is folded with its earlier reports too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import Any
from uuid import UUID

from domain.status import ReportFact
from domain.task import Task
from projections.codec import to_json
from projections.plan_state import (
    AGENCY,
    INDICATOR,
    PLAN,
    TASK,
    PlanState,
    ReportView,
    TaskRow,
    TaskView,
    reported,
    sort_rows,
)
from projections.specs import apply, spec_for
from projections.store import ReportPositions, put_view, row_from_doc, view_keys, view_of

# The reports of the given tasks (None: of every task) as folded up to the checkpoint, by
# task; None when the store cannot tell (fold from the start instead).
EarlierReports = Callable[[Collection[UUID] | None], dict[UUID, list[ReportView]] | None]


def checkpoint_document(state: PlanState, rows: KeptRows | None = None) -> str:
    """The state as a checkpoint keeps it; `ReadModelStore.stored_checkpoint` assembles the
    same document from the stored views and rows. `rows`: the status rows kept up to date
    through the fold (else each is made from all its task's reports)."""
    views = [[kind, id_, _without_reports(view_of(state, kind, id_))]
             for kind, id_ in sorted(view_keys(state))]
    row = TaskView.row if rows is None else rows.row
    ordered = sorted(state.tasks.items(), key=lambda item: str(item[0]))
    return to_json({"views": views, "rows": [[str(i), row(task)] for i, task in ordered]})


class KeptRows:
    """The tasks' status rows through a fold that takes checkpoints. A row is made again
    from the reports added since it was last made, not from every report of the task:
    what it makes of the earlier ones (`reported`, `last_report`) changes only when one of
    them is returned, or one returned is verified, and then it is made from all of them.
    `deciding` is told of each event before it is folded."""

    def __init__(self) -> None:
        # task id -> (its reports list, how many were counted, the highest number counted,
        # the highest percent of each period, the last report not returned)
        self._kept: dict[UUID, tuple[list[ReportView], int, int, dict[str, int],
                                     ReportView | None]] = {}

    def deciding(self, state: PlanState, event: Any) -> None:
        if not isinstance(event, _DECIDING):
            return
        kept = self._kept.get(event.originator_id)
        if kept is None or event.report > kept[2]:
            return  # a report not counted yet: counted as it stands when the row is made
        task = state.tasks.get(event.originator_id)
        report = next((r for r in reversed(task.reports) if r.number == event.report),
                      None) if task else None
        if report is None or (report.state == "returned") != isinstance(event,
                                                                         Task.ReportReturned):
            del self._kept[event.originator_id]

    def row(self, task: TaskView) -> TaskRow:
        reports = task.reports
        kept = self._kept.get(task.id)
        if kept is None or kept[0] is not reports:
            highest: dict[str, int] = {}
            counted, top, last = 0, 0, None
        else:
            _, counted, top, highest, last = kept
            highest = dict(highest)
        for report in reports[counted:]:
            top = max(top, report.number)
            if report.state != "returned":
                highest[report.period] = max(highest.get(report.period, report.percent),
                                             report.percent)
                last = report
        self._kept[task.id] = (reports, len(reports), top, highest, last)
        return task.row_with(last, tuple(ReportFact(period, percent, "submitted")
                                         for period, percent in highest.items()))


def _without_reports(view: Any) -> Any:
    return replace(view, reports=[]) if isinstance(view, TaskView) else view


def report_positions(events: Iterable[tuple[int, Any]]) -> dict[tuple[str, int], ReportPositions]:
    """The positions that made each report the events submit or decide, by (task id, number)."""
    made: dict[tuple[str, int], ReportPositions] = {}
    for _ in noting_reports(events, made):
        pass
    return made


_DECIDING = (Task.ReportVerified, Task.ReportReturned)


@cache
def _makes_reports(cls: type) -> bool:
    """Whether events of the class submit or decide reports (one look-up per event)."""
    return issubclass(cls, (Task.Carried, Task.ProgressReported, *_DECIDING))


def noting_reports(events: Iterable[tuple[int, Any]],
                   made: dict[tuple[str, int], ReportPositions]) -> Iterator[tuple[int, Any]]:
    """The events, as they pass noting in `made` the positions that make each report."""
    for position, event in events:
        if not _makes_reports(event.__class__):
            pass
        elif isinstance(event, Task.Carried):  # reports made, and decided, in another tenant
            for report in event.carried.get("reports", []):
                decided = None if report.get("state", "submitted") == "submitted" else position
                made[(str(event.originator_id), int(report["number"]))] = ReportPositions(
                    position, decided, decided)
        elif isinstance(event, Task.ProgressReported):
            made[(str(event.originator_id), event.report)] = ReportPositions(position)
        elif isinstance(event, _DECIDING):
            key = (str(event.originator_id), event.report)
            was = made.get(key, ReportPositions())
            made[key] = ReportPositions(was.submitted, was.decided_from or position, position)
        yield position, event


class Checkpoint:
    """A stored checkpoint, parsed; its views are decoded when asked for."""

    def __init__(self, position: int, document: str) -> None:
        data = json.loads(document)
        self.position = position
        self.views: dict[str, dict[str, dict[str, Any]]] = {}
        for kind, id_, doc in data["views"]:
            self.views.setdefault(kind, {})[id_] = doc
        self.rows: dict[UUID, dict[str, Any]] = {UUID(i): doc for i, doc in data["rows"]}

    def state(self, tasks: Iterable[UUID]) -> PlanState:
        """The plans, indicators and agencies, and the given tasks' views without their
        reports."""
        state = PlanState(position=self.position)
        for kind in (PLAN, INDICATOR, AGENCY):
            for doc in self.views.get(kind, {}).values():
                put_view(state, kind, doc)
        docs = self.views.get(TASK, {})
        for task_id in tasks:
            if (found := docs.get(str(task_id))) is not None:
                put_view(state, TASK, found)
        return state


def fold_since(start: Checkpoint, events: list[tuple[int, Any]], earlier: EarlierReports,
               tasks: Collection[UUID] | None = None) -> tuple[PlanState, list[TaskRow]] | None:
    """The state folded from the checkpoint through `events` (those after it known at the
    time), with the plans, indicators, agencies and the given tasks (every task, without
    them), each with all its reports; and every task's status row, in task-number order
    (task-id order among equal numbers). None when the earlier reports cannot be read."""
    touched = {e.originator_id for _, e in events if spec_for(e).subject.view == TASK}
    made_since = {(e.originator_id, e.report) for _, e in events
                  if isinstance(e, Task.ProgressReported)}
    whole = set(start.rows) if tasks is None else set(tasks) & set(start.rows)
    whole |= {e.originator_id for _, e in events if isinstance(e, Task.ReportReturned)
              and (e.originator_id, e.report) not in made_since and e.originator_id in start.rows}
    state = start.state(sorted(touched | whole, key=str))
    if whole:
        found = earlier(None if tasks is None else whole)
        if found is None:
            return None
        for task_id in whole:
            if task_id in state.tasks:
                state.tasks[task_id].reports = found.get(task_id, [])
    for position, event in events:
        apply(state, position, event)
    rows = []
    for task_id, doc in start.rows.items():
        if task_id not in touched:
            rows.append(row_from_doc(doc))
        elif task_id in whole:
            rows.append(state.tasks[task_id].row())
        else:
            rows.append(row_since(row_from_doc(doc), state.tasks[task_id]))
    rows += [task.row() for task_id, task in state.tasks.items() if task_id not in start.rows]
    for task_id in touched - whole:
        if task_id in start.rows:
            del state.tasks[task_id]  # its view holds the later reports alone
    return state, in_order(rows)


def row_since(base: TaskRow, task: TaskView) -> TaskRow:
    """The status row of a task whose view holds the reports made since `base` was taken
    and none of the earlier ones, none of which has been returned since. Per period, the
    highest percent of either side (earlier periods first, as `reported` orders them);
    the last report not returned is the latest such of either side."""
    highest = {fact.period: fact.percent for fact in base.reported}
    for fact in reported(task.reports):
        highest[fact.period] = max(highest.get(fact.period, fact.percent), fact.percent)
    last = task.last_report
    return replace(
        task.row(),
        reported=tuple(ReportFact(period, percent, "submitted")
                       for period, percent in highest.items()),
        last_report_period=last.period if last else base.last_report_period,
        last_report_percent=last.percent if last else base.last_report_percent,
        last_report_narrative=last.narrative if last else base.last_report_narrative,
    )


def in_order(rows: list[TaskRow]) -> list[TaskRow]:
    """Task-number order, task-id order among equal numbers (as the live rows are)."""
    return sort_rows(sorted(rows, key=lambda r: str(r.id)))
