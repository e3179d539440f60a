"""The events of plans, indicators, agencies and the plan catalogue."""

from __future__ import annotations

from typing import Any

from domain.agency import Agency
from domain.catalogue import PlanCatalogue
from domain.indicator import Indicator
from domain.lineage import TenantLineage
from domain.plan import Plan
from domain.revision import COUNTED
from domain.targets import Target
from projections import codec, plan_state
from projections.plan_state import (
    AgencyChange,
    IndicatorValue,
    IndicatorView,
    PlanState,
    PlanView,
    RevisionView,
)
from projections.specs.base import Audit, EventSpec, Subject, ignore, names, nothing


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


def _lineage_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    return f"tenant {getattr(e, 'old_tenant', '?')}", ()


LINEAGE = Subject("", _lineage_subject)  # no view: the merger's page reads the aggregate


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


def _group_renamed(state: PlanState, e: Plan.GroupRenamed) -> None:
    if plan := state.plans.get(e.originator_id):
        plan.groups[e.code] = e.title


def _group_renamed_audit(state: PlanState, e: Plan.GroupRenamed) -> Audit:
    return Audit({"code": e.code, "title": e.title}, {"group": (e.old_title, e.title)})


def _plan_revised(state: PlanState, e: Plan.Revised) -> None:
    if plan := state.plans.get(e.originator_id):
        plan.revisions.append(RevisionView(
            amending=e.decision_ref, amending_on=e.amending_on,
            effective_on=e.provenance.effective_on, sha256=e.sha256, counts=dict(e.counts),
            actor=e.provenance.actor, recorded_at=e.timestamp,
        ))


def _plan_revised_audit(state: PlanState, e: Plan.Revised) -> Audit:
    counts = {kind: e.counts.get(kind, 0) for kind in COUNTED}
    return Audit({"amending": e.decision_ref,
                  "amending_on": e.amending_on.isoformat() if e.amending_on else None,
                  **counts})


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


def _ended(state: PlanState, e: Any, change: AgencyChange) -> None:
    if key := state.agency_ids.get(e.originator_id):
        state.agency_changes[key] = change


def _agency_succeeded(state: PlanState, e: Agency.Succeeded) -> None:
    _ended(state, e, AgencyChange(e.kind, e.provenance.effective_on, tuple(e.successors),
                                  e.reason, e.decision_ref))


def _agency_dissolved(state: PlanState, e: Agency.Dissolved) -> None:
    _ended(state, e, AgencyChange("dissolution", e.provenance.effective_on, (), e.reason,
                                  e.decision_ref))


def _alias_merged(state: PlanState, e: Agency.AliasMerged) -> None:
    _ended(state, e, AgencyChange("alias", e.provenance.effective_on, (e.into,), e.reason))


def _agency_succeeded_audit(state: PlanState, e: Agency.Succeeded) -> Audit:
    key = state.agency_ids.get(e.originator_id, "")
    successors = "; ".join(names(state, e.successors))
    return Audit({"agency": state.agency_name(key), "successors": successors, "kind": e.kind,
                  "on": e.provenance.effective_on.isoformat()},
                 {"carried_by": (state.agency_name(key), successors)})


def _agency_dissolved_audit(state: PlanState, e: Agency.Dissolved) -> Audit:
    key = state.agency_ids.get(e.originator_id, "")
    return Audit({"agency": state.agency_name(key),
                  "on": e.provenance.effective_on.isoformat()})


def _alias_merged_audit(state: PlanState, e: Agency.AliasMerged) -> Audit:
    key = state.agency_ids.get(e.originator_id, "")
    return Audit({"alias": state.agency_name(key), "agency": state.agency_name(e.into)},
                 {"carried_by": (state.agency_name(key), state.agency_name(e.into))})


def _collective_marked(state: PlanState, e: Agency.CollectiveMarked) -> None:
    if key := state.agency_ids.get(e.originator_id):
        if e.is_collective:
            state.collectives.add(key)
        else:
            state.collectives.discard(key)


def _collective_marked_audit(state: PlanState, e: Agency.CollectiveMarked) -> Audit:
    key = state.agency_ids.get(e.originator_id, "")
    return Audit({"agency": state.agency_name(key), "is_collective": e.is_collective})


def _agency_change_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    """An agency's succession concerns it and its successors: each finds it in its log."""
    subject, keys = _agency_subject(state, e)
    more = tuple(getattr(e, "successors", ())) + ((e.into,) if hasattr(e, "into") else ())
    return subject, tuple(dict.fromkeys(keys + more))


AGENCY_CHANGE = Subject(plan_state.AGENCY, _agency_change_subject)


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


def _indicator_carried(state: PlanState, e: Indicator.Carried) -> None:
    _indicator_defined(state, e)
    indicator = state.indicators[e.originator_id]
    indicator.original_target = Target.from_dict(e.carried["original_target"])
    indicator.values = codec.decode_value(list[IndicatorValue], e.carried.get("values", []))


