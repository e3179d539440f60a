"""Word plans as ministries and provinces write them: numbering that restarts in each group,
group headings that are tasks, rows split in two, appendices published alone."""

from __future__ import annotations

from datetime import date

from domain.deadlines import DeadlineKind, parse_deadline
from importers import read_plan_bytes
from importers.builder import MissingNumber
from tests.imports import documents
from tests.messages import english, vietnamese


def test_numbers_restarting_in_each_group_become_references_qualified_by_group() -> None:
    plan = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx")

    assert [task.number for task in plan.tasks] == [
        "I.1", "I.2", "I.3", "II", "II.1", "II.2", "III.1", "III.2"]
    assert [task.shown_number for task in plan.tasks] == [
        "1", "2", "3", "II", "1", "2", "1", "2"]
    assert [(group.code, group.title) for group in plan.groups] == [
        ("I", "HOÀN THIỆN THỂ CHẾ"), ("II", "PHÁT TRIỂN HẠ TẦNG SỐ"),
        ("III", "CHUYỂN ĐỔI SỐ TRONG CƠ QUAN NHÀ NƯỚC")]
    assert plan.problems == ()


def test_a_group_heading_with_its_own_lead_and_deadline_is_a_task_with_a_note() -> None:
    plan = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx")

    heading = next(task for task in plan.tasks if task.number == "II")
    assert (heading.title, heading.leads, heading.deadline) == (
        "PHÁT TRIỂN HẠ TẦNG SỐ", "Sở Khoa học và Công nghệ", "2026 - 2030")
    notes = [note for note in plan.notes if note.code == "import.note.group_task"]
    assert [(note.reference, note.row) for note in notes] == [("II", 6)]


def test_a_heading_merged_across_the_row_is_read_once_and_is_not_a_task() -> None:
    plan = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx")

    assert [task.group_code for task in plan.tasks].count("III") == 2
    assert "III" not in [task.number for task in plan.tasks]


def test_a_row_split_in_two_is_joined_to_the_task_above_with_a_note() -> None:
    plan = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx")

    task = next(task for task in plan.tasks if task.number == "II.2")
    assert task.title == ("Nâng cấp trung tâm dữ liệu tỉnh, bảo đảm an toàn thông tin cấp độ 4 "
                          "và kết nối với Trung tâm dữ liệu quốc gia")
    assert task.leads == "Sở Khoa học và Công nghệ"
    assert task.deadline == "Trước ngày 15/12 hằng năm"
    assert task.expected_output == "Trung tâm dữ liệu"
    (note,) = [note for note in plan.notes if note.code == "import.note.continuation"]
    assert (note.row, note.reference) == (9, "II.2")
    assert english(note.note).endswith(
        ": row joined to task 2 above it (its number cell is empty)")
    assert vietnamese(note.note).endswith(
        ": ô số thứ tự để trống, nội dung được nối vào nhiệm vụ 2 ở trên (dòng bị tách đôi)")
    assert parse_deadline(task.deadline).annual_due == "12-15"


def test_the_deadline_phrases_of_the_plan_are_read() -> None:
    plan = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx")

    kinds = {task.number: parse_deadline(task.deadline).kind for task in plan.tasks}
    assert kinds == {
        "I.1": DeadlineKind.QUARTER, "I.2": DeadlineKind.MONTH, "I.3": DeadlineKind.CONTINUOUS,
        "II": DeadlineKind.RANGE, "II.1": DeadlineKind.YEARLY, "II.2": DeadlineKind.YEARLY,
        "III.1": DeadlineKind.YEARLY, "III.2": DeadlineKind.UNPARSED,
    }


def test_letterhead_table_date_line_and_signature_table_give_the_metadata() -> None:
    header = read_plan_bytes(documents.restarting_plan(), "ke-hoach.docx").header

    assert (header.number, header.issued_on, header.place) == (
        "123/KH-UBND", date(2026, 10, 15), "Quảng Nam")
    assert header.issuing_body == "UBND tỉnh Quảng Nam"
    assert (header.signer_title, header.signer) == ("Phó Chủ tịch", "Trần Anh Tuấn")
    assert header.title == "Triển khai nhiệm vụ chuyển đổi số năm 2026"


def test_an_appendix_published_alone_takes_the_number_and_date_of_its_decision() -> None:
    plan = read_plan_bytes(documents.appendix_only(), "phu-luc.docx")

    header = plan.header
    assert (header.number, header.issued_on) == ("2345/QĐ-BKHCN", date(2026, 10, 15))
    assert header.issuing_body == "Bộ Khoa học và Công nghệ"
    assert header.title == "DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026"
    assert header.legal_basis == ()
    assert [task.number for task in plan.tasks] == ["I.1", "I.2", "II.1"]


def test_a_table_without_any_number_is_kept_for_the_person_to_supply_one() -> None:
    data = documents.save(_no_number())

    try:
        read_plan_bytes(data, "khong-so.docx")
    except MissingNumber as missing:
        assert missing.code == "import.docx_no_plan_number"
    else:
        raise AssertionError("a document without a number was accepted")
    plan = read_plan_bytes(data, "khong-so.docx", require_number=False)
    assert (plan.header.number, len(plan.tasks)) == ("", 1)


def _no_number():  # type: ignore[no-untyped-def]
    from docx import Document  # noqa: PLC0415

    document = Document()
    document.add_paragraph("DANH MỤC NHIỆM VỤ")
    documents.task_table(document, [["1", "Một việc", "Sở Nội vụ", "", "2026", ""]])
    return document
