from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.agencies import AgencyName, agency_slug, normalise_agency, split_agencies
from domain.errors import DomainError
from tests.conftest import SEED  # the copy the project ships

# Every distinct lead and coordinator cell of the seed's Appendix II, and what it names.
# A name ending in "*" is a collective.
SEED_CELLS = {
    "Sở Khoa học và Công nghệ": ["Sở Khoa học và Công nghệ"],
    "Sở Nội vụ": ["Sở Nội vụ"],
    "Sở Tài chính": ["Sở Tài chính"],
    "Sở Y tế": ["Sở Y tế"],
    "Sở Công Thương": ["Sở Công Thương"],
    "Công an tỉnh": ["Công an tỉnh"],
    "Văn phòng UBND tỉnh": ["Văn phòng UBND tỉnh"],
    "Sở Nông nghiệp và Môi trường": ["Sở Nông nghiệp và Môi trường"],
    "Sở Văn hóa, Thể thao và Du lịch": ["Sở Văn hóa, Thể thao và Du lịch"],
    "Ban Tuyên giáo và Dân vận Tỉnh ủy": ["Ban Tuyên giáo và Dân vận Tỉnh ủy"],
    "Ban Quản lý các Khu kinh tế và Khu công nghiệp tỉnh": [
        "Ban Quản lý các Khu kinh tế và Khu công nghiệp tỉnh"
    ],
    "Các Sở, ban, ngành": ["Các Sở, ban, ngành*"],
    "Các Sở, ban, ngành liên quan": ["Các Sở, ban, ngành liên quan*"],
    "Các Sở, ngành liên quan": ["Các Sở, ngành liên quan*"],
    "Các sở, ngành có liên quan": ["Các sở, ngành có liên quan*"],
    "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố": [
        "Các Sở, ban, ngành*",
        "UBND các huyện, thị xã, thành phố*",
    ],
    "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố; Đài phát thanh - truyền hình tỉnh, "
    "Báo Quảng Nam, Cổng TTĐT tỉnh": [
        "Các Sở, ban, ngành*",
        "UBND các huyện, thị xã, thành phố*",
        "Đài phát thanh - truyền hình tỉnh",
        "Báo Quảng Nam",
        "Cổng TTĐT tỉnh",
    ],
    "Các Sở, ngành có liên quan; Ban Quản lý các KKT và KCN Quảng Nam": [
        "Các Sở, ngành có liên quan*",
        "Ban Quản lý các KKT và KCN Quảng Nam",
    ],
    "Các cơ quan Đảng, chính quyền, Mặt trận, các tổ chức chính trị - xã hội trên địa bàn tỉnh": [
        "Các cơ quan Đảng, chính quyền, Mặt trận*",
        "Các tổ chức chính trị - xã hội trên địa bàn tỉnh*",
    ],
    "Sở Khoa học và Công nghệ và các Sở, ban, ngành; UBND các huyện, thị xã, thành phố": [
        "Sở Khoa học và Công nghệ",
        "Các Sở, ban, ngành*",
        "UBND các huyện, thị xã, thành phố*",
    ],
    "Sở Khoa học và Công nghệ và các sở ngành, địa phương": [
        "Sở Khoa học và Công nghệ",
        "Các sở ngành, địa phương*",
    ],
    "Sở Khoa học và Công nghệ và các đơn vị có liên quan": [
        "Sở Khoa học và Công nghệ",
        "Các đơn vị có liên quan*",
    ],
    "Sở Khoa học và Công nghệ, Sở Giáo dục và Đào tạo": [
        "Sở Khoa học và Công nghệ",
        "Sở Giáo dục và Đào tạo",
    ],
    "Sở Khoa học và Công nghệ, Sở Nội vụ": ["Sở Khoa học và Công nghệ", "Sở Nội vụ"],
    "Sở Khoa học và Công nghệ, Sở Tài chính": ["Sở Khoa học và Công nghệ", "Sở Tài chính"],
    "Sở Khoa học và Công nghệ, Sở Xây dựng": ["Sở Khoa học và Công nghệ", "Sở Xây dựng"],
    "Sở Tư pháp, Sở Khoa học và Công nghệ": ["Sở Tư pháp", "Sở Khoa học và Công nghệ"],
    "Sở Khoa học và Công nghệ, các bệnh viện": ["Sở Khoa học và Công nghệ", "Các bệnh viện*"],
    "Sở Khoa học và Công nghệ, các địa phương": ["Sở Khoa học và Công nghệ", "Các địa phương*"],
    "Sở Khoa học và Công nghệ, các doanh nghiệp viễn thông; UBND các huyện, thị xã, thành phố": [
        "Sở Khoa học và Công nghệ",
        "Các doanh nghiệp viễn thông*",
        "UBND các huyện, thị xã, thành phố*",
    ],
    "Sở Khoa học và Công nghệ; Các Sở, ban, ngành": [
        "Sở Khoa học và Công nghệ",
        "Các Sở, ban, ngành*",
    ],
    "Sở Khoa học và Công nghệ; UBND các huyện, thị xã, thành phố": [
        "Sở Khoa học và Công nghệ",
        "UBND các huyện, thị xã, thành phố*",
    ],
    "Sở Nội vụ, các Sở, ngành, địa phương": ["Sở Nội vụ", "Các Sở, ngành, địa phương*"],
    "Sở Tài chính, các Sở, ngành, địa phương": ["Sở Tài chính", "Các Sở, ngành, địa phương*"],
    # Task 21 names the three towns in its lead column; "Hội An" goes on the list of towns.
    "Thành phố Tam Kỳ, Hội An và thị xã Điện Bàn": [
        "Thành phố Tam Kỳ",
        "Thành phố Hội An",
        "Thị xã Điện Bàn",
    ],
    "Văn phòng UBND tỉnh, các Sở, ban, ngành, UBND các huyện, thị xã, thành phố": [
        "Văn phòng UBND tỉnh",
        "Các Sở, ban, ngành*",
        "UBND các huyện, thị xã, thành phố*",
    ],
    "Văn phòng UBND tỉnh; các Sở, ngành, địa phương, doanh nghiệp liên quan, "
    "các cơ quan đại diện Việt Nam ở nước ngoài": [
        "Văn phòng UBND tỉnh",
        "Các Sở, ngành, địa phương, doanh nghiệp liên quan*",
        "Các cơ quan đại diện Việt Nam ở nước ngoài*",
    ],
    "Đài Phát thanh - Truyền hình Quảng Nam, Báo Quảng Nam, Cổng TTĐT tỉnh": [
        "Đài Phát thanh - Truyền hình Quảng Nam",
        "Báo Quảng Nam",
        "Cổng TTĐT tỉnh",
    ],
}


