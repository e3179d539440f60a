"""Schemas of a tenant's reminder schedule and of a principal's reminders."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from api.schemas.common import Strict
from domain.reminders import (
    MAX_DAYS_BEFORE,
    MAX_MISSING_REPORT_DAYS,
    MAX_OVERDUE_EVERY,
    MAX_THRESHOLDS,
)


def _days_before(required: bool) -> fields.Field[Any]:
    return fields.List(
        fields.Integer(validate=validate.Range(1, MAX_DAYS_BEFORE)), required=required,
        validate=validate.Length(max=MAX_THRESHOLDS),
        metadata={"description": "Days before a deadline when its lead agency is reminded, "
                                 "largest first (default 30, 7, 1)."})


def _overdue_every_days(required: bool) -> fields.Field[Any]:
    return fields.Integer(
        required=required, validate=validate.Range(0, MAX_OVERDUE_EVERY),
        metadata={"description": "An overdue task is reminded on its first overdue day, then "
                                 "every this many days (0: only once; default 7)."})


def _on_return(required: bool) -> fields.Field[Any]:
    return fields.Boolean(required=required, metadata={
        "description": "Remind an agency when its report or completion request is returned."})


def _missing_report_days(required: bool) -> fields.Field[Any]:
    return fields.Integer(
        required=required, validate=validate.Range(0, MAX_MISSING_REPORT_DAYS),
        metadata={"description": "A report missing for the current quarter is reminded from "
                                 "this many days before its end (0: never; default 14)."})


class ScheduleSchema(Strict):
    days_before = _days_before(True)
    overdue_every_days = _overdue_every_days(True)
    on_return = _on_return(True)
    missing_report_days = _missing_report_days(True)


class ScheduleChangeSchema(Strict):
    """The values to change; the others stay as they are."""

    days_before = _days_before(False)
    overdue_every_days = _overdue_every_days(False)
    on_return = _on_return(False)
    missing_report_days = _missing_report_days(False)


class ReminderSchema(Strict):
    tenant = fields.String(required=True)
    task = fields.String(required=True, metadata={"description": "The task's id."})
    kind = fields.String(required=True, metadata={
        "description": "due_soon, overdue, report_returned, completion_returned or "
                       "report_missing"})
    text = fields.String(required=True)
    link = fields.String(required=True, metadata={"description": "The task's page."})
    created_at = fields.DateTime(required=True)
    read = fields.Boolean(required=True)


class ReminderListSchema(Strict):
    unread = fields.Integer(required=True)
    items = fields.List(fields.Nested(ReminderSchema), required=True)
