"""A plan's dashboard for those who follow it, and the public page anyone may read."""

from __future__ import annotations

from flask import render_template

from domain.policy import Action
from domain.status import StatusClass
from web.auth import OPEN
from web.charts import legend
from web.routes import Routes
from web.state import queries
from web.views.common import (
    chosen_plan,
    day_arg,
    group_rows,
    plans_in_order,
    row_timings,
    several_plans,
    summary_charts,
    tasks_url,
)
from web.views.insight import recent_years, year_arg

routes = Routes()


@routes.route("/t/<slug>/", Action.READ_STATUS)
def dashboard(slug: str) -> str:
    """Counts by status class, by group and by lead agency; what is due soon; missing reports."""
    on, error = day_arg("on")
    reads = queries(slug)
    plan = reads.outline()  # the plans and agencies: the counts come from the status rows
    chosen = chosen_plan(plan)
    summary = reads.summary(on, plan=chosen)
    narrowed = {"plan": chosen} if chosen else {}
    links = {status.value: tasks_url(slug, on, status=status.value, **narrowed)
             for status in StatusClass}
    links |= {"total": tasks_url(slug, on, **narrowed),
              "due_soon": tasks_url(slug, on, due_within="30", **narrowed),
              "missing": tasks_url(slug, on, missing="1", **narrowed)}
    return render_template("web/dashboard.html", summary=summary, on=on, date_error=error,
                           charts=summary_charts(summary, plan, slug), legend=legend(),
                           group_rows=group_rows(summary), chosen_plan=chosen,
                           plans=plans_in_order(plan), several_plans=several_plans(plan),
                           links=links, timings=row_timings(plan, reads.task_rows(), on))


@routes.route("/p/<slug>", OPEN)
def public_page(slug: str) -> str:
    """No sign-in: the plan's progress and the agencies' results, as the province publishes."""
    on, _ = day_arg("on")
    year = year_arg(on.year)
    reads = queries(slug)
    plan = reads.state()
    chosen = chosen_plan(plan)
    summary = reads.summary(on, plan=chosen)
    scores = reads.scorecard(year, on, plan=chosen)
    ended = reads.ended_scores(year, on, plan=chosen)
    return render_template("web/public.html", summary=summary, on=on, scores=scores,
                           ended=ended, year=year,
                           years=recent_years(), group_rows=group_rows(summary),
                           chosen_plan=chosen,
                           charts=summary_charts(summary, plan), legend=legend(),
                           plans=plans_in_order(plan), public_view=True)
