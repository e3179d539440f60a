"""A plan revised by an amending document: what it changes (the preview), and recording it.

The preview compares the plan's tasks as the read models hold them with the rows of the
revised document (domain/revision.py says how). Recording it turns each difference into the
event a person would record by hand (a task added, cancelled, re-worded, re-dated,
reassigned or moved to another group; a group renamed; an indicator added, removed or given
another target), every one citing the amending document and taking effect on its date, plus
`Plan.Revised`; all in one transaction. A document recorded against the plan once records
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.agency import Agency
from domain.errors import DomainError
from domain.indicator import Indicator
from domain.messages import Message, message
from domain.plan import Plan
from domain.plan_document import PlanDocument, TaskGroup
from domain.provenance import Provenance
from domain.revision import (
    ADDED,
    COORDINATORS_CHANGED,
    DEADLINE_CHANGED,
    GROUP_CHANGED,
    LEAD_CHANGED,
    REMOVED,
    REWORDED,
    CurrentIndicator,
    CurrentTask,
    RevisionDiff,
    TaskDifference,
    revision_diff,
)
from domain.targets import parse_target
from domain.task import Task
from domain.text import clean, fold, nfc
from projections.plan_state import PlanState
from service.commands import CommandResult, Context, RevisePlan
from service.handlers import ImportRefused, Outcome, handles
from service.plan_import import (
    PlanAggregates,
    agency_keys,
    build_task,
    indicator_fields,
    task_fields,
)
from service.queries import TenantQueries

if TYPE_CHECKING:
    from service.ledger import TenantLedger


@dataclass(frozen=True)
class RevisionPreview:
    plan: str  # the plan's number
    document: PlanDocument
    sha256: str
    diff: RevisionDiff
    recorded_already: bool  # this document was recorded against the plan before
    new_groups: tuple[TaskGroup, ...]  # groups the added or moved tasks need
    new_agencies: dict[str, str]  # key -> name, of the agencies the register lacks
    warnings: tuple[Message, ...]  # deadlines kept as text, rows with no lead
    plan_groups: tuple[tuple[str, str], ...] = ()  # the plan's (code, title) as they stand


    def new_groups_titles(self) -> tuple[tuple[str, str], ...]:
        """(code folded, title) of the groups tasks go to: the plan's (as renamed) and new."""
        renamed = {fold(g.code): g.after for g in self.diff.groups}
        return tuple((fold(code), renamed.get(fold(code), title)) for code, title in (
            *self.plan_groups, *((g.code, g.title) for g in self.new_groups)))


def current_tasks(state: PlanState, plan_id: Any) -> list[CurrentTask]:
    return [CurrentTask(t.number, t.group_code, t.title, t.expected_output, t.leads,
                        t.coordinators, t.deadline, t.state)
            for t in state.sorted_tasks() if t.plan_id == plan_id]


def current_indicators(state: PlanState, plan_id: Any) -> list[CurrentIndicator]:
    return [CurrentIndicator(i.code, i.name, i.target.text, i.is_heading, bool(i.removed_by))
            for i in state.indicators.values() if Indicator.create_id(plan_id, i.code) == i.id]


