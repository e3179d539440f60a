from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.deadlines import Deadline, DeadlineKind, parse_deadline
from domain.text import nfc
from i18n import render

K = DeadlineKind

# Every deadline form written in Quảng Nam's Plan 1534/KH-UBND (the seed).
SEED_FORMS = [
    ("02/2025", K.MONTH, date(2025, 2, 1), date(2025, 2, 28)),
    ("3/2025", K.MONTH, date(2025, 3, 1), date(2025, 3, 31)),
    ("4/2025", K.MONTH, date(2025, 4, 1), date(2025, 4, 30)),
    ("5/2025", K.MONTH, date(2025, 5, 1), date(2025, 5, 31)),
    ("6/2025", K.MONTH, date(2025, 6, 1), date(2025, 6, 30)),
    ("7/2025", K.MONTH, date(2025, 7, 1), date(2025, 7, 31)),
    ("8/2025", K.MONTH, date(2025, 8, 1), date(2025, 8, 31)),
    ("9/2025", K.MONTH, date(2025, 9, 1), date(2025, 9, 30)),
    ("2025", K.YEAR, date(2025, 1, 1), date(2025, 12, 31)),
    ("2028", K.YEAR, date(2028, 1, 1), date(2028, 12, 31)),
    ("2025 - 2030", K.RANGE, date(2025, 1, 1), date(2030, 12, 31)),
    ("Hằng năm", K.YEARLY, None, None),
    ("Thường xuyên", K.CONTINUOUS, None, None),
    ("Ngay sau khi Trung ương ban hành", K.CONDITIONAL, None, None),
]


def assert_parsed(
    text: str, kind: DeadlineKind, start: date | None, due: date | None
) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.start, deadline.due) == (kind, start, due)
    assert deadline.text == nfc(text)
    assert deadline.warning is None


@pytest.mark.parametrize(("text", "kind", "start", "due"), SEED_FORMS)
def test_every_deadline_form_of_the_seed_plan_parses(
    text: str, kind: DeadlineKind, start: date | None, due: date | None
) -> None:
    assert_parsed(text, kind, start, due)


@pytest.mark.parametrize(
    "text", ["3/2025", "03/2025", "Tháng 3/2025", "tháng 03 năm 2025", "T3/2025", "THÁNG 3 / 2025"]
)
def test_a_month_is_due_on_the_last_day_of_that_month(text: str) -> None:
    assert_parsed(text, K.MONTH, date(2025, 3, 1), date(2025, 3, 31))


