"""A tenant's reads. Live reads come from the read models, brought up to the head of the
log first (read-your-writes); reads "as known at" a past time or "as effective on" a date
fold the tenant's events with that filter."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from domain.access import Role
from domain.catalogue import resolve_plan
from domain.clock import Clock
from domain.errors import NotFound
from domain.indicator import Indicator
from domain.obligations import answers_for, current_period
from domain.policy import Grant
from domain.task import Task
from projections import details
from projections.alias_preview import AliasPreview, alias_preview
from projections.audit import AuditEntry
from projections.change_log import ChangeFilter, ChangePage, query_changes
from projections.checkpoints import Checkpoint, fold_since, in_order
from projections.details import AgencyEntry, IndicatorDetail, PlanOutline, TaskDetail
from projections.diff import PlanDiff, diff_states
from projections.indicator_progress import IndicatorProgress, indicator_progress
from projections.plan_state import TASK, PlanState, ReportView, TaskRow, TaskView
from projections.plan_status import TaskStatus, filter_status, plan_status
from projections.projector import Difference, apply_all, catch_up, check, rebuild
from projections.queues import (
    AgencyQueue,
    News,
    ReviewQueue,
    WorkQueue,
    agency_queue,
    review_queue,
)
from projections.responsibility import Responsibility, responsibility
from projections.scorecard import AgencyScore, scorecard
from projections.specs import SPECS, fold
from projections.store import ReadModelStore
from projections.summary import PlanSummary, summarise
from service.application import LedgerApplication

PAGE = 1000

log = logging.getLogger("r57.read_models")


def read_events(app: LedgerApplication, after: int = 0, stop: int | None = None,
                keep: Callable[[Any], bool] | None = None) -> Iterator[tuple[int, Any]]:
    """(position, domain event) pairs of the tenant's log, after a position (and up to
    `stop`, inclusive), in order; with `keep`, only the notifications it keeps are decoded."""
    start = after + 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE, stop=stop)
        for notification in page:
            if keep is None or keep(notification):
                yield notification.id, app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def _of_tasks(tasks: Collection[UUID]) -> Callable[[Any], bool]:
    """Keeps the notifications of the given tasks and of every aggregate not a task."""
    def keep(notification: Any) -> bool:
        return notification.originator_id in tasks or not _is_task_topic(notification.topic)
    return keep


@cache
def _is_task_topic(topic: str) -> bool:
    cls = resolve_topic(topic)
    spec = next((SPECS[c] for c in cls.__mro__ if c in SPECS), None)
    return spec is not None and spec.subject.view == TASK


class SharedLoads:
    """Loads that every request of a process may share, each kept under its tenant, the log
    position it was made at and what else shapes it; the least recently used are dropped.
    A load kept here is read-only: no reader changes it."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = make()  # outside the lock: another tenant's reader need not wait for it
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return made

    def forget(self, tenant: str) -> None:
        """Drop what was kept of a tenant (its read models were rebuilt)."""
        with self._lock:
            for key in [k for k in self._kept if isinstance(k, tuple) and k[1:2] == (tenant,)]:
                del self._kept[key]


@dataclass(frozen=True)
class TaskPage:
    """One task's page: `state` holds the plans, the agencies and the tasks numbered so
    (each with the reports shown); their status rows and details by task id."""

    state: PlanState
    rows: dict[UUID, TaskRow]
    details: dict[UUID, TaskDetail]


@dataclass(frozen=True)
class ReadWait:
    """Reads follow the projector process: a read waits up to `seconds` for the read models
    to reach the log's head (its own writes included), then catches them up itself, so a
    stopped projector slows reads down but never makes them stale."""

    seconds: float = 2.0
    first_poll: float = 0.005
    longest_poll: float = 0.05


