from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.targets import Comparator, Target, parse_target

C = Comparator
D = Decimal
RANK = "Thứ bậc"

HDI = "Chỉ số phát triển con người (HDI)"
SPENDING = "Kinh phí chi cho sự nghiệp khoa học"
PROVINCES = "các tỉnh, thành trên cả nước"
RISING = "và tăng dần theo yêu cầu phát triển"
ADVANCED = "Đạt mức tiên tiến ở nhiều lĩnh vực quan trọng, thuộc nhóm dẫn đầu trong cả nước"

# Every target form of the seed's Appendix I, with its unit cell.
SEED_TARGETS = [
    ("%", Target("≥ 80", C.GE, D(80), unit="%")),
    ("%", Target("> 55", C.GT, D(55), unit="%")),
    ("% GRDP", Target("≥ 30", C.GE, D(30), unit="% GRDP")),
    (RANK, Target(f"≤ 20 {PROVINCES}", C.LE, D(20), unit=RANK, note=PROVINCES)),
    (RANK, Target("≤ 10", C.LE, D(10), unit=RANK)),
    (HDI, Target("> 0,7", C.GT, D("0.7"), unit=HDI)),
    ("%", Target("90", C.GE, D(90), unit="%")),
    ("%", Target("100", C.GE, D(100), unit="%")),
    ("% GRDP", Target("2", C.GE, D(2), unit="% GRDP")),
    ("Người/vạn dân", Target("12", C.GE, D(12), unit="Người/vạn dân")),
    ("%/năm", Target("16 - 18", C.RANGE, D(16), D(18), unit="%/năm")),
    ("%", Target("8 - 10", C.RANGE, D(8), D(10), unit="%")),
    ("Trung tâm dữ liệu", Target("≥ 2", C.GE, D(2), unit="Trung tâm dữ liệu")),
    ("%GRDP", Target("≥ 50", C.GE, D(50), unit="%GRDP")),
    ("Số doanh nghiệp/1000 dân", Target("1", C.GE, D(1), unit="Số doanh nghiệp/1000 dân")),
    (SPENDING, Target(f"≥3% {RISING}", C.GE, D(3), unit=SPENDING, note=RISING)),
    ("", Target("Tiên tiến, hiện đại", C.QUALITATIVE, None)),
    (RANK, Target("Đạt mức tiên tiến của Việt Nam", C.QUALITATIVE, None, unit=RANK)),
    (RANK, Target(ADVANCED, C.QUALITATIVE, None, unit=RANK)),
]

# Other common spellings, without a unit cell.
OTHER_TARGETS = [
    Target(f"≥3% {RISING}", C.GE, D(3), unit="%", note=RISING),
    Target(">= 5", C.GE, D(5)),
    Target("<=5", C.LE, D(5)),
    Target("=> 5", C.GE, D(5)),
    Target("= 100", C.EQ, D(100)),
    Target("< 3", C.LT, D(3)),
    Target("tối thiểu 55%", C.GE, D(55), unit="%"),
    Target("Ít nhất 2", C.GE, D(2)),
    Target("trên 80%", C.GT, D(80), unit="%"),
    Target("Trên 80 %", C.GT, D(80), unit="%"),
    Target("dưới 10", C.LT, D(10)),
    Target("không quá 10", C.LE, D(10)),
    Target("Không vượt quá 10", C.LE, D(10)),
    Target("tối đa 5%", C.LE, D(5), unit="%"),
    Target("từ 80% trở lên", C.GE, D(80), unit="%"),
    Target("10 trở xuống, ổn định", C.LE, D(10), note="ổn định"),
    Target("Đạt 95%", C.GE, D(95), unit="%"),
    Target("16-18", C.RANGE, D(16), D(18)),
    Target("từ 16 đến 18", C.RANGE, D(16), D(18)),
    Target("18 – 16", C.RANGE, D(16), D(18)),
    Target("10 %/năm", C.GE, D(10), unit="%/năm"),
    Target("1.000", C.GE, D(1000)),
    Target("1.000,5", C.GE, D("1000.5")),
    Target("0.7", C.GE, D("0.7")),
    Target("≥ 80.", C.GE, D(80)),
    Target(">=", C.QUALITATIVE, None),
    Target("≥", C.QUALITATIVE, None),
    Target("1Gb/s", C.QUALITATIVE, None),
    Target("", C.QUALITATIVE, None),
]