def test_february_of_a_leap_year_is_due_on_the_29th() -> None:
    assert_parsed("2/2024", K.MONTH, date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize("text", ["2025", "Năm 2025", "năm 2025", "Trong năm 2025", "2025."])
def test_a_year_is_due_on_the_31st_of_december(text: str) -> None:
    assert_parsed(text, K.YEAR, date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("Quý I/2025", date(2025, 1, 1), date(2025, 3, 31)),
        ("Quý 2/2025", date(2025, 4, 1), date(2025, 6, 30)),
        ("Q3/2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("quý IV năm 2025", date(2025, 10, 1), date(2025, 12, 31)),
        ("Quy iii/2025", date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_a_quarter_is_due_on_its_last_day(text: str, start: date, due: date) -> None:
    assert_parsed(text, K.QUARTER, start, due)


@pytest.mark.parametrize(
    "text",
    [
        "15/3/2025",
        "15/03/2025",
        "ngày 15/3/2025",
        "Ngày 15 tháng 3 năm 2025",
        "2025-03-15",
        "15.3.2025",
        "Trước ngày 15/3/2025",
    ],
)
def test_an_exact_date_is_due_that_day(text: str) -> None:
    assert_parsed(text, K.DATE, None, date(2025, 3, 15))


@pytest.mark.parametrize(
    "text",
    [
        "2025 - 2030",
        "2025-2030",
        "2025–2030",
        "2025 — 2030",
        "Giai đoạn 2025 - 2030",
        "giai đoạn 2025-2030",
        "2025 đến 2030",
        "từ 2025 đến 2030",
        "Từ năm 2025 đến năm 2030",
    ],
)
def test_a_range_of_years_runs_from_its_first_january_to_its_last_december(text: str) -> None:
    assert_parsed(text, K.RANGE, date(2025, 1, 1), date(2030, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("3/2025 - 6/2025", date(2025, 3, 1), date(2025, 6, 30)),
        ("Từ tháng 3/2025 đến tháng 6/2025", date(2025, 3, 1), date(2025, 6, 30)),
        ("Quý I/2025 - Quý III/2025", date(2025, 1, 1), date(2025, 9, 30)),
        ("01/03/2025 - 15/04/2025", date(2025, 3, 1), date(2025, 4, 15)),
        ("2025-03-01 - 2025-04-15", date(2025, 3, 1), date(2025, 4, 15)),
    ],
)
def test_a_range_runs_from_the_start_of_its_first_part_to_the_end_of_its_last(
    text: str, start: date, due: date
) -> None:
    assert_parsed(text, K.RANGE, start, due)


@pytest.mark.parametrize(
    "text", ["Hằng năm", "Hàng năm", "hằng năm", "Định kỳ hằng năm", "Hàng năm (trước 31/12)"]
)
def test_a_yearly_task_has_no_single_due_date(text: str) -> None:
    assert_parsed(text, K.YEARLY, None, None)


@pytest.mark.parametrize(
    "text", ["Thường xuyên", "thường xuyên, liên tục", "Liên tục", "THUONG XUYEN"]
)
def test_a_continuous_task_is_never_due(text: str) -> None:
    assert_parsed(text, K.CONTINUOUS, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Ngay sau khi Trung ương ban hành",
        "Sau khi được phê duyệt",
        "Khi có hướng dẫn của Bộ",
        "ngay sau khi có văn bản",
    ],
)
def test_a_conditional_task_waits_for_its_trigger(text: str) -> None:
    assert_parsed(text, K.CONDITIONAL, None, None)


def test_extra_spaces_and_trailing_punctuation_are_tolerated() -> None:
    deadline = parse_deadline("  Tháng   3/2025 ;  ")
    assert (deadline.kind, deadline.due) == (K.MONTH, date(2025, 3, 31))
    assert deadline.text == "Tháng 3/2025 ;"


def test_decomposed_unicode_is_kept_as_nfc() -> None:
    deadline = parse_deadline("Ha\u0300ng na\u0306m")
    assert deadline.kind is K.YEARLY
    assert deadline.text == "Hàng năm"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("13/2025", "Tháng 13"),
        ("0/2025", "Tháng 0"),
        ("31/02/2025", "không tồn tại"),
        ("29/2/2025", "không tồn tại"),
        ("Quý V/2025", "Quý V"),
        ("Quý 5/2025", "Quý 5"),
        ("20255", "Năm 20255"),
        ("15/3/25", "Năm 25"),
        ("", "để trống"),
        ("   ", "để trống"),
        ("chưa xác định", "Không nhận dạng"),
        ("asdf qwer", "Không nhận dạng"),
        ("2030 - 2025", "ngược"),
        ("6/2025 - 3/2025", "ngược"),
    ],
)
def test_malformed_text_is_kept_with_a_warning(text: str, hint: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.kind is K.UNPARSED
    assert deadline.text == nfc(text)
    assert (deadline.start, deadline.due) == (None, None)
    assert hint in (deadline.warning or "")


def test_an_unlikely_year_is_read_but_flagged() -> None:
    deadline = parse_deadline("3/1925")
    assert (deadline.kind, deadline.due) == (K.MONTH, date(1925, 3, 31))
    assert "1925" in (deadline.warning or "")


ONE_OF_EACH_KIND = [
    "15/3/2025",
    "3/2025",
    "Quý I/2025",
    "2025",
    "2025 - 2030",
    "Hằng năm",
    "Thường xuyên",
    "Ngay sau khi Trung ương ban hành",
    "chưa xác định",
]


def test_the_examples_cover_every_kind() -> None:
    assert {parse_deadline(text).kind for text in ONE_OF_EACH_KIND} == set(DeadlineKind)


@pytest.mark.parametrize("text", ONE_OF_EACH_KIND)
def test_a_deadline_survives_a_round_trip_through_a_dict(text: str) -> None:
    deadline = parse_deadline(text)
    assert Deadline.from_dict(deadline.to_dict()) == deadline


def test_a_triggered_conditional_deadline_survives_a_round_trip_through_a_dict() -> None:
    deadline = parse_deadline("Sau khi được phê duyệt").with_trigger(date(2025, 5, 1))
    assert Deadline.from_dict(deadline.to_dict()) == deadline


def test_the_dict_form_uses_iso_dates_and_the_kind_value() -> None:
    assert parse_deadline("2025 - 2030").to_dict() == {
        "text": "2025 - 2030",
        "kind": "range",
        "due": "2030-12-31",
        "start": "2025-01-01",
        "warning": None,
    }


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "year", "due": "2025-12-31", "start": "2025-01-01"},
        {"text": "2025", "kind": "decade"},
        {"text": "2025", "kind": "year", "due": "31/12/2025", "start": "2025-01-01"},
        {"text": "2025", "kind": "year", "due": None, "start": None},
        {"text": "x", "kind": "unparsed", "warning": None},
    ],
)
def test_a_dict_that_is_not_a_deadline_is_refused(data: dict[str, str | None]) -> None:
    with pytest.raises(ValueError):
        Deadline.from_dict(data)