def seed_agency_cells() -> list[str]:
    """The lead and coordinator cells of Appendix II: the 3rd and 4th line after each task's TT."""
    lines = SEED.read_text(encoding="utf-8").splitlines()[323:706]
    tasks = [i for i, line in enumerate(lines) if re.fullmatch(r"\d+\.", line.strip())]
    assert len(tasks) == 60
    return [lines[i + column] for i in tasks for column in (2, 3)]


def described(agencies: tuple[AgencyName, ...]) -> list[str]:
    return [a.name + ("*" if a.is_collective else "") for a in agencies]


def test_every_lead_and_coordinator_cell_of_the_seed_splits_as_expected() -> None:
    cells = seed_agency_cells()
    assert set(cells) == set(SEED_CELLS)
    for cell in cells:
        agencies = split_agencies(cell)
        assert described(agencies) == SEED_CELLS[cell], cell
        assert all(a.name.strip() and a.key.strip() for a in agencies)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Sở Tài chính, Cục Thống kê", ["Sở Tài chính", "Cục Thống kê"]),
        ("Ngân hàng nhà nước tỉnh", ["Ngân hàng nhà nước tỉnh"]),
        (
            "Các Sở, ban, ngành; UBND các huyện, thành phố",
            ["Các Sở, ban, ngành*", "UBND các huyện, thành phố*"],
        ),
        ("Sở Y tế và Sở Tài chính", ["Sở Y tế", "Sở Tài chính"]),
        ("Sở Y tế\nSở Tài chính", ["Sở Y tế", "Sở Tài chính"]),
        ("Sở Khoa học\nvà Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
        (
            "Sở Tư pháp (chủ trì, tổng hợp), Sở Nội vụ",
            ["Sở Tư pháp (chủ trì, tổng hợp)", "Sở Nội vụ"],
        ),
        ("Tỉnh đoàn, Hội Nông dân tỉnh", ["Tỉnh đoàn", "Hội Nông dân tỉnh"]),
        ("UBND huyện Núi Thành, huyện Duy Xuyên", ["UBND huyện Núi Thành", "Huyện Duy Xuyên"]),
        ("- Sở Y tế;", ["Sở Y tế"]),
        ("các Sở, Ban ngành", ["Các Sở, Ban ngành*"]),
        ("UBND cấp huyện, UBND cấp xã", ["UBND cấp huyện*", "UBND cấp xã*"]),
    ],
)
def test_other_cells_split_where_a_new_name_begins(cell: str, expected: list[str]) -> None:
    assert described(split_agencies(cell)) == expected


