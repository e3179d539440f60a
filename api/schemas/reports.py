"""Schemas of the plan reports: summary, scorecard, indicator progress, change log, diff."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import FlexibleDate, Instant, Strict, iso_text, text
from api.schemas.tasks import AuditEntrySchema, TaskStatusSchema
from projections.change_log import MAX_PAGE
from projections.entries import CHANGE_TYPE_NAMES


class TimeTravelSchema(Strict):
    known_at = Instant(metadata={
        "description": "Only what had been recorded by then (a date means its end, UTC)."})
    effective_on = FlexibleDate(metadata={"description": "Only changes in effect by then."})


class SummaryQuerySchema(TimeTravelSchema):
    on = FlexibleDate(metadata={"description": "Judge status on this date (default today)."})
    plan = text(100, metadata={"description": "Only this plan's tasks (default every plan)."})


class ClassCountsSchema(Strict):
    done_on_time = fields.Integer(required=True)
    done_late = fields.Integer(required=True)
    open_within_deadline = fields.Integer(required=True)
    open_overdue = fields.Integer(required=True)
    not_started = fields.Integer(required=True)
    cancelled = fields.Integer(required=True)
    suspended = fields.Integer(required=True)
    total = fields.Integer(required=True)


class SummarySchema(Strict):
    on = iso_text("date", allow_none=False)
    period = fields.String(required=True, metadata={"description": "The current quarter."})
    overall = fields.Nested(ClassCountsSchema, required=True)
    by_group = fields.Dict(keys=fields.String(), values=fields.Nested(ClassCountsSchema),
                           required=True, metadata={
                               "description": "By group code; when the tenant holds several "
                               "plans, by \"plan number · group code\"."})
    group_labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                               metadata={"description": "Each group's label, by its key."})
    by_lead = fields.Dict(keys=fields.String(), values=fields.Nested(ClassCountsSchema),
                          required=True)
    due_soon = fields.List(fields.Nested(TaskStatusSchema), required=True)
    missing_report = fields.List(fields.Nested(TaskStatusSchema), required=True)


class ScorecardQuerySchema(TimeTravelSchema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(2000, 2100))
    plan = text(100, metadata={"description": "Only this plan's tasks (default every plan)."})


class AgencyScoreSchema(Strict):
    rank = fields.Integer(required=True)
    agency = fields.String(required=True)
    led = fields.Integer(required=True)
    done_on_time = fields.Integer(required=True)
    done_late = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    reports = fields.Integer(required=True)
    reports_on_time = fields.Integer(required=True)
    on_time_rate = fields.Function(lambda score: round(score.on_time_rate, 4),
                                   required=True, metadata={"type": "number"})
    ended = fields.String(required=True, metadata={
        "description": "How its duties passed on by the date judged: succession, merger or "
                       "dissolution; empty while it is active."})
    ended_on = fields.Date(required=True, allow_none=True)
    successors = fields.List(fields.String(), required=True, metadata={
        "description": "The agencies its duties passed to."})


class ScorecardSchema(Strict):
    year = fields.Integer(required=True)
    rule = fields.String(required=True)
    agencies = fields.List(fields.Nested(AgencyScoreSchema), required=True)
    collectives = fields.List(fields.Nested(AgencyScoreSchema), required=True, metadata={
        "description": "Collectives (groups of agencies) scored alike, apart and unranked."})
    ended = fields.List(fields.Nested(AgencyScoreSchema), required=True, metadata={
        "description": "Agencies succeeded, merged or dissolved by the date judged: their "
                       "record until then (their open tasks count for their successors), "
                       "apart and unranked."})


class IndicatorProgressSchema(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    target = fields.String(required=True)
    comparator = fields.String(required=True)
    horizon_year = fields.Integer(required=True, allow_none=True)
    is_heading = fields.Boolean(required=True)
    responsible = fields.List(fields.String(), required=True)
    latest_value = fields.String(required=True, allow_none=True)
    latest_period = fields.String(required=True, allow_none=True)
    latest_source = fields.String(required=True, allow_none=True)
    met = fields.Boolean(required=True, allow_none=True, metadata={
        "description": "null: no value yet, a target that allows no judgement, or removed."})
    removed_by = fields.String(required=True, metadata={
        "description": "The amending document that removed the indicator; empty while it "
                       "counts."})


class IndicatorProgressListSchema(Strict):
    items = fields.List(fields.Nested(IndicatorProgressSchema), required=True)


class ChangeQuerySchema(Strict):
    type = fields.List(fields.String(validate=validate.OneOf(CHANGE_TYPE_NAMES)),
                       metadata={"description": "Change types (repeatable)."})
    task = text(20)
    indicator = text(20)
    agency = text(300, metadata={"description": "An agency's name (diacritics as written)."})
    actor = text(100)
    recorded_from = Instant(day_starts=True)
    recorded_to = Instant()
    effective_from = FlexibleDate()
    effective_to = FlexibleDate()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))
    cursor = text(200, metadata={"description": "next_cursor of the previous page."})


class ChangeEntrySchema(AuditEntrySchema):
    change_type = fields.String(required=True, allow_none=True)
    agencies = fields.List(fields.String(), required=True)


class ChangePageSchema(Strict):
    entries = fields.List(fields.Nested(ChangeEntrySchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class DiffQuerySchema(Strict):
    before = Instant(required=True, metadata={"description": "The earlier recorded time."})
    after = Instant(required=True, metadata={"description": "The later recorded time."})


class DiffItemSchema(Strict):
    kind = fields.String(required=True)
    subject = fields.String(required=True)
    before = fields.String(required=True)
    after = fields.String(required=True)
    text = fields.String(required=True)
    plan = fields.String(required=True, metadata={
        "description": "The number of the plan the task or indicator belongs to."})


class DiffSchema(Strict):
    before = fields.String(required=True, attribute="before_label")
    after = fields.String(required=True, attribute="after_label")
    items = fields.List(fields.Nested(DiffItemSchema), required=True)
