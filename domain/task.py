"""A task of a plan: who leads it, by when, and what has been reported on it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as AggregateSnapshot

from domain.clock import recorded_now
from domain.deadlines import Deadline, DeadlineKind
from domain.errors import DomainError
from domain.evidence import EvidenceFile
from domain.periods import ReportingPeriod
from domain.provenance import Provenance

OPEN, COMPLETED, CANCELLED, SUSPENDED = "open", "completed", "cancelled", "suspended"
# A lead agency has asked the standing body to accept the task as done; it counts only then.
PENDING = "completion_pending"
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
# The review workflow's state, for snapshots taken before it existed.
_REVIEW_DEFAULTS: dict[str, Any] = {
    "completed_on": None, "pending_completion": None, "requested_completion_on": None,
    "completion_requests": 0,
    "open_extension": None, "extension_proposed": None, "extension_requests": 0,
    "directions": 0,
}


class Task(Aggregate):
    """One row of the plan's task appendix, with its whole life as events."""

    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

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
            state = {**_REVIEW_DEFAULTS, **self.state}
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
        self.completed_on: date | None = None
        self.pending_completion: int | None = None  # the request awaiting review
        self.requested_completion_on: date | None = None
        self.completion_requests = 0
        self.open_extension: int | None = None
        self.extension_proposed: Deadline | None = None
        self.extension_requests = 0
        self.directions = 0

    @classmethod
    def carry(cls, *, origin: dict[str, str], carried: dict[str, Any], **added: Any) -> Task:
        """The task as a merged tenant held it, continued in the tenant it merged into:
        `added` as Added records a task, `origin` where it came from (tenant, tenant_name,
        plan, number, task_id) and `carried` its state there (service/merger.py)."""
        task: Task = cls._create(cls.Carried, id=cls.create_id(added["plan_id"],
                                                               added["number"]),
                                 origin=dict(origin), carried=dict(carried), **added)
        return task

    @classmethod
    def add_by_amendment(cls, *, reason: str, decision_ref: str, **added: Any) -> Task:
        """A task an amending document adds to a plan already issued: `added` as Added
        records a task, with the document it cites and why (service/revision.py)."""
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")
        task: Task = cls._create(cls.AddedByAmendment,
                                 id=cls.create_id(added["plan_id"], added["number"]),
                                 reason=reason, decision_ref=decision_ref, **added)
        return task

    class AddedByAmendment(Added):
        """A task added to a plan by an amending document (the change log files it)."""

        reason: str
        decision_ref: str

    class Carried(Added):
        """A task carried over from a merged tenant, with its state there: its status, the
        numbers of its reports, requests and directions (so new ones follow on), and its
        views as that tenant's read models showed them (`carried`, JSON)."""

        origin: dict[str, str]
        carried: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.carry_state(self.carried)

    def carry_state(self, carried: dict[str, Any]) -> None:
        """Resume the state a carried task had in its former tenant."""
        self.status = str(carried.get("state", OPEN))
        done = carried.get("completed_on")
        self.completed_on = date.fromisoformat(done) if done else None
        self.reports = [Report(int(r["number"]), str(r["period"]), int(r["percent"]),
                               str(r.get("state", SUBMITTED))) for r in carried["reports"]]
        completions = carried.get("completions", [])
        self.completion_requests = len(completions)
        pending = [c for c in completions if c.get("state") == "pending"]
        if pending:
            self.pending_completion = int(pending[-1]["number"])
            self.requested_completion_on = date.fromisoformat(pending[-1]["completed_on"])
        extensions = carried.get("extensions", [])
        self.extension_requests = len(extensions)
        waiting = [x for x in extensions if x.get("state") == "pending"]
        if waiting:
            self.open_extension = int(waiting[-1]["number"])
            self.extension_proposed = Deadline.from_dict(waiting[-1]["proposed"])
        self.directions = len(carried.get("directions", []))

    # -- rules -------------------------------------------------------------------------

    def check_can_change(self) -> None:
        if self.status in (COMPLETED, CANCELLED):
            raise DomainError("task.not_editable", number=self.number, status=self.status)

    def involves(self, agency_key: str) -> bool:
        return agency_key in self.leads or agency_key in self.coordinators

    def report(self, number: int) -> Report:
        for report in self.reports:
            if report.number == number:
                return report
        raise DomainError("task.no_report", field="report", number=self.number, report=number)

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
            raise DomainError("task.needs_lead", field="leads")
        if set(leads) & set(coordinators):
            raise DomainError("task.lead_and_coordinator", field="coordinators")
        if (tuple(leads), tuple(coordinators)) == (self.leads, self.coordinators):
            raise DomainError("task.already_assigned", field="leads", number=self.number)
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
            raise DomainError("task.already_due", field="deadline", number=self.number,
                              deadline=self.deadline.text)
        if not reason.strip():
            raise DomainError("task.deadline_needs_reason", field="reason")
        self.trigger_event(
            self.DeadlineChanged,
            old=self.deadline, new=new, reason=reason, decision_ref=decision_ref,
            provenance=provenance,
        )

    def reword(
        self, title: str, expected_output: str, reason: str, decision_ref: str,
        provenance: Provenance,
    ) -> None:
        """The plan's wording of the task changes (an amending document re-words it)."""
        self.check_can_change()
        if not title.strip():
            raise DomainError("task.needs_title", field="title")
        if (title, expected_output) == (self.title, self.expected_output):
            raise DomainError("task.already_worded", field="title", number=self.number)
        self._require_reason(reason)
        self.trigger_event(
            self.Reworded, old_title=self.title, title=title,
            old_expected_output=self.expected_output, expected_output=expected_output,
            reason=reason, decision_ref=decision_ref, provenance=provenance,
        )

    def change_group(
        self, group_code: str, reason: str, decision_ref: str, provenance: Provenance,
    ) -> None:
        """The task is moved to another group of the plan (an amending document moves it)."""
        self.check_can_change()
        if not group_code.strip():
            raise DomainError("plan.group_needs_code", field="group")
        if group_code == self.group_code:
            raise DomainError("task.already_in_group", field="group", number=self.number,
                              group=group_code)
        self._require_reason(reason)
        self.trigger_event(
            self.GroupChanged, old_group_code=self.group_code, group_code=group_code,
            reason=reason, decision_ref=decision_ref, provenance=provenance,
        )

    def record_trigger(self, triggered_on: date, note: str, provenance: Provenance) -> None:
        """The outside event a conditional deadline waits for has happened."""
        self.check_can_change()
        if self.deadline.kind is not DeadlineKind.CONDITIONAL or self.deadline.due:
            raise DomainError("task.no_pending_condition", field="deadline", number=self.number)
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
        files: tuple[EvidenceFile, ...] = (),
        today: date | None = None,
    ) -> int:
        if today is not None:
            self._check_not_future(provenance.effective_on, today, "effective_on")
            self._check_not_future(period.start, today, "period")
        if self.status not in (OPEN, PENDING):
            raise DomainError("task.takes_no_reports", number=self.number, status=self.status)
        if not 0 <= percent <= 100:
            raise DomainError("report.percent_range", field="percent")
        number = len(self.reports) + 1
        self.trigger_event(
            self.ProgressReported,
            report=number, period=str(period), percent=percent, narrative=narrative,
            difficulties=difficulties, proposals=proposals, evidence=tuple(evidence),
            provenance=provenance, files=tuple(files),
        )
        return number

    def verify_report(self, number: int, note: str, provenance: Provenance) -> None:
        self._check_report_awaits_review(number)
        self.trigger_event(self.ReportVerified, report=number, note=note, provenance=provenance)

    def return_report(self, number: int, reason: str, provenance: Provenance) -> None:
        self._check_report_awaits_review(number)
        if not reason.strip():
            raise DomainError("report.return_needs_reason", field="reason")
        self.trigger_event(
            self.ReportReturned, report=number, reason=reason, provenance=provenance
        )

    # -- completion: requested by a lead agency, counted once the standing body accepts -------

    def request_completion(
        self, completed_on: date, output_document: str, files: tuple[EvidenceFile, ...],
        note: str, provenance: Provenance, today: date, carrying: tuple[str, ...] = (),
    ) -> int:
        """`carrying`: the agencies the task names whose duties the requesting agency
        carries (as their successor), when it is not named itself."""
        self._check_open_for_a_request()
        self._check_lead(provenance, carrying)
        self._check_completion_date(completed_on, today)
        if not output_document.strip():
            raise DomainError("task.completion_needs_output", field="output_document")
        number = self.completion_requests + 1
        self.trigger_event(
            self.CompletionRequested, request=number, completed_on=completed_on,
            output_document=output_document, files=tuple(files), note=note,
            provenance=provenance,
        )
        return number

    def accept_completion(self, request: int, note: str, provenance: Provenance) -> None:
        self._check_pending(request)
        self.trigger_event(self.CompletionAccepted, request=request, note=note,
                           provenance=provenance)

    def return_completion(self, request: int, reason: str, provenance: Provenance) -> None:
        self._check_pending(request)
        self._require_reason(reason)
        self.trigger_event(self.CompletionReturned, request=request, reason=reason,
                           provenance=provenance)

    def complete(
        self, output_document: str, completed_on: date, provenance: Provenance, today: date,
        files: tuple[EvidenceFile, ...] = (), note: str = "",
    ) -> int:
        """The standing body records a completion and accepts it in the same step."""
        number = self.request_completion(completed_on, output_document, files, note,
                                         provenance, today)
        self.accept_completion(number, note, provenance)
        return number

    def reopen(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        if self.status != COMPLETED:
            raise DomainError("task.not_completed", number=self.number)
        self._require_reason(reason)
        self.trigger_event(self.Reopened, reason=reason, decision_ref=decision_ref,
                           provenance=provenance)

    def correct_completion_date(
        self, new: date, reason: str, decision_ref: str, provenance: Provenance, today: date
    ) -> None:
        if self.status != COMPLETED or self.completed_on is None:
            raise DomainError("task.not_completed", number=self.number)
        self._check_completion_date(new, today)
        if new == self.completed_on:
            raise DomainError("task.completion_date_unchanged", field="completed_on")
        self._require_reason(reason)
        self.trigger_event(
            self.CompletionDateCorrected, old=self.completed_on, new=new, reason=reason,
            decision_ref=decision_ref, provenance=provenance,
        )

    # -- extensions: a lead agency asks, the standing body decides ---------------------------

    def request_extension(
        self, proposed: Deadline, reason: str, files: tuple[EvidenceFile, ...],
        provenance: Provenance, carrying: tuple[str, ...] = (),
    ) -> int:
        self._check_open_for_a_request()
        self._check_lead(provenance, carrying)
        if self.open_extension is not None:
            raise DomainError("extension.already_open", field="deadline",
                              request=self.open_extension)
        if proposed.due is None:
            raise DomainError("extension.needs_date", field="deadline", text=proposed.text)
        if self.deadline.due is not None and proposed.due <= self.deadline.due:
            raise DomainError("extension.not_later", field="deadline",
                              due=self.deadline.due.isoformat())
        self._require_reason(reason)
        number = self.extension_requests + 1
        self.trigger_event(self.ExtensionRequested, request=number, proposed=proposed,
                           reason=reason, files=tuple(files), provenance=provenance)
        return number

    def approve_extension(
        self, request: int, decision_ref: str, note: str, provenance: Provenance
    ) -> None:
        proposed = self._open_extension(request)
        if not decision_ref.strip():
            raise DomainError("extension.needs_decision", field="decision_ref")
        self.trigger_event(
            self.ExtensionApproved, request=request, old=self.deadline, new=proposed,
            decision_ref=decision_ref, note=note, provenance=provenance,
        )

    def refuse_extension(self, request: int, reason: str, provenance: Provenance) -> None:
        self._open_extension(request)
        self._require_reason(reason)
        self.trigger_event(self.ExtensionRefused, request=request, reason=reason,
                           provenance=provenance)

    # -- directions ("ý kiến chỉ đạo") and the agencies' answers -----------------------------

    def record_direction(self, text: str, due_on: date | None, provenance: Provenance) -> int:
        if not text.strip():
            raise DomainError("direction.needs_text", field="text")
        number = self.directions + 1
        self.trigger_event(self.DirectionRecorded, direction=number, text=text, due_on=due_on,
                           provenance=provenance)
        return number

    def answer_direction(
        self, direction: int, text: str, files: tuple[EvidenceFile, ...],
        provenance: Provenance, carrying: tuple[str, ...] = (),
    ) -> None:
        if not 1 <= direction <= self.directions:
            raise DomainError("direction.not_found", field="direction", number=self.number,
                              direction=direction)
        agency = provenance.on_behalf_of
        if agency is not None and not self.involves(agency) and not any(
                self.involves(k) for k in carrying):
            raise DomainError("task.agency_not_involved", field="agency", agency=agency,
                              number=self.number)
        if not text.strip():
            raise DomainError("direction.needs_text", field="text")
        self.trigger_event(self.DirectionAnswered, direction=direction, text=text,
                           files=tuple(files), provenance=provenance)

    def cancel(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        self.check_can_change()
        self._require_reason(reason)
        self.trigger_event(
            self.Cancelled, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    def suspend(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        self.check_can_change()
        if self.status == SUSPENDED:
            raise DomainError("task.already_suspended", number=self.number)
        self._require_reason(reason)
        self.trigger_event(
            self.Suspended, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    def resume(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        if self.status != SUSPENDED:
            raise DomainError("task.not_suspended", number=self.number)
        self.trigger_event(
            self.Resumed, reason=reason, decision_ref=decision_ref, provenance=provenance
        )

    # -- helpers -----------------------------------------------------------------------

    def _check_report_awaits_review(self, number: int) -> None:
        report = self.report(number)
        if report.state != SUBMITTED:
            raise DomainError("report.already_decided", field="report", report=number,
                              state=report.state)

    def _check_open_for_a_request(self) -> None:
        self.check_can_change()
        if self.status == SUSPENDED:
            raise DomainError("task.suspended_resume_first", number=self.number)
        if self.status == PENDING:
            raise DomainError("task.completion_pending", number=self.number,
                              request=self.pending_completion)

    def _check_lead(self, provenance: Provenance, carrying: tuple[str, ...] = ()) -> None:
        """Only a lead agency asks for completion or an extension (or the standing body,
        which acts for no agency), or the successor of a lead agency."""
        agency = provenance.on_behalf_of
        if agency is None or agency in self.leads or any(k in self.leads for k in carrying):
            return
        if agency in self.coordinators or any(k in self.coordinators for k in carrying):
            raise DomainError("task.coordinator_not_lead", field="agency", number=self.number)
        raise DomainError("task.agency_not_involved", field="agency", agency=agency,
                          number=self.number)

    def _check_completion_date(self, completed_on: date, today: date) -> None:
        self._check_not_future(completed_on, today, "completed_on")
        if self.plan_issued_on and completed_on < self.plan_issued_on:
            raise DomainError("task.completed_before_plan", field="completed_on",
                              completed_on=completed_on.isoformat(),
                              issued_on=self.plan_issued_on.isoformat())

    @staticmethod
    def _check_not_future(day: date, today: date, field: str) -> None:
        if day > today:
            raise DomainError("date.in_future", field=field, day=day.isoformat())

    def _check_pending(self, request: int) -> None:
        if self.status != PENDING or self.pending_completion != request:
            raise DomainError("completion.not_pending", field="request", number=self.number,
                              request=request)

    def _open_extension(self, request: int) -> Deadline:
        if self.open_extension != request or self.extension_proposed is None:
            raise DomainError("extension.not_open", field="request", number=self.number,
                              request=request)
        return self.extension_proposed

    @staticmethod
    def _require_reason(reason: str) -> None:
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")

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

    class Reworded(Aggregate.Event):
        old_title: str
        title: str
        old_expected_output: str
        expected_output: str
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Reworded)
    def _reworded(self, title: str, expected_output: str) -> None:
        self.title, self.expected_output = title, expected_output

    class GroupChanged(Aggregate.Event):
        old_group_code: str
        group_code: str
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(GroupChanged)
    def _group_changed(self, group_code: str) -> None:
        self.group_code = group_code

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
        files: tuple[EvidenceFile, ...] = ()  # reports recorded before files existed have none

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
        """A completion recorded in one step (logs written before completions were reviewed)."""

        output_document: str
        completed_on: date
        provenance: Provenance

    @event(Completed)
    def _completed(self, completed_on: date) -> None:
        self.status, self.completed_on = COMPLETED, completed_on

    class CompletionRequested(Aggregate.Event):
        request: int
        completed_on: date
        output_document: str
        files: tuple[EvidenceFile, ...]
        note: str
        provenance: Provenance

    @event(CompletionRequested)
    def _completion_requested(self, request: int, completed_on: date) -> None:
        self.status, self.pending_completion = PENDING, request
        self.completion_requests = request
        self.requested_completion_on = completed_on

    class CompletionAccepted(Aggregate.Event):
        request: int
        note: str
        provenance: Provenance

    @event(CompletionAccepted)
    def _completion_accepted(self) -> None:
        self.status, self.completed_on = COMPLETED, self.requested_completion_on
        self.pending_completion = None

    class CompletionReturned(Aggregate.Event):
        request: int
        reason: str
        provenance: Provenance

    @event(CompletionReturned)
    def _completion_returned(self) -> None:
        self.status, self.pending_completion = OPEN, None

    class Reopened(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Reopened)
    def _reopened(self) -> None:
        self.status, self.completed_on = OPEN, None

    class CompletionDateCorrected(Aggregate.Event):
        old: date
        new: date
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(CompletionDateCorrected)
    def _completion_date_corrected(self, new: date) -> None:
        self.completed_on = new

    class ExtensionRequested(Aggregate.Event):
        request: int
        proposed: Deadline
        reason: str
        files: tuple[EvidenceFile, ...]
        provenance: Provenance

    @event(ExtensionRequested)
    def _extension_requested(self, request: int, proposed: Deadline) -> None:
        self.open_extension, self.extension_proposed = request, proposed
        self.extension_requests = request

    class ExtensionApproved(Aggregate.Event):
        request: int
        old: Deadline
        new: Deadline
        decision_ref: str
        note: str
        provenance: Provenance

    @event(ExtensionApproved)
    def _extension_approved(self, new: Deadline) -> None:
        self.deadline = new
        self.open_extension, self.extension_proposed = None, None

    class ExtensionRefused(Aggregate.Event):
        request: int
        reason: str
        provenance: Provenance

    @event(ExtensionRefused)
    def _extension_refused(self) -> None:
        self.open_extension, self.extension_proposed = None, None

    class DirectionRecorded(Aggregate.Event):
        direction: int
        text: str
        due_on: date | None
        provenance: Provenance

    @event(DirectionRecorded)
    def _direction_recorded(self, direction: int) -> None:
        self.directions = direction

    class DirectionAnswered(Aggregate.Event):
        direction: int
        text: str
        files: tuple[EvidenceFile, ...]
        provenance: Provenance

    @event(DirectionAnswered)
    def _direction_answered(self) -> None:
        pass

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
