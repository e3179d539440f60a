"""A plan typed in by hand, one command at a time, reads exactly as the same plan imported
from a Word table; and typing one in follows the rules an import follows. Both stores."""

from __future__ import annotations

import dataclasses
from datetime import date
from io import BytesIO
from typing import Any
from uuid import UUID

import pytest
from docx import Document

from domain.errors import AlreadyExists, DomainError, NotFound
from importers import read_plan_bytes
from service.commands import (
    AddGroup,
    AddIndicator,
    AddTask,
    Context,
    CreatePlan,
    ImportPlan,
    RenameAgency,
)
from service.ledger import TenantLedger
from service.queries import TenantQueries
from service.tenancy import Tenancy

DOST = Context(actor="dost")
NUMBER = "9/KH-UBND"
ISSUED = date(2025, 3, 5)
TITLE = "Triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ"
GROUPS = [("I", "Hoàn thiện thể chế, chính sách"), ("II", "Phát triển hạ tầng số")]
# group, number, title, leads, coordinators, expected output, deadline
TASKS = [
    ("I", "1", "Xây dựng quy chế quản lý dữ liệu", "Sở Khoa học và Công nghệ",
     "Sở Tư pháp, Sở Nội vụ", "Quyết định", "Quý II/2025"),
    ("I", "2", "Rà soát thủ tục hành chính", "Sở Nội vụ; Văn phòng UBND tỉnh", "",
     "Báo cáo", "Hằng năm"),
    ("II", "3", "Phủ sóng 5G đến các thôn", "Sở Khoa học và Công nghệ", "Các Sở, ban, ngành",
     "Hạ tầng", "Thường xuyên"),
    ("II", "4", "Triển khai nền tảng dữ liệu dùng chung", "Sở Khoa học và Công nghệ", "",
     "Nền tảng", "Theo tiến độ của Bộ Khoa học và Công nghệ"),
]
# code, name, unit, target, responsible
INDICATORS = [
    ("1", "Tỉ lệ dịch vụ công trực tuyến toàn trình", "%", "≥ 80", "Sở Khoa học và Công nghệ"),
    ("2", "Chỉ tiêu về chuyển đổi số", "", "", "Sở Khoa học và Công nghệ"),
    ("2.1", "Tỉ lệ hồ sơ được số hóa", "%", "100", "Văn phòng UBND tỉnh"),
]


def word_plan() -> bytes:
    """The plan as a province publishes it: letterhead, title, signer, two appendix tables."""
    document = Document()
    top = document.add_table(rows=1, cols=2)
    top.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM"
    top.cell(0, 0).add_paragraph(f"Số: {NUMBER}")
    top.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    top.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    top.cell(0, 1).add_paragraph("Quảng Nam, ngày 05 tháng 3 năm 2025")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph(TITLE)
    document.add_paragraph("PHỤ LỤC I")
    indicators = document.add_table(rows=1, cols=5)
    for cell, text in zip(indicators.rows[0].cells, ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả",
                                                     "Cơ quan chủ trì theo dõi"], strict=True):
        cell.text = text
    for row in INDICATORS:
        for cell, text in zip(indicators.add_row().cells, row, strict=True):
            cell.text = text
    document.add_paragraph("PHỤ LỤC II")
    tasks = document.add_table(rows=1, cols=6)
    for cell, text in zip(tasks.rows[0].cells, ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì",
                                               "Cơ quan phối hợp", "Kết quả",
                                               "Thời gian hoàn thành"], strict=True):
        cell.text = text
    for code, title in GROUPS:
        cells = tasks.add_row().cells
        cells[0].text = code
        cells[1].merge(cells[-1]).text = title
        for group, number, *rest in TASKS:
            if group == code:
                for cell, text in zip(tasks.add_row().cells, [number, *rest], strict=True):
                    cell.text = text
    stream = BytesIO()
    document.save(stream)
    return stream.getvalue()


