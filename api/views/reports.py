"""Plan reports: summary, agency scorecard, indicator progress, change log and diff."""

from __future__ import annotations

from typing import Any

from api import scope
from api.i18n import language
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.reports import (
    ChangePageSchema,
    ChangeQuerySchema,
    DiffQuerySchema,
    DiffSchema,
    IndicatorProgressListSchema,
    ScorecardQuerySchema,
    ScorecardSchema,
    SummaryQuerySchema,
    SummarySchema,
    TimeTravelSchema,
)
from api.services import clock
from domain.agencies import normalise_agency
from domain.errors import DomainError
from domain.policy import Action
from projections import scorecard as scorecard_rules
from projections.change_log import ChangeFilter
from projections.diff import PlanDiff
from projections.summary import PlanSummary
from service.audit_texts import entry_json

bp = ApiBlueprint("reports", __name__, url_prefix=TENANT_PREFIX)


def _when(query: dict[str, Any]) -> dict[str, Any]:
    return {"known_at": query.get("known_at"), "effective_on": query.get("effective_on")}


@bp.operation("/summary", action=Action.READ_STATUS, query=SummaryQuerySchema(),
              response=SummarySchema())
def show_summary(query: dict[str, Any]) -> PlanSummary:
    """Counts per status class, per group and per lead agency; tasks due soon; open tasks
    missing their report for the current quarter."""
    on = query.get("on") or clock().today()
    return scope.queries().summary(on, plan=query.get("plan") or None, **_when(query))


@bp.operation("/scorecard", action=Action.READ_STATUS, query=ScorecardQuerySchema(),
              response=ScorecardSchema())
def show_scorecard(query: dict[str, Any]) -> dict[str, Any]:
    """The agencies' results for a year and their ranking, with the rule that ranks them."""
    queries = scope.queries()
    plan = query.get("plan") or None
    scores = queries.scorecard(query["year"], clock().today(), plan=plan, **_when(query))
    collectives = queries.collective_scores(query["year"], clock().today(), plan=plan,
                                            **_when(query))
    ended = queries.ended_scores(query["year"], clock().today(), plan=plan, **_when(query))
    return {"year": query["year"], "rule": (scorecard_rules.__doc__ or "").strip(),
            "agencies": scores, "collectives": collectives, "ended": ended}


@bp.operation("/indicator-progress", action=Action.READ_STATUS, query=TimeTravelSchema(),
              response=IndicatorProgressListSchema())
def show_indicator_progress(query: dict[str, Any]) -> dict[str, Any]:
    """Each indicator's latest value against its target, and whether the target is met."""
    return {"items": scope.queries().indicators(**_when(query))}


@bp.operation("/changes", action=Action.READ_CHANGES, query=ChangeQuerySchema(),
              response=ChangePageSchema())
def list_changes(query: dict[str, Any]) -> dict[str, Any]:
    """The change log, filtered, in log order, a page at a time (pass next_cursor on)."""
    agency = query.get("agency")
    where = ChangeFilter(
        types=tuple(query.get("type") or ()), task=query.get("task"),
        indicator=query.get("indicator"),
        agency=normalise_agency(agency).key if agency else None, actor=query.get("actor"),
        recorded_from=query.get("recorded_from"), recorded_to=query.get("recorded_to"),
        effective_from=query.get("effective_from"), effective_to=query.get("effective_to"),
    )
    page = scope.queries().changes(where, query["limit"], query.get("cursor"))
    return {"entries": [entry_json(e, language()) for e in page.entries],
            "next_cursor": page.next_cursor}


@bp.operation("/diff", action=Action.READ_HISTORY, query=DiffQuerySchema(),
              response=DiffSchema())
def show_diff(query: dict[str, Any]) -> PlanDiff:
    """What changed in the plan between two recorded times: tasks added or removed,
    deadlines moved, reassignments, status changes, target changes."""
    if query["before"] > query["after"]:
        raise DomainError("diff.before_after", field="before")
    return scope.queries().diff(query["before"], query["after"])