class TenantQueries:
    """A tenant's reads. With `primary`, `app` reads from a standby of the primary's
    database (PostgreSQL streaming replication): a read waits until the standby has replayed
    the read models up to the primary's head, and reads from the primary after `wait`."""

    def __init__(self, app: LedgerApplication, wait: ReadWait | None = None,
                 primary: LedgerApplication | None = None,
                 shared: SharedLoads | None = None) -> None:
        self.app = app
        self.shared = shared or SharedLoads(1)
        self.store = ReadModelStore(app.storage.tenant_database(app.slug), app.slug)
        self.wait = wait
        self.primary = primary
        self.caught_up_here = 0  # reads that had to catch the read models up themselves
        self.read_primary = 0  # reads a standby could not answer in time
        self._live: tuple[int, PlanState] | None = None  # (position, state) last loaded
        # (position, plans and agencies, status rows) last loaded
        self._rows: tuple[int, PlanState, list[TaskRow]] | None = None
        # ((time, last position known then), plans and agencies, status rows) last folded
        self._rows_known: tuple[tuple[datetime, int],
                                tuple[PlanState, list[TaskRow]]] | None = None
        # (position, quarter, state, rows) the work queues last read
        self._queues: tuple[int, str, PlanState, dict[UUID, TaskRow]] | None = None
        # Told, at the first refresh, how far behind the read models were (a metric).
        self.observe_lag: Callable[[int], None] | None = None
        # With `settle`, the position the first refresh reached serves the later reads:
        # the reads of one page see one position and look at the log's head once.
        self.settle = False
        self._settled: int | None = None

    def _events_after(self, position: int) -> Iterator[tuple[int, Any]]:
        return read_events(self.app, position)

    # -- read models ---------------------------------------------------------------------

    def head(self) -> int:
        """The log's head, on the primary (a standby may not have replayed it yet)."""
        writer = self.primary or self.app
        return writer.recorder.max_notification_id() or 0

    @property
    def on_standby(self) -> bool:
        return self.primary is not None

    def refresh(self) -> int:
        """The read models at the head of the log; returns the position reached. With a
        projector, wait for it; otherwise (or when it is late) catch up here."""
        if self._settled is not None:
            return self._settled
        position = self._bring_up()
        if self.settle:
            self._settled = position
        return position

    def _bring_up(self) -> int:
        if self.primary is None:
            # The head and the position in one statement: the store shares the log's database.
            head, position = self.store.head_and_position(
                self.app.storage.events_table(self.app.slug))
        else:
            head, position = self.head(), self.store.position()
        if self.observe_lag is not None:
            observe, self.observe_lag = self.observe_lag, None
            observe(max(0, head - position))
        if position >= head:
            return position
        if self.wait is not None:
            reached = self._wait_for(head, self.wait)
            if reached is not None:
                return reached
            log.info("read models of %s not at %d after %gs: caught up by the read",
                     self.app.slug, head, self.wait.seconds)
        if self.primary is not None:  # a standby cannot catch up: read from the primary
            self.app, self.primary = self.primary, None
            self.store = ReadModelStore(self.app.storage.tenant_database(self.app.slug),
                                        self.app.slug)
            self.read_primary += 1
            self._live = self._rows = self._rows_known = self._queues = None
        position = self.store.position()
        if position >= head:
            return position  # already there: no second look at the position
        self.caught_up_here += 1
        return catch_up(self.store, self._events_after, head)

    def _wait_for(self, head: int, wait: ReadWait) -> int | None:
        deadline, delay = time.monotonic() + wait.seconds, wait.first_poll
        while True:
            position = self.store.position()
            if position >= head:
                return position
            if time.monotonic() >= deadline:
                return None
            time.sleep(delay)
            delay = min(delay * 2, wait.longest_poll)

    def rebuild(self) -> int:
        self._live = self._rows = self._rows_known = self._queues = self._settled = None
        self.shared.forget(self.app.slug)
        return rebuild(self.store, self._events_after)

    def check(self) -> list[Difference]:
        self.refresh()
        return check(self.store, self._events_after)

    def lag(self) -> int:
        return max(0, self.head() - self.store.position())

    # -- state at a time -----------------------------------------------------------------

    def state(self, *, known_at: datetime | None = None,
              effective_on: date | None = None) -> PlanState:
        if known_at is None and effective_on is None:
            return self._live_state()
        if effective_on is None and known_at is not None:
            return self._known_at(known_at)[0]
        stop = self._last_position_known_at(known_at) if known_at is not None else None
        if stop == 0:
            return PlanState()
        events = read_events(self.app, 0, stop)
        return fold(events, known_at=known_at, effective_on=effective_on)

    def _known_at(self, known_at: datetime, tasks: Collection[UUID] | None = None, *,
                  rows: bool = True, stop: int | None = None) -> tuple[PlanState, list[TaskRow]]:
        """The plan as known at `known_at`, with the given tasks (every task, without them),
        and every task's status row then. Folded from the latest checkpoint that time has
        seen whole (projections/checkpoints), else from the start. Without `rows`, the
        other tasks' events are not even decoded, and the rows returned are not to be used."""
        if stop is None:
            stop = self._last_position_known_at(known_at)
        if stop == 0:
            return PlanState(), []
        keep = None if rows or tasks is None else _of_tasks(set(tasks))
        found = self.store.checkpoint_for(known_at, stop)
        if found is not None:
            start = Checkpoint(*found)
            events = [(p, e) for p, e in read_events(self.app, start.position, stop, keep)
                      if e.timestamp <= known_at]

            def earlier(ids: Collection[UUID] | None) -> dict[UUID, list[ReportView]] | None:
                with self.store.db.transaction(write=False) as cursor:
                    return self.store.reports_as_of(cursor, start.position, ids)

            folded = fold_since(start, events, earlier, tasks)
            if folded is not None:
                return folded
        state = fold(read_events(self.app, 0, stop, keep), known_at=known_at)
        return state, in_order([t.row() for t in state.tasks.values()])

    def _live_state(self) -> PlanState:
        """The read models as plan state, loaded once per log position: the reads of one
        request (or any run of reads with no write between) share one load. Treat it as
        read-only."""
        position = self.refresh()
        if self._live is None or self._live[0] != position:
            with self.store.db.transaction(write=False) as cursor:
                self._live = (position, self.store.load(cursor))
        return self._live[1]

    def _live_rows(self) -> tuple[PlanState, list[TaskRow]]:
        """The plans, the agencies and every task's status row, loaded once per log
        position: what the status list and the summary read, without any task's reports.
        Treat them as read-only."""
        position = self.refresh()
        if self._live is not None and self._live[0] == position:
            return self._live[1], self._live[1].task_rows()
        if self._rows is None or self._rows[0] != position:

            def load() -> tuple[PlanState, list[TaskRow]]:
                with self.store.db.transaction(write=False) as cursor:
                    return self.store.load_outline(cursor), self.store.load_rows(cursor)

            # Shared by the process's requests until the next write: pages and answers
            # read the same rows again and again between two writes.
            outline, rows = self.shared.get(("rows", self.app.slug, position), load)
            self._rows = (position, outline, rows)
        return self._rows[1], self._rows[2]

    def _judged(self, state: PlanState, tasks: list[TaskRow], on: date, plan: str | None,
                judge: Callable[[PlanState, list[TaskRow]], Any], what: str,
                live: bool) -> Any:
        """`judge` of the rows of the plan named (every plan's, without one); live, made
        once per log position, day and plan for the process's requests (read-only)."""
        if not live:
            return judge(state, self._of_plan(state, tasks, plan))
        return self.shared.get(
            (what, self.app.slug, state.position, on, plan),
            lambda: judge(state, self._of_plan(state, tasks, plan)))

    def _rows_at(self, known_at: datetime | None = None,
                 effective_on: date | None = None) -> tuple[PlanState, list[TaskRow]]:
        if known_at is None and effective_on is None:
            return self._live_rows()
        if effective_on is None and known_at is not None:
            # The outline, the status and the summary of one page share one fold.
            key = (known_at, self._last_position_known_at(known_at))
            if self._rows_known is None or self._rows_known[0] != key:
                self._rows_known = (key, self._known_at(known_at, tasks=(), stop=key[1]))
            return self._rows_known[1]
        state = self.state(known_at=known_at, effective_on=effective_on)
        return state, state.task_rows()

    def outline(self, **when: Any) -> PlanState:
        """The plans and the agencies (tasks not to be read from it), now, as known at a time
        or as effective on a date: what a plan selector shows, without the whole state."""
        return self._rows_at(**when)[0]

    def task_rows(self, **when: Any) -> list[TaskRow]:
        """Every task's status row, in task-number order (now, as known at a time or as
        effective on a date), no report read: what lists of tasks show. Read-only."""
        return self._rows_at(**when)[1]

    def latest_reports(self) -> dict[UUID, ReportView]:
        """Each task's latest report (returned or not), by task id; a task with none is
        absent. Only those reports are read, however many the tasks have."""
        position = self.refresh()
        if self._live is not None and self._live[0] == position:
            return {t.id: t.reports[-1] for t in self._live[1].tasks.values() if t.reports}
        with self.store.db.transaction(write=False) as cursor:
            return self.store.latest_reports(cursor)

    def _plan_id(self, state: PlanState, plan: str | None) -> UUID:
        return resolve_plan({p.number: p.id for p in state.plans.values()}, plan)

    def task_detail(self, number: str, plan: str | None, on: date,
                    latest: int | None = None, known_at: datetime | None = None
                    ) -> TaskDetail:
        """One task, its status judged on `on`, with every report or the `latest` few (as
        known at `known_at`, when given). Unless the whole plan state is at hand, the
        task's view alone is read, with the reports shown: the cost does not grow with the
        task's other reports."""
        position = self.refresh()
        if known_at is not None:
            return self._task_known_at(number, plan, on, latest, known_at)
        if self._live is not None and self._live[0] == position:
            state = self._live[1]
            return details.task_detail(state, number, self._plan_id(state, plan), on, latest)
        wanted = number.strip().rstrip(".")
        with self.store.db.transaction(write=False) as cursor:
            outline = self.store.load_outline(cursor)
            plan_id = self._plan_id(outline, plan)
            found = self.store.load_task(cursor, plan_id, wanted)
            if found is None:
                raise NotFound("task.not_found", field="task", number=number)
            task, row = found
            reports, total = self.store.load_reports(cursor, task.id, limit=latest)
        return details.detail_of(outline, task, row, on, reports, total)

    def _task_known_at(self, number: str, plan: str | None, on: date, latest: int | None,
                       known_at: datetime) -> TaskDetail:
        """The task as known at `known_at`: of the plan state then, that task's view alone
        is folded with its reports (a plan is never removed, so its task is one of those
        of the plans known now)."""
        wanted = number.strip().rstrip(".")
        with self.store.db.transaction(write=False) as cursor:
            plans = list(self.store.load_outline(cursor).plans)
        state = self._known_at(known_at, {Task.create_id(p, wanted) for p in plans},
                               rows=False)[0]
        return details.task_detail(state, wanted, self._plan_id(state, plan), on, latest)

    def task_page(self, number: str, on: date, latest: int | None) -> TaskPage:
        """What a task's page shows, whichever plan it is asked of: the plans and the
        agencies, and the tasks with this number (one per plan that has it), each with
        its detail judged on `on` and its `latest` reports (every one, without a limit).
        The cost does not grow with the tasks' reports or the plan's other tasks."""
        self.refresh()
        wanted = number.strip().rstrip(".")
        with self.store.db.transaction(write=False) as cursor:
            state = self.store.load_outline(cursor)
            rows: dict[UUID, TaskRow] = {}
            detail: dict[UUID, TaskDetail] = {}
            for task, row in self.store.load_numbered(cursor, wanted):
                reports, total = self.store.load_reports(cursor, task.id, limit=latest)
                task.reports = reports
                state.tasks[task.id], rows[task.id] = task, row
                detail[task.id] = details.detail_of(state, task, row, on, reports, total)
        return TaskPage(state, rows, detail)

    def task_views(self, number: str, report: int | None = None) -> PlanState:
        """What a form on one task reads: the plans, the agencies and the tasks with this
        number (one per plan that has it), each without its reports, or with only the one
        numbered `report` when it has such a report. Nothing else of the plan is read."""
        self.refresh()
        with self.store.db.transaction(write=False) as cursor:
            state = self.store.load_outline(cursor)
            for task, _ in self.store.load_numbered(cursor, number.strip().rstrip(".")):
                if report is not None:
                    found, _ = self.store.load_reports(cursor, task.id, before=report + 1,
                                                       limit=1)
                    task.reports = [r for r in found if r.number == report]
                state.tasks[task.id] = task
        return state

    def task_outline(self, number: str, plan: str | None = None
                     ) -> tuple[PlanState, TaskView | None]:
        """The plans and agencies, and one task's view without its reports (None: the plan
        has no such task): what deciding who may act on that task reads."""
        self.refresh()
        with self.store.db.transaction(write=False) as cursor:
            state = self.store.load_outline(cursor)
            found = self.store.load_task(cursor, self._plan_id(state, plan),
                                         number.strip().rstrip("."))
        return state, found[0] if found is not None else None

    def task_timeline(self, task: TaskView, latest: int | None
                      ) -> tuple[list[AuditEntry], int]:
        """A task's latest `latest` audit entries (every one, without a limit), in log
        order, and how many it has in all."""
        self.refresh()
        return self.store.latest_entries_of(f"task {task.number}", str(task.id), latest)

    def task_reports(self, number: str, plan: str | None, before: int | None,
                     limit: int) -> tuple[list[ReportView], int]:
        """A task's reports numbered below `before` (the latest, without it), at most
        `limit` of them, oldest first; and how many the task has in all."""
        self.refresh()
        with self.store.db.transaction(write=False) as cursor:
            outline = self.store.load_outline(cursor)
            found = self.store.load_task(cursor, self._plan_id(outline, plan),
                                         number.strip().rstrip("."))
            if found is None:
                raise NotFound("task.not_found", field="task", number=number)
            return self.store.load_reports(cursor, found[0].id, before=before, limit=limit)

    def indicator(self, code: str, plan: str | None = None) -> IndicatorDetail:
        state = self.state()
        wanted = Indicator.create_id(self._plan_id(state, plan), code.strip().rstrip("."))
        if wanted not in state.indicators:
            raise NotFound("indicator.not_found", field="indicator", code=code)
        return details.indicator_detail(state, state.indicators[wanted])

    def indicator_list(self, plan: str | None = None) -> list[IndicatorDetail]:
        """Every indicator (of one plan, when named) with its target and values."""
        state = self.state()
        plan_id = self._plan_id(state, plan) if plan else None
        return details.indicator_details(state, plan_id)

    def agencies(self) -> list[AgencyEntry]:
        return details.agencies(self.state())

    def plans(self) -> list[PlanOutline]:
        return details.plans(self.state())

    def _last_position_known_at(self, known_at: datetime) -> int:
        """No event recorded by `known_at` lies after this position: reading stops there."""
        self.refresh()
        return self.store.last_position_recorded_by(known_at)

    def _of_plan(self, state: PlanState, tasks: list[TaskRow], plan: str | None
                 ) -> list[TaskRow]:
        """The rows of the plan named (all plans' when none is)."""
        if plan is None:
            return tasks
        plan_id = self._plan_id(state, plan)
        return [t for t in tasks if t.plan_id == plan_id]

    def status(self, on: date, *, search: str | None = None, group: str | None = None,
               agency: str | None = None, status: str | None = None,
               plan: str | None = None, **when: Any) -> list[TaskStatus]:
        state, tasks = self._rows_at(**when)
        rows = self._judged(state, tasks, on, plan, lambda s, t: plan_status(s, on, t),
                            "status", not when)
        return filter_status(rows, search=search, group=group, agency=agency, status=status)

    def summary(self, on: date, *, plan: str | None = None, **when: Any) -> PlanSummary:
        """The summary of every plan's tasks, or of the plan named; groups are counted
        per plan."""
        state, tasks = self._rows_at(**when)
        found: PlanSummary = self._judged(
            state, tasks, on, plan, lambda s, t: summarise(s, on, tasks=t), "summary",
            not when)
        return found

    def _state_of_plan(self, plan: str | None, **when: Any) -> PlanState:
        """The plan state, its tasks narrowed to the plan named (all when none is)."""
        state = self.state(**when)
        if plan is None:
            return state
        plan_id = self._plan_id(state, plan)
        return replace(state, tasks={k: t for k, t in state.tasks.items()
                                     if t.plan_id == plan_id})

    def scorecard(self, year: int, today: date | None = None, *, plan: str | None = None,
                  **when: Any) -> list[AgencyScore]:
        """The agencies ranked (collectives are not agencies: `collective_scores`), on the
        tasks of every plan or of the plan named."""
        return scorecard(self._state_of_plan(plan, **when), year, today)

    def collective_scores(self, year: int, today: date | None = None, *,
                          plan: str | None = None, **when: Any) -> list[AgencyScore]:
        """The collectives' results, shown apart from the ranking."""
        return scorecard(self._state_of_plan(plan, **when), year, today, part="collectives")

    def ended_scores(self, year: int, today: date | None = None, *,
                     plan: str | None = None, **when: Any) -> list[AgencyScore]:
        """The agencies whose duties had passed on (succession, merger, dissolution) by the
        date judged: their record until then, shown apart from the ranking."""
        return scorecard(self._state_of_plan(plan, **when), year, today, part="ended")

    # -- agency history ----------------------------------------------------------------------

    def responsibility(self, number: str, plan: str | None, on: date, *,
                       known_at: datetime | None = None) -> Responsibility:
        """Who was responsible for a task on `on`: the task as assigned on that date (as
        known at `known_at`, when given), each agency it names resolved through the agencies'
        successions, mergers, dissolutions and aliases effective by then."""
        state = self.state(known_at=known_at, effective_on=on)
        plan_id = self._plan_id(state, plan)
        wanted = number.strip().rstrip(".")
        for task in state.tasks.values():
            if task.number == wanted and task.plan_id == plan_id:
                return responsibility(state, task, on)
        raise NotFound("task.not_found", field="task", number=number)

    def alias_preview(self, alias: str, into: str, year: int) -> AliasPreview:
        """What merging `alias` into `into` (agency keys) as one agency would change."""
        return alias_preview(self.state(), alias, into, year)

    def indicators(self, **when: Any) -> list[IndicatorProgress]:
        return indicator_progress(self.state(**when))

    def diff(self, before: datetime, after: datetime) -> PlanDiff:
        """What changed in the plan as known at `before` versus as known at `after`."""
        old = self.state(known_at=before)
        new = self.state(known_at=after)
        return diff_states(old, new, before.date(), after.date(),
                           before.isoformat(), after.isoformat())

    # -- history and change log ------------------------------------------------------------

    def history(self, number: str, plan: str | None = None,
                known_at: datetime | None = None) -> list[AuditEntry]:
        """A task's audit trail, every event as a readable entry, in log order."""
        number = number.strip().rstrip(".")
        if known_at is None and plan is None:
            self.refresh()
            entries = self.store.entries_about(f"task {number}")
            if not entries:
                raise NotFound("task.not_found", field="task", number=number)
            return entries
        state = PlanState()
        entries = [e for e in apply_all(state, self._known(known_at))
                   if e.subject == f"task {number}"]
        if plan is not None:
            plan_ids = {str(t.id) for t in state.tasks.values()
                        if t.number == number and state.plans[t.plan_id].number == plan}
            entries = [e for e in entries if e.aggregate_id in plan_ids]
        if not entries:
            raise NotFound("task.not_found", field="task", number=number)
        return entries

    def _known(self, known_at: datetime | None) -> Iterator[tuple[int, Any]]:
        for position, event in self._events_after(0):
            if known_at is None or event.timestamp <= known_at:
                yield position, event

    def changes(self, where: ChangeFilter, limit: int = 100,
                cursor: str | None = None) -> ChangePage:
        self.refresh()
        return query_changes(self.store, where, limit, cursor)

    # -- work queues -----------------------------------------------------------------------

    def _queue_state(self, today: date) -> tuple[PlanState, dict[UUID, TaskRow]]:
        """What the work queues read, loaded once per log position and quarter (the whole
        plan state instead, when it is at hand): every task's view with the reports the
        queues look at, and every task's status row. Treat them as read-only."""
        position = self.refresh()
        if self._live is not None and self._live[0] == position:
            state = self._live[1]
            return state, {task.id: task.row() for task in state.tasks.values()}
        quarter = current_period(today)
        if self._queues is None or self._queues[:2] != (position, quarter.code):

            def load() -> tuple[PlanState, dict[UUID, TaskRow]]:
                with self.store.db.transaction(write=False) as cursor:
                    return self.store.load_for_queues(
                        cursor, lambda period: answers_for(period, quarter))

            # Shared by the process's requests: every page's header counts from it.
            state, rows = self.shared.get(("queues", self.app.slug, position, quarter.code),
                                          load)
            self._queues = (position, quarter.code, state, rows)
        return self._queues[2], self._queues[3]

    def review_queue(self, clock: Clock) -> ReviewQueue:
        """What waits for the standing body's decision, oldest first."""
        today = clock.today()
        state = self._queue_state(today)[0]
        # Made once per log position and day for the process's requests: every page's
        # header counts it (read-only).
        found: ReviewQueue = self.shared.get(
            ("review", self.app.slug, state.position, today, id(clock)),
            lambda: review_queue(state, clock))
        return found

    def agency_queue(self, agency: str, today: date) -> AgencyQueue:
        """An agency's own tasks and what it has to do about them (`agency`: its key)."""
        state, rows = self._queue_state(today)
        found: AgencyQueue = self.shared.get(
            ("agency", self.app.slug, state.position, today, agency),
            lambda: agency_queue(state, agency, today, rows=rows))
        return found

    def news(self, since: datetime, *, changes_only: bool, limit: int = 50) -> News:
        """What was recorded after `since` (the change log's entries only, when asked)."""
        self.refresh()
        entries, total = self.store.entries_recorded_after(since, limit,
                                                           changes_only=changes_only)
        return News(since, changes_only, total, tuple(entries))

    def work_queue(self, grants: Iterable[Grant], clock: Clock,
                   since: datetime | None = None) -> WorkQueue:
        """Everything waiting for a principal here, by the roles its grants hold on this
        tenant: the standing body's reviews, each of its agencies' work, and (for auditors
        and inspectors, given where their visit starts) what is new."""
        here = [g for g in grants if g.tenant == self.app.slug]
        roles = {g.role for g in here}
        today = clock.today()
        review = self.review_queue(clock) if Role.TENANT_ADMIN in roles else None
        agencies = tuple(self.agency_queue(key, today) for key in sorted(
            {g.agency for g in here if g.role is Role.AGENCY_REPORTER and g.agency}))
        news = None
        if since is not None and roles & {Role.AUDITOR, Role.INSPECTOR}:
            news = self.news(since, changes_only=Role.AUDITOR not in roles)
        return WorkQueue(self.app.slug, today, review, agencies, news)