def type_in(ledger: TenantLedger) -> None:
    """The same plan, typed in field by field as the officer reads it off the paper."""
    ledger.handle(CreatePlan(number=NUMBER, title=TITLE, issued_on=ISSUED,
                             issuer="UBND tỉnh Quảng Nam", place="Quảng Nam"), DOST)
    for code, title in GROUPS:
        ledger.handle(AddGroup(code=code, title=title), DOST)
    for group, number, title, leads, coordinators, output, deadline in TASKS:
        ledger.handle(AddTask(group=group, number=number, title=title, leads=leads,
                              coordinators=coordinators, expected_output=output,
                              deadline=deadline), DOST)
    for code, name, unit, target, responsible in INDICATORS:
        ledger.handle(AddIndicator(code=code, name=name, unit=unit, target=target,
                                   responsible=responsible), DOST)


def _plain(value: Any) -> Any:
    """A read model as plain data, without what differs between two recordings of the
    same plan: ids and the times it was recorded."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()
                if k not in ("id", "plan_id", "added_at", "recorded_at")}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, UUID):
        return "<id>"
    return value


def read_models(queries: TenantQueries, on: date) -> dict[str, Any]:
    status = queries.status(on)
    return {
        "plans": _plain(queries.plans()),
        "status": _plain(status),
        "tasks": _plain([queries.task_detail(row.number, None, on) for row in status]),
        "indicators": _plain(queries.indicator_list()),
        "progress": _plain(queries.indicators()),
        # The register as a set: rows come back from the store in no promised order.
        "agencies": _plain(sorted(queries.agencies(), key=lambda a: a.key)),
        "summary": _plain(queries.summary(on)),
    }


def test_a_plan_typed_in_reads_exactly_as_the_same_plan_imported_from_a_word_table(
    tenancy: Tenancy,
) -> None:
    tenancy.create_tenant("imported", "Tỉnh nhập từ tệp")
    tenancy.create_tenant("typed", "Tỉnh nhập tay")
    document = read_plan_bytes(word_plan(), "ke-hoach-9.docx")
    assert not document.problems
    tenancy.ledger("imported", for_writing=True).handle(
        ImportPlan(document=document, sha256="a" * 64), DOST)
    type_in(tenancy.ledger("typed", for_writing=True))

    on = date(2025, 9, 30)
    imported = read_models(tenancy.queries("imported"), on)
    typed = read_models(tenancy.queries("typed"), on)

    assert len(imported["tasks"]) == 4 and len(imported["indicators"]) == 3
    assert [g["code"] for g in imported["plans"][0]["groups"]] == ["I", "II"]
    assert imported["tasks"][3]["deadline_kind"] == "unparsed"  # kept as text, both ways
    for view in imported:
        assert typed[view] == imported[view], view


def test_typing_in_records_one_event_per_step(tenancy: Tenancy) -> None:
    tenancy.create_tenant("typed", "Tỉnh nhập tay")
    ledger = tenancy.ledger("typed", for_writing=True)
    queries = tenancy.queries("typed")

    ledger.handle(CreatePlan(number=NUMBER, issued_on=ISSUED), DOST)
    after_plan = queries.head()  # the tenant's plan catalogue, its listing, the plan
    ledger.handle(AddGroup(code="I", title="Thể chế"), DOST)
    after_group = queries.head()
    ledger.handle(AddTask(number="1", title="Quy chế", leads="Sở Y tế", deadline="6/2025"), DOST)
    after_task = queries.head()  # the task, and the agency it names for the first time
    ledger.handle(AddTask(number="2", title="Báo cáo", leads="Sở Y tế", deadline="2025"), DOST)

    assert (after_plan, after_group - after_plan, after_task - after_group) == (3, 1, 2)
    assert queries.head() - after_task == 1
    entries = queries.history("1")
    assert [(e.code, e.effective_on) for e in entries] == [("audit.task_added", ISSUED)]


def test_a_task_of_a_plan_without_groups_goes_in_the_group_an_import_would_give_it(
    tenancy: Tenancy,
) -> None:
    tenancy.create_tenant("typed", "Tỉnh nhập tay")
    ledger = tenancy.ledger("typed", for_writing=True)
    ledger.handle(CreatePlan(number=NUMBER), DOST)

    ledger.handle(AddTask(number="1", title="Quy chế", leads="Sở Y tế"), DOST)
    ledger.handle(AddTask(number="2", title="Báo cáo", leads="Sở Y tế"), DOST)

    (plan,) = tenancy.queries("typed").plans()
    assert [(g.code, g.title) for g in plan.groups] == [("I", "Nhiệm vụ")]
    assert {t.group for t in tenancy.queries("typed").status(ISSUED)} == {"I"}


def test_typing_in_is_refused_as_an_import_would_be_naming_the_field(tenancy: Tenancy) -> None:
    tenancy.create_tenant("typed", "Tỉnh nhập tay")
    ledger = tenancy.ledger("typed", for_writing=True)
    type_in(ledger)

    def refusal(command: Any) -> tuple[str | None, str | None, dict[str, Any]]:
        with pytest.raises(DomainError) as refused:
            ledger.handle(command, DOST)
        return refused.value.code, refused.value.field, dict(refused.value.params)

    assert refusal(CreatePlan(number=" 9/kh-ubnd ")) == (
        "plan.exists", "number", {"number": "9/kh-ubnd"})
    assert refusal(CreatePlan(number="  ")) == ("plan.needs_number", "number", {})
    assert refusal(AddGroup(code="ii", title="Lặp lại"))[:2] == ("plan.group_exists", "code")
    assert refusal(AddGroup(code="III", title=" "))[:2] == ("plan.group_needs_title", "title")
    assert refusal(AddTask(group="II", number="3.", title="Lặp lại")) == (
        "task.exists", "number", {"number": "3", "plan": NUMBER})
    assert refusal(AddTask(group="V", number="9", title="Nhóm lạ")) == (
        "plan.no_such_group", "group", {"code": "V", "groups": ["I", "II"]})
    assert refusal(AddTask(number="9", title="Không nhóm"))[:2] == ("plan.group_needed", "group")
    assert refusal(AddTask(group="I", number="9", title=""))[:2] == ("task.needs_title", "title")
    assert refusal(AddIndicator(code="2.1", name="Lặp lại"))[:2] == ("indicator.exists", "code")
    assert refusal(AddIndicator(code="4", name=""))[:2] == ("indicator.needs_name", "name")
    with pytest.raises(NotFound):
        ledger.handle(AddTask(plan="1/KH", group="I", number="9", title="Kế hoạch lạ"), DOST)
    with pytest.raises(AlreadyExists):
        ledger.handle(ImportPlan(document=read_plan_bytes(word_plan(), "ke-hoach-9.docx"),
                                 sha256="b" * 64), DOST)
    assert len(tenancy.queries("typed").status(ISSUED)) == 4


def test_an_agency_chosen_from_the_register_by_its_current_name_keeps_its_identity(
    tenancy: Tenancy,
) -> None:
    tenancy.create_tenant("typed", "Tỉnh nhập tay")
    ledger = tenancy.ledger("typed", for_writing=True)
    type_in(ledger)
    ledger.handle(RenameAgency(agency="Sở Nội vụ", new_name="Sở Nội vụ và Lao động",
                               reason="Hợp nhất"), DOST)

    result = ledger.handle(AddTask(group="I", number="5", title="Sắp xếp bộ máy",
                                   leads="Sở Nội vụ và Lao động"), DOST)

    queries = tenancy.queries("typed")
    assert result.detail["new_agencies"] == []  # type: ignore[union-attr]
    task = queries.task_detail("5", None, ISSUED)
    assert task.leads == queries.task_detail("2", None, ISSUED).leads[:1]
