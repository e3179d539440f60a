"""Who carries a duty on a date, from the agencies' history.

Tasks keep the agency keys they were recorded with; an agency's succession, merger,
dissolution or alias is an event of the agency, effective on its date. "Who is responsible
for task N on date D" follows those events: an agency succeeded on or before D hands its open
tasks to its successors (and they to theirs); a task closed before the change stays with the
agency that closed it; an alias is the same agency on every date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.plan_state import AgencyChange, PlanState, TaskRow, TaskView

_LONGEST_CHAIN = 32  # successions are few; this only guards a malformed history


@dataclass(frozen=True)
class AgencyRef:
    key: str
    name: str


@dataclass(frozen=True)
class Duty:
    """One agency the task names, and who carries its part on the date asked."""

    role: str  # "lead" or "coordinator"
    agency: AgencyRef  # as the task records it
    carried_by: tuple[AgencyRef, ...]  # empty once dissolved with no successor
    change: str  # "" (the agency itself), "succession", "merger", "dissolution", "alias"
    since: date | None  # the effective date of that change


@dataclass(frozen=True)
class Responsibility:
    plan: str
    number: str
    on: date
    duties: tuple[Duty, ...]

    @property
    def responsible(self) -> tuple[str, ...]:
        """The names of the agencies carrying the lead on the date."""
        return tuple(dict.fromkeys(
            c.name for d in self.duties if d.role == "lead" for c in d.carried_by))


def canonical(state: PlanState, key: str) -> str:
    """The agency a name stands for once aliases are merged (on every date)."""
    for _ in range(_LONGEST_CHAIN):
        change = state.agency_changes.get(key)
        if change is None or change.kind != "alias":
            return key
        key = change.successors[0]
    return key


def ended(state: PlanState, key: str, on: date) -> AgencyChange | None:
    """The succession, merger or dissolution by which an agency stopped acting by `on`
    (from its date the ledger refuses the agency's reports), None while it acts. An alias
    is the same agency under another name: it ends nothing."""
    change = state.agency_changes.get(key)
    if change is None or change.kind == "alias" or change.on > on:
        return None
    return change


def carriers(state: PlanState, key: str, on: date, closed_on: date | None = None
             ) -> tuple[str, ...]:
    """The keys of the agencies carrying `key`'s duty on `on`. A change applies when it had
    taken effect by `on`, and, for a task closed on `closed_on`, only if it came first."""
    found: list[str] = []
    _carry(state, key, on, closed_on, (), found)
    return tuple(dict.fromkeys(found))


def _carry(state: PlanState, key: str, on: date, closed_on: date | None,
           seen: tuple[str, ...], found: list[str]) -> None:
    change = state.agency_changes.get(key)
    if (change is None or key in seen or len(seen) >= _LONGEST_CHAIN
            or (change.kind != "alias"
                and (change.on > on or (closed_on is not None and closed_on < change.on)))):
        found.append(key)
        return
    for successor in change.successors:
        _carry(state, successor, on, closed_on, (*seen, key), found)


def carried_names(state: PlanState, keys: tuple[str, ...], on: date,
                  closed_on: date | None = None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(
        state.agency_name(c) for k in keys for c in carriers(state, k, on, closed_on)))


def _closed_on(task: TaskView | TaskRow) -> date | None:
    return task.completed_on if task.state == "completed" else None


def carried_role(state: PlanState, task: TaskView | TaskRow, agency: str, on: date) -> str:
    """"lead" or "coordinator" when `agency` carries that part of the task on `on` (named
    itself, or as a successor of an agency named), else ""."""
    closed = _closed_on(task)
    for role, keys in (("lead", task.leads), ("coordinator", task.coordinators)):
        if any(agency in carriers(state, k, on, closed) for k in keys):
            return role
    return ""


def involved(state: PlanState, task: TaskView | TaskRow, on: date,
             roles: tuple[str, ...] = ("lead", "coordinator")) -> tuple[str, ...]:
    """The keys of the agencies a task names (in the given roles) and of those carrying
    their duties on `on`: who may report on it."""
    closed = _closed_on(task)
    named = [k for role, keys in (("lead", task.leads), ("coordinator", task.coordinators))
             if role in roles for k in keys]
    return tuple(dict.fromkeys(
        [*named, *(c for k in named for c in carriers(state, k, on, closed))]))


def task_carriers(state: PlanState, task: TaskView | TaskRow, on: date) -> tuple[str, ...]:
    """The names of the agencies carrying a task's lead on `on`."""
    return carried_names(state, task.leads, on, _closed_on(task))


def responsibility(state: PlanState, task: TaskView, on: date) -> Responsibility:
    plan = state.plans.get(task.plan_id)
    closed = _closed_on(task)
    duties = []
    for role, keys in (("lead", task.leads), ("coordinator", task.coordinators)):
        for key in keys:
            carried = carriers(state, key, on, closed)
            change = state.agency_changes.get(key) if carried != (key,) else None
            duties.append(Duty(
                role=role, agency=AgencyRef(key, state.agency_name(key)),
                carried_by=tuple(AgencyRef(c, state.agency_name(c)) for c in carried),
                change=change.kind if change else "", since=change.on if change else None,
            ))
    return Responsibility(plan.number if plan else "", task.number, on, tuple(duties))

