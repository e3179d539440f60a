"""Reading plans in the seed's text layout: the real Quảng Nam plan and small variants."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from domain.plan_document import PlanDocument, PlanHeader
from importers import ImportFormatError, read_plan_bytes, read_plan_document
from tests.conftest import SEED  # the copy the project ships
from tests.messages import english


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return read_plan_document(SEED)


def test_the_seed_plan_has_sixty_tasks_in_seven_groups(seed: PlanDocument) -> None:
    sizes = Counter(task.group_code for task in seed.tasks)

    assert len(seed.tasks) == 60
    assert [group.code for group in seed.groups] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [sizes[group.code] for group in seed.groups] == [9, 5, 16, 2, 22, 5, 1]
    assert [task.number for task in seed.tasks] == [str(n) for n in range(1, 61)]


def test_the_seed_plan_is_read_without_problems(seed: PlanDocument) -> None:
    assert seed.problems == ()
    assert seed.source_format == "text"


def test_the_seed_header_names_number_date_body_signer_and_legal_basis(seed: PlanDocument) -> None:
    header = seed.header

    assert header.number == "1534/KH-UBND"
    assert header.issued_on == date(2025, 2, 27)
    assert header.place == "Quảng Nam"
    assert header.issuing_body == "UBND tỉnh Quảng Nam"
    assert header.signer_title == "Chủ tịch"
    assert header.signer == "Lê Văn Dũng"
    assert header.legal_basis == ("57-NQ/TW", "03/NQ-CP", "60-CTr/TU")


def test_the_seed_title_is_the_line_under_ke_hoach_as_written(seed: PlanDocument) -> None:
    assert seed.header.title.startswith("THỰC HIỆN NGHỊ QUYẾT SỐ 03/NQ-CP NGÀY 09/01/2025")
    assert seed.header.title.endswith("ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ QUỐC GIA")


def test_the_first_group_keeps_its_title(seed: PlanDocument) -> None:
    assert seed.groups[0].title.startswith("Nâng cao nhận thức, đột phá về đổi mới tư duy")
    assert seed.groups[6].title.startswith("Tăng cường hơp tác quốc tế")


def test_task_three_keeps_every_cell_as_written(seed: PlanDocument) -> None:
    task = seed.tasks[2]

    assert (task.group_code, task.number) == ("I", "3")
    assert task.leads == "Sở Khoa học và Công nghệ, Sở Giáo dục và Đào tạo"
    assert task.coordinators == "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố"
    assert task.expected_output == "Chương trình, kế hoạch"
    assert task.deadline == "3/2025"
    assert task.title.startswith("Xây dựng chương trình, kế hoạch phát động phong trào")
    assert task.source_row == 347
    assert task.extra == {}


def test_deadlines_are_kept_as_text_whatever_their_form(seed: PlanDocument) -> None:
    deadlines = {task.number: task.deadline for task in seed.tasks}

    assert deadlines["4"] == "Ngay sau khi Trung ương ban hành"
    assert deadlines["30"] == "2025 - 2030"
    assert deadlines["1"] == "02/2025"
    assert deadlines["16"] == "Hằng năm"
    assert deadlines["17"] == "Thường xuyên"
    assert seed.tasks[29].group_code == "III"


def test_the_seed_has_forty_indicator_rows_with_row_seven_as_a_heading(
    seed: PlanDocument,
) -> None:
    codes = [row.code for row in seed.indicators]
    heading = seed.indicators[6]

    assert len(seed.indicators) == 40
    assert codes[:8] == ["1", "2", "3", "4", "5", "6", "7", "7.1"]
    assert codes[-1] == "31"
    assert (heading.code, heading.is_heading, heading.unit, heading.target) == ("7", True, "", "")
    assert heading.responsible == "Sở Khoa học và Công nghệ"
    assert [row.parent_code for row in seed.indicators if row.code.startswith("7.")] == ["7"] * 9
    assert [row.code for row in seed.indicators if row.is_heading] == ["7"]


def test_indicator_horizons_come_from_the_section_rows(seed: PlanDocument) -> None:
    horizons = {row.code: row.horizon_year for row in seed.indicators}

    assert {horizons[str(n)] for n in range(1, 29)} == {2030}
    assert {horizons[f"7.{n}"] for n in range(1, 10)} == {2030}
    assert [horizons["29"], horizons["30"], horizons["31"]] == [2045, 2045, 2045]


def test_indicator_cells_are_kept_as_written(seed: PlanDocument) -> None:
    by_code = {row.code: row for row in seed.indicators}

    assert by_code["10"].unit == "Chỉ số phát triển con người (HDI)"
    assert by_code["10"].target == "> 0,7"
    assert by_code["18"].unit == ""
    assert by_code["18"].target == "Tiên tiến, hiện đại"
    assert by_code["13"].target == "≥3% và tăng dần theo yêu cầu phát triển"
    assert by_code["7.7"].responsible == "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố"
    assert by_code["4"].source_row == 140


def test_a_caller_can_override_the_header_field_by_field() -> None:
    given = PlanHeader(number="", title="Kế hoạch 1534 (tên rút gọn)", issued_on=None)

    document = read_plan_document(SEED, header=given)

    assert document.header.title == "Kế hoạch 1534 (tên rút gọn)"
    assert document.header.number == "1534/KH-UBND"
    assert document.header.issued_on == date(2025, 2, 27)


SMALL_PLAN = """\
Số: 7 /KH-UBND
Đà Nẵng, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW
Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024; Quyết định số 1131/QĐ-TTg ngày 15/6/2025;
I. MỤC ĐÍCH
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Thị Bình
PHỤ LỤC
STT
Thời hạn
Nội dung nhiệm vụ
Ghi chú
Đơn vị phối hợp
Đơn vị chủ trì
Sản phẩm
I.
Thể chế
1.
Quý II/2025
Ban hành quy chế
Ưu tiên
Sở Tư pháp
Sở Khoa học và Công nghệ
Quyết định
2.
2026
Rà soát văn bản
Sở Nội vụ
Báo cáo
"""


def test_a_text_plan_whose_columns_come_in_another_order_still_maps_by_meaning() -> None:
    document = read_plan_bytes(SMALL_PLAN.encode(), "ke-hoach.txt")
    task = document.tasks[0]

    assert (task.group_code, task.number, task.title) == ("I", "1", "Ban hành quy chế")
    assert task.deadline == "Quý II/2025"
    assert task.leads == "Sở Khoa học và Công nghệ"
    assert task.coordinators == "Sở Tư pháp"
    assert task.expected_output == "Quyết định"
    assert task.extra == {"Ghi chú": "Ưu tiên"}
    assert document.groups[0].title == "Thể chế"


def test_a_text_row_with_the_wrong_number_of_cells_is_reported_with_its_line() -> None:
    document = read_plan_bytes(SMALL_PLAN.encode(), "ke-hoach.txt")

    assert len(document.tasks) == 1
    (problem,) = document.problems
    assert problem.row == 27
    assert problem.content == "2. | 2026 | Rà soát văn bản | Sở Nội vụ | Báo cáo"
    assert (problem.reason.code, problem.reason.params["expected"]) == ("import.task_cells", 6)
    assert "expected 6 cells" in english(problem.reason)


def test_a_text_header_reads_a_deputy_signer_a_city_and_the_cited_decisions() -> None:
    header = read_plan_bytes(SMALL_PLAN.encode(), "ke-hoach.txt").header

    assert header.number == "7/KH-UBND"
    assert header.issued_on == date(2025, 3, 5)
    assert header.signer_title == "Phó Chủ tịch"
    assert header.signer == "Trần Thị Bình"
    assert header.issuing_body == ""
    assert header.legal_basis == ("57-NQ/TW", "1131/QĐ-TTg")


def test_a_text_file_without_a_title_column_is_refused_naming_that_column() -> None:
    text = SMALL_PLAN.replace("Nội dung nhiệm vụ\n", "Mô tả\n")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(text.encode(), "ke-hoach.txt")
    assert re.search("Tên nhiệm vụ", english(refused.value))


def test_a_text_file_without_any_task_table_is_refused() -> None:
    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes("Số: 7/KH-UBND\nKẾ HOẠCH\nNội dung\n".encode(), "ke-hoach.txt")
    assert re.search("no task table", english(refused.value))


def test_a_text_file_in_a_legacy_encoding_is_refused_with_a_clear_message() -> None:
    data = SMALL_PLAN.encode("cp1258", errors="replace")

    with pytest.raises(ImportFormatError) as refused:
        read_plan_bytes(data, "ke-hoach.txt")
    assert re.search("not UTF-8", english(refused.value))


def test_a_text_file_with_a_byte_order_mark_reads_like_one_without() -> None:
    document = read_plan_bytes(b"\xef\xbb\xbf" + SMALL_PLAN.encode(), "ke-hoach.txt")

    assert document.header.number == "7/KH-UBND"
