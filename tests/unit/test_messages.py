"""Messages are codes with parameters; the catalogues render them in English and Vietnamese."""

from __future__ import annotations

import string

import pytest

import i18n
from domain.messages import Message, message


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_a_vietnamese_text() -> None:
    missing = sorted(i18n.codes("en") - i18n.codes("vi"))
    assert not missing, f"codes without Vietnamese text: {missing}"


def test_every_vietnamese_text_has_an_english_one() -> None:
    assert not sorted(i18n.codes("vi") - i18n.codes("en"))


def test_both_languages_show_the_same_parameters() -> None:
    differing = {
        code: (_fields(i18n.text_of(code, "en") or ""), _fields(i18n.text_of(code, "vi") or ""))
        for code in i18n.codes("en") & i18n.codes("vi")
    }
    assert {code: pair for code, pair in differing.items() if pair[0] != pair[1]} == {}


def test_a_message_renders_its_parameters_in_each_language() -> None:
    due = message("period_name.quarter", year=2025, quarter="II")
    assert i18n.render(due, "vi") == "Quý II/2025"
    assert i18n.render(due, "en") == "QII 2025"


def test_vietnamese_shows_dates_numbers_and_periods_as_people_write_them() -> None:
    assert i18n.format_day("2025-04-01", "vi") == "01/04/2025"
    assert i18n.format_day("2025-04-01", "en") == "01/04/2025"
    assert i18n.format_number("62.5", "vi") == "62,5"
    assert i18n.format_number(1234.5, "en") == "1234.5"
    assert i18n.period_name("2025-Q2", "vi") == "Quý II/2025"
    assert i18n.period_name("2025-H1", "vi") == "6 tháng đầu năm 2025"
    assert i18n.period_name("2025", "vi") == "Năm 2025"


def test_a_code_without_text_renders_as_itself_rather_than_failing() -> None:
    assert i18n.render(message("no.such.code", x=1), "vi") == "no.such.code"


def test_a_message_survives_a_round_trip_through_json_nested_messages_included() -> None:
    inner = message("task_state.open")
    outer = Message("period.year", {"year": 2025, "why": inner})
    assert Message.from_json(outer.to_json()) == outer


def test_a_code_is_never_blank() -> None:
    with pytest.raises(ValueError):
        Message(" ")

