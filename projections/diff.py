"""A baseline comparison between two states of a plan, as a person would read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.status import classify
from projections.plan_state import PlanState, TaskView


@dataclass(frozen=True)
class DiffItem:
    kind: str  # task_added, task_removed, deadline_moved, reassigned, status_changed, ...
    subject: str  # "task 5"
    before: str
    after: str
    text: str


@dataclass(frozen=True)
class PlanDiff:
    before_label: str
    after_label: str
    items: list[DiffItem] = field(default_factory=list)


def _by_number(state: PlanState) -> dict[str, TaskView]:
    return {t.number: t for t in state.sorted_tasks()}


def _names(state: PlanState, keys: tuple[str, ...]) -> str:
    return "; ".join(state.agency_name(k) for k in keys)


def diff_states(before: PlanState, after: PlanState, on_before: date, on_after: date,
                before_label: str, after_label: str) -> PlanDiff:
    a, b = _by_number(before), _by_number(after)
    items: list[DiffItem] = []
    for number in [n for n in b if n not in a]:
        items.append(DiffItem("task_added", f"task {number}", "", b[number].title,
                              f"Task {number} added: {b[number].title}"))
    for number in [n for n in a if n not in b]:
        items.append(DiffItem("task_removed", f"task {number}", a[number].title, "",
                              f"Task {number} no longer in the plan"))
    for number in [n for n in b if n in a]:
        items += _task_changes(number, before, after, a[number], b[number], on_before, on_after)
    codes_a = {i.code: i for i in before.indicators.values()}
    for indicator in after.indicators.values():
        old = codes_a.get(indicator.code)
        if old and old.target.text != indicator.target.text:
            items.append(DiffItem("target_changed", f"indicator {indicator.code}",
                                  old.target.text, indicator.target.text,
                                  f"Indicator {indicator.code}: target '{old.target.text}' → "
                                  f"'{indicator.target.text}'"))
    return PlanDiff(before_label, after_label, items)


def _task_changes(number: str, before: PlanState, after: PlanState, old: TaskView,
                  new: TaskView, on_before: date, on_after: date) -> list[DiffItem]:
    items = []
    subject = f"task {number}"
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
    if status_old != status_new:
        items.append(DiffItem("status_changed", subject, status_old.value, status_new.value,
                              f"Task {number}: {status_old.label_vi} → {status_new.label_vi}"))
    return items
