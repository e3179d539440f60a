"""The national view: provinces side by side."""

from __future__ import annotations

from marshmallow import fields

from api.schemas.common import FlexibleDate, Strict


class NationalQuerySchema(Strict):
    on = FlexibleDate(metadata={"description": "Judge status on this date (default today)."})
    changes_from = FlexibleDate(data_key="from", metadata={
        "description": "Count deadline changes in effect from this date (default: the first "
                       "day of the quarter of `on`)."})
    changes_to = FlexibleDate(data_key="to", metadata={
        "description": "... up to this date (default `on`)."})


class StatusShareSchema(Strict):
    status = fields.String(required=True, metadata={
        "enum": ["done_on_time", "done_late", "open_within_deadline", "open_overdue",
                 "not_started", "cancelled", "suspended"]})
    count = fields.Integer(required=True)
    percent = fields.Float(required=True, metadata={"description": "Share of the tasks, %."})


class ReplicaStateSchema(Strict):
    source_url = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "Copied up to here."})
    verified_position = fields.Integer(required=True, metadata={
        "description": "Verified up to here against the source's signed checkpoint."})
    lag_positions = fields.Integer(required=True)
    lag_seconds = fields.Float(required=True)
    synced_at = fields.String(required=True, allow_none=True)
    refused = fields.Boolean(required=True, metadata={
        "description": "Replication stopped: the source's history was rewritten."})


class ProvinceSchema(Strict):
    tenant = fields.String(required=True, allow_none=True)
    name = fields.String(required=True, allow_none=True)
    admin_code = fields.String(required=True, allow_none=True)
    total = fields.Integer(required=True, metadata={"description": "Tasks."})
    statuses = fields.List(fields.Nested(StatusShareSchema), required=True)
    overdue = fields.Integer(required=True, metadata={"description": "Open past deadline."})
    deadline_changes = fields.Integer(required=True, metadata={
        "description": "Deadline changes in effect within the period asked."})
    reports_missing = fields.Integer(required=True, metadata={
        "description": "Open tasks with no report for the current quarter."})
    period = fields.String(required=True)
    integrity_failed = fields.Boolean(required=True, metadata={
        "description": "The tenant's latest live verification (or replication) failed."})
    replica = fields.Nested(ReplicaStateSchema, required=True, allow_none=True, metadata={
        "description": "For a tenant replicated from a province's own deployment."})
    simulated = fields.Boolean(required=True, metadata={
        "description": "A tenant whose history is simulated for demonstration: not real "
                       "data (for the totals: whether any province counted is)."})


class NationalSchema(Strict):
    on = fields.Date(required=True)
    changes_from = fields.Date(required=True)
    changes_to = fields.Date(required=True)
    provinces = fields.List(fields.Nested(ProvinceSchema), required=True)
    totals = fields.Nested(ProvinceSchema, required=True)
