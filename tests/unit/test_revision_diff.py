"""What a revised plan document changes, read as a planning officer reads the two lists:
tasks matched by number, or by wording once the numbering has moved; Vietnamese compared
with its diacritics, wherever the tone mark sits."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

from domain.agencies import split_agencies
from domain.deadlines import parse_deadline
from domain.plan_document import IndicatorRow, TaskRow
from domain.revision import (
    ADDED,
    GROUP_CHANGED,
    CurrentIndicator,
    CurrentTask,
    revision_diff,
    same_wording,
)
from importers import read_plan_document
from tests.fixtures import REGROUPED_SEED
from tests.fixtures import REVISED_SEED as REVISED

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"


def keys(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.key for name in split_agencies(cell)))


def as_current(row: TaskRow, state: str = "open") -> CurrentTask:
    leads = keys(row.leads)
    return CurrentTask(row.number, row.group_code, row.title, row.expected_output, leads,
                       tuple(k for k in keys(row.coordinators) if k not in leads),
                       parse_deadline(row.deadline), state)


def row(number: str, title: str, group: str = "I", leads: str = "Sở Y tế",
        deadline: str = "2025") -> TaskRow:
    return TaskRow(group_code=group, number=number, title=title, leads=leads, coordinators="",
                   expected_output="Kế hoạch", deadline=deadline)


def test_the_revised_seed_differs_by_exactly_the_five_changes_written_into_it() -> None:
    seed, revised = read_plan_document(SEED), read_plan_document(REVISED)
    diff = revision_diff([as_current(r) for r in seed.tasks], revised.tasks, keys)
    assert [(d.reference, d.written_number, d.kinds) for d in diff.changes] == [
        ("2", "2", ("reworded",)),
        ("3", "3", ("deadline_changed",)),
        ("9", "8", ("lead_changed",)),  # renumbered once task 7 was dropped
        ("61", "60", ("added",)),  # 60 is the old task 60's: the new one takes the next
        ("7", "", ("removed",)),
    ]
    assert diff.counts() == {"added": 1, "removed": 1, "reworded": 1, "deadline_changed": 1,
                             "lead_changed": 1, "coordinators_changed": 0, "group_changed": 0,
                             "group_renamed": 0, "target_changed": 0, "indicator_added": 0,
                             "indicator_removed": 0}
    # Every task after the dropped one moved up a number and is still matched to itself.
    unchanged = [d for d in diff.tasks if not d.changed]
    assert len(unchanged) == 56
    assert all(int(d.written_number) == int(d.reference) - (int(d.reference) > 7)
               for d in unchanged)


def test_a_tone_mark_placed_the_new_way_or_a_decomposed_text_is_the_same_wording() -> None:
    assert same_wording("Cụ thể hóa nhiệm vụ", "Cụ thể hoá nhiệm vụ")
    assert same_wording("Phủ sóng  5G toàn tỉnh", "phủ sóng 5G toàn tỉnh.")
    assert same_wording("Hòa nhập số", unicodedata.normalize("NFD", "Hòa nhập số"))
    assert not same_wording("Hòa nhập số", "Hoa nhập số")  # a tone dropped is another word
    assert not same_wording("Sở Y tế", "Số Y tế")


def test_tasks_renumbered_by_a_dropped_task_are_matched_by_their_wording() -> None:
    current = [as_current(row("1", "Xây dựng kế hoạch chuyển đổi số")),
               as_current(row("2", "Đào tạo kỹ năng số cho cán bộ")),
               as_current(row("3", "Phủ sóng 5G đến các thôn"))]
    revised = [row("1", "Xây dựng kế hoạch chuyển đổi số"),
               row("2", "Phủ sóng 5G đến tất cả các thôn", deadline="2026")]
    diff = revision_diff(current, revised, keys)
    assert [(d.reference, d.written_number, d.kinds) for d in diff.changes] == [
        ("3", "2", ("reworded", "deadline_changed")), ("2", "", ("removed",))]


def test_a_task_whose_wording_is_replaced_in_its_own_place_is_reworded() -> None:
    current = [as_current(row("1", "Xây dựng kế hoạch chuyển đổi số"))]
    diff = revision_diff(current, [row("1", "Tổ chức hội nghị quán triệt Nghị quyết")], keys)
    assert [(d.reference, d.kinds) for d in diff.changes] == [("1", ("reworded",))]


def test_a_task_added_takes_its_own_number_when_free_and_the_next_one_when_not() -> None:
    current = [as_current(row("1", "Xây dựng kế hoạch chuyển đổi số")),
               as_current(row("2", "Đào tạo kỹ năng số cho cán bộ"), state="cancelled")]
    revised = [row("1", "Xây dựng kế hoạch chuyển đổi số"),
               row("2", "Thành lập trung tâm đổi mới sáng tạo", group="II"),
               row("3", "Ban hành quy chế dữ liệu mở", group="II")]
    diff = revision_diff(current, revised, keys)
    assert [(d.reference, d.written_number) for d in diff.of_kind(ADDED)] == [
        ("3", "2"), ("4", "3")]
    # The cancelled task 2 is gone already: leaving it out removes nothing.
    assert diff.of_kind("removed") == ()


def test_changes_to_a_completed_task_are_shown_but_left_as_they_are() -> None:
    current = [as_current(row("1", "Xây dựng kế hoạch chuyển đổi số"), state="completed")]
    diff = revision_diff(current, [row("1", "Xây dựng kế hoạch chuyển đổi số", deadline="2026")],
                         keys)
    (change,) = diff.changes
    assert change.kinds == ("deadline_changed",) and not change.applicable
    assert diff.counts()["deadline_changed"] == 0 and diff.skipped == (change,)


def test_an_indicator_target_written_otherwise_is_a_change_and_spacing_is_not() -> None:
    current = [CurrentIndicator("1", "Tỉ lệ dịch vụ công trực tuyến", "≥ 80"),
               CurrentIndicator("2", "Tỉ lệ giao dịch không dùng tiền mặt", "> 80"),
               CurrentIndicator("7", "Hạ tầng số", "", is_heading=True)]
    rows = [IndicatorRow("1", "Tỉ lệ dịch vụ công trực tuyến", "%", "≥ 90", "", 2030),
            IndicatorRow("2", "Tỉ lệ giao dịch không dùng tiền mặt", "%", ">80", "", 2030),
            IndicatorRow("3", "Chỉ tiêu mới", "%", "50", "", 2030)]
    diff = revision_diff([], [], keys, current, rows)
    assert [(t.code, t.before, t.after) for t in diff.targets] == [("1", "≥ 80", "≥ 90")]
    assert diff.counts()["target_changed"] == 1


def test_the_same_deadline_written_otherwise_and_leads_in_another_order_are_no_change() -> None:
    current = [as_current(row("1", "Xây dựng kế hoạch", leads="Sở Y tế; Sở Tư pháp",
                              deadline="3/2025"))]
    diff = revision_diff(current, [row("1", "Xây dựng kế hoạch", leads="Sở Tư pháp, Sở Y tế",
                                       deadline="03/2025")], keys)
    assert diff.changes == ()


def current_indicators(rows: list[IndicatorRow]) -> list[CurrentIndicator]:
    return [CurrentIndicator(r.code.rstrip("."), r.name, r.target, r.is_heading) for r in rows]


def test_a_task_moved_to_another_group_a_group_renamed_and_indicators_added_and_removed(
        ) -> None:
    seed, revised = read_plan_document(SEED), read_plan_document(REGROUPED_SEED)
    diff = revision_diff([as_current(r) for r in seed.tasks], revised.tasks, keys,
                         current_indicators(seed.indicators), revised.indicators,
                         groups=[(g.code, g.title) for g in seed.groups],
                         group_rows=revised.groups)
    assert [(d.reference, d.kinds) for d in diff.changes] == [("9", ("group_changed",))]
    (moved,) = diff.changes
    assert (moved.group_code, moved.after and moved.after.group_code) == ("I", "II")
    assert [(g.code, g.after.endswith("gắn với bảo đảm an ninh mạng")) for g in diff.groups] \
        == [("III", True)]
    assert [r.code for r in diff.added_indicators] == ["32"]
    assert [i.code for i in diff.removed_indicators] == ["31"]
    assert {k: n for k, n in diff.counts().items() if n} == {
        "group_changed": 1, "group_renamed": 1, "indicator_added": 1, "indicator_removed": 1}


def test_a_document_listing_only_its_changes_or_under_no_heading_moves_and_removes_nothing(
        ) -> None:
    seed = read_plan_document(SEED)
    current = [as_current(r) for r in seed.tasks]
    ungrouped = [row("1", seed.tasks[0].title, group="", leads=seed.tasks[0].leads,
                     deadline=seed.tasks[0].deadline)]
    diff = revision_diff(current, ungrouped, keys, current_indicators(seed.indicators),
                         seed.indicators[:3], partial=True)
    assert GROUP_CHANGED not in {k for d in diff.tasks for k in d.kinds}
    assert diff.removed_indicators == ()
    # A document listing no indicator removes none, listed only or not.
    diff = revision_diff(current, seed.tasks, keys, current_indicators(seed.indicators), ())
    assert diff.removed_indicators == () and diff.added_indicators == ()


def test_an_indicator_removed_before_is_neither_added_again_nor_removed_again() -> None:
    seed = read_plan_document(SEED)
    current = [replace(i, removed=i.code == "31") for i in current_indicators(seed.indicators)]
    listed = [i for i in seed.indicators if i.code.rstrip(".") != "31"]
    diff = revision_diff([as_current(r) for r in seed.tasks], seed.tasks, keys, current,
                         listed)
    assert diff.removed_indicators == () and diff.added_indicators == ()
    diff = revision_diff([as_current(r) for r in seed.tasks], seed.tasks, keys, current,
                         seed.indicators)
    assert diff.added_indicators == () and diff.targets == ()
