"""Schemas of the work queues ("Việc cần xử lý")."""

from __future__ import annotations

from marshmallow import fields

from api.schemas.common import Instant, Strict, iso_text
from api.schemas.reports import ChangeEntrySchema
from api.schemas.tasks import TaskStatusSchema


class QueueQuerySchema(Strict):
    since = Instant(metadata={
        "description": "Auditors and inspectors: what was recorded after this time (default: "
                       "since the principal's last visit to the queue page)."})


class ReviewItemSchema(Strict):
    kind = fields.String(required=True, metadata={
        "description": "report, completion, extension or answer"})
    kind_label = fields.Function(lambda item: item.kind.label_vi, required=True,
                                 metadata={"type": "string"})
    plan = fields.String(required=True)
    task = fields.String(required=True, metadata={"description": "The task's number."})
    title = fields.String(required=True)
    number = fields.Integer(required=True, metadata={
        "description": "The report's, request's or direction's number on the task."})
    agency = fields.String(required=True, allow_none=True)
    submitted_at = fields.DateTime(required=True)
    waited_days = fields.Integer(required=True)
    detail = fields.String(required=True)
    period = fields.String(required=True, allow_none=True,
                           metadata={"description": "A report's period."})
    percent = fields.Integer(required=True, allow_none=True,
                             metadata={"description": "A report's percent complete."})


class ReviewQueueSchema(Strict):
    on = iso_text("date", allow_none=False)
    items = fields.List(fields.Nested(ReviewItemSchema), required=True,
                        metadata={"description": "Oldest first."})


class TaskDueSchema(TaskStatusSchema):
    due_on = iso_text("date")
    days_remaining = fields.Integer(required=True, allow_none=True)
    days_overdue = fields.Integer(required=True, allow_none=True)
    role = fields.String(required=True, metadata={"description": "lead or coordinator"})
    owes_report = fields.Boolean(required=True, metadata={
        "description": "Owes the current period's report and has sent none."})


class ReturnedItemSchema(Strict):
    kind = fields.String(required=True, metadata={
        "description": "report, completion or extension"})
    kind_label = fields.Function(lambda item: item.kind.label_vi, required=True,
                                 metadata={"type": "string"})
    plan = fields.String(required=True)
    task = fields.String(required=True)
    title = fields.String(required=True)
    number = fields.Integer(required=True)
    period = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True)
    decided_at = fields.DateTime(required=True, allow_none=True)


class AgencyEndSchema(Strict):
    kind = fields.String(required=True, metadata={
        "description": "succession, merger or dissolution"})
    on = iso_text("date", allow_none=False)
    successors = fields.List(fields.String(), required=True, metadata={
        "description": "The keys of the agencies carrying its tasks (none once dissolved)."})


class AgencyQueueSchema(Strict):
    agency = fields.String(required=True, metadata={"description": "The agency's key."})
    name = fields.String(required=True)
    on = iso_text("date", allow_none=False)
    period = fields.String(required=True, metadata={"description": "The current quarter."})
    leading = fields.List(fields.Nested(TaskDueSchema), required=True)
    coordinating = fields.List(fields.Nested(TaskDueSchema), required=True)
    returned = fields.List(fields.Nested(ReturnedItemSchema), required=True)
    due_within_30 = fields.List(fields.Nested(TaskDueSchema), required=True)
    due_within_7 = fields.List(fields.Nested(TaskDueSchema), required=True)
    overdue = fields.List(fields.Nested(TaskDueSchema), required=True)
    missing_report = fields.List(fields.Nested(TaskDueSchema), required=True)
    ended = fields.Nested(AgencyEndSchema, required=True, allow_none=True, metadata={
        "description": "How the agency stopped acting by the day, if it has: its tasks are "
                       "still listed, but its returned, due, overdue and owed lists are "
                       "empty and count nothing (the ledger refuses its reports)."})
    count = fields.Integer(required=True)


class NewsSchema(Strict):
    since = fields.DateTime(required=True)
    changes_only = fields.Boolean(required=True, metadata={
        "description": "Only the change log's entries (an inspector's view)."})
    total = fields.Integer(required=True)
    entries = fields.List(fields.Nested(ChangeEntrySchema), required=True, metadata={
        "description": "The latest entries (at most 50), newest first."})


class WorkQueueSchema(Strict):
    tenant = fields.String(required=True)
    on = iso_text("date", allow_none=False)
    count = fields.Integer(required=True, metadata={"description": "What the header shows."})
    review = fields.Nested(ReviewQueueSchema, required=True, allow_none=True, metadata={
        "description": "The standing body's: what waits for its decision."})
    agencies = fields.List(fields.Nested(AgencyQueueSchema), required=True, metadata={
        "description": "An agency reporter's: one per agency it reports for."})
    news = fields.Nested(NewsSchema, required=True, allow_none=True, metadata={
        "description": "Auditors' and inspectors': what is new since the last visit."})
