"""Search finds what was meant, lists sort as a Vietnamese dictionary does, and typed
numbers are read one way only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.text import matches, sort_key
from web.numbers import NumberRefused, parse_number


@pytest.mark.parametrize(("query", "text", "found"), [
    ("Sở Y tế", "Sở Y tế; Sở Nội vụ", True),
    ("Sở Y tế", "Xây dựng nền kinh tế số", False),  # "y" is not inside "xây", nor "tế" alone
    ("Sở Y tế", "Phát triển kinh tế số, y tế thông minh", False),
    ("so y te", "Sở Y tế", True),
    ("sở", "Chuyển đổi số", False),  # typed with diacritics: only as typed
    ("so", "Chuyển đổi số", True),  # typed without: with or without
    ("số", "Sở Nội vụ", False),
    ("chuyen doi so", "Thúc đẩy chuyển đổi số quốc gia", True),
    ("dao tao", "Sở Giáo dục và Đào tạo", True),
    ("đào tạo", "Sở Giáo dục và Dao tao", False),
    ("tri tue", "trí tuệ nhân tạo", True),
    ("tế", "Sở Y tế", True),
    ("te", "tên", False),  # whole words only
])
def test_search_matches_whole_words_and_diacritics_only_where_typed(
    query: str, text: str, found: bool
) -> None:
    assert matches(query, text) is found


def test_lists_sort_in_vietnamese_alphabetical_order() -> None:
    names = ["Sở Nông nghiệp", "Sở Nội vụ", "Sở Ngoại vụ", "Cục Thuế", "Công an tỉnh",
             "Các sở", "Đài Phát thanh", "Dân tộc", "Ủy ban", "Uông Bí", "Sở Y tế",
             "Sở Xây dựng", "ả", "á", "a", "à", "ạ", "ã"]
    assert sorted(names, key=sort_key) == [
        "a", "à", "ả", "ã", "á", "ạ", "Các sở", "Công an tỉnh", "Cục Thuế", "Dân tộc",
        "Đài Phát thanh", "Sở Ngoại vụ", "Sở Nội vụ", "Sở Nông nghiệp", "Sở Xây dựng",
        "Sở Y tế", "Uông Bí", "Ủy ban"]


@pytest.mark.parametrize(("typed", "value"), [
    ("1234", "1234"), ("62,5", "62.5"), ("1.234,5", "1234.5"), ("1.234.567", "1234567"),
    ("1 234,5", "1234.5"), ("-3,25", "-3.25"), ("0,7", "0.7"), (" 80 ", "80"),
])
def test_vietnamese_numbers_are_read_as_written(typed: str, value: str) -> None:
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize(("typed", "says"), [
    ("62.5", "hãy nhập 62,5"),
    ("1.234", "có thể hiểu hai cách"),
    ("1,234.5", "không phải là số"),
    ("abc", "không phải là số"),
    ("1.23", "hãy nhập 1,23"),
])
def test_ambiguous_or_foreign_numbers_are_refused_with_the_way_to_write_them(
    typed: str, says: str
) -> None:
    with pytest.raises(NumberRefused) as refused:
        parse_number(typed)
    assert says in refused.value.message and refused.value.field == "value"