@pytest.mark.parametrize(
    ("text", "open_ended"),
    [
        ("3/2025", False),
        ("2025 - 2030", False),
        ("Hằng năm", True),
        ("Thường xuyên", True),
        ("Ngay sau khi Trung ương ban hành", True),
        ("chưa xác định", True),
    ],
)
def test_only_a_deadline_without_a_due_date_is_open_ended(text: str, open_ended: bool) -> None:
    assert parse_deadline(text).is_open_ended() is open_ended


def test_a_yearly_deadline_is_due_at_the_end_of_any_year() -> None:
    yearly = parse_deadline("Hằng năm")
    assert yearly.due_in_year(2025) == date(2025, 12, 31)
    assert yearly.due_in_year(2031) == date(2031, 12, 31)


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [
        ("3/2025", 2025, date(2025, 3, 31)),
        ("3/2025", 2026, None),
        ("2025 - 2030", 2030, date(2030, 12, 31)),
        ("2025 - 2030", 2027, None),
        ("Thường xuyên", 2025, None),
        ("Ngay sau khi Trung ương ban hành", 2025, None),
        ("chưa xác định", 2025, None),
    ],
)
def test_other_deadlines_are_due_in_a_year_only_when_their_due_date_falls_in_it(
    text: str, year: int, due: date | None
) -> None:
    assert parse_deadline(text).due_in_year(year) == due


def test_a_triggered_conditional_deadline_is_due_thirty_days_after_the_trigger() -> None:
    pending = parse_deadline("Ngay sau khi Trung ương ban hành")
    triggered = pending.with_trigger(date(2025, 3, 10))
    assert (triggered.kind, triggered.start, triggered.due) == (
        K.CONDITIONAL,
        date(2025, 3, 10),
        date(2025, 4, 9),
    )
    assert triggered.text == pending.text
    assert not triggered.is_open_ended()
    assert pending.is_open_ended()


def test_the_time_allowed_after_a_trigger_can_be_chosen() -> None:
    triggered = parse_deadline("Sau khi được phê duyệt").with_trigger(date(2025, 3, 10), days=0)
    assert triggered.due == date(2025, 3, 10)


def test_the_time_allowed_after_a_trigger_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_deadline("Sau khi được phê duyệt").with_trigger(date(2025, 3, 10), days=-1)


@pytest.mark.parametrize("text", [t for t in ONE_OF_EACH_KIND if not t.startswith("Ngay")])
def test_only_a_conditional_deadline_can_be_triggered(text: str) -> None:
    with pytest.raises(ValueError, match="Only a conditional deadline"):
        parse_deadline(text).with_trigger(date(2025, 3, 10))


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("15/3/2025", "Ngày 15/03/2025"),
        ("3/2025", "Tháng 3/2025 (hạn 31/03/2025)"),
        ("Quý II/2025", "Quý II/2025 (hạn 30/06/2025)"),
        ("2028", "Năm 2028 (hạn 31/12/2028)"),
        ("2025 - 2030", "Giai đoạn 2025–2030 (hạn 31/12/2030)"),
        ("3/2025 - 6/2025", "Từ 01/03/2025 đến 30/06/2025"),
        ("Hằng năm", "Hằng năm"),
        ("Thường xuyên", "Thường xuyên"),
        ("Sau khi được phê duyệt", "Có điều kiện: Sau khi được phê duyệt"),
        ("chưa xác định", "Chưa rõ thời hạn: chưa xác định"),
        ("", "Chưa có thời hạn"),
    ],
)
def test_a_deadline_is_described_in_vietnamese(text: str, description: str) -> None:
    assert parse_deadline(text).describe_vi() == description


def test_a_triggered_deadline_is_described_with_its_due_date() -> None:
    triggered = parse_deadline("Sau khi được phê duyệt").with_trigger(date(2025, 3, 10))
    assert triggered.describe_vi() == "Có điều kiện: Sau khi được phê duyệt (hạn 09/04/2025)"


