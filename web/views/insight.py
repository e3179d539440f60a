"""Indicators against their targets, the agency scorecard, and time travel for auditors:
the whole plan as known on a past date, and what changed between two dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import render_template, request

from domain.policy import Action
from domain.status import StatusClass
from projections.diff import DiffItem
from projections.indicator_progress import indicator_progress
from projections.summary import summarise
from web.charts import legend
from web.routes import Routes
from web.state import end_of_day, queries, state
from web.views.common import (
    chosen_plan,
    day_arg,
    indicator_plan,
    plans_in_order,
    several_plans,
    summary_charts,
)

routes = Routes()
FIRST_YEAR, LAST_YEAR = 2020, 2100


@dataclass(frozen=True)
class DiffLine:
    subject: str
    what: str
    before: str
    after: str


_KINDS_VI = {
    "task_added": "Nhiệm vụ mới", "task_removed": "Nhiệm vụ không còn trong kế hoạch",
    "deadline_moved": "Thay đổi thời hạn", "reassigned": "Giao lại",
    "status_changed": "Thay đổi tình trạng", "target_changed": "Thay đổi mục tiêu",
    "task_reworded": "Sửa nội dung", "plan_revised": "Sửa đổi kế hoạch",
    "group_changed": "Chuyển nhóm nhiệm vụ", "group_renamed": "Đổi tên nhóm nhiệm vụ",
    "indicator_added": "Bổ sung chỉ tiêu", "indicator_removed": "Bãi bỏ chỉ tiêu",
}


def _subject_vi(subject: str) -> str:
    kind, _, ref = subject.partition(" ")
    return {"task": "Nhiệm vụ", "indicator": "Chỉ tiêu", "plan": "Kế hoạch",
            "group": "Nhóm nhiệm vụ"}.get(kind, kind) \
        + " " + ref


def _value_vi(item: DiffItem, value: str) -> str:
    if item.kind == "status_changed" and value in {s.value for s in StatusClass}:
        return StatusClass(value).label_vi
    if item.kind == "plan_revised" and value:
        return f"Sửa đổi bởi {value}"
    return value


def diff_lines(items: list[DiffItem], several: bool = False) -> list[DiffLine]:
    """Each change as a reader sees it; naming the plan when the tenant holds several."""
    return [DiffLine(_subject_vi(i.subject) + (f" (Kế hoạch {i.plan})" if several and i.plan
                                               else ""),
                     _KINDS_VI.get(i.kind, i.kind),
                     _value_vi(i, i.before), _value_vi(i, i.after)) for i in items]


@routes.route("/t/<slug>/indicators", Action.READ_STATUS)
def indicators(slug: str) -> str:
    plan = queries(slug).state()
    rows = indicator_progress(plan)
    # The plan of each row: the rows follow the indicators sorted by code as below (a stable
    # sort of the same state), so two plans' indicators 1.1 keep their own plans.
    ordered = sorted(plan.indicators.values(),
                     key=lambda i: tuple(int(p) for p in i.code.split(".") if p.isdigit()))
    plans = [indicator_plan(plan, i) for i in ordered]
    chosen = chosen_plan(plan)
    return render_template("web/indicators.html", rows=[
        (row, number) for row, number in zip(rows, plans, strict=True)
        if chosen is None or number == chosen], several_plans=several_plans(plan),
        plans=plans_in_order(plan), chosen_plan=chosen)


def year_arg(default: int | None = None) -> int:
    text = request.args.get("year", "")
    year = int(text) if text.isdigit() else default or state().today().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def recent_years() -> range:
    """The years a scorecard is offered for: this one back to the first plans (2025)."""
    return range(state().today().year, FIRST_YEAR + 4, -1)


@routes.route("/t/<slug>/scorecard", Action.READ_STATUS)
def scorecard(slug: str) -> str:
    year = year_arg()
    reads = queries(slug)
    plan = reads.state()
    chosen = chosen_plan(plan)
    rows = reads.scorecard(year, state().today(), plan=chosen)
    collectives = reads.collective_scores(year, state().today(), plan=chosen)
    ended = reads.ended_scores(year, state().today(), plan=chosen)
    return render_template("web/scorecard.html", rows=rows, collectives=collectives,
                           ended=ended,
                           year=year, years=recent_years(), plans=plans_in_order(plan),
                           chosen_plan=chosen)


@routes.route("/t/<slug>/time-travel", Action.READ_HISTORY)
def time_travel(slug: str) -> str:
    """The plan as it was known at the end of a chosen day (or, on request, as effective on
    that day according to what is known now), judged on that day."""
    on, error = day_arg("on")
    mode = "effective" if request.args.get("mode") == "effective" else "known"
    when = {"effective_on": on} if mode == "effective" else {"known_at": end_of_day(on)}
    reads = queries(slug)
    plan = reads.outline(**when)
    now = reads.outline()
    chosen = chosen_plan(now)
    if chosen is not None and not any(p.number == chosen for p in plan.plans.values()):
        # The plan chosen was not yet in the ledger then: nothing of it to show.
        summary, rows = summarise(plan, on, tasks=[]), []
    else:
        summary = reads.summary(on, plan=chosen, **when)
        rows = reads.status(on, plan=chosen, **when)
    return render_template("web/time_travel.html", on=on, mode=mode, date_error=error,
                           summary=summary, rows=rows, charts=summary_charts(summary, plan),
                           legend=legend(), several_plans=several_plans(now),
                           plans=plans_in_order(now), chosen_plan=chosen)


@routes.route("/t/<slug>/diff", Action.READ_HISTORY)
def diff(slug: str) -> str:
    today = state().today()
    after, after_error = day_arg("after", today)
    before, before_error = day_arg("before", after - timedelta(days=90))
    errors = {k: v for k, v in (("before", before_error), ("after", after_error)) if v}
    items: list[DiffItem] = []
    reads = queries(slug)
    if before <= after and not errors:
        items = reads.diff(end_of_day(before), end_of_day(after)).items
    elif not errors:
        errors["before"] = "Ngày đầu phải trước hoặc bằng ngày sau."
    return render_template("web/diff.html", before=before, after=after, errors=errors,
                           lines=diff_lines(items, several_plans(reads.state())))


