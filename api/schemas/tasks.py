"""Tasks: their status, history and the commands that record what happens to them."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import (
    FlexibleDate,
    Instant,
    PlanScopedSchema,
    Strict,
    iso_text,
    required_text,
    text,
)


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


class StatusSchema(Strict):
    on = fields.Date(required=True)
    known_at = fields.DateTime(required=True, allow_none=True)
    effective_on = fields.Date(required=True, allow_none=True)
    tasks = fields.List(fields.Nested(TaskStatusSchema), required=True)


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


class TaskDetailSchema(TaskStatusSchema):
    leads_text = fields.String(required=True)
    coordinators_text = fields.String(required=True)
    reports = fields.List(fields.Nested(ReportSchema), required=True)


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
    reason = required_text()
    decision_ref = text(200, load_default="", metadata={
        "description": "The deciding document, e.g. 123/QĐ-UBND."})


class ReassignSchema(Decided):
    leads = fields.List(required_text(300), required=True,
                        validate=validate.Length(min=1, max=50))
    coordinators = fields.List(required_text(300), load_default=list,
                               validate=validate.Length(max=200))


class DeadlineChangeSchema(Decided):
    deadline = required_text(200, metadata={"description": "As written, e.g. 6/2025."})


class TriggerSchema(PlanScopedSchema):
    triggered_on = FlexibleDate(required=True)
    note = text(load_default="")


class ProgressReportSchema(PlanScopedSchema):
    period = required_text(20, metadata={
        "description": "YYYY, YYYY-H1, YYYY-Q2, YYYY-9M or YYYY-MM."})
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    narrative = required_text(10_000)
    difficulties = text(10_000, load_default="")
    proposals = text(10_000, load_default="")
    evidence = fields.List(required_text(300), load_default=list,
                           validate=validate.Length(max=50))
    agency = text(300, metadata={"description": "Reporting agency (leads or coordinates)."})


class VerifySchema(PlanScopedSchema):
    note = text(load_default="")


class ReturnSchema(PlanScopedSchema):
    reason = required_text()


class CompleteSchema(PlanScopedSchema):
    output_document = required_text(300, metadata={"description": "e.g. 12/KH-UBND"})
    completed_on = FlexibleDate(required=True)
    agency = text(300)