def test_a_deadline_with_inconsistent_dates_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="starts after it is due"):
        Deadline("2025", K.YEAR, due=date(2025, 1, 1), start=date(2025, 12, 31))


@given(st.text())
def test_parsing_never_raises_and_always_keeps_the_text(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.text == nfc(text)
    assert Deadline.from_dict(deadline.to_dict()) == deadline
    assert deadline.describe_vi()


@given(st.from_regex(r"[ 0-9/\-–.a-zA-ZđĐýÝăâ]{0,30}", fullmatch=True))
def test_parsing_never_raises_on_deadline_like_text(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.text == nfc(text)
    assert deadline.kind is not K.UNPARSED or deadline.warning
    assert deadline.describe_vi()


@pytest.mark.parametrize(
    ("text", "kind", "start", "annual_due"),
    [
        ("Nhiệm vụ thường xuyên", DeadlineKind.CONTINUOUS, None, None),
        ("Thường xuyên, hằng năm", DeadlineKind.YEARLY, None, None),
        ("2025 và những năm tiếp theo", DeadlineKind.YEARLY, date(2025, 1, 1), None),
        ("Năm 2026 và các năm tiếp theo", DeadlineKind.YEARLY, date(2026, 1, 1), None),
        ("Từ năm 2025", DeadlineKind.YEARLY, date(2025, 1, 1), None),
        ("Từ năm 2027 trở đi", DeadlineKind.YEARLY, date(2027, 1, 1), None),
        ("Hằng năm hoặc khi có yêu cầu", DeadlineKind.YEARLY, None, None),
        ("Quý II và Quý IV hằng năm", DeadlineKind.YEARLY, None, "12-31"),
        ("Quý I, Quý III hằng năm", DeadlineKind.YEARLY, None, "09-30"),
        ("Trước ngày 15/12 hằng năm", DeadlineKind.YEARLY, None, "12-15"),
    ],
)
def test_recurring_phrases_of_real_plans_are_read(
    text: str, kind: DeadlineKind, start: date | None, annual_due: str | None
) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.due, deadline.start, deadline.annual_due) == (
        kind, None, start, annual_due)
    assert deadline.warning is None
    assert Deadline.from_dict(deadline.to_dict()) == deadline


def test_a_yearly_deadline_from_a_year_is_due_from_that_year_on_its_day() -> None:
    from_2025 = parse_deadline("Từ năm 2025")
    by_15_december = parse_deadline("Trước ngày 15/12 hằng năm")

    assert from_2025.due_in_year(2024) is None
    assert from_2025.due_in_year(2026) == date(2026, 12, 31)
    assert by_15_december.due_in_year(2026) == date(2026, 12, 15)
    assert by_15_december.describe_vi() == "Hằng năm, hạn ngày 15/12"


def test_a_deadline_that_follows_another_schedule_is_kept_as_text_with_a_warning() -> None:
    deadline = parse_deadline("Theo tiến độ của Bộ Khoa học và Công nghệ")

    assert deadline.kind is DeadlineKind.UNPARSED
    assert deadline.warning is not None and "tiến độ" in deadline.warning


def test_earlier_deadlines_keep_their_stored_form() -> None:
    assert "annual_due" not in parse_deadline("Hằng năm").to_dict()


@pytest.mark.parametrize(("text", "code"), [
    ("", "deadline_warning.empty"),
    ("sớm nhất có thể", "deadline_warning.not_recognised"),
    ("Từ năm 2205", "deadline_warning.unlikely_year"),
    ("Ngày 31/2 hằng năm", "deadline_warning.no_such_day"),
    ("31/02/2025", "deadline_warning.no_such_date"),
    ("Theo tiến độ của Trung ương", "deadline_warning.depends_on_progress"),
    ("2027-2025", "deadline_warning.reversed_range"),
    ("13/2025", "deadline_warning.bad_month"),
    ("Quý V/2025", "deadline_warning.bad_quarter"),
    ("30/06/225", "deadline_warning.bad_year"),
    ("12/2205", "deadline_warning.unlikely_year"),
])
def test_a_warning_is_a_catalogue_message_that_reads_as_the_log_keeps_it(
    text: str, code: str
) -> None:
    deadline = parse_deadline(text)
    assert deadline.warning_message is not None, deadline
    assert deadline.warning_message.code == code
    assert render(deadline.warning_message, "vi") == deadline.warning
    assert render(deadline.warning_message, "en") != deadline.warning
    # Not stored: the log keeps the deadline as it always did.
    assert "warning_message" not in deadline.to_dict()
    assert Deadline.from_dict(deadline.to_dict()) == deadline
