"""Bad input of any kind ends in ImportFormatError with a message saying what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers import ImportFormatError, read_plan_bytes, read_plan_document


@pytest.mark.parametrize("filename", ["ke-hoach.rtf", "ke-hoach", "ke-hoach.pages"])
def test_an_unknown_file_type_is_refused(filename: str) -> None:
    with pytest.raises(ImportFormatError, match="not supported"):
        read_plan_bytes(b"TT\nTen nhiem vu\n", filename)


@pytest.mark.parametrize(("filename", "modern"), [("cu.xls", ".xlsx")])
def test_an_old_office_file_is_refused_with_the_format_to_save_it_in(
    filename: str, modern: str
) -> None:
    with pytest.raises(ImportFormatError, match=f"save it as \\{modern}"):
        read_plan_bytes(b"\xd0\xcf\x11\xe0", filename)


def test_the_suffix_is_matched_whatever_its_case() -> None:
    with pytest.raises(ImportFormatError, match=r"not a valid \.docx"):
        read_plan_bytes(b"garbage", "KE-HOACH.DOCX")


@pytest.mark.parametrize("filename", ["a.txt", "a.csv", "a.docx", "a.xlsx"])
def test_an_empty_file_is_refused(filename: str) -> None:
    with pytest.raises(ImportFormatError, match="empty"):
        read_plan_bytes(b"", filename)


def test_a_file_that_cannot_be_opened_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"cannot read 'khong-co\.txt'"):
        read_plan_document(tmp_path / "khong-co.txt")


def test_a_csv_that_is_not_utf8_is_refused_with_a_clear_message() -> None:
    data = "Số kế hoạch,1/KH-UBND\nTT,Tên nhiệm vụ,Chủ trì\n".encode("utf-16-le")

    with pytest.raises(ImportFormatError, match=r"UTF-8|binary"):
        read_plan_bytes(data, "nhiem-vu.csv")


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