def _indicator_carried_audit(state: PlanState, e: Indicator.Carried) -> Audit:
    return Audit({"code": e.code, "tenant": e.origin["tenant_name"]})


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


def _indicator_removed(state: PlanState, e: Indicator.Removed) -> None:
    if indicator := _indicator(state, e):
        indicator.removed_by = e.decision_ref
        indicator.removed_on = e.provenance.effective_on


def _indicator_removed_audit(state: PlanState, e: Indicator.Removed) -> Audit:
    indicator = state.indicators.get(e.originator_id)
    return Audit({"code": indicator.code if indicator else "?",
                  "name": indicator.name if indicator else "", "amending": e.decision_ref},
                 {"removed_by": ("", e.decision_ref)})


def _indicator_added_audit(state: PlanState, e: Indicator.AddedByAmendment) -> Audit:
    return Audit({"code": e.code, "name": e.name, "target": e.target.text})


def _target_changed(state: PlanState, e: Indicator.TargetChanged) -> None:
    if indicator := _indicator(state, e):
        indicator.target = e.new


def _target_changed_audit(state: PlanState, e: Indicator.TargetChanged) -> Audit:
    return Audit({"old": e.old.text, "new": e.new.text},
                 {"target": (e.old.text, e.new.text)})


# -- PlanCatalogue -------------------------------------------------------------------------

def _plan_listed_audit(state: PlanState, e: PlanCatalogue.PlanAdded) -> Audit:
    return Audit({"number": e.number})


# -- TenantLineage -------------------------------------------------------------------------

def _merger_audit(state: PlanState, e: TenantLineage.MergerRecorded) -> Audit:
    return Audit({"tenant": e.old_name, "merged_on": e.merged_on.isoformat(),
                  "plans": ", ".join(e.plans), "tasks": e.tasks, "tree_size": e.tree_size,
                  "root_hash": e.root_hash})


SPECS: dict[type[Any], EventSpec] = {
    Plan.Issued: EventSpec(PLAN, _plan_issued, "audit.plan_issued", _plan_issued_audit),
    Plan.GroupAdded: EventSpec(PLAN, _group_added, "audit.group_added", _group_added_audit),
    Plan.GroupRenamed: EventSpec(PLAN, _group_renamed, "audit.group_renamed",
                                 _group_renamed_audit, "group_renamed"),
    Plan.Revised: EventSpec(PLAN, _plan_revised, "audit.plan_revised", _plan_revised_audit,
                            "plan_revised"),
    Agency.Registered: EventSpec(AGENCY, _agency_registered, "audit.agency_registered",
                                 _agency_registered_audit),
    Agency.Renamed: EventSpec(AGENCY, _agency_renamed, "audit.agency_renamed",
                              _agency_renamed_audit, "agency_renamed"),
    Agency.Succeeded: EventSpec(AGENCY_CHANGE, _agency_succeeded,
                                "audit.agency_succeeded", _agency_succeeded_audit,
                                "agency_succeeded"),
    Agency.Dissolved: EventSpec(AGENCY_CHANGE, _agency_dissolved,
                                "audit.agency_dissolved", _agency_dissolved_audit,
                                "agency_dissolved"),
    Agency.AliasMerged: EventSpec(AGENCY_CHANGE, _alias_merged,
                                  "audit.agency_alias_merged", _alias_merged_audit,
                                  "agency_alias_merged"),
    Agency.CollectiveMarked: EventSpec(AGENCY, _collective_marked,
                                       "audit.agency_collective_marked",
                                       _collective_marked_audit),
    Indicator.Defined: EventSpec(INDICATOR, _indicator_defined, "audit.indicator_defined",
                                 _indicator_defined_audit),
    # An indicator an amending document adds or removes is a change inspectors follow.
    Indicator.AddedByAmendment: EventSpec(INDICATOR, _indicator_defined,
                                          "audit.indicator_added", _indicator_added_audit,
                                          "indicator_added"),
    Indicator.Removed: EventSpec(INDICATOR, _indicator_removed, "audit.indicator_removed",
                                 _indicator_removed_audit, "indicator_removed"),
    Indicator.Carried: EventSpec(INDICATOR, _indicator_carried, "audit.indicator_carried",
                                 _indicator_carried_audit),
    Indicator.ValueReported: EventSpec(INDICATOR, _value_reported, "audit.value_reported",
                                       _value_reported_audit),
    Indicator.TargetChanged: EventSpec(INDICATOR, _target_changed, "audit.target_changed",
                                       _target_changed_audit, "target_changed"),
    PlanCatalogue.Opened: EventSpec(CATALOGUE, ignore, "audit.catalogue_opened", nothing),
    PlanCatalogue.PlanAdded: EventSpec(CATALOGUE, ignore, "audit.plan_listed",
                                       _plan_listed_audit),
    TenantLineage.MergerRecorded: EventSpec(LINEAGE, ignore, "audit.tenant_merged",
                                            _merger_audit, "tenant_merged"),
}
