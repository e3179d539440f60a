"""Indicators: list and show them (ETag: version), report values, change targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from api import scope
from api.commands import context, precondition
from api.operation import Concerns
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.common import CommandResultSchema, PlanQuerySchema
from api.schemas.indicators import (
    IndicatorDetailSchema,
    IndicatorListSchema,
    TargetChangeSchema,
    ValueReportSchema,
)
from domain.errors import NotFound
from domain.indicator import Indicator
from domain.policy import Action
from projections.plan_state import IndicatorView, PlanState
from service.ledger import CommandResult

bp = ApiBlueprint("indicators", __name__, url_prefix=TENANT_PREFIX + "/indicators")


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".") if p.isdigit())


def _present(state: PlanState, indicator: IndicatorView) -> dict[str, Any]:
    latest = indicator.latest
    return {
        "code": indicator.code, "name": indicator.name, "unit": indicator.unit,
        "target": indicator.target.to_dict(), "horizon_year": indicator.horizon_year,
        "is_heading": indicator.is_heading, "parent_code": indicator.parent_code,
        "responsible": [state.agency_name(k) for k in indicator.responsible],
        "latest": _value(asdict(latest)) if latest else None, "version": indicator.version,
        "values": [_value(asdict(v)) for v in indicator.values],
    }


def _value(value: dict[str, Any]) -> dict[str, Any]:
    return {**value, "value": str(value["value"])}


@bp.operation("", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=IndicatorListSchema())
def list_indicators(query: dict[str, Any]) -> dict[str, Any]:
    """List indicators with their targets and latest values."""
    state = scope.queries().state()
    plan_id = scope.ledger().catalogue().resolve(query["plan"]) if query.get("plan") else None
    chosen = [i for i in state.indicators.values()
              if plan_id is None or Indicator.create_id(plan_id, i.code) == i.id]
    return {"items": [_present(state, i) for i in sorted(chosen, key=lambda i: _code_key(i.code))]}


@bp.operation("/<code>", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=IndicatorDetailSchema(), etag=lambda i: int(i["version"]))
def show_indicator(code: str, query: dict[str, Any]) -> dict[str, Any]:
    """Show an indicator with every value reported. ETag: its version."""
    wanted = scope.ledger().indicator(code, query.get("plan")).id
    state = scope.queries().state()
    if wanted not in state.indicators:
        raise NotFound(f"No indicator {code}.", field="indicator")
    return _present(state, state.indicators[wanted])


def _responsible(code: str, body: dict[str, Any], **_: Any) -> tuple[str, ...]:
    """The agencies answering for an indicator: the only ones whose reporters report it."""
    return scope.ledger().indicator(code, body.get("plan")).responsible


def _indicator_command(rule: str, schema: Any, action: Action,
                       concerns: Concerns | None = None) -> Callable[[View], View]:
    return bp.operation(f"/<code>/{rule}", "POST", action=action, body=schema,
                        response=CommandResultSchema(), etag=lambda r: int(r.version),
                        if_match=True, command=True, concerns=concerns)


@_indicator_command("values", ValueReportSchema(), Action.INDICATOR_REPORT, _responsible)
def report_value(code: str, body: dict[str, Any]) -> CommandResult:
    """Report the indicator's value for a period."""
    ledger = scope.ledger()
    with precondition(lambda: ledger.indicator(code, body.get("plan")).version):
        return ledger.report_indicator(code, body["period"], body["value"], body["source"],
                                       context(body), body.get("plan"))


@_indicator_command("target", TargetChangeSchema(), Action.INDICATOR_MANAGE)
def change_target(code: str, body: dict[str, Any]) -> CommandResult:
    """Change the indicator's target, with its reason and deciding document."""
    ledger = scope.ledger()
    with precondition(lambda: ledger.indicator(code, body.get("plan")).version):
        return ledger.change_target(code, body["target"], body["reason"],
                                    body["decision_ref"], context(body), body.get("plan"))