def test_an_agency_named_twice_in_a_cell_is_listed_once() -> None:
    cell = "Sở Y tế, Sở Y Tế tỉnh; Sở Tài chính, Sở  Y  tế"
    assert [a.name for a in split_agencies(cell)] == ["Sở Y tế", "Sở Tài chính"]


def test_a_cell_with_no_names_names_no_agency() -> None:
    assert split_agencies("") == ()
    assert split_agencies(" ; , ") == ()


def test_the_display_name_is_nfc_collapsed_and_capitalised() -> None:
    decomposed = "các  Sở,\tban, nga\u0300nh"
    agency = normalise_agency(decomposed)
    assert agency.name == "Các Sở, ban, ngành"
    assert agency.is_collective


def test_an_abbreviation_at_the_start_is_written_in_capitals() -> None:
    assert normalise_agency("ubnd các huyện").name == "UBND các huyện"


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(DomainError):
        normalise_agency("  - ")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Các sở, ngành có liên quan", "Các Sở, ngành liên quan"),
        ("Cổng TTĐT tỉnh", "Cổng Thông tin điện tử tỉnh"),
        ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
        ("Uỷ ban nhân dân tỉnh", "UBND tỉnh"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Y tế", "Sở Y tế tỉnh"),
        ("Đài PT-TH tỉnh", "Đài phát thanh - truyền hình tỉnh"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ],
)
def test_the_same_agency_written_differently_has_one_key(first: str, second: str) -> None:
    assert normalise_agency(first).key == normalise_agency(second).key


def test_the_province_name_counts_as_tinh_when_the_province_is_given() -> None:
    def key(name: str) -> str:
        return normalise_agency(name, province="tỉnh Quảng Nam").key

    assert key("Đài Phát thanh - Truyền hình Quảng Nam") == key("Đài phát thanh - truyền hình tỉnh")
    assert key("Ban Quản lý các KKT và KCN Quảng Nam") == key(
        "Ban Quản lý các Khu kinh tế và Khu công nghiệp tỉnh"
    )
    assert key("Báo Quảng Nam") == key("Báo tỉnh") != key("Báo")
    assert key("Sở Y tế tỉnh Quảng Nam") == key("Sở Y tế")


def test_different_agencies_keep_different_keys() -> None:
    names = ["Sở Y tế", "Các Sở, ban, ngành", "Các Sở, ngành", "Các tỉnh", "Sở Văn hóa"]
    assert len({normalise_agency(n).key for n in names}) == len(names)


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("Sở Khoa học và Công nghệ", False),
        ("Ban Quản lý các Khu kinh tế và Khu công nghiệp tỉnh", False),
        ("Văn phòng UBND tỉnh", False),
        ("Các Sở, ban, ngành", True),
        ("UBND các huyện, thị xã, thành phố", True),
        ("các địa phương", True),
        ("Sở, ngành, địa phương", True),
        ("Những đơn vị được giao", True),
    ],
)
def test_collectives_are_names_that_stand_for_a_group(name: str, collective: bool) -> None:
    assert normalise_agency(name).is_collective is collective


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sở Khoa học và Công nghệ", "so-khoa-hoc-va-cong-nghe"),
        ("UBND các huyện, thị xã, thành phố", "ubnd-cac-huyen-thi-xa-thanh-pho"),
        ("Đài Phát thanh - Truyền hình Quảng Nam", "dai-phat-thanh-truyen-hinh-quang-nam"),
    ],
)
def test_a_slug_is_short_ascii_from_the_key(name: str, slug: str) -> None:
    assert agency_slug(normalise_agency(name)) == slug


def test_long_names_get_bounded_slugs_that_stay_distinct() -> None:
    stem = "Các cơ quan đại diện Việt Nam ở nước ngoài và các tổ chức quốc tế tại "
    first = agency_slug(normalise_agency(stem + "Hà Nội"))
    second = agency_slug(normalise_agency(stem + "Đà Nẵng"))
    assert len(first) <= 60 and len(second) <= 60
    assert first != second


@given(st.text())
def test_splitting_any_text_yields_non_empty_names_with_ascii_slugs(cell: str) -> None:
    for agency in split_agencies(cell):
        assert agency.name.strip() and agency.key
        slug = agency_slug(agency)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 60
