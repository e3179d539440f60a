"""Table headers are mapped to fields by what they mean, in the kind of table they head."""

from __future__ import annotations

from importers.columns import classify, map_columns
from tests.messages import english, vietnamese

SEED_TASK_HEADER = [
    "TT",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì tham mưu/thực hiện",
    "Cơ quan phối hợp",
    "Kết quả",
    "Thời gian hoàn thành",
]
SEED_INDICATOR_HEADER = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kết quả",
    "Cơ quan chủ trì theo dõi, đánh giá",
]


def test_the_seed_task_header_is_a_task_table_with_every_field() -> None:
    columns = classify(SEED_TASK_HEADER)

    assert columns is not None
    assert columns.kind == "task"
    assert dict(columns.fields) == {
        "number": 0,
        "title": 1,
        "leads": 2,
        "coordinators": 3,
        "expected_output": 4,
        "deadline": 5,
    }


def test_ket_qua_is_the_output_of_a_task_but_the_target_of_an_indicator() -> None:
    columns = classify(SEED_INDICATOR_HEADER)

    assert columns is not None
    assert columns.kind == "indicator"
    assert columns.fields["target"] == 3
    assert columns.fields["responsible"] == 4
    assert map_columns(SEED_INDICATOR_HEADER, "task").fields["expected_output"] == 3


def test_headers_match_without_diacritics_case_or_spacing() -> None:
    columns = classify(["stt", "TEN NHIEM VU", "don vi  chu tri", "Thoi han"])

    assert columns is not None
    assert dict(columns.fields) == {"number": 0, "title": 1, "leads": 2, "deadline": 3}


def test_unknown_headers_are_kept_as_extras_under_their_written_text() -> None:
    columns = classify(["TT", "Nhiệm vụ", "Chủ trì", "Nguồn kinh phí", "Ghi chú", ""])

    assert columns is not None
    assert columns.extras == ((3, "Nguồn kinh phí"), (4, "Ghi chú"), (5, "Cột 6"))
    assert columns.extra_cells(["1", "a", "b", "Ngân sách", "", "x"]) == {
        "Nguồn kinh phí": "Ngân sách",
        "Ghi chú": "",
        "Cột 6": "x",
    }


def test_a_whole_word_synonym_does_not_match_a_longer_header() -> None:
    columns = map_columns(["TT", "Chỉ tiêu", "Đơn vị thực hiện"], "indicator")

    assert "unit" not in columns.fields
    assert map_columns(["Đơn vị"], "indicator").fields == {"unit": 0}


def test_a_target_header_naming_a_year_is_not_the_indicator_name() -> None:
    columns = map_columns(["TT", "Tên chỉ tiêu", "Chỉ tiêu năm 2030"], "indicator")

    assert dict(columns.fields) == {"code": 0, "name": 1, "target": 2}


def test_a_task_table_without_a_title_column_names_what_is_missing() -> None:
    columns = classify(["TT", "Cơ quan chủ trì", "Thời hạn"])

    assert columns is not None
    assert columns.missing == ("title",)
    missing = columns.missing_message()
    assert missing.code == "import.missing_columns"
    assert english(missing).startswith("task table has no 'Tên nhiệm vụ' column")
    assert vietnamese(missing).startswith("Bảng nhiệm vụ không có cột 'Tên nhiệm vụ'")


def test_a_row_of_prose_is_not_a_table_header() -> None:
    assert classify(["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"]) is None
    assert classify(["Số kế hoạch", "1534/KH-UBND"]) is None
