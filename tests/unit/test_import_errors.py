"""Bad input of any kind ends in ImportFormatError with a message saying what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import ImportFormatError, read_plan_bytes, read_plan_document
from tests.messages import english


@pytest.mark.parametrize("filename", ["ke-hoach.rtf", "ke-hoach", "ke-hoach.pages"])
def test_an_unknown_file_type_is_refused(filename: str) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"TT\nTen nhiem vu\n", filename)
    assert re.search("not supported", english(refused.value))


@pytest.mark.parametrize(("filename", "modern"), [("cu.xls", ".xlsx")])
def test_an_old_office_file_is_refused_with_the_format_to_save_it_in(
    filename: str, modern: str
) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"\xd0\xcf\x11\xe0", filename)
    assert re.search(f"save it as \\{modern}", english(refused.value))


def test_the_suffix_is_matched_whatever_its_case() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"garbage", "KE-HOACH.DOCX")
    assert re.search(r"not a valid \.docx", english(refused.value))


@pytest.mark.parametrize("filename", ["a.txt", "a.csv", "a.docx", "a.xlsx"])
def test_an_empty_file_is_refused(filename: str) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"", filename)
    assert re.search("empty", english(refused.value))


def test_a_file_that_cannot_be_opened_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_document(tmp_path / "khong-co.txt")
    assert re.search(r"cannot read 'khong-co\.txt'", english(refused.value))


def test_a_csv_that_is_not_utf8_is_refused_with_a_clear_message() -> None:
    data = "Số kế hoạch,1/KH-UBND\nTT,Tên nhiệm vụ,Chủ trì\n".encode("utf-16-le")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "nhiem-vu.csv")
    assert re.search(r"UTF-8|binary", english(refused.value))


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(["TT", "Tên nhiệm vụ", "Chủ trì", "Thời hạn", "I.", "1.", "2.", "x", ""])
        | st.text(max_size=12),
        max_size=30,
    ),
    suffix=st.sampled_from([".txt", ".csv"]),
)
def test_arbitrary_text_gives_a_document_or_an_import_format_error(
    lines: list[str], suffix: str
) -> None:
    data = "\n".join(["Số: 1/KH-UBND", *lines]).encode("utf-8", errors="surrogatepass")
    try:
        document = read_plan_bytes(data, "plan" + suffix)
    except ImportFormatError as error:
        assert error.message
    else:
        assert document.tasks
