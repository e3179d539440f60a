"""A task of a plan: who leads it, by when, and what has been reported on it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as AggregateSnapshot

from domain.deadlines import Deadline, DeadlineKind
from domain.errors import DomainError
from domain.periods import ReportingPeriod
from domain.provenance import Provenance

OPEN, COMPLETED, CANCELLED, SUSPENDED = "open", "completed", "cancelled", "suspended"
SUBMITTED, VERIFIED, RETURNED = "submitted", "verified", "returned"


@dataclass
class Report:
    """A progress report as the task knows it (the read models keep the narrative)."""

    number: int
    period: str
    percent: int
    state: str = SUBMITTED


# Snapshot state is JSON: tuples come back as lists and Report has no transcoding, so a
# snapshot stores these plainly and restores them exactly as a fold of the events leaves them.
_TUPLE_FIELDS = ("leads", "coordinators")


class Task(Aggregate):
    """One row of the plan's task appendix, with its whole life as events."""

    class Snapshot(AggregateSnapshot):
        """A Task's state at one version (the events stay the record; see tests)."""

        @classmethod
        def take(cls, aggregate: Any) -> Any:
            taken = super().take(aggregate)
            state = dict(taken.state)
            state["reports"] = [asdict(r) for r in state["reports"]]
            for name in _TUPLE_FIELDS:
                state[name] = list(state[name])
            return replace(taken, state=state)

        def mutate(self, _: None) -> Any:
            state = dict(self.state)
            state["reports"] = [Report(**r) for r in state["reports"]]
            for name in _TUPLE_FIELDS:
                state[name] = tuple(state[name])
            return AggregateSnapshot.mutate(replace(self, state=state), None)

    @staticmethod
    def create_id(plan_id: UUID, number: str) -> UUID:
        return uuid5(plan_id, f"task:{number}")

    class Added(Aggregate.Created):
        plan_id: UUID
        plan_issued_on: date | None
        group_code: str
        number: str
        title: str
        leads: tuple[str, ...]
        coordinators: tuple[str, ...]
        leads_text: str
        coordinators_text: str
        expected_output: str
        deadline: Deadline
        extra: dict[str, str]
        provenance: Provenance

    @event(Added)
    def __init__(
        self,
        *,
        plan_id: UUID,
        plan_issued_on: date | None,
        group_code: str,
        number: str,
        title: str,
        leads: tuple[str, ...],
        coordinators: tuple[str, ...],
        leads_text: str,
        coordinators_text: str,
        expected_output: str,
        deadline: Deadline,
        extra: dict[str, str],
        provenance: Provenance,
    ) -> None:
        self.plan_id = plan_id
        self.plan_issued_on = plan_issued_on
        self.group_code = group_code
        self.number = number
        self.title = title
        self.leads = tuple(leads)
        self.coordinators = tuple(coordinators)
        self.leads_text = leads_text
        self.coordinators_text = coordinators_text
        self.expected_output = expected_output
        self.deadline = deadline
        self.extra = dict(extra)
        self.status = OPEN
        self.reports: list[Report] = []

    # -- rules -------------------------------------------------------------------------

    def check_can_change(self) -> None:
        if self.status in (COMPLETED, CANCELLED):
            raise DomainError(f"Task {self.number} is {self.status}; it can no longer change.")

    def involves(self, agency_key: str) -> bool:
        return agency_key in self.leads or agency_key in self.coordinators

    def report(self, number: int) -> Report:
        for report in self.reports:
            if report.number == number:
                return report
        raise DomainError(f"Task {self.number} has no report {number}.", field="report")

    # -- commands ----------------------------------------------------------------------

    def reassign(
        self,
        leads: tuple[str, ...],
        coordinators: tuple[str, ...],
        reason: str,
        decision_ref: str,
        provenance: Provenance,
    ) -> None:
        self.check_can_change()
        if not leads:
            raise DomainError("A task needs at least one lead agency.", field="leads")
        if set(leads) & set(coordinators):
            raise DomainError("An agency cannot both lead and coordinate.", field="coordinators")
        if (tuple(leads), tuple(coordinators)) == (self.leads, self.coordinators):
            raise DomainError(f"Task {self.number} is already assigned so.", field="leads")
        self.trigger_event(
            self.Reassigned,
            leads=tuple(leads),
            coordinators=tuple(coordinators),
            old_leads=self.leads,
            old_coordinators=self.coordinators,
            reason=reason,
            decision_ref=decision_ref,
            provenance=provenance,
        )

    def change_deadline(
        self, new: Deadline, reason: str, decision_ref: str, provenance: Provenance
    ) -> None:
        self.check_can_change()
        if _same_deadline(new, self.deadline):
            raise DomainError(
                f"Task {self.number} is already due '{self.deadline.text}'.", field="deadline"
            )
        if not reason.strip():
            raise DomainError("A deadline change needs its reason.", field="reason")
        self.trigger_event(
            self.DeadlineChanged,
            old=self.deadline, new=new, reason=reason, decision_ref=decision_ref,
            provenance=provenance,
        )

    def record_trigger(self, triggered_on: date, note: str, provenance: Provenance) -> None:
        """The outside event a conditional deadline waits for has happened."""
        self.check_can_change()
        if self.deadline.kind is not DeadlineKind.CONDITIONAL or self.deadline.due:
            raise DomainError(
                f"Task {self.number} has no pending conditional deadline.", field="deadline"
            )
        self.trigger_event(
            self.TriggerRecorded,
            triggered_on=triggered_on, deadline=self.deadline.with_trigger(triggered_on),
            note=note, provenance=provenance,
        )

    def report_progress(
        self,
        period: ReportingPeriod,
        percent: int,
        narrative: str,
        difficulties: str,
        proposals: str,
        evidence: tuple[str, ...],
        provenance: Provenance,
    ) -> int:
        if self.status != OPEN:
            raise DomainError(f"Task {self.number} is {self.status}; it takes no reports.")
        if not 0 <= percent <= 100:
            raise DomainError("Percent must be between 0 and 100.", field="percent")
        number = len(self.reports) + 1
        self.trigger_event(
            self.ProgressReported,
            report=number, period=str(period), percent=percent, narrative=narrative,
            difficulties=difficulties, proposals=proposals, evidence=tuple(evidence),
            provenance=provenance,
        )
        return number

    def verify_report(self, number: int, note: str, provenance: Provenance) -> None:
        self._check_report_awaits_review(number)
        self.trigger_event(self.ReportVerified, report=number, note=note, provenance=provenance)

    def return_report(self, number: int, reason: str, provenance: Provenance) -> None:
        self._check_report_awaits_review(number)
        if not reason.strip():
            raise DomainError("A returned report needs the reason.", field="reason")
        self.trigger_event(
            self.ReportReturned, report=number, reason=reason, provenance=provenance
        )

    def complete(self, output_document: str, completed_on: date, provenance: Provenance) -> None:
        self.check_can_change()
        if self.status == SUSPENDED:
            raise DomainError(f"Task {self.number} is suspended; resume it first.")
        if not output_document.strip():
            raise DomainError("Completion needs the output document.", field="output_document")
        if self.plan_issued_on and completed_on < self.plan_issued_on:
            raise DomainError(
                f"Completion on {completed_on:%d/%m/%Y} is before the plan was issued "
                f"({self.plan_issued_on:%d/%m/%Y}).",
                field="completed_on",
            )
        self.trigger_event(
            self.Completed,
            output_document=output_document, completed_on=completed_on, provenance=provenance
        )

    def cancel(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        self.check_can_change()
        self._require_reason(reason)
        self.trigger_event(
            self.Cancelled, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    def suspend(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        self.check_can_change()
        if self.status == SUSPENDED:
            raise DomainError(f"Task {self.number} is already suspended.")
        self._require_reason(reason)
        self.trigger_event(
            self.Suspended, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    def resume(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        if self.status != SUSPENDED:
            raise DomainError(f"Task {self.number} is not suspended.")
        self.trigger_event(
            self.Resumed, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    # -- helpers -----------------------------------------------------------------------

    def _check_report_awaits_review(self, number: int) -> None:
        report = self.report(number)
        if report.state != SUBMITTED:
            raise DomainError(f"Report {number} was already {report.state}.", field="report")

    @staticmethod
    def _require_reason(reason: str) -> None:
        if not reason.strip():
            raise DomainError("This change needs its reason.", field="reason")

    # -- events: each names its recorded fields; the method under it applies it ------------

    class Reassigned(Aggregate.Event):
        leads: tuple[str, ...]
        coordinators: tuple[str, ...]
        old_leads: tuple[str, ...]
        old_coordinators: tuple[str, ...]
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Reassigned)
    def _reassigned(self, leads: tuple[str, ...], coordinators: tuple[str, ...]) -> None:
        self.leads, self.coordinators = tuple(leads), tuple(coordinators)

    class DeadlineChanged(Aggregate.Event):
        old: Deadline
        new: Deadline
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(DeadlineChanged)
    def _deadline_changed(self, new: Deadline) -> None:
        self.deadline = new

    class TriggerRecorded(Aggregate.Event):
        triggered_on: date
        deadline: Deadline
        note: str
        provenance: Provenance

    @event(TriggerRecorded)
    def _trigger_recorded(self, deadline: Deadline) -> None:
        self.deadline = deadline

    class ProgressReported(Aggregate.Event):
        report: int
        period: str
        percent: int
        narrative: str
        difficulties: str
        proposals: str
        evidence: tuple[str, ...]
        provenance: Provenance

    @event(ProgressReported)
    def _progress_reported(self, report: int, period: str, percent: int) -> None:
        self.reports.append(Report(report, period, percent))

    class ReportVerified(Aggregate.Event):
        report: int
        note: str
        provenance: Provenance

    @event(ReportVerified)
    def _report_verified(self, report: int) -> None:
        self.report(report).state = VERIFIED

    class ReportReturned(Aggregate.Event):
        report: int
        reason: str
        provenance: Provenance

    @event(ReportReturned)
    def _report_returned(self, report: int) -> None:
        self.report(report).state = RETURNED

    class Completed(Aggregate.Event):
        output_document: str
        completed_on: date
        provenance: Provenance

    @event(Completed)
    def _completed(self) -> None:
        self.status = COMPLETED

    class Cancelled(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Cancelled)
    def _cancelled(self) -> None:
        self.status = CANCELLED

    class Suspended(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Suspended)
    def _suspended(self) -> None:
        self.status = SUSPENDED

    class Resumed(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Resumed)
    def _resumed(self) -> None:
        self.status = OPEN


def _same_deadline(a: Deadline, b: Deadline) -> bool:
    return (a.kind, a.due, a.start) == (b.kind, b.due, b.start)
