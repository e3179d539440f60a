"""Tasks: their status, history and the commands that record what happens to them."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import (
    FlexibleDate,
    Instant,
    PlanQuerySchema,
    PlanScopedSchema,
    Strict,
    iso_text,
    required_text,
    text,
)
from domain import limits

# Evidence files a command cites, by the SHA-256 the upload answered (POST .../files).
FILES = fields.List(fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$")),
                    load_default=list, validate=validate.Length(max=20),
                    metadata={"description": "SHA-256 digests of uploaded files."})


class StatusQuerySchema(Strict):
    on = FlexibleDate(metadata={"description": "Judge status on this date (default today)."})
    known_at = Instant(metadata={
        "description": "Only what had been recorded by then (a date means its end, UTC)."})
    effective_on = FlexibleDate(metadata={"description": "Only changes in effect by then."})
    plan = text(100, metadata={"description": "Only this plan's tasks."})


class LastReportSchema(Strict):
    period = fields.String(required=True)
    percent = fields.Integer(required=True, allow_none=True)
    narrative = fields.String(required=True, allow_none=True)


class TaskStatusSchema(Strict):
    plan = fields.String(required=True)
    group = fields.String(required=True)
    number = fields.String(required=True)
    title = fields.String(required=True)
    leads = fields.List(fields.String(), required=True)
    coordinators = fields.List(fields.String(), required=True)
    expected_output = fields.String(required=True)
    deadline = fields.String(required=True)
    deadline_kind = fields.String(required=True)
    due = iso_text("date")
    deadline_changes = fields.Integer(required=True)
    slip_days = fields.Integer(required=True)
    state = fields.String(required=True)
    completed_on = iso_text("date")
    output_document = fields.String(required=True)
    last_report = fields.Nested(LastReportSchema, required=True, allow_none=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    version = fields.Integer(required=True)
    responsible = fields.List(fields.String(), required=True, metadata={
        "description": "The agencies carrying the lead on the date judged: the leads, or "
                       "their successors once an agency's duties have passed on."})


class StatusSchema(Strict):
    on = fields.Date(required=True)
    known_at = fields.DateTime(required=True, allow_none=True)
    effective_on = fields.Date(required=True, allow_none=True)
    tasks = fields.List(fields.Nested(TaskStatusSchema), required=True)


class EvidenceFileSchema(Strict):
    sha256 = fields.String(required=True)
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)


class ReportSchema(Strict):
    number = fields.Integer(required=True)
    period = fields.String(required=True)
    percent = fields.Integer(required=True)
    narrative = fields.String(required=True)
    difficulties = fields.String(required=True)
    proposals = fields.String(required=True)
    evidence = fields.List(fields.String(), required=True)
    agency = fields.String(required=True, allow_none=True)
    recorded_at = fields.DateTime(required=True)
    effective_on = fields.Date(required=True)
    state = fields.String(required=True)
    files = fields.List(fields.Nested(EvidenceFileSchema), required=True)
    decision_reason = fields.String(required=True)


class CompletionRequestSchema(Strict):
    number = fields.Integer(required=True)
    completed_on = fields.Date(required=True)
    output_document = fields.String(required=True)
    note = fields.String(required=True)
    agency = fields.String(required=True, allow_none=True)
    recorded_at = fields.DateTime(required=True)
    files = fields.List(fields.Nested(EvidenceFileSchema), required=True)
    state = fields.String(required=True, metadata={"description": "pending, accepted, returned"})
    decision_reason = fields.String(required=True)
    decided_at = fields.DateTime(required=True, allow_none=True)


class ExtensionRequestSchema(Strict):
    number = fields.Integer(required=True)
    proposed = fields.Function(lambda x: x.proposed.text, required=True)
    reason = fields.String(required=True)
    agency = fields.String(required=True, allow_none=True)
    recorded_at = fields.DateTime(required=True)
    files = fields.List(fields.Nested(EvidenceFileSchema), required=True)
    state = fields.String(required=True, metadata={"description": "pending, approved, refused"})
    decision_ref = fields.String(required=True)
    decision_reason = fields.String(required=True)
    decided_at = fields.DateTime(required=True, allow_none=True)


class AnswerSchema(Strict):
    text = fields.String(required=True)
    agency = fields.String(required=True, allow_none=True)
    actor = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    files = fields.List(fields.Nested(EvidenceFileSchema), required=True)


class DirectionSchema(Strict):
    number = fields.Integer(required=True)
    text = fields.String(required=True)
    due_on = fields.Date(required=True, allow_none=True)
    actor = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    answers = fields.List(fields.Nested(AnswerSchema), required=True)


REPORTS_SHOWN = 20  # the latest reports a task's answer carries; the rest are paged


class TaskOriginSchema(Strict):
    tenant = fields.String(required=True, metadata={
        "description": "The merged tenant the task was carried over from: its archive "
                       "keeps the task's history there."})
    tenant_name = fields.String(required=True)
    plan = fields.String(required=True)
    number = fields.String(required=True)
    merged_on = fields.Date(required=True)


class TaskDetailSchema(TaskStatusSchema):
    leads_text = fields.String(required=True)
    coordinators_text = fields.String(required=True)
    reports = fields.List(fields.Nested(ReportSchema), required=True, metadata={
        "description": f"The latest {REPORTS_SHOWN} reports, oldest first; "
                       "GET .../reports?before=<number> pages back through the others."})
    reports_total = fields.Integer(required=True, metadata={
        "description": "How many reports the task has, shown or not."})
    completions = fields.List(fields.Nested(CompletionRequestSchema), required=True)
    extensions = fields.List(fields.Nested(ExtensionRequestSchema), required=True)
    directions = fields.List(fields.Nested(DirectionSchema), required=True)
    origin = fields.Nested(TaskOriginSchema, required=True, allow_none=True, metadata={
        "description": "Where a task carried over from a merged tenant came from; null "
                       "for the tenant's own tasks."})


class ReportPageQuerySchema(PlanQuerySchema):
    before = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "Only reports numbered below this one (the next page back)."})
    limit = fields.Integer(load_default=REPORTS_SHOWN, validate=validate.Range(min=1, max=200))


class ReportPageSchema(Strict):
    items = fields.List(fields.Nested(ReportSchema), required=True,
                        metadata={"description": "Oldest first."})
    total = fields.Integer(required=True, metadata={"description": "The task's reports."})


class ChangeSchema(Strict):
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)


class AuditEntrySchema(Strict):
    position = fields.Integer(required=True)
    version = fields.Integer(required=True)
    event = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "What happened, as a "
                                                   "message code: audit.deadline_changed"})
    params = fields.Dict(keys=fields.String(), required=True,
                         metadata={"description": "The values the code's text shows."})
    summary = fields.String(required=True, metadata={
        "description": "The code rendered in the request's language (Accept-Language)."})
    recorded_at = iso_text("date-time", allow_none=False)
    effective_on = iso_text("date")
    actor = fields.String(required=True)
    on_behalf_of = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True)
    document = fields.String(required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeSchema),
                          required=True)
    aggregate_id = fields.String()
    subject = fields.String(metadata={"description": "e.g. task 5"})


class HistorySchema(Strict):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)


# -- commands ------------------------------------------------------------------------------

class Decided(PlanScopedSchema):
    reason = required_text(limits.REASON)
    decision_ref = text(limits.DECISION_REF, load_default="", metadata={
        "description": "The deciding document, e.g. 123/QĐ-UBND."})


class ReassignSchema(Decided):
    leads = fields.List(required_text(300), required=True,
                        validate=validate.Length(min=1, max=50))
    coordinators = fields.List(required_text(300), load_default=list,
                               validate=validate.Length(max=200))


class RewordSchema(Decided):
    title = required_text(limits.TITLE, metadata={"description": "The task's new wording."})
    expected_output = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=limits.EXPECTED_OUTPUT),
                                    metadata={
        "description": "Its expected output (Kết quả); left out or null: as it stands."})


class DeadlineChangeSchema(Decided):
    deadline = required_text(limits.DEADLINE, metadata={
        "description": "As written, e.g. 6/2025."})


class TriggerSchema(PlanScopedSchema):
    triggered_on = FlexibleDate(required=True)
    note = text(limits.NOTE, load_default="")


class ProgressReportSchema(PlanScopedSchema):
    period = required_text(limits.PERIOD, metadata={
        "description": "YYYY, YYYY-H1, YYYY-Q2, YYYY-9M or YYYY-MM."})
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    narrative = required_text(limits.REPORT_TEXT)
    difficulties = text(limits.REPORT_TEXT, load_default="")
    proposals = text(limits.REPORT_TEXT, load_default="")
    evidence = fields.List(required_text(limits.EVIDENCE), load_default=list,
                           validate=validate.Length(max=limits.EVIDENCE_LINES))
    files = FILES
    agency = text(limits.AGENCY, metadata={
        "description": "Reporting agency (leads or coordinates)."})


class VerifySchema(PlanScopedSchema):
    note = text(limits.NOTE, load_default="")


class ReturnSchema(PlanScopedSchema):
    reason = required_text(limits.REASON)


class CompleteSchema(PlanScopedSchema):
    output_document = required_text(limits.OUTPUT_DOCUMENT, metadata={
        "description": "e.g. 12/KH-UBND"})
    completed_on = FlexibleDate(required=True)
    files = FILES
    note = text(limits.NOTE, load_default="")
    agency = text(limits.AGENCY)


class AcceptCompletionSchema(PlanScopedSchema):
    note = text(load_default="")


class ReopenSchema(Decided):
    pass


class CompletionDateSchema(Decided):
    completed_on = FlexibleDate(required=True)


class ExtensionRequestBodySchema(PlanScopedSchema):
    deadline = required_text(limits.DEADLINE, metadata={
        "description": "The deadline asked for, e.g. 9/2025."})
    reason = required_text(limits.REASON)
    files = FILES
    agency = text(limits.AGENCY)


class ApproveExtensionSchema(PlanScopedSchema):
    decision_ref = required_text(200, metadata={"description": "The deciding document."})
    note = text(load_default="")


class DirectionBodySchema(PlanScopedSchema):
    text = required_text(limits.DIRECTION)
    due_on = FlexibleDate(load_default=None)


class AnswerBodySchema(PlanScopedSchema):
    agency = text(300)  # before `text` names the field below
    files = FILES
    text = required_text(limits.ANSWER)


class ResponsibilityQuerySchema(PlanQuerySchema):
    on = FlexibleDate(metadata={"description": "The date asked about (default today)."})
    known_at = Instant(metadata={
        "description": "As known then: only what had been recorded by then."})


class ExpandCollectiveSchema(Decided):
    collective = required_text(300)
    members = fields.List(required_text(300), required=True,
                          validate=validate.Length(min=1, max=200), metadata={
        "description": "The member agencies that take the collective's place on the task."})


class _AgencyRefSchema(Strict):
    key = fields.String(required=True)
    name = fields.String(required=True)


class DutySchema(Strict):
    role = fields.String(required=True, metadata={"description": "lead or coordinator"})
    agency = fields.Nested(_AgencyRefSchema, required=True, metadata={
        "description": "The agency as the task records it."})
    carried_by = fields.List(fields.Nested(_AgencyRefSchema), required=True, metadata={
        "description": "Who carries its part on the date (none once dissolved)."})
    change = fields.String(required=True, metadata={
        "description": "'' (itself), succession, merger, dissolution or alias."})
    since = fields.Date(required=True, allow_none=True)


class ResponsibilitySchema(Strict):
    plan = fields.String(required=True)
    number = fields.String(required=True)
    on = fields.Date(required=True)
    responsible = fields.List(fields.String(), required=True, metadata={
        "description": "The agencies carrying the lead on the date."})
    duties = fields.List(fields.Nested(DutySchema), required=True)
