"""What the task forms accept, as marshmallow schemas: each refusal is the Vietnamese
message shown beside its field. A form's fields arrive as text (a multiple choice as a
list); web/views/forms_flow.py reads them from the sent form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from domain import limits
from domain.errors import DomainError
from web.formatting import parse_day
from web.messages import error_vi, too_long_vi

CONFIRM = "Hãy đánh dấu xác nhận trước khi ghi nhận."

# The longest text each field of the task forms takes, as the API's schemas take it; the
# pages give it to the fields as their maxlength.
LIMITS = {
    "reason": limits.REASON, "note": limits.NOTE, "decision_ref": limits.DECISION_REF,
    "title": limits.TITLE, "expected_output": limits.EXPECTED_OUTPUT,
    "deadline": limits.DEADLINE, "period": limits.PERIOD,
    "narrative": limits.REPORT_TEXT, "difficulties": limits.REPORT_TEXT,
    "proposals": limits.REPORT_TEXT, "output_document": limits.OUTPUT_DOCUMENT,
    "direction": limits.DIRECTION, "answer": limits.ANSWER,  # their field is named "text"
}


def filled(message: str) -> Callable[[str], None]:
    """Refuses text that is empty or blank."""
    def check(text: str) -> None:
        if not text.strip():
            raise ValidationError(message)
    return check


def within(limit: int) -> Callable[[str], None]:
    """Refuses text longer than `limit` characters."""
    def check(text: str) -> None:
        if len(text) > limit:
            raise ValidationError(too_long_vi(limit, len(text)))
    return check


def text(name: str, *checks: Callable[[str], None]) -> fields.String:
    """A text field of the form `name` (its limit in LIMITS), refused by `checks` first."""
    return fields.String(validate=[*checks, within(LIMITS[name])])


def picked(message: str) -> Callable[[list[str]], None]:
    """Refuses a multiple choice with nothing chosen."""
    def check(values: list[str]) -> None:
        if not [value for value in values if value.strip()]:
            raise ValidationError(message)
    return check


def one_of(choices: tuple[str, ...], message: str) -> Callable[[str], None]:
    def check(text: str) -> None:
        if text not in choices:
            raise ValidationError(message)
    return check


class Day(fields.Field[date | None]):
    """dd/mm/yyyy as people type it (web/formatting.py); left empty: None, unless needed."""

    def __init__(self, *, needed: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.needed = needed

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any
                     ) -> date | None:
        try:
            return parse_day(str(value), attr or "", required=self.needed)
        except DomainError as error:
            raise ValidationError(error_vi(error)) from None


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the form's tokens, version and plan are read elsewhere


class Decided(FormSchema):
    """A decision of the standing body: its reason, deciding document and effective day."""

    reason = text("reason", filled("Hãy nêu lý do của quyết định."))
    decision_ref = text("decision_ref")
    effective_on = Day()


class Confirmed(Decided):
    """A decision that cannot be undone is confirmed first."""

    confirm = fields.String(validate=filled(CONFIRM))


class ReviewForm(FormSchema):
    decision = fields.String(validate=one_of(("verify", "return"),
                                             "Hãy chọn xác nhận hoặc trả lại báo cáo."))
    note = text("note")


class DeadlineForm(FormSchema):
    deadline = text("deadline", filled("Hãy nhập thời hạn mới."))
    reason = text("reason", filled("Điều chỉnh thời hạn cần ghi rõ lý do."))
    decision_ref = text("decision_ref")
    effective_on = Day()


class RewordForm(FormSchema):
    title = text("title", filled("Hãy nhập nội dung nhiệm vụ."))
    expected_output = text("expected_output")
    reason = text("reason", filled("Sửa nội dung nhiệm vụ cần ghi rõ lý do."))
    decision_ref = text("decision_ref")
    effective_on = Day()


class ReassignForm(FormSchema):
    leads = fields.List(fields.String(),
                        validate=picked("Hãy chọn ít nhất một cơ quan chủ trì."))
    coordinators = fields.List(fields.String())
    reason = text("reason", filled("Giao lại nhiệm vụ cần ghi rõ lý do."))
    decision_ref = text("decision_ref")
    effective_on = Day()
    confirm = fields.String(validate=filled(CONFIRM))


class TriggerForm(FormSchema):
    triggered_on = Day(needed=True)
    note = text("note")
