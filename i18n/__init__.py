"""The English and Vietnamese catalogues, and the one function that renders a message in them.

Each catalogue is a gettext `.po` file under `i18n/locales/<language>/LC_MESSAGES/`, keyed by
message code (`msgid "task.not_editable"`), read with Babel when first needed: nothing to
compile after `pip install`. A text names its parameters in braces, with an optional kind
that says how the value is shown in that language:

    {number}            as it is (a list is joined with "; ": agency names hold commas)
    {due:date}          an ISO date, shown as dd/mm/yyyy (the project's way in both languages)
    {value:number}      a number in the language's notation (62,5 in Vietnamese)
    {period:period}     a reporting period code (2025-Q2 -> "Quý II/2025")
    {state:@task_state} the catalogue's own text for the code "task_state.<value>"

A parameter that is itself a message is rendered in the same language.

Babel reads the catalogues and brings CLDR's vi locale for dates and numbers. Flask-Babel is
not used: the web speaks Vietnamese only and the API picks its language from Accept-Language
itself (api/language.py), so a per-request locale selector would add nothing but a layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from domain.messages import Message

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def render(message: Message, language: str = DEFAULT_LANGUAGE) -> str:
    """The message's text in `language` ("vi" or "en"); the code itself when it has none."""
    template = text_of(message.code, language)
    if template is None:
        return message.code
    return _MessageFormatter(language).vformat(template, (), dict(message.params))


def render_code(code: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """`render(Message(code, params), language)`."""
    return render(Message(code, params), language)


def text_of(code: str, language: str) -> str | None:
    """The catalogue's template for `code`, or None when the language has no text for it."""
    entry = catalogue(language).get(code)
    if entry is None or not isinstance(entry.string, str) or not entry.string:
        return None
    return entry.string


def codes(language: str) -> frozenset[str]:
    """Every code the language's catalogue has a text for."""
    return frozenset(str(m.id) for m in catalogue(language) if m.id and m.string)


@cache
def catalogue(language: str) -> Catalog:
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for language {language!r}")
    po = resources.files("i18n").joinpath("locales", language, "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        return read_po(handle, locale=language)


def period_name(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A reporting period as people write it: '2025-Q2' -> 'Quý II/2025' in Vietnamese."""
    year, _, part = code.partition("-")
    if language != "vi" or not code:
        return code
    if not part:
        return render_code("period_name.year", language, year=year)
    if part.startswith("Q"):
        return render_code("period_name.quarter", language, year=year,
                           quarter=_ROMAN.get(part[1:], part[1:]))
    if part in ("H1", "H2", "9M"):
        return render_code(f"period_name.{part.lower()}", language, year=year)
    return render_code("period_name.month", language, year=year, month=part)


def format_number(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """62.5 -> '62,5' in Vietnamese; text that is not a number is shown as it is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    try:
        number = value if isinstance(value, int | float) else parse_decimal(str(value), "en")
    except NumberFormatError:
        return str(value)
    return format_decimal(number, locale=language, decimal_quantization=False,
                          group_separator=False)


def format_day(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """An ISO date (or a date) as dd/mm/yyyy, Babel's vi pattern, in either language."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(day, date):
        return "" if day is None else str(day)
    return str(format_date(day, "dd/MM/yyyy", locale="vi"))


class _MessageFormatter(Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key), "")

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":
            return format_day(value, self.language)
        if format_spec == "number":
            return format_number(value, self.language)
        if format_spec == "period":
            return period_name(str(value or ""), self.language)
        if format_spec.startswith("@"):
            code = f"{format_spec[1:]}.{value}"
            return render_code(code, self.language) if text_of(code, self.language) else str(value)
        return self._plain(value)

    def _plain(self, value: Any) -> str:
        if isinstance(value, Message):
            return render(value, self.language)
        if isinstance(value, Mapping) and set(value) == {"code", "params"}:
            return render(Message.from_json(value), self.language)
        if isinstance(value, list | tuple):  # an empty list reads "-", as in a table cell
            return "; ".join(self._plain(v) for v in value) or "-"
        return "" if value is None else str(value)
