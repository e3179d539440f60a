"""PDF printed from Word, and .doc/.odt saved by an office program, read through LibreOffice
(installed by `./dev test`, so these never skip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import ImportFormatError, read_plan_bytes
from importers.isolation import read_isolated
from tests.imports import documents
from tests.messages import english, vietnamese


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return documents.convert(documents.long_plan(), ".docx", "pdf",
                             tmp_path_factory.mktemp("pdf"))


def test_a_pdf_of_a_table_over_several_pages_reads_every_task_once(long_pdf: bytes) -> None:
    import io  # noqa: PLC0415

    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(io.BytesIO(long_pdf)) as pdf:
        pages = len(pdf.pages)
    assert pages >= 3  # the table does run over pages

    plan = read_plan_bytes(long_pdf, "ke-hoach.pdf")

    assert [task.number for task in plan.tasks] == [str(n) for n in range(1, 91)]
    assert plan.problems == ()
    # Every page after the first opens with the header again, then the rest of a row that
    # the page break cut: each is joined to its task.
    assert [note.code for note in plan.notes] == ["import.note.continuation"] * (pages - 1)
    for number, task in enumerate(plan.tasks, start=1):
        ending = "giữa các cấp" if number % 10 == 0 else "về chuyển đổi số"
        assert task.title.endswith(ending), (number, task.title)
        assert task.leads == ("Sở Nội vụ" if number % 2 else "Sở Tài chính")
    assert plan.source_format == "pdf"
    assert (plan.header.number, plan.header.place) == ("123/KH-UBND", "Quảng Nam")
    assert plan.tasks[29].title.endswith("liên thông dữ liệu giữa các cấp")
    assert plan.tasks[29].leads == "Sở Tài chính"


def test_a_pdf_without_a_text_layer_is_refused_as_a_scan(tmp_path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(scan)

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(scan.read_bytes(), "scan.pdf")

    assert refused.value.code == "import.pdf_without_text"
    assert "scan" in english(refused.value)


def test_a_damaged_pdf_is_an_import_error() -> None:
    with pytest.raises(ImportFormatError):
        read_plan_bytes(b"%PDF-1.7\n garbage", "hong.pdf")


@pytest.mark.parametrize("suffix", [".doc", ".odt"])
def test_a_doc_or_odt_is_converted_by_libreoffice_and_read_like_the_docx(
    suffix: str, tmp_path: Path
) -> None:
    original = documents.restarting_plan()
    # Saved as .odt first, then as .doc from there: LibreOffice's direct .docx to .doc
    # filter drops python-docx's tables, which Word's own files never hit.
    converted = documents.convert(original, ".docx", "odt", tmp_path)
    if suffix == ".doc":
        converted = documents.convert(converted, ".odt", "doc", tmp_path / "doc")

    plan = read_isolated(converted, "ke-hoach" + suffix)

    expected = read_plan_bytes(original, "ke-hoach.docx")
    assert [task.number for task in plan.tasks] == [task.number for task in expected.tasks]
    assert [task.title for task in plan.tasks] == [task.title for task in expected.tasks]
    assert plan.header.number == "123/KH-UBND"
    assert plan.source_format == suffix[1:]


def test_without_libreoffice_a_doc_is_refused_naming_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "cu.doc")

    assert refused.value.code == "import.converter_missing"
    assert "libreoffice-writer-nogui" in english(refused.value)
    assert "libreoffice-writer-nogui" in vietnamese(refused.value)


def test_a_damaged_doc_is_refused_as_not_convertible() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(b"\xd0\xcf\x11\xe0 not really a word file", "hong.doc")

    assert refused.value.code in {"import.not_convertible", "import.no_task_table",
                                  "import.no_task_rows"}
