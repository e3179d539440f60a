"""Indicators: list and show them (ETag: version), report values, change targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api import scope
from api.commands import dispatch
from api.operation import Concerns
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.common import CommandResultSchema, PlanQuerySchema
from api.schemas.indicators import (
    IndicatorDetailSchema,
    IndicatorListSchema,
    TargetChangeSchema,
    ValueReportSchema,
)
from domain.policy import Action
from projections.details import IndicatorDetail
from service.commands import ChangeTarget, ReportIndicatorValue, build
from service.handlers import Result

bp = ApiBlueprint("indicators", __name__, url_prefix=TENANT_PREFIX + "/indicators")


@bp.operation("", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=IndicatorListSchema())
def list_indicators(query: dict[str, Any]) -> dict[str, Any]:
    """List indicators with their targets and latest values."""
    return {"items": scope.queries().indicator_list(query.get("plan"))}


@bp.operation("/<code>", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=IndicatorDetailSchema(), etag=lambda i: int(i.version))
def show_indicator(code: str, query: dict[str, Any]) -> IndicatorDetail:
    """Show an indicator with every value reported. ETag: its version."""
    return scope.queries().indicator(code, query.get("plan"))


def _responsible(code: str, body: dict[str, Any], **_: Any) -> tuple[str, ...]:
    """The agencies answering for an indicator: the only ones whose reporters report it."""
    return scope.ledger().indicator(code, body.get("plan")).responsible


def _indicator_command(rule: str, schema: Any, action: Action,
                       concerns: Concerns | None = None) -> Callable[[View], View]:
    return bp.operation(f"/<code>/{rule}", "POST", action=action, body=schema,
                        response=CommandResultSchema(), etag=lambda r: int(r.version),
                        if_match=True, command=True, concerns=concerns)


@_indicator_command("values", ValueReportSchema(), Action.INDICATOR_REPORT, _responsible)
def report_value(code: str, body: dict[str, Any]) -> Result:
    """Report the indicator's value for a period."""
    return dispatch(build(ReportIndicatorValue, body, indicator=code), body)


@_indicator_command("target", TargetChangeSchema(), Action.INDICATOR_MANAGE)
def change_target(code: str, body: dict[str, Any]) -> Result:
    """Change the indicator's target, with its reason and deciding document."""
    return dispatch(build(ChangeTarget, body, indicator=code), body)
