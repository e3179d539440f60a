"""A baseline comparison between two states of a plan, as a person would read it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from domain.indicator import Indicator
from domain.status import classify
from projections.plan_state import PlanState, TaskView


@dataclass(frozen=True)
class DiffItem:
    kind: str  # task_added, task_removed, deadline_moved, reassigned, status_changed, ...
    subject: str  # "task 5"
    before: str
    after: str
    text: str
    plan: str = ""  # the number of the plan the task or indicator belongs to


@dataclass(frozen=True)
class PlanDiff:
    before_label: str
    after_label: str
    items: list[DiffItem] = field(default_factory=list)


def _by_id(state: PlanState) -> dict[UUID, TaskView]:
    """Each task by its id: two plans may both number a task 1, and each is compared with
    itself."""
    return {t.id: t for t in state.sorted_tasks()}


def _plan_of(before: PlanState, after: PlanState, plan_id: UUID) -> str:
    view = after.plans.get(plan_id) or before.plans.get(plan_id)
    return view.number if view else ""


def _names(state: PlanState, keys: tuple[str, ...]) -> str:
    return "; ".join(state.agency_name(k) for k in keys)


def diff_states(before: PlanState, after: PlanState, on_before: date, on_after: date,
                before_label: str, after_label: str) -> PlanDiff:
    a, b = _by_id(before), _by_id(after)
    items: list[DiffItem] = _revisions(before, after) + _groups(before, after)
    for key in [k for k in b if k not in a]:
        task = b[key]
        items.append(DiffItem("task_added", f"task {task.number}", "", task.title,
                              f"Task {task.number} added: {task.title}",
                              _plan_of(before, after, task.plan_id)))
    for key in [k for k in a if k not in b]:
        task = a[key]
        items.append(DiffItem("task_removed", f"task {task.number}", task.title, "",
                              f"Task {task.number} no longer in the plan",
                              _plan_of(before, after, task.plan_id)))
    for key in [k for k in b if k in a]:
        items += [replace(item, plan=_plan_of(before, after, b[key].plan_id))
                  for item in _task_changes(b[key].number, before, after, a[key], b[key],
                                            on_before, on_after)]
    for indicator in after.indicators.values():
        old = before.indicators.get(indicator.id)  # its id derives from its plan's
        if old is None:
            items.append(DiffItem("indicator_added", f"indicator {indicator.code}", "",
                                  indicator.name, f"Indicator {indicator.code} added: "
                                  f"{indicator.name}", _indicator_plan(after, indicator.id)))
        elif indicator.removed_by and not old.removed_by:
            items.append(DiffItem("indicator_removed", f"indicator {indicator.code}",
                                  old.name, "", f"Indicator {indicator.code} removed by "
                                  f"{indicator.removed_by}",
                                  _indicator_plan(after, indicator.id)))
        elif old.target.text != indicator.target.text:
            items.append(DiffItem("target_changed", f"indicator {indicator.code}",
                                  old.target.text, indicator.target.text,
                                  f"Indicator {indicator.code}: target '{old.target.text}' → "
                                  f"'{indicator.target.text}'",
                                  _indicator_plan(after, indicator.id)))
    return PlanDiff(before_label, after_label, items)


def _revisions(before: PlanState, after: PlanState) -> list[DiffItem]:
    """The amending documents recorded between the two states, each with what it changed."""
    items = []
    for plan in after.plans.values():
        old = before.plans.get(plan.id)
        known = {r.sha256 for r in old.revisions} if old else set()
        for revision in plan.revisions:
            if revision.sha256 not in known:
                changed = ", ".join(f"{kind} {n}" for kind, n in revision.counts.items() if n)
                items.append(DiffItem("plan_revised", f"plan {plan.number}", "",
                                      revision.amending,
                                      f"Plan {plan.number} revised by {revision.amending}: "
                                      f"{changed or 'no change'}", plan.number))
    return items


def _groups(before: PlanState, after: PlanState) -> list[DiffItem]:
    """The groups headed otherwise between the two states."""
    items = []
    for plan in after.plans.values():
        old = before.plans.get(plan.id)
        for code, title in plan.groups.items():
            was = old.groups.get(code) if old else None
            if was is not None and was != title:
                items.append(DiffItem("group_renamed", f"group {code}", was, title,
                                      f"Group {code} renamed: '{was}' → '{title}'",
                                      plan.number))
    return items


def _indicator_plan(state: PlanState, indicator_id: UUID) -> str:
    for view in state.plans.values():
        if Indicator.create_id(view.id, state.indicators[indicator_id].code) == indicator_id:
            return view.number
    return ""


def _task_changes(number: str, before: PlanState, after: PlanState, old: TaskView,
                  new: TaskView, on_before: date, on_after: date) -> list[DiffItem]:
    items = []
    subject = f"task {number}"
    if (old.title, old.expected_output) != (new.title, new.expected_output):
        items.append(DiffItem("task_reworded", subject, old.title, new.title,
                              f"Task {number}: reworded '{old.title}' → '{new.title}'"))
    if old.deadline.text != new.deadline.text or old.deadline.due != new.deadline.due:
        items.append(DiffItem("deadline_moved", subject, old.deadline.text, new.deadline.text,
                              f"Task {number}: deadline '{old.deadline.text}' → "
                              f"'{new.deadline.text}'"))
    if (old.leads, old.coordinators) != (new.leads, new.coordinators):
        items.append(DiffItem("reassigned", subject, _names(before, old.leads),
                              _names(after, new.leads),
                              f"Task {number}: lead {_names(before, old.leads)} → "
                              f"{_names(after, new.leads)}"))
    status_old = classify(old.facts(), on_before)
    status_new = classify(new.facts(), on_after)
    if old.group_code != new.group_code:
        items.append(DiffItem("group_changed", subject, old.group_code, new.group_code,
                              f"Task {number}: group {old.group_code} → {new.group_code}"))
    if status_old != status_new:
        items.append(DiffItem("status_changed", subject, status_old.value, status_new.value,
                              f"Task {number}: {status_old.label_vi} → {status_new.label_vi}"))
    return items
