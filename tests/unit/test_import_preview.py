"""The import preview marks each agency as matched or new, and names spelled two ways."""

from __future__ import annotations

from domain.plan_document import PlanDocument, PlanHeader, TaskGroup, TaskRow
from service.import_preview import build_preview, preview_json


def _document(*rows: tuple[str, str, str]) -> PlanDocument:
    tasks = tuple(TaskRow("I", number, f"Việc {number}", leads, coordinators, "", "2026")
                  for number, leads, coordinators in rows)
    return PlanDocument(PlanHeader("1/KH", "", None), (TaskGroup("I", "Nhóm"),), tasks, ())


def test_abbreviated_and_full_names_of_one_agency_are_matched_and_flagged() -> None:
    register = {"ban quan ly cac khu kinh te va khu cong nghiep":
                "Ban Quản lý các Khu kinh tế và Khu công nghiệp"}
    preview = build_preview(_document(("1", "Ban Quản lý các KKT và KCN", "Sở Nội Vụ"),
                                      ("2", "Sở Nội vụ", "")), register)

    by_name = {mark.name: mark for mark in preview.agencies}
    board = by_name["Ban Quản lý các KKT và KCN"]
    assert board.matched and board.registered == "Ban Quản lý các Khu kinh tế và Khu công nghiệp"
    assert board.also_written == ("Ban Quản lý các Khu kinh tế và Khu công nghiệp",)
    assert not by_name["Sở Nội Vụ"].matched
    assert by_name["Sở Nội Vụ"].also_written == ("Sở Nội vụ",)
    assert by_name["Sở Nội vụ"].also_written == ("Sở Nội Vụ",)
    assert (preview.new_agencies, preview.near_duplicates) == (2, 3)


def test_names_nearly_alike_but_not_the_same_agency_are_flagged_as_similar() -> None:
    preview = build_preview(_document(("1", "Sở Nội vụ", ""), ("2", "Sở Nội vụu", "")), {})

    assert preview.agencies[0].similar == ("Sở Nội vụu",)


def test_the_json_preview_carries_references_deadlines_and_counts() -> None:
    found = preview_json(build_preview(_document(("1", "Sở Y tế", "")), {}), "ab" * 32)

    assert found["upload"] == "ab" * 32
    assert found["tasks"][0]["deadline"]["meaning"].startswith("Năm 2026")
    assert found["counts"] == {"groups": 1, "tasks": 1, "indicators": 0, "new_agencies": 1,
                               "near_duplicates": 0}
