"""How the official outputs write the province, dates, numbers and periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from projections.plan_state import PlanView
from reports.official import date_line
from reports.periodic import province_of
from reports.periods import between, chosen
from reports.words import moment_words, number, percent


def plan(issuing_body: str) -> PlanView:
    return PlanView(uuid4(), "1534/KH-UBND", "", date(2025, 2, 27), issuing_body, "", (), {})


def test_the_province_is_named_in_full_as_addresses_name_it() -> None:
    assert province_of("Quảng Nam", [plan("UBND tỉnh Quảng Nam")]) == ("tỉnh Quảng Nam",
                                                                       "Quảng Nam")
    assert province_of("Đà Nẵng", []) == ("thành phố Đà Nẵng", "Đà Nẵng")
    assert province_of("Lào Cai", []) == ("tỉnh Lào Cai", "Lào Cai")
    assert province_of("Thành phố Huế", [])[0] == "thành phố Huế"


def test_the_date_line_pads_days_below_ten_and_the_first_two_months() -> None:
    assert date_line("Quảng Nam", date(2025, 2, 5)) == "Quảng Nam, ngày 05 tháng 02 năm 2025"
    assert date_line("Quảng Nam", date(2025, 6, 30)) == "Quảng Nam, ngày 30 tháng 6 năm 2025"


def test_numbers_percentages_and_moments_are_written_the_vietnamese_way() -> None:
    assert number("1234.5") == "1.234,5" and number("62") == "62"
    assert percent(1 / 12) == "8,3%" and percent(0.5) == "50%"
    assert moment_words(datetime(2025, 6, 30, 9, 5, tzinfo=UTC)) == \
        "16 giờ 05 phút ngày 30/06/2025"


def test_a_period_is_a_quarter_half_nine_months_year_or_two_dates() -> None:
    assert chosen("Q2", 2025).label == "quý II năm 2025"
    assert (chosen("H1", 2025).start, chosen("H1", 2025).end) == (date(2025, 1, 1),
                                                                   date(2025, 6, 30))
    assert chosen("9M", 2025).label == "9 tháng năm 2025"
    assert chosen("Y", 2025).label == "năm 2025"
    span = between(date(2025, 3, 1), date(2025, 4, 15))
    assert span.label == "từ ngày 01/03/2025 đến ngày 15/04/2025"
    assert span.covers("2025-03") and not span.covers("2025-Q2")