def preview_revision(ledger: TenantLedger, plan: Plan, document: PlanDocument,
                     sha256: str, *, partial: bool = False) -> RevisionPreview:
    """What recording `document` against `plan` would change; records nothing. `partial`:
    the document lists only the tasks it amends or adds (see domain/revision.py)."""
    if not document.tasks:
        raise DomainError("revision.no_tasks", field="file", plan=plan.number)
    other = document.header.number
    if other and fold(other).replace(" ", "") != fold(plan.number).replace(" ", "") and any(
            fold(n).replace(" ", "") == fold(other).replace(" ", "")
            for n in ledger.catalogue().plans):
        raise DomainError("revision.another_plan", field="plan", plan=plan.number,
                          other=other)
    state = TenantQueries(ledger.app).state()
    built = _built(plan, state)
    diff = revision_diff(current_tasks(state, plan.id), document.tasks,
                         lambda cell: agency_keys(cell, built),
                         current_indicators(state, plan.id), document.indicators,
                         partial=partial, groups=plan.groups, group_rows=document.groups)
    added = diff.of_kind(ADDED)
    scratch = PlanAggregates(plan=plan, tasks=[], indicators=[], registered=built.registered)
    provenance = Provenance(actor="preview", effective_on=date.today())
    for difference in added:
        assert difference.after is not None
        build_task(plan, replace(difference.after, number=difference.reference), provenance,
                   scratch)
    for row in diff.added_indicators:
        agency_keys(row.responsible, built)  # names the agencies the register lacks
    titles = {g.code: g for g in document.groups}
    new_groups = tuple(titles.get(code, TaskGroup(code, code)) for code in diff.moved_to
                       if plan.group_title(code) is None)
    warnings = list(scratch.warnings)
    live = sum(1 for t in state.tasks.values() if t.plan_id == plan.id and t.state != "cancelled")
    if len(diff.of_kind(REMOVED)) * 2 > live:
        # An amending decision listing only what it changes would remove the rest.
        warnings.insert(0, message("revision.removes_most", removed=len(diff.of_kind(REMOVED)),
                                   tasks=live))
    return RevisionPreview(
        plan=plan.number, document=document, sha256=sha256, diff=diff,
        recorded_already=plan.was_revised_by(sha256), new_groups=new_groups,
        plan_groups=tuple(plan.groups),
        new_agencies={key: name.name for key, name in built.agencies.items()
                      if key not in state.agencies},
        warnings=tuple(warnings))


def _built(plan: Plan, state: PlanState) -> PlanAggregates:
    """Agencies named as an import names them, registered ones by their current name."""
    return PlanAggregates(plan=plan, tasks=[], indicators=[],
                          registered={fold(name): key for key, name in state.agencies.items()})


@handles(RevisePlan)
def revise_plan(ledger: TenantLedger, command: RevisePlan, ctx: Context) -> Outcome:
    plan = ledger.plan(command.plan)
    ledger.check_version(plan, ctx)
    amending = nfc(command.amending)
    if not amending:
        raise DomainError("revision.needs_amending", field="amending")
    document = command.document
    if document.problems and not command.accept_problems:
        raise ImportRefused(document.problems)
    preview = preview_revision(ledger, plan, document, command.sha256,
                               partial=command.partial)
    if preview.recorded_already:
        return Outcome((), lambda _: CommandResult(plan.id, plan.version, None, {
            "plan": plan.number, "recorded": False, "counts": {}, "events": 0}))
    on = ctx.effective_on or command.amending_on or document.header.issued_on
    if on is None:
        raise DomainError("revision.needs_date", field="effective_on")
    provenance = ledger.provenance(Context(ctx.actor, on, ctx.agency))
    reason = clean(command.reason) or f"Điều chỉnh Kế hoạch {plan.number} theo {amending}"
    for group in preview.new_groups:
        plan.add_group(group.code, group.title, provenance)
    for renamed in preview.diff.groups:
        plan.rename_group(renamed.code, renamed.after, reason, amending, provenance)
    built = _built(plan, TenantQueries(ledger.app).state())
    changed: list[Task] = []
    for difference in preview.diff.changes:
        if difference.applicable:
            changed.append(_record(ledger, plan, difference, reason, amending, provenance,
                                   built))
    indicators = []
    for target in preview.diff.targets:
        indicator = ledger.indicator(target.code, plan.number)
        indicator.change_target(parse_target(target.after, indicator.unit), reason, amending,
                                provenance)
        indicators.append(indicator)
    for row in preview.diff.added_indicators:
        indicators.append(Indicator.add_by_amendment(
            reason=reason, decision_ref=amending,
            **indicator_fields(plan.id, replace(row, code=row.code.strip().rstrip(".")),
                               provenance, built)))
    for gone in preview.diff.removed_indicators:
        indicator = ledger.indicator(gone.code, plan.number)
        indicator.remove(reason, amending, provenance)
        indicators.append(indicator)
    agencies = [Agency.register(name, provenance) for key, name in built.agencies.items()
                if Agency.create_id(key) not in ledger.app.repository]
    counts = preview.diff.counts()
    plan.revise(amending, command.amending_on, command.sha256, counts, reason, provenance)
    aggregates = (plan, *agencies, *changed, *indicators)
    events = sum(len(a.pending_events) for a in aggregates)
    return Outcome(aggregates, lambda position: CommandResult(
        plan.id, plan.version, position, {
            "plan": plan.number, "recorded": True, "counts": counts, "events": events,
            "skipped": [d.reference for d in preview.diff.skipped]}))


