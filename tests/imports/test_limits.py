"""Hostile and oversized files are refused while they are read, each naming the limit it
passed; any parser failure is an import error; the child process holds a memory budget."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from domain.messages import message
from importers import ImportFormatError, isolation, read_plan_bytes
from importers.errors import LimitExceeded
from importers.isolation import ReadBudget, read_isolated
from importers.limits import LIMITS, at_row
from tests.conftest import SEED
from tests.imports import documents
from tests.messages import english, vietnamese

HEADER = "Số kế hoạch,1/KH-UBND\nTT,Tên nhiệm vụ,Chủ trì,Thời hạn\n"


def _docx_with_body(body: bytes) -> bytes:
    """A valid .docx whose document.xml body is replaced by `body`."""
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:body>.*</w:body>", b"<w:body>" + body + b"</w:body>", data,
                              flags=re.S)
            target.writestr(item.filename, data)
    return out.getvalue()


def _limit(error: pytest.ExceptionInfo[ImportFormatError]) -> str:
    assert isinstance(error.value, LimitExceeded)
    assert error.value.code == "import.limit_exceeded"
    assert f"'{error.value.limit}'" in english(error.value)
    assert error.value.params["limit"] == error.value.limit
    return error.value.limit


def test_a_docx_whose_document_expands_past_the_part_limit_is_refused_before_parsing() -> None:
    padding = b"<w:p/>" * (LIMITS.part_bytes // 6 + 1)
    data = _docx_with_body(padding)
    assert len(data) < 200_000  # a small file that would expand to more than 25 MB

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "bom.docx")

    assert _limit(refused) == "part_bytes"


def test_a_zip_bomb_of_many_members_is_refused_by_decompressed_size() -> None:
    out = io.BytesIO()
    chunk = b"\0" * (LIMITS.part_bytes - 1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for index in range(LIMITS.decompressed_bytes // len(chunk) + 1):
            target.writestr(f"word/media/image{index}.bin", chunk)

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(out.getvalue(), "bom.docx")

    assert _limit(refused) == "decompressed_bytes"


def test_a_container_of_too_many_parts_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for index in range(LIMITS.zip_parts + 1):
            target.writestr(f"xl/p{index}.txt", b"")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(out.getvalue(), "nhieu.xlsx")

    assert _limit(refused) == "zip_parts"


def test_a_docx_of_millions_of_empty_paragraphs_is_refused_by_the_block_limit() -> None:
    data = _docx_with_body(b"<w:p/>" * (LIMITS.blocks + 10))

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "rong.docx")

    assert _limit(refused) == "blocks"


def test_a_docx_cell_spanning_a_million_columns_is_refused() -> None:
    span = (b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr>'
            b"<w:p/></w:tc></w:tr></w:tbl>")
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(_docx_with_body(span), "rong.docx")

    assert _limit(refused) == "columns"


def _xlsx_with_far_cell(keep_dimension: bool) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Số kế hoạch"
    sheet["B1"] = "1/KH-UBND"
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if keep_dimension:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            target.writestr(item.filename, data)
    return out.getvalue()


def test_an_xlsx_whose_sheet_claims_the_last_cell_is_refused_from_its_dimension() -> None:
    data = _xlsx_with_far_cell(keep_dimension=True)
    assert len(data) < 10_000

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "xa.xlsx")

    assert _limit(refused) == "rows"


def test_an_xlsx_with_the_last_cell_and_no_dimension_is_refused_while_streaming() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(_xlsx_with_far_cell(keep_dimension=False), "xa.xlsx")

    assert _limit(refused) in {"rows", "columns"}


def test_a_csv_of_more_rows_than_the_limit_is_refused() -> None:
    rows = "".join(f"{i},Nhiệm vụ {i},Sở Nội vụ,2026\n" for i in range(1, LIMITS.rows + 2))

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes((HEADER + rows).encode(), "lon.csv")

    assert _limit(refused) == "rows"


def test_a_csv_of_more_tasks_than_the_limit_is_refused() -> None:
    rows = "".join(f"{i},Nhiệm vụ {i},Sở Nội vụ,2026\n" for i in range(1, LIMITS.tasks + 2))

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes((HEADER + rows).encode(), "lon.csv")

    assert _limit(refused) == "tasks"


def test_a_cell_longer_than_the_text_limit_is_refused() -> None:
    data = (HEADER + f"1,{'a' * (LIMITS.text_chars + 1)},Sở Nội vụ,2026\n").encode()

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "dai.csv")

    assert _limit(refused) == "text_chars"


def test_a_file_larger_than_the_upload_limit_is_refused_before_reading() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"x" * (LIMITS.file_bytes + 1), "lon.txt")

    assert _limit(refused) == "file_bytes"


def test_a_docx_nested_past_the_parser_depth_is_an_import_error() -> None:
    nested = b"<w:tbl><w:tr><w:tc>" * 3000 + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 3000

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(_docx_with_body(nested), "sau.docx")

    assert refused.value.code in {"import.bad_docx", "import.parser_failed"}


def test_the_child_process_reads_a_word_plan_as_the_parent_does() -> None:
    data = documents.restarting_plan()

    document = read_isolated(data, "ke-hoach.docx")

    assert document == read_plan_bytes(data, "ke-hoach.docx")
    assert len(document.tasks) == 8 and len(document.notes) == 2


def test_plain_text_is_read_in_process_within_the_same_limits() -> None:
    data = Path(SEED).read_bytes()

    document = read_isolated(data, "seed.txt", limits=ReadBudget(memory_bytes=1))

    assert (len(document.tasks), document.indicators[-1].code) == (60, "31")


def test_the_child_process_refuses_a_file_that_needs_more_memory_than_its_budget() -> None:
    # One paragraph of 3 million empty runs: within every limit checked before parsing,
    # but the parsed tree alone takes hundreds of megabytes.
    data = _docx_with_body(b"<w:p>" + b"<w:r/>" * 3_000_000 + b"</w:p>")
    tight = ReadBudget(memory_bytes=160 * 1024 * 1024, cpu_seconds=30, wall_seconds=60)

    with pytest.raises(ImportFormatError) as refused:
        read_isolated(data, "rong.docx", limits=tight)

    assert refused.value.code == "import.budget_exceeded"
    assert refused.value.params == {"budget": "memory"}


def test_the_child_process_reports_limits_with_their_code_and_values() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_isolated(_xlsx_with_far_cell(keep_dimension=True), "xa.xlsx")

    assert refused.value.code == "import.limit_exceeded"
    assert refused.value.params["limit"] == "rows"
    assert refused.value.params["maximum"] == LIMITS.rows


def test_a_limit_names_where_it_was_passed_in_each_language_across_the_reader_process() -> None:
    passed = LimitExceeded("columns", 200, at_row(message("import.sheet", name="Nhiệm vụ"), 7))
    sent = isolation._error_json(passed)["error"]
    back = ImportFormatError(sent["code"], **isolation._params_from_json(sent["params"]))
    assert back.as_message() == passed.as_message()
    assert english(back) == (
        "the file goes past the import limit 'columns' of 200 (sheet 'Nhiệm vụ', row 7); "
        "split the plan into smaller files or ask an operator to raise the limit")
    assert vietnamese(back).startswith(
        "Tệp vượt giới hạn số cột (200) (tại trang tính 'Nhiệm vụ', dòng 7); ")
