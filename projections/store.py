"""Where a tenant's read models live: view documents, log entries and the tracking position.

Every write of views and entries happens in the same transaction as the tracking
position it brings the model to, so an event is applied exactly once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from domain.deadlines import Deadline
from domain.evidence import EvidenceFile
from domain.status import ReportFact
from projections.audit import AuditEntry
from projections.codec import decode, encode, to_json
from projections.entries import ENTRY_COLUMNS, EntryRow, EntryRows
from projections.plan_state import (
    AGENCY,
    INDICATOR,
    PLAN,
    TASK,
    AgencyChange,
    IndicatorView,
    PlanState,
    PlanView,
    ReportView,
    TaskRow,
    TaskView,
    sort_rows,
)
from tenants.database import Cursor, Database, Row


@dataclass(frozen=True)
class ReportsNeeded:
    """Which of a task's stored reports a batch of events reads: every one, or the latest
    of each period reported (a second report of a period is a correction) and those
    numbered (a report verified)."""

    every: bool = False
    periods: frozenset[str] = frozenset()
    numbers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class AgencyDoc:
    key: str
    name: str
    is_collective: bool
    id: str
    change: AgencyChange | None = None  # how the agency ended, once it has


@dataclass(frozen=True)
class ReportPositions:
    """The log positions that made a report: its submission, its first and last decision."""

    submitted: int = 0
    decided_from: int | None = None
    decided: int | None = None


_UNKNOWN_POSITIONS = ReportPositions()  # a report stored before: its row keeps them


class ReadModelStore:
    def __init__(self, database: Database, tenant: str) -> None:
        self.db = database
        self.tenant = tenant
        # The reports a catch-up's load found stored, (task id, number) -> their fields.
        self._stored_reports: dict[tuple[str, int], dict[str, Any]] = {}
        # Tasks a catch-up loaded with some of their reports: task id -> the status row
        # stored (what every report before the batch made of it) and the numbers loaded.
        self._partial: dict[str, tuple[TaskRow, set[int]]] = {}

    # -- values as each dialect stores them ------------------------------------------------

    def _when(self, value: datetime) -> Any:
        return (_sqlite_when if self.db.dialect == "sqlite" else _utc)(value)

    def _day(self, value: date | None) -> Any:
        return (_sqlite_day if self.db.dialect == "sqlite" else _same)(value)

    # -- tracking ----------------------------------------------------------------------

    def position(self) -> int:
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT position FROM rm_tracking WHERE tenant = :t", {"t": self.tenant})
            row = cursor.fetchone()
        return int(row["position"]) if row else 0

    def head_and_position(self, events_table: str) -> tuple[int, int]:
        """The log's head and the read models' position, in one statement: a read that
        finds them equal reads on without a second look. `events_table` comes from the
        tenant's storage (tenants.slugs), never from input."""
        column = "rowid" if self.db.dialect == "sqlite" else "notification_id"
        with self.db.transaction(write=False) as cursor:
            cursor.execute(
                f"SELECT (SELECT MAX({column}) FROM {events_table}) AS head, "  # noqa: S608
                "(SELECT position FROM rm_tracking WHERE tenant = :t) AS position",
                {"t": self.tenant})
            row = cursor.fetchone()
        assert row is not None
        return int(row["head"] or 0), int(row["position"] or 0)

    def lock_position(self, cursor: Cursor) -> int:
        """Take the tenant's projection lock for this transaction; return the position."""
        params = {"t": self.tenant}
        cursor.execute(
            "INSERT INTO rm_tracking (tenant, position) VALUES (:t, 0) "
            "ON CONFLICT (tenant) DO NOTHING", params,
        )
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL locks the row.
        cursor.execute(_SELECT_POSITION_FOR_UPDATE if self.db.dialect == "postgres"
                       else _SELECT_POSITION, params)
        row = cursor.fetchone()
        assert row is not None
        return int(row["position"])

    def set_position(self, cursor: Cursor, position: int) -> None:
        cursor.execute("UPDATE rm_tracking SET position = :p WHERE tenant = :t",
                       {"p": position, "t": self.tenant})

    # -- views -------------------------------------------------------------------------

    def load(self, cursor: Cursor, kinds_ids: Iterable[tuple[str, str]] | None = None,
             reports: Mapping[str, ReportsNeeded] | None = None) -> PlanState:
        """The stored views (all of them, or the given ones plus every agency) as state.
        Given the reports a batch of events needs (by task id), a task named there gets
        those alone, and its status row is saved from the row stored plus the reports
        added: a catch-up's cost does not grow with the task's reports."""
        state = self._tracked(cursor)
        wanted = set(kinds_ids) if kinds_ids is not None else None
        if wanted is not None and len(wanted) <= _FEW_VIEWS:
            # A few views (a catch-up after a command or two): read those alone, not every
            # task's document with all its reports.
            cursor.execute(_SELECT_KINDS, {"t": self.tenant, "a": AGENCY, "b": PLAN})
            rows = [r for r in cursor.fetchall() if r["kind"] == AGENCY
                    or (r["kind"], r["id"]) in wanted]
            for kind, id_ in sorted(k for k in wanted if k[0] not in (AGENCY, PLAN)):
                cursor.execute(_SELECT_VIEW, {"t": self.tenant, "k": kind, "i": id_})
                rows += cursor.fetchall()
        else:
            cursor.execute("SELECT kind, id, doc FROM rm_views WHERE tenant = :t",
                           {"t": self.tenant})
            rows = [r for r in cursor.fetchall() if wanted is None or r["kind"] == AGENCY
                    or (r["kind"], r["id"]) in wanted]
        for row in rows:
            put_view(state, row["kind"], json.loads(row["doc"]))
        self._attach_reports(cursor, state, whole=wanted is None, needed=reports)
        return state

    def _attach_reports(self, cursor: Cursor, state: PlanState, *, whole: bool,
                        needed: Mapping[str, ReportsNeeded] | None) -> None:
        """Put the loaded tasks' reports back into their views. A load of some views (a
        catch-up's) remembers them as stored, so that saving writes only those that changed."""
        self._stored_reports, self._partial = {}, {}
        if whole:
            cursor.execute("SELECT task_id, doc FROM rm_task_reports WHERE tenant = :t "
                           "ORDER BY task_id, number", {"t": self.tenant})
            found = cursor.fetchall()
        else:
            found = []
            for task_id in sorted(str(i) for i in state.tasks):
                some = (None if needed is None
                        else self._some_reports(cursor, task_id, needed.get(task_id)))
                if some is None:
                    cursor.execute("SELECT task_id, doc FROM rm_task_reports WHERE tenant = :t "
                                   "AND task_id = :i ORDER BY number",
                                   {"t": self.tenant, "i": task_id})
                    some = cursor.fetchall()
                found += some
        tasks = {str(i): task for i, task in state.tasks.items()}
        for row in found:
            task = tasks.get(row["task_id"])
            if task is not None:
                report = report_from_doc(json.loads(row["doc"]))
                task.reports.append(report)
                if not whole:
                    self._stored_reports[(row["task_id"], report.number)] = dict(vars(report))

    def _some_reports(self, cursor: Cursor, task_id: str, needed: ReportsNeeded | None
                      ) -> list[Row] | None:
        """The reports of a task that a batch needs (the latest of each period reported,
        the ones decided), remembering its stored status row; None when it needs every
        one (a report returned changes what the row makes of the others)."""
        if needed is None:
            needed = ReportsNeeded()
        if needed.every:
            return None
        cursor.execute("SELECT doc FROM rm_task_rows WHERE tenant = :t AND id = :i",
                       {"t": self.tenant, "i": task_id})
        stored = cursor.fetchone()
        if stored is None:
            return None
        found: dict[int, Row] = {}
        for period in sorted(needed.periods):
            cursor.execute(_LATEST_OF_PERIOD, {"t": self.tenant, "i": task_id, "p": period})
            found.update((int(r["number"]), r) for r in cursor.fetchall())
        for number in sorted(needed.numbers - set(found)):
            cursor.execute(_REPORT_NUMBERED, {"t": self.tenant, "i": task_id, "n": number})
            found.update((int(r["number"]), r) for r in cursor.fetchall())
        self._partial[task_id] = (row_from_doc(json.loads(stored["doc"])), set(found))
        return [found[n] for n in sorted(found)]

    def load_reports(self, cursor: Cursor, task_id: UUID, *, before: int | None = None,
                     limit: int | None = None) -> tuple[list[ReportView], int]:
        """A task's latest `limit` reports (numbered below `before`, when given; every one,
        without a limit), oldest first, and how many reports it has in all."""
        params = {"t": self.tenant, "i": str(task_id), "b": before,
                  "n": _NO_LIMIT if limit is None else limit}
        found, total = _latest_and_total(
            cursor, _LATEST_REPORTS if before is None else _REPORTS_BEFORE, _COUNT_OF_REPORTS,
            params)
        return [report_from_doc(json.loads(r["doc"])) for r in reversed(found)], total

    def latest_reports(self, cursor: Cursor) -> dict[UUID, ReportView]:
        """Each task's latest report (the highest numbered), by task id."""
        cursor.execute(_LATEST_OF_EACH_TASK, {"t": self.tenant})
        return {UUID(r["task_id"]): report_from_doc(json.loads(r["doc"]))
                for r in cursor.fetchall()}

    def _tracked(self, cursor: Cursor) -> PlanState:
        state = PlanState()
        cursor.execute("SELECT position FROM rm_tracking WHERE tenant = :t", {"t": self.tenant})
        tracked = cursor.fetchone()
        state.position = int(tracked["position"]) if tracked else 0
        return state

    def load_outline(self, cursor: Cursor) -> PlanState:
        """The plans and the agencies alone, as state (no task, no indicator)."""
        state = self._tracked(cursor)
        cursor.execute(_SELECT_KINDS, {"t": self.tenant, "a": AGENCY, "b": PLAN})
        for row in cursor.fetchall():
            put_view(state, row["kind"], json.loads(row["doc"]))
        return state

    def load_rows(self, cursor: Cursor) -> list[TaskRow]:
        """Every task's status row, in task-number order."""
        cursor.execute("SELECT doc FROM rm_task_rows WHERE tenant = :t ORDER BY id",
                       {"t": self.tenant})
        return sort_rows([row_from_doc(json.loads(r["doc"])) for r in cursor.fetchall()])

    def load_task(self, cursor: Cursor, plan_id: UUID, number: str
                  ) -> tuple[TaskView, TaskRow] | None:
        """One task, by its plan and number: its view without its reports (load_reports
        reads them) and its status row."""
        cursor.execute(
            "SELECT id, doc FROM rm_task_rows WHERE tenant = :t AND number = :n "
            "AND plan_id = :p", {"t": self.tenant, "n": number, "p": str(plan_id)},
        )
        found = cursor.fetchone()
        if found is None:
            return None
        cursor.execute(_SELECT_VIEW, {"t": self.tenant, "k": TASK, "i": found["id"]})
        view = cursor.fetchone()
        if view is None:
            return None
        return (decode(TaskView, json.loads(view["doc"])),
                row_from_doc(json.loads(found["doc"])))

    def load_for_queues(self, cursor: Cursor, answers_now: Callable[[str], bool]
                        ) -> tuple[PlanState, dict[UUID, TaskRow]]:
        """What the work queues read (projections/queues.py), and every task's status row:
        the plans, the agencies and every task's view with only the reports the queues
        look at, those awaiting a decision or returned, the others of a period one was
        returned for (a later one follows it) and those of the periods `answers_now`
        (reports answering the current period). The cost grows with what waits, not with
        the reports decided."""
        state = self.load_outline(cursor)
        cursor.execute("SELECT doc FROM rm_views WHERE tenant = :t AND kind = :k",
                       {"t": self.tenant, "k": TASK})
        for row in cursor.fetchall():
            put_view(state, TASK, json.loads(row["doc"]))
        params: dict[str, Any] = {"t": self.tenant}
        found: dict[tuple[str, int], Row] = {}
        cursor.execute(_WAITING_OR_RETURNED, params)
        found.update(((r["task_id"], int(r["number"])), r) for r in cursor.fetchall())
        cursor.execute("SELECT DISTINCT period FROM rm_task_reports WHERE tenant = :t", params)
        for period in sorted(r["period"] for r in cursor.fetchall() if answers_now(r["period"])):
            cursor.execute(_OF_PERIOD, {**params, "p": period})
            found.update(((r["task_id"], int(r["number"])), r) for r in cursor.fetchall())
        tasks = {str(i): task for i, task in state.tasks.items()}
        for key in sorted(found):
            task = tasks.get(key[0])
            if task is not None:
                task.reports.append(report_from_doc(json.loads(found[key]["doc"])))
        return state, {row.id: row for row in self.load_rows(cursor)}

    def load_numbered(self, cursor: Cursor, number: str) -> list[tuple[TaskView, TaskRow]]:
        """The tasks with this number (one per plan that has it): their views without
        their reports, and their status rows."""
        cursor.execute(
            "SELECT r.doc AS row_doc, v.doc AS view_doc FROM rm_task_rows r "
            "JOIN rm_views v ON v.tenant = r.tenant AND v.kind = :k AND v.id = r.id "
            "WHERE r.tenant = :t AND r.number = :n", {"t": self.tenant, "n": number, "k": TASK})
        return [(decode(TaskView, json.loads(row["view_doc"])),
                 row_from_doc(json.loads(row["row_doc"]))) for row in cursor.fetchall()]

    def save_rows(self, cursor: Cursor, state: PlanState, ids: Iterable[UUID]) -> None:
        """The status rows of the given tasks, as they stand in the state."""
        rows = [{"t": self.tenant, "i": str(i), "p": str(state.tasks[i].plan_id),
                 "n": state.tasks[i].number, "d": to_json(self._row(state.tasks[i]))}
                for i in ids]
        if rows:
            cursor.executemany(
                "INSERT INTO rm_task_rows (tenant, id, plan_id, number, doc) "
                "VALUES (:t, :i, :p, :n, :d) ON CONFLICT (tenant, id) DO UPDATE SET "
                "plan_id = excluded.plan_id, number = excluded.number, doc = excluded.doc", rows,
            )
        self._partial = {}

    def _row(self, task: TaskView) -> TaskRow:
        """A task's status row; for a task loaded with some of its reports, the row stored
        with the reports added since folded in (as `reported` and `last_report` would)."""
        partial = self._partial.get(str(task.id))
        if partial is None:
            return task.row()
        stored, loaded = partial
        highest = {fact.period: fact.percent for fact in stored.reported}
        last = stored.last_report_period, stored.last_report_percent, stored.last_report_narrative
        for report in task.reports:
            if report.number not in loaded and report.state != "returned":
                highest[report.period] = max(highest.get(report.period, report.percent),
                                             report.percent)
                last = report.period, report.percent, report.narrative
        return replace(
            task.row(), last_report_period=last[0], last_report_percent=last[1],
            last_report_narrative=last[2],
            reported=tuple(ReportFact(period, percent, "submitted")
                           for period, percent in highest.items()))

    def row_documents(self, cursor: Cursor) -> dict[str, Any]:
        """Every stored status row as its document (used by `check`)."""
        cursor.execute("SELECT id, doc FROM rm_task_rows WHERE tenant = :t", {"t": self.tenant})
        return {r["id"]: json.loads(r["doc"]) for r in cursor.fetchall()}

    def report_position_documents(self, cursor: Cursor) -> dict[str, Any]:
        """Every stored report's positions, [submitted, first decided, last decided], by
        "task id #number" (used by `check`)."""
        cursor.execute("SELECT task_id, number, position, decided_from, decided "
                       "FROM rm_task_reports WHERE tenant = :t", {"t": self.tenant})
        return {f"{r['task_id']} #{r['number']}": [int(r["position"]), r["decided_from"],
                                                   r["decided"]] for r in cursor.fetchall()}

    def save_views(self, cursor: Cursor, state: PlanState, keys: Iterable[tuple[str, str]],
                   made: Mapping[tuple[str, int], ReportPositions] | None = None) -> None:
        """The given views as they stand in the state. A task's reports are rows of their
        own (a task page reads the latest alone): only those not stored as they stand are
        written, with the log positions `made` says made them (projections/checkpoints)."""
        rows, reports = [], []
        stored = self._stored_reports
        made = made or {}
        for kind, id_ in keys:
            view = view_of(state, kind, id_)
            if isinstance(view, TaskView):
                for report in view.reports:
                    if stored.get((id_, report.number)) != vars(report):
                        at = made.get((id_, report.number), _UNKNOWN_POSITIONS)
                        reports.append({"t": self.tenant, "i": id_, "n": report.number,
                                        "d": to_json(report), "p": at.submitted,
                                        "f": at.decided_from, "l": at.decided,
                                        "r": report.period, "s": report.state})
                view = replace(view, reports=[])
            rows.append({"t": self.tenant, "k": kind, "i": id_, "d": to_json(view)})
        if rows:
            cursor.executemany(
                "INSERT INTO rm_views (tenant, kind, id, doc) VALUES (:t, :k, :i, :d) "
                "ON CONFLICT (tenant, kind, id) DO UPDATE SET doc = excluded.doc", rows,
            )
        if reports:
            # A report is inserted once, when submitted; a decision keeps the first one's
            # position and moves the last one's.
            cursor.executemany(
                "INSERT INTO rm_task_reports (tenant, task_id, number, doc, position, "
                "decided_from, decided, period, state) "
                "VALUES (:t, :i, :n, :d, :p, :f, :l, :r, :s) "
                "ON CONFLICT (tenant, task_id, number) DO UPDATE SET doc = excluded.doc, "
                "decided_from = COALESCE(rm_task_reports.decided_from, excluded.decided_from), "
                "decided = COALESCE(excluded.decided, rm_task_reports.decided), "
                "period = excluded.period, state = excluded.state", reports,
            )
        self._stored_reports = {}

    def insert_state(self, cursor: Cursor, state: PlanState,
                     made: Mapping[tuple[str, int], ReportPositions]) -> None:
        """Every view, report and status row of the state, into read models just cleared
        (a rebuild's): the documents `save_views` and `save_rows` write, inserted in bulk."""
        views, reports = [], []
        for kind, id_ in view_keys(state):
            view = view_of(state, kind, id_)
            if isinstance(view, TaskView):
                for report in view.reports:
                    at = made.get((id_, report.number), _UNKNOWN_POSITIONS)
                    reports.append((self.tenant, id_, report.number, to_json(report),
                                    at.submitted, at.decided_from, at.decided, report.period,
                                    report.state))
                view = replace(view, reports=[])
            views.append((self.tenant, kind, id_, to_json(view)))
        if views:
            cursor.copy_rows("rm_views", ("tenant", "kind", "id", "doc"), views)
        if reports:
            cursor.copy_rows("rm_task_reports", _REPORT_COLUMNS, reports)
        rows = [(self.tenant, str(i), str(task.plan_id), task.number, to_json(task.row()))
                for i, task in state.tasks.items()]
        if rows:
            cursor.copy_rows("rm_task_rows", ("tenant", "id", "plan_id", "number", "doc"), rows)

    def reports_as_of(self, cursor: Cursor, position: int, task_ids: Iterable[UUID] | None = None
                      ) -> dict[UUID, list[ReportView]] | None:
        """The reports of the given tasks (of every task, without them) as folded up to
        `position`, oldest first; None when a report decided more than once changed
        between its decisions (the log breaks the one-decision rule): fold instead."""
        found: list[dict[str, Any]] = []
        if task_ids is None:
            cursor.execute(_REPORTS_AS_OF + " ORDER BY task_id, number",
                           {"t": self.tenant, "p": position})
            found = cursor.fetchall()
        else:
            for task_id in sorted(str(i) for i in task_ids):
                cursor.execute(_REPORTS_AS_OF + " AND task_id = :i ORDER BY number",
                               {"t": self.tenant, "p": position, "i": task_id})
                found += cursor.fetchall()
        by_task: dict[str, list[ReportView]] = {}
        for row in found:
            first, last = row["decided_from"], row["decided"]
            report = report_from_doc(json.loads(row["doc"]))
            if first is None or position < first:
                report.state, report.decision_reason = "submitted", ""
            elif position < last:
                return None
            by_task.setdefault(row["task_id"], []).append(report)
        return {UUID(task_id): reports for task_id, reports in by_task.items()}

    # -- fold checkpoints ----------------------------------------------------------------

    def save_checkpoint(self, cursor: Cursor, position: int, document: str) -> None:
        """The state as folded up to `position` (its projections/checkpoints document)."""
        cursor.execute(
            "INSERT INTO rm_checkpoints (tenant, position, doc) VALUES (:t, :p, :d) "
            "ON CONFLICT (tenant, position) DO UPDATE SET doc = excluded.doc",
            {"t": self.tenant, "p": position, "d": document},
        )

    def stored_checkpoint(self, cursor: Cursor) -> str:
        """The checkpoint document of the read models as they stand (the same as that of
        the state they hold), assembled from the stored documents without decoding them."""
        cursor.execute("SELECT kind, id, doc FROM rm_views WHERE tenant = :t",
                       {"t": self.tenant})
        views = sorted((r["kind"], r["id"], r["doc"]) for r in cursor.fetchall())
        cursor.execute("SELECT id, doc FROM rm_task_rows WHERE tenant = :t", {"t": self.tenant})
        rows = sorted((r["id"], r["doc"]) for r in cursor.fetchall())
        return ('{"views": [' + ", ".join(
            f"[{json.dumps(kind)}, {json.dumps(id_)}, {doc}]" for kind, id_, doc in views)
            + '], "rows": [' + ", ".join(f"[{json.dumps(id_)}, {doc}]" for id_, doc in rows)
            + "]}")

    def checkpoint_for(self, known_at: datetime, stop: int) -> tuple[int, str] | None:
        """The latest checkpoint that the plan as known at `known_at` contains whole: at or
        before `stop`, and before the first event recorded after `known_at`. Its position
        and document."""
        when = self._when(known_at if known_at.tzinfo else known_at.replace(tzinfo=UTC))
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT MIN(position) AS p FROM rm_entries WHERE tenant = :t "
                           "AND recorded_at > :r", {"t": self.tenant, "r": when})
            row = cursor.fetchone()
            first_after = row["p"] if row and row["p"] is not None else None
            limit = stop if first_after is None else min(stop, int(first_after) - 1)
            cursor.execute("SELECT position, doc FROM rm_checkpoints WHERE tenant = :t "
                           "AND position <= :p ORDER BY position DESC LIMIT 1",
                           {"t": self.tenant, "p": limit})
            found = cursor.fetchone()
        return None if found is None else (int(found["position"]), found["doc"])

    def checkpoint_documents(self, cursor: Cursor) -> dict[int, Any]:
        """Every stored checkpoint as its parsed document (used by `check`)."""
        cursor.execute("SELECT position, doc FROM rm_checkpoints WHERE tenant = :t",
                       {"t": self.tenant})
        return {int(r["position"]): json.loads(r["doc"]) for r in cursor.fetchall()}

    # -- entries -----------------------------------------------------------------------

    def entry_rows(self) -> EntryRows:
        """Makes the rows `save_entries` writes, straight from the events."""
        if self.db.dialect == "sqlite":
            return EntryRows(self.tenant, _sqlite_when, _sqlite_day)
        return EntryRows(self.tenant, _utc, _same)

    def save_entries(self, cursor: Cursor, rows: Sequence[EntryRow]) -> None:
        """Entries as `entry_rows` makes them."""
        if rows:
            cursor.copy_rows("rm_entries", ENTRY_COLUMNS, rows)

    @contextmanager
    def bulk(self, cursor: Cursor) -> Iterator[None]:
        """For a transaction that rewrites every read model (a rebuild's). SQLite: a page
        cache that holds the indexes the entries go into, for the writes only (the default
        cache spills and reads their pages again at every few hundred entries)."""
        if self.db.dialect != "sqlite":
            yield
            return
        cursor.execute("PRAGMA cache_size")
        found = cursor.fetchone()
        kept = int(next(iter(found.values()))) if found else _BULK_CACHE_KIB
        cursor.execute(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {kept}")

    def clear(self, cursor: Cursor) -> None:
        self._stored_reports, self._partial = {}, {}
        if self.db.dialect == "sqlite":
            # The file holds this tenant alone: an unqualified DELETE empties the tables at
            # once instead of deleting row by row through the indexes.
            for statement in _EMPTY_TENANT_FILE:
                cursor.execute(statement)
        else:
            for statement in _DELETE_TENANT_ROWS:
                cursor.execute(statement, {"t": self.tenant})
        self.set_position(cursor, 0)

    def last_position_recorded_by(self, moment: datetime) -> int:
        when = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        with self.db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT MAX(position) AS p FROM rm_entries WHERE tenant = :t AND recorded_at <= :r",
                {"t": self.tenant, "r": self._when(when)},
            )
            row = cursor.fetchone()
        return int(row["p"]) if row and row["p"] is not None else 0

    def entries_about(self, subject: str) -> list[AuditEntry]:
        """One subject's audit trail ("task 5"), in log order."""
        with self.db.transaction(write=False) as cursor:
            cursor.execute(
                ENTRY_SELECT + " WHERE tenant = :t AND subject = :s ORDER BY position",
                {"t": self.tenant, "s": subject},
            )
            return [entry_from_row(r) for r in cursor.fetchall()]

    def latest_entries_of(self, subject: str, aggregate_id: str, limit: int | None
                          ) -> tuple[list[AuditEntry], int]:
        """The latest `limit` entries (every one, without a limit) of one subject's
        aggregate ("task 5" of one plan), in log order, and how many it has in all."""
        params = {"t": self.tenant, "s": subject, "a": aggregate_id,
                  "n": _NO_LIMIT if limit is None else limit}
        with self.db.transaction(write=False) as cursor:
            found, total = _latest_and_total(cursor, _LATEST_OF_AGGREGATE, _COUNT_OF_AGGREGATE,
                                             params)
        return [entry_from_row(r) for r in reversed(found)], total

    def entries_recorded_after(self, moment: datetime, limit: int, *, changes_only: bool
                               ) -> tuple[list[AuditEntry], int]:
        """Entries recorded after `moment` (of the change log only, when asked), the latest
        `limit` of them newest first, and how many there are in all."""
        when = self._when(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        count, select = _CHANGES_AFTER if changes_only else _ENTRIES_AFTER
        params = {"t": self.tenant, "after": when, "limit": limit}
        with self.db.transaction(write=False) as cursor:
            cursor.execute(count, params)
            row = cursor.fetchone()
            cursor.execute(select, params)
            entries = [entry_from_row(r) for r in cursor.fetchall()]
        return entries, int(row["n"]) if row else 0

    def all_entries(self, cursor: Cursor) -> list[AuditEntry]:
        cursor.execute(ENTRY_SELECT + " WHERE tenant = :t ORDER BY position", {"t": self.tenant})
        return [entry_from_row(r) for r in cursor.fetchall()]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _sqlite_when(value: datetime) -> str:
    return _utc(value).isoformat(timespec="microseconds")


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _same(value: Any) -> Any:
    return value


_BULK_CACHE_KIB = -65536  # negative: in KiB, 64 MiB
_REPORT_COLUMNS = ("tenant", "task_id", "number", "doc", "position", "decided_from", "decided",
                   "period", "state")
_SELECT_POSITION = "SELECT position FROM rm_tracking WHERE tenant = :t"
_SELECT_POSITION_FOR_UPDATE = _SELECT_POSITION + " FOR UPDATE"
_DELETE_TENANT_ROWS = ("DELETE FROM rm_entries WHERE tenant = :t",
                       "DELETE FROM rm_views WHERE tenant = :t",
                       "DELETE FROM rm_task_rows WHERE tenant = :t",
                       "DELETE FROM rm_task_reports WHERE tenant = :t",
                       "DELETE FROM rm_checkpoints WHERE tenant = :t")
_EMPTY_TENANT_FILE = ("DELETE FROM rm_entries", "DELETE FROM rm_views", "DELETE FROM rm_task_rows",
                      "DELETE FROM rm_task_reports", "DELETE FROM rm_checkpoints")
_NO_LIMIT = 2**31 - 1
_LATEST_OF_PERIOD = ("SELECT number, task_id, doc FROM rm_task_reports WHERE tenant = :t "
                     "AND task_id = :i AND period = :p ORDER BY number DESC LIMIT 1")
_WAITING_OR_RETURNED = (
    "SELECT r.task_id, r.number, r.doc FROM rm_task_reports r WHERE r.tenant = :t "
    "AND (r.state IN ('submitted', 'returned') OR EXISTS (SELECT 1 FROM rm_task_reports x "
    "WHERE x.tenant = r.tenant AND x.task_id = r.task_id AND x.period = r.period "
    "AND x.state = 'returned'))")
_OF_PERIOD = ("SELECT task_id, number, doc FROM rm_task_reports WHERE tenant = :t "
              "AND period = :p")
_REPORT_NUMBERED = ("SELECT number, task_id, doc FROM rm_task_reports WHERE tenant = :t "
                    "AND task_id = :i AND number = :n")
_COUNT_OF_REPORTS = ("SELECT COUNT(*) AS n FROM rm_task_reports WHERE tenant = :t "
                     "AND task_id = :i")
_LATEST_REPORTS = ("SELECT doc, (SELECT COUNT(*) FROM rm_task_reports c WHERE c.tenant = :t "
                   "AND c.task_id = :i) AS total FROM rm_task_reports "
                   "WHERE tenant = :t AND task_id = :i ORDER BY number DESC LIMIT :n")
_LATEST_OF_EACH_TASK = (
    "SELECT r.task_id, r.doc FROM rm_task_reports r JOIN (SELECT task_id, MAX(number) AS n "
    "FROM rm_task_reports WHERE tenant = :t GROUP BY task_id) m "
    "ON r.task_id = m.task_id AND r.number = m.n WHERE r.tenant = :t")
_REPORTS_BEFORE = ("SELECT doc, (SELECT COUNT(*) FROM rm_task_reports c WHERE c.tenant = :t "
                   "AND c.task_id = :i) AS total FROM rm_task_reports "
                   "WHERE tenant = :t AND task_id = :i AND number < :b "
                   "ORDER BY number DESC LIMIT :n")
_REPORTS_AS_OF = ("SELECT task_id, doc, decided_from, decided FROM rm_task_reports "
                  "WHERE tenant = :t AND position <= :p")
_SELECT_KINDS = "SELECT kind, id, doc FROM rm_views WHERE tenant = :t AND kind IN (:a, :b)"
_SELECT_VIEW = "SELECT kind, id, doc FROM rm_views WHERE tenant = :t AND kind = :k AND id = :i"
_FEW_VIEWS = 20


# An entry is its columns plus a small JSON document of what no query filters on.
ENTRY_SELECT = ("SELECT position, aggregate_id, subject, event, change_type, actor, "
                "recorded_at, effective_on, agencies, doc FROM rm_entries")


_COUNT_OF_AGGREGATE = ("SELECT COUNT(*) AS n FROM rm_entries WHERE tenant = :t "
                       "AND subject = :s AND aggregate_id = :a")
_LATEST_OF_AGGREGATE = (
    "SELECT position, aggregate_id, subject, event, change_type, actor, recorded_at, "
    "effective_on, agencies, doc, (SELECT COUNT(*) FROM rm_entries c WHERE c.tenant = :t "
    "AND c.subject = :s AND c.aggregate_id = :a) AS total FROM rm_entries "
    "WHERE tenant = :t AND subject = :s AND aggregate_id = :a ORDER BY position DESC "
    "LIMIT :n")

_ENTRIES_AFTER = (
    "SELECT COUNT(*) AS n FROM rm_entries WHERE tenant = :t AND recorded_at > :after",
    "SELECT position, aggregate_id, subject, event, change_type, actor, recorded_at, "
    "effective_on, agencies, doc FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "ORDER BY position DESC LIMIT :limit")
_CHANGES_AFTER = (
    "SELECT COUNT(*) AS n FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "AND change_type IS NOT NULL",
    "SELECT position, aggregate_id, subject, event, change_type, actor, recorded_at, "
    "effective_on, agencies, doc FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "AND change_type IS NOT NULL ORDER BY position DESC LIMIT :limit")


def entry_from_row(row: dict[str, Any]) -> AuditEntry:
    doc = json.loads(row["doc"])
    recorded, effective = row["recorded_at"], row["effective_on"]
    return AuditEntry(
        position=int(row["position"]), version=doc["version"], event=row["event"],
        code=doc["code"], params=doc["params"],
        recorded_at=recorded if isinstance(recorded, datetime)
        else datetime.fromisoformat(recorded),
        effective_on=effective if isinstance(effective, date | None)
        else date.fromisoformat(effective),
        actor=row["actor"], on_behalf_of=doc["on_behalf_of"], reason=doc["reason"],
        document=doc["document"], changes={k: _change(v) for k, v in doc["changes"].items()},
        aggregate_id=row["aggregate_id"], subject=row["subject"],
        change_type=row["change_type"],
        agencies=tuple(k for k in (row["agencies"] or "").split("|") if k),
    )


def _change(value: Any) -> tuple[str, str]:
    """[old, new]; documents written before this format kept {"from": old, "to": new}."""
    if isinstance(value, dict):
        return value["from"], value["to"]
    return value[0], value[1]


def agency_pattern(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%|{escaped}|%"


def view_keys(state: PlanState) -> list[tuple[str, str]]:
    keys = [(PLAN, str(i)) for i in state.plans] + [(TASK, str(i)) for i in state.tasks]
    keys += [(INDICATOR, str(i)) for i in state.indicators]
    keys += [(AGENCY, str(i)) for i in state.agency_ids]
    return keys


def view_documents(state: PlanState) -> dict[tuple[str, str], Any]:
    """Every view of a state as the documents the store keeps (used by `check`)."""
    return {key: _doc(state, *key) for key in view_keys(state)}


def row_documents(state: PlanState) -> dict[str, Any]:
    """Every task's status row of a state as the document the store keeps (used by `check`)."""
    return {str(i): encode(task.row()) for i, task in state.tasks.items()}


def row_from_doc(doc: dict[str, Any]) -> TaskRow:
    """A stored status row (the same as decode(TaskRow, doc), written out: the status list
    decodes one per task on every read)."""
    completed = doc["completed_on"]
    return TaskRow(
        id=UUID(doc["id"]), plan_id=UUID(doc["plan_id"]), group_code=doc["group_code"],
        number=doc["number"], title=doc["title"], leads=tuple(doc["leads"]),
        coordinators=tuple(doc["coordinators"]), expected_output=doc["expected_output"],
        deadline=Deadline.from_dict(doc["deadline"]), deadline_changes=doc["deadline_changes"],
        slip_days=doc["slip_days"], state=doc["state"],
        completed_on=date.fromisoformat(completed) if completed else None,
        output_document=doc["output_document"], version=doc["version"],
        last_report_period=doc["last_report_period"],
        last_report_percent=doc["last_report_percent"],
        last_report_narrative=doc["last_report_narrative"],
        reported=tuple(ReportFact(r["period"], r["percent"], r["state"])
                       for r in doc["reported"]),
    )


def report_from_doc(doc: dict[str, Any]) -> ReportView:
    """A stored report (the same as decode(ReportView, doc), written out: a catch-up decodes
    every report of the tasks it changes)."""
    return ReportView(
        number=doc["number"], period=doc["period"], percent=doc["percent"],
        narrative=doc["narrative"], difficulties=doc["difficulties"],
        proposals=doc["proposals"], evidence=tuple(doc["evidence"]), agency=doc["agency"],
        recorded_at=datetime.fromisoformat(doc["recorded_at"]),
        effective_on=date.fromisoformat(doc["effective_on"]),
        state=doc.get("state", "submitted"),
        files=tuple(decode(EvidenceFile, f) for f in doc.get("files", ())),
        decision_reason=doc.get("decision_reason", ""),
    )


def view_of(state: PlanState, kind: str, id_: str) -> Any:
    uid = UUID(id_)
    if kind == TASK:
        return state.tasks[uid]
    if kind == INDICATOR:
        return state.indicators[uid]
    if kind == PLAN:
        return state.plans[uid]
    key = state.agency_ids[uid]
    return AgencyDoc(key, state.agencies[key], key in state.collectives, id_,
                     state.agency_changes.get(key))


def _doc(state: PlanState, kind: str, id_: str) -> Any:
    return encode(view_of(state, kind, id_))


def put_view(state: PlanState, kind: str, doc: dict[str, Any]) -> None:
    if kind == TASK:
        task = decode(TaskView, doc)
        state.tasks[task.id] = task
    elif kind == INDICATOR:
        indicator = decode(IndicatorView, doc)
        state.indicators[indicator.id] = indicator
    elif kind == PLAN:
        plan = decode(PlanView, doc)
        state.plans[plan.id] = plan
    else:
        state.agencies[doc["key"]] = doc["name"]
        state.agency_ids[UUID(doc["id"])] = doc["key"]
        if doc["is_collective"]:
            state.collectives.add(doc["key"])
        if doc.get("change"):
            state.agency_changes[doc["key"]] = decode(AgencyChange, doc["change"])


def _latest_and_total(cursor: Cursor, latest: str, count: str, params: Mapping[str, Any]
                      ) -> tuple[list[Row], int]:
    """The rows `latest` reads, each carrying the total in its `total` column, and that
    total; with no row, the total is asked apart (`count`, a column `n`)."""
    cursor.execute(latest, params)
    found = cursor.fetchall()
    if found:
        return found, int(found[0]["total"])
    cursor.execute(count, params)
    counted = cursor.fetchone()
    return found, int(counted["n"]) if counted else 0