@pytest.mark.parametrize(("unit", "expected"), SEED_TARGETS)
def test_every_seed_target_is_read(unit: str, expected: Target) -> None:
    assert parse_target(expected.text, unit) == expected


@pytest.mark.parametrize("expected", OTHER_TARGETS)
def test_other_spellings_are_read(expected: Target) -> None:
    assert parse_target(expected.text) == expected


def test_a_bare_rank_means_that_place_or_better() -> None:
    target = parse_target("5", RANK)
    assert target.comparator is C.LE
    assert target.is_met_by(D(3)) is True
    assert target.is_met_by(D(6)) is False


@pytest.mark.parametrize(
    ("text", "unit", "actual", "met"),
    [
        ("≥ 80", "%", "80", True),
        ("≥ 80", "%", "79.9", False),
        ("> 55", "%", "55", False),
        ("> 55", "%", "55.1", True),
        ("> 0,7", "", "0.71", True),
        (f"≤ 20 {PROVINCES}", RANK, "20", True),
        (f"≤ 20 {PROVINCES}", RANK, "21", False),
        ("dưới 10", "", "10", False),
        ("dưới 10", "", "9", True),
        ("= 100", "%", "100", True),
        ("= 100", "%", "99", False),
        ("90", "%", "95", True),  # a bare number is a level to reach, not to hit exactly
        ("90", "%", "89", False),
        ("16 - 18", "%/năm", "16", True),
        ("16 - 18", "%/năm", "18", True),
        ("16 - 18", "%/năm", "18.5", False),
        ("16 - 18", "%/năm", "15", False),
    ],
)
def test_an_achieved_value_meets_the_target_or_not(
    text: str, unit: str, actual: str, met: bool
) -> None:
    assert parse_target(text, unit).is_met_by(D(actual)) is met


def test_a_qualitative_target_cannot_be_judged_by_a_number() -> None:
    assert parse_target("Tiên tiến, hiện đại").is_met_by(D(100)) is None


@pytest.mark.parametrize(
    "text", [t.text for _, t in SEED_TARGETS] + [t.text for t in OTHER_TARGETS]
)
def test_a_target_round_trips_through_its_dict(text: str) -> None:
    target = parse_target(text, "%")
    data = target.to_dict()
    assert all(v is None or isinstance(v, str) for v in data.values())
    assert Target.from_dict(data) == target


def test_decimals_are_written_as_strings() -> None:
    data = parse_target("16,5 - 18", "%").to_dict()
    assert data == {
        "text": "16,5 - 18",
        "comparator": "range",
        "value": "16.5",
        "value_max": "18",
        "unit": "%",
        "note": "",
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": "≥ 5", "comparator": "about", "value": "5"},
        {"text": "≥ 5", "comparator": "≥", "value": "five"},
        {"text": "≥ 5", "comparator": "≥", "value": "NaN"},
    ],
)
def test_a_dict_that_is_not_a_target_is_refused(data: dict[str, str | None]) -> None:
    with pytest.raises(DomainError):
        Target.from_dict(data)


@given(st.text(), st.text(max_size=20))
def test_parsing_never_fails_and_keeps_the_text(text: str, unit: str) -> None:
    target = parse_target(text, unit)
    assert target.text == text
    assert (target.value is None) == (target.comparator is C.QUALITATIVE)
    assert Target.from_dict(target.to_dict()) == target


@given(
    st.sampled_from(["≥", ">", "≤", "<", "="]),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
)
def test_a_decimal_comma_number_is_read_exactly(symbol: str, number: Decimal) -> None:
    written = str(number).replace(".", ",")
    target = parse_target(f"{symbol} {written}")
    assert target.comparator.value == symbol
    assert target.value == number
