"""The events of plans, indicators, agencies and the plan catalogue."""

from __future__ import annotations

from typing import Any

from domain.agency import Agency
from domain.catalogue import PlanCatalogue
from domain.indicator import Indicator
from domain.plan import Plan
from projections import plan_state
from projections.plan_state import IndicatorValue, IndicatorView, PlanState, PlanView
from projections.specs.base import Audit, EventSpec, Subject, ignore, nothing


def _plan_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    plan = state.plans.get(e.originator_id)
    return f"plan {plan.number if plan else getattr(e, 'number', '?')}", ()


def _indicator_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    indicator = state.indicators.get(e.originator_id)
    code = indicator.code if indicator else getattr(e, "code", "?")
    responsible = indicator.responsible if indicator else getattr(e, "responsible", ())
    return f"indicator {code}", tuple(sorted(responsible))


def _agency_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    key = state.agency_ids.get(e.originator_id) or getattr(e, "key", "")
    return "agency", (key,) if key else ()


def _catalogue_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    return "catalogue", ()


PLAN = Subject(plan_state.PLAN, _plan_subject)
INDICATOR = Subject(plan_state.INDICATOR, _indicator_subject)
AGENCY = Subject(plan_state.AGENCY, _agency_subject)
CATALOGUE = Subject("", _catalogue_subject)  # no view: the ledger reads the aggregate


# -- Plan ----------------------------------------------------------------------------------

def _plan_issued(state: PlanState, e: Plan.Issued) -> None:
    state.plans[e.originator_id] = PlanView(
        id=e.originator_id, number=e.number, title=e.title, issued_on=e.issued_on,
        issuing_body=e.issuing_body, signer=e.signer, legal_basis=tuple(e.legal_basis),
        groups={code: title for code, title in e.groups},
    )


def _plan_issued_audit(state: PlanState, e: Plan.Issued) -> Audit:
    return Audit({
        "number": e.number, "issued_on": e.issued_on.isoformat() if e.issued_on else None,
    })


def _group_added(state: PlanState, e: Plan.GroupAdded) -> None:
    if plan := state.plans.get(e.originator_id):
        plan.groups[e.code] = e.title


def _group_added_audit(state: PlanState, e: Plan.GroupAdded) -> Audit:
    return Audit({"code": e.code, "title": e.title})


# -- Agency --------------------------------------------------------------------------------

def _agency_registered(state: PlanState, e: Agency.Registered) -> None:
    state.agencies[e.key] = e.name
    state.agency_ids[e.originator_id] = e.key
    if e.is_collective:
        state.collectives.add(e.key)


def _agency_registered_audit(state: PlanState, e: Agency.Registered) -> Audit:
    return Audit({"name": e.name})


def _agency_renamed(state: PlanState, e: Agency.Renamed) -> None:
    if key := state.agency_ids.get(e.originator_id):
        state.agencies[key] = e.new


def _agency_renamed_audit(state: PlanState, e: Agency.Renamed) -> Audit:
    return Audit({"old": e.old, "new": e.new})


# -- Indicator -----------------------------------------------------------------------------

def _indicator(state: PlanState, e: Any) -> IndicatorView | None:
    """The indicator an event is about, brought to the event's version."""
    indicator = state.indicators.get(e.originator_id)
    if indicator is not None:
        indicator.version = e.originator_version
    return indicator


def _indicator_defined(state: PlanState, e: Indicator.Defined) -> None:
    state.indicators[e.originator_id] = IndicatorView(
        id=e.originator_id, code=e.code, name=e.name, unit=e.unit, target=e.target,
        original_target=e.target, responsible=tuple(e.responsible),
        horizon_year=e.horizon_year, is_heading=e.is_heading, parent_code=e.parent_code,
    )


def _indicator_defined_audit(state: PlanState, e: Indicator.Defined) -> Audit:
    return Audit({"code": e.code, "target": e.target.text})


def _value_reported(state: PlanState, e: Indicator.ValueReported) -> None:
    if indicator := _indicator(state, e):
        indicator.values.append(IndicatorValue(
            period=e.period, value=e.value, source=e.source, recorded_at=e.timestamp,
            effective_on=e.provenance.effective_on,
        ))


def _value_reported_audit(state: PlanState, e: Indicator.ValueReported) -> Audit:
    return Audit({"value": str(e.value), "period": e.period},
                 {"value": ("", str(e.value))})


def _target_changed(state: PlanState, e: Indicator.TargetChanged) -> None:
    if indicator := _indicator(state, e):
        indicator.target = e.new


def _target_changed_audit(state: PlanState, e: Indicator.TargetChanged) -> Audit:
    return Audit({"old": e.old.text, "new": e.new.text},
                 {"target": (e.old.text, e.new.text)})


# -- PlanCatalogue -------------------------------------------------------------------------

def _plan_listed_audit(state: PlanState, e: PlanCatalogue.PlanAdded) -> Audit:
    return Audit({"number": e.number})


SPECS: dict[type[Any], EventSpec] = {
    Plan.Issued: EventSpec(PLAN, _plan_issued, "audit.plan_issued", _plan_issued_audit),
    Plan.GroupAdded: EventSpec(PLAN, _group_added, "audit.group_added", _group_added_audit),
    Agency.Registered: EventSpec(AGENCY, _agency_registered, "audit.agency_registered",
                                 _agency_registered_audit),
    Agency.Renamed: EventSpec(AGENCY, _agency_renamed, "audit.agency_renamed",
                              _agency_renamed_audit, "agency_renamed"),
    Indicator.Defined: EventSpec(INDICATOR, _indicator_defined, "audit.indicator_defined",
                                 _indicator_defined_audit),
    Indicator.ValueReported: EventSpec(INDICATOR, _value_reported, "audit.value_reported",
                                       _value_reported_audit),
    Indicator.TargetChanged: EventSpec(INDICATOR, _target_changed, "audit.target_changed",
                                       _target_changed_audit, "target_changed"),
    PlanCatalogue.Opened: EventSpec(CATALOGUE, ignore, "audit.catalogue_opened", nothing),
    PlanCatalogue.PlanAdded: EventSpec(CATALOGUE, ignore, "audit.plan_listed",
                                       _plan_listed_audit),
}
