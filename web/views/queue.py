"""What waits for the signed-in person ("Việc cần xử lý"), the count the header shows, and an
agency reporter's own tasks ("Nhiệm vụ của đơn vị tôi"), its landing page."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import psycopg
from eventsourcing.persistence import PersistenceError
from flask import g, render_template, request, url_for

from domain.access import Role
from domain.errors import DomainError
from domain.policy import Action, Grant
from projections.plan_state import PlanState
from projections.queues import AgencyQueue, WorkQueue
from service.visits import VisitStore
from web.auth import Viewer, require
from web.routes import Routes
from web.state import queries, state
from web.views.commands import why_ended
from web.views.common import entry_plans_of, row_timings, several_plans

routes = Routes()
log = logging.getLogger("r57.web")
# The longest-waiting items the review table lists (every one on ?all=1): a province with a
# thousand reports waiting still gets a page it can open on a phone.
REVIEW_SHOWN = 50


def visits() -> VisitStore:
    return VisitStore(state().tenancy.storage.database, state().clock)


def work_queue(slug: str, viewer: Viewer, since: datetime | None) -> WorkQueue:
    return queries(slug).work_queue(viewer.grants, state().clock, since)


def reporter_agencies(viewer: Viewer, slug: str) -> list[str]:
    """The agencies (keys) the viewer reports for in this tenant."""
    return sorted({g.agency for g in viewer.grants
                   if g.role is Role.AGENCY_REPORTER and g.tenant == slug and g.agency})


def ended_notes(plan: PlanState, agencies: Iterable[AgencyQueue]) -> dict[str, str]:
    """Why each ended agency among the queues reports no more (by its key)."""
    return {a.agency: why_ended(plan, a.agency, a.ended) for a in agencies if a.ended}


def landing(grants: Iterable[Grant], target: str) -> str:
    """Where signing in leads: the page asked for; when none was (the home page), an agency
    reporter whose only role is reporting, in one province, lands on its agency's tasks."""
    held = list(grants)
    tenants = {g.tenant for g in held}
    if (target != url_for("web.home") or len(tenants) != 1
            or any(g.role is not Role.AGENCY_REPORTER for g in held)):
        return target
    return url_for("web.my_tasks", slug=tenants.pop())


@routes.route("/t/<slug>/queue", Action.READ_STATUS)
def queue_page(slug: str) -> str:
    """Việc cần xử lý: by the viewer's roles here. Opening it is a visit: auditors and
    inspectors are shown what was recorded since their previous one."""
    viewer = require(Action.READ_STATUS, slug)
    since = visits().visit(viewer.name, slug)
    queue = work_queue(slug, viewer, since)
    # The header counts what this page shows, not what is new since the visit just recorded.
    g.setdefault("web_queue_badges", {})[slug] = Badge(url_for("web.queue_page", slug=slug),
                                                       queue.count)
    reads = queries(slug)
    plan = reads.outline()
    waiting = queue.review.items if queue.review is not None else ()
    shown = waiting if request.args.get("all") == "1" else waiting[:REVIEW_SHOWN]
    return render_template("web/queue.html", queue=queue, since=since, review_shown=shown,
                           several_plans=several_plans(plan), entry_plans=entry_plans_of(reads),
                           ended=ended_notes(plan, queue.agencies))


@routes.route("/t/<slug>/my-tasks", Action.READ_STATUS)
def my_tasks(slug: str) -> str:
    """Nhiệm vụ của đơn vị tôi: the tasks the viewer's agency leads or coordinates, each with
    its days remaining or overdue, its latest report and why it was returned, if it was."""
    viewer = require(Action.READ_STATUS, slug)
    reads = queries(slug)
    today = state().today()
    agencies = [reads.agency_queue(key, today) for key in reporter_agencies(viewer, slug)]
    plan, rows, reports = reads.outline(), reads.task_rows(), reads.latest_reports()
    numbers = {p.id: p.number for p in plan.plans.values()}
    latest = {(numbers.get(r.plan_id, ""), r.number): reports[r.id] for r in rows
              if r.id in reports}
    return render_template("web/my_tasks.html", agencies=agencies, latest=latest,
                           timings=row_timings(plan, rows, today),
                           several_plans=several_plans(plan), ended=ended_notes(plan, agencies))


@dataclass(frozen=True)
class Badge:
    url: str
    count: int


def queue_badge(viewer: Viewer | None, slug: str | None) -> Badge | None:
    """The header's "Việc cần xử lý" link and count, for the tenant of the page (or the
    viewer's only tenant); None when there is none, or it cannot be read just now (a page
    never fails for its header)."""
    if viewer is None:
        return None
    if slug is None:
        readable = viewer.tenants(Action.READ_STATUS)
        if readable is None or len(readable) != 1:
            return None
        slug = next(iter(readable))
    if not viewer.can(Action.READ_STATUS, slug):
        return None
    cached: dict[str, Badge | None] = g.setdefault("web_queue_badges", {})
    if slug not in cached:
        try:
            seen = visits().seen(viewer.name, slug)
            count = work_queue(slug, viewer, seen).count
            cached[slug] = Badge(url_for("web.queue_page", slug=slug), count)
        except (DomainError, sqlite3.Error, psycopg.Error, PersistenceError):
            log.warning("could not count the work queue of %s", slug, exc_info=True)
            cached[slug] = None
    return cached[slug]
