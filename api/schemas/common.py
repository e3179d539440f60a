"""Shared fields and shapes: dates as people type them, command results, problem details."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from api.i18n import code_messages, coded, localise
from api.services import services
from domain.messages import Message
from domain.text import ascii_digits

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class Strict(Schema):
    """Unknown fields are refused, never silently dropped. Every message names its code,
    so a refusal is rendered in the reader's language (api/i18n.py)."""

    class Meta:
        unknown = RAISE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_messages(self)


class FlexibleDate(fields.Date):
    """ISO yyyy-mm-dd, or dd/mm/yyyy as people type it (in any script's digits); always
    written as ISO. Dates outside FIRST_DAY..LAST_DAY are refused: no plan reaches them and
    date arithmetic near year 1 or 9999 overflows."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if isinstance(value, str):
            value = ascii_digits(value)
        if isinstance(value, str) and "/" in value:
            try:
                parsed = datetime.strptime(value.strip(), "%d/%m/%Y").date()
            except ValueError:
                raise self.make_error("invalid") from None
        else:
            parsed = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= parsed <= LAST_DAY:
            raise ValidationError(coded("validation.date_range"))
        return parsed


class Instant(fields.DateTime):
    """A recorded time: ISO 8601 (UTC when no offset is given), or a date meaning its end in
    Vietnam (its start, for the lower bound of a range), as the web and the CLI read it."""

    def __init__(self, *, day_starts: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.day_starts = day_starts

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, str):
            value = ascii_digits(value)
        if isinstance(value, str) and (len(value.strip()) == 10 or "/" in value):
            day = FlexibleDate()._deserialize(value, attr, data)
            clock = services().tenancy.clock
            return clock.start_of_day(day) if self.day_starts else clock.end_of_day(day)
        when: datetime = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= when.date() <= LAST_DAY:
            raise ValidationError(coded("validation.date_range"))
        return when if when.tzinfo else when.replace(tzinfo=UTC)


class Upload(fields.Field[FileStorage]):
    """A file part of a multipart/form-data body."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError(coded("field.upload_file_part"))
        return value


def text(max_length: int = 2000, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def required_text(max_length: int = 2000, **kwargs: Any) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length),
                         **kwargs)


def iso_text(kind: str, *, allow_none: bool = True) -> fields.String:
    """A date or time the projections already wrote as ISO text ("date" or "date-time")."""
    return fields.String(required=True, allow_none=allow_none, metadata={"format": kind})


class CommandContextSchema(Strict):
    """Fields every command accepts."""

    effective_on = FlexibleDate(metadata={
        "description": "When the change took effect (yyyy-mm-dd or dd/mm/yyyy); default today."
    })


class PlanScopedSchema(CommandContextSchema):
    plan = text(100, metadata={"description": "Plan number, when the tenant has several."})


class CommandResultSchema(Strict):
    id = fields.UUID(required=True, metadata={"description": "The aggregate changed."})
    version = fields.Integer(required=True, metadata={"description": "Its new version."})
    position = fields.Integer(
        required=True, allow_none=True,
        metadata={"description": "Log position of the event recorded."},
    )
    report = fields.Integer(attribute="detail.report",
                            metadata={"description": "The new report's number."})


class PlanQuerySchema(Strict):
    plan = text(100, metadata={"description": "Plan number, when the tenant has several."})


class FieldErrors(fields.Dict):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(), values=fields.List(fields.String()), **kwargs)


class RenderedMessage(fields.String):
    """A message (code and values) shown as text in the request's language."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return localise(value) if isinstance(value, Message) else super()._serialize(
            value, attr, obj, **kwargs)


class RowProblemSchema(Strict):
    row = fields.Integer(required=True)
    content = fields.String(required=True)
    reason = RenderedMessage(required=True, metadata={
        "description": "Why the row could not be read, in the request's language."})


class ProblemSchema(Strict):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    errors = FieldErrors(metadata={"description": "Messages by input field."})
    current_version = fields.Integer(metadata={"description": "On 412: the item's version."})
    problems = fields.List(fields.Nested(RowProblemSchema),
                           metadata={"description": "On a refused import: unreadable rows."})
    code = fields.String(metadata={"description": "What went wrong, as a catalogue code."})
    params = fields.Dict(metadata={"description": "The values the code's text shows."})
