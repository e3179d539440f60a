"""The API's messages in English or Vietnamese, chosen by the request's Accept-Language.

Every text is a catalogue code rendered by `i18n.render`. marshmallow formats its own
validation messages; the schemas swap each field's and validator's message for a `CodedText`
(api/schemas/common.py), which formats to a `CodedMessage` that still holds its code and
values, so the error handler renders it in the reader's language without reading English.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import has_request_context, request
from marshmallow import Schema, fields, validate

from domain.messages import Message
from i18n import render, render_code, text_of

LANGUAGES = ("en", "vi")


def language() -> str:
    """'vi' when the client prefers Vietnamese, otherwise 'en'."""
    if not has_request_context():
        return "en"
    best = request.accept_languages.best_match(LANGUAGES, default="en")
    return best or "en"


def title(status: int) -> str:
    code = f"http_status.{status}"
    if text_of(code, language()) is not None:
        return render_code(code, language())
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def text(code: str, **values: object) -> str:
    """The catalogue's text for `code` in the request's language."""
    return render_code(code, language(), **values)


class CodedMessage(str):
    """A formatted validation message (English, as marshmallow made it) that keeps its
    catalogue code and values."""

    code: str
    params: dict[str, Any]

    def __new__(cls, english: str, code: str, params: Mapping[str, Any]) -> CodedMessage:
        made = super().__new__(cls, english)
        made.code, made.params = code, dict(params)
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return CodedMessage, (str(self), self.code, self.params)


class CodedText(str):
    """A marshmallow message template that formats to a CodedMessage."""

    code: str

    def __new__(cls, english: str, code: str) -> CodedText:
        made = super().__new__(cls, english)
        made.code = code
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # schemas deep-copy their fields' messages
        return CodedText, (str(self), self.code)

    def format(self, *args: object, **values: Any) -> str:
        return CodedMessage(str.format(self, *args, **values), self.code, values)


def coded_text(code: str) -> CodedText:
    """A message template of our own schemas (a validator's `error=`), by code."""
    return CodedText(render_code(code, "en"), code)


def coded(code: str, **params: Any) -> CodedMessage:
    """A validation message of our own schemas, by code."""
    return CodedMessage(render_code(code, "en", **params), code, params)


def localise(message: object) -> str:
    """A validation message in the request's language; text with no code stands as it is."""
    if isinstance(message, CodedMessage):
        return render_code(message.code, language(), **message.params)
    if isinstance(message, CodedText):  # stored unformatted (a schema's "unknown field")
        return render_code(message.code, language())
    if isinstance(message, Message):
        return render(message, language())
    return str(message)


# Which code each marshmallow message is: the first class in a field's MRO that is listed.
_FIELD_CODES: tuple[tuple[type[fields.Field[Any]], dict[str, str]], ...] = (
    (fields.Integer, {"invalid": "field.not_integer"}),
    (fields.Number, {"invalid": "field.not_number", "too_large": "field.too_large"}),
    (fields.Boolean, {"invalid": "field.not_boolean"}),
    (fields.DateTime, {"invalid": "field.not_datetime"}),
    (fields.Date, {"invalid": "field.not_date"}),
    (fields.String, {"invalid": "field.not_string", "invalid_utf8": "field.not_utf8"}),
    (fields.List, {"invalid": "field.not_list"}),
    (fields.Tuple, {"invalid": "field.not_list"}),
    (fields.Mapping, {"invalid": "field.not_mapping"}),
    (fields.Nested, {"type": "field.not_mapping"}),
    (fields.Field, {"required": "field.required", "null": "field.null",
                    "validator_failed": "field.invalid"}),
)


def _field_code(field: fields.Field[Any], key: str) -> str:
    for kind, codes in _FIELD_CODES:
        if isinstance(field, kind) and key in codes:
            return codes[key]
    return "field.invalid"


def _validator_code(validator: object) -> str | None:
    if isinstance(validator, validate.Range):
        return ("validation.range" if validator.min is not None and validator.max is not None
                else "validation.min" if validator.min is not None else "validation.max")
    if isinstance(validator, validate.Length):
        if validator.equal is not None:
            return "validation.length_equal"
        return ("validation.length" if validator.min is not None and validator.max is not None
                else "validation.min_length" if validator.min is not None
                else "validation.max_length")
    if isinstance(validator, validate.OneOf):
        return "validation.one_of"
    if isinstance(validator, validate.Regexp):
        return "validation.pattern"
    return None


def code_messages(schema: Schema) -> None:
    """Give every field of `schema` (nested and inner fields too) coded messages."""
    schema.error_messages = {
        **schema.error_messages,
        "unknown": CodedText(schema.error_messages.get("unknown", "Unknown field."),
                             "field.unknown"),
        "type": CodedText(schema.error_messages.get("type", "Invalid input type."),
                          "field.not_mapping"),
    }
    for field in schema.fields.values():
        _code_field(field)


def _code_field(field: fields.Field[Any]) -> None:
    field.error_messages = {
        key: message if isinstance(message, CodedText) or not isinstance(message, str)
        else CodedText(message, _field_code(field, key))
        for key, message in field.error_messages.items()}
    for validator in field.validators:
        code = _validator_code(validator)
        if code is None or isinstance(getattr(validator, "error", None), CodedText):
            continue
        template = getattr(validator, "error", None) or _default_message(validator)
        if template is not None:
            validator.error = CodedText(template, code)  # type: ignore[attr-defined]
    for inner in _inner_fields(field):
        _code_field(inner)


def _default_message(validator: object) -> str | None:
    if isinstance(validator, validate.Range):
        return (validator.message_all if validator.min is not None and validator.max is not None
                else validator.message_min if validator.min is not None
                else validator.message_max)
    if isinstance(validator, validate.Length):
        if validator.equal is not None:
            return validator.message_equal
        return (validator.message_all if validator.min is not None and validator.max is not None
                else validator.message_min if validator.min is not None
                else validator.message_max)
    message = getattr(validator, "default_message", None)
    return message if isinstance(message, str) else None


def _inner_fields(field: fields.Field[Any]) -> list[fields.Field[Any]]:
    found: list[fields.Field[Any]] = []
    if isinstance(field, fields.List):
        found.append(field.inner)
    if isinstance(field, fields.Tuple):
        found.extend(field.tuple_fields)
    if isinstance(field, fields.Mapping):
        found.extend(f for f in (field.key_field, field.value_field) if f is not None)
    return found