def _record(ledger: TenantLedger, plan: Plan, difference: TaskDifference, reason: str,
            amending: str, provenance: Provenance, built: PlanAggregates) -> Task:
    """The events of one task's difference, on its aggregate."""
    row = difference.after
    if ADDED in difference.kinds:
        assert row is not None
        fields = task_fields(plan, replace(row, number=difference.reference), provenance, built)
        return Task.add_by_amendment(reason=reason, decision_ref=amending, **fields)
    task = ledger.task(difference.reference, plan.number)
    if REMOVED in difference.kinds:
        task.cancel(reason, amending, provenance)
        return task
    assert row is not None
    if REWORDED in difference.kinds:
        task.reword(nfc(row.title), nfc(row.expected_output), reason, amending, provenance)
    if DEADLINE_CHANGED in difference.kinds:
        assert difference.deadline is not None
        task.change_deadline(difference.deadline, reason, amending, provenance)
    if {LEAD_CHANGED, COORDINATORS_CHANGED} & set(difference.kinds):
        task.reassign(difference.leads, difference.coordinators, reason, amending, provenance)
    if GROUP_CHANGED in difference.kinds:
        task.change_group(plan.group_code(row.group_code), reason, amending, provenance)
    return task


def revision_json(preview: RevisionPreview, register: Mapping[str, str]) -> dict[str, Any]:
    """The preview as the API answers it (and `r57 plan revise --json` prints it);
    `register`: the tenant's agencies, key -> current name."""
    header = preview.document.header

    groups = {code: title for code, title in preview.new_groups_titles()}

    def agency_name(key: str) -> str:
        return register.get(key) or preview.new_agencies.get(key) or key

    def side(difference: TaskDifference, after: bool) -> dict[str, Any] | None:
        task, row = difference.before, difference.after
        if not after and task is not None:
            return {"title": task.title, "expected_output": task.expected_output,
                    "leads": [agency_name(k) for k in task.leads],
                    "coordinators": [agency_name(k) for k in task.coordinators],
                    "deadline": task.deadline.text}
        if after and row is not None:
            return {"title": row.title, "expected_output": row.expected_output,
                    "leads": [agency_name(k) for k in difference.leads],
                    "coordinators": [agency_name(k) for k in difference.coordinators],
                    "deadline": row.deadline}
        return None

    def moved_to(difference: TaskDifference) -> dict[str, str] | None:
        if GROUP_CHANGED not in difference.kinds or difference.after is None:
            return None
        code = difference.after.group_code
        return {"code": code, "title": groups.get(fold(code), code)}

    return {
        "plan": preview.plan,
        "sha256": preview.sha256,
        "recorded_already": preview.recorded_already,
        "document": {"number": header.number or None,
                     "issued_on": header.issued_on.isoformat() if header.issued_on else None,
                     "source_format": preview.document.source_format,
                     "tasks": len(preview.document.tasks)},
        "counts": preview.diff.counts(),
        "changes": [
            {"task": d.reference, "written_number": d.written_number or None,
             "group": d.group_code, "kinds": list(d.kinds), "applicable": d.applicable,
             "similarity": round(d.similarity, 2),
             "moved_to": moved_to(d),
             "before": side(d, False), "after": side(d, True)}
            for d in preview.diff.changes],
        "unchanged": sum(1 for d in preview.diff.tasks if not d.changed),
        "targets": [{"indicator": t.code, "name": t.name, "before": t.before, "after": t.after}
                    for t in preview.diff.targets],
        "groups_renamed": [{"code": g.code, "before": g.before, "after": g.after}
                           for g in preview.diff.groups],
        "indicators_added": [
            {"indicator": r.code.strip().rstrip("."), "name": r.name, "unit": r.unit,
             "target": r.target} for r in preview.diff.added_indicators],
        "indicators_removed": [{"indicator": i.code, "name": i.name, "target": i.target}
                               for i in preview.diff.removed_indicators],
        "new_groups": [{"code": g.code, "title": g.title} for g in preview.new_groups],
        "new_agencies": list(preview.new_agencies.values()),
        "warnings": list(preview.warnings),
        "problems": [{"row": p.row, "content": p.content, "reason": p.reason}
                     for p in preview.document.problems],
    }
