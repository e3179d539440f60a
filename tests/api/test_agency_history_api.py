"""Agencies' history and collectives over HTTP: succession with its date, who was
responsible on a date, merger, dissolution, alias with its preview, collectives."""

from __future__ import annotations

from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem
from tests.api.principals import login

DISTRICTS = "UBND các huyện, thị xã, thành phố"
COMMUNES = "UBND các xã, phường"


def test_a_succession_changes_who_is_responsible_from_its_date(
    client: FlaskClient, seeded: str
) -> None:
    missing_date = assert_problem(client.post(f"{seeded}/agencies/{DISTRICTS}/succeed", json={
        "successors": [COMMUNES], "reason": "Không tổ chức cấp huyện"}), 422)
    assert "effective_on" in missing_date["errors"]
    done = client.post(f"{seeded}/agencies/{DISTRICTS}/succeed", json={
        "successors": [COMMUNES], "reason": "Không tổ chức cấp huyện",
        "decision_ref": "202/2025/QH15", "effective_on": "01/07/2025"})
    assert done.status_code == 200, done.get_json()
    june = client.get(f"{seeded}/tasks/10/responsible?on=15/06/2025").get_json()
    july = client.get(f"{seeded}/tasks/10/responsible?on=2025-07-15").get_json()
    assert DISTRICTS in june["responsible"] and COMMUNES not in june["responsible"]
    assert COMMUNES in july["responsible"] and DISTRICTS not in july["responsible"]
    duty = next(d for d in july["duties"] if d["agency"]["name"] == DISTRICTS)
    assert (duty["change"], duty["since"]) == ("succession", "2025-07-01")
    assert [c["name"] for c in duty["carried_by"]] == [COMMUNES]
    # The status list as effective on a date says the same; the task keeps its leads.
    status = client.get(f"{seeded}/status?effective_on=15/07/2025&on=15/07/2025").get_json()
    row = next(t for t in status["tasks"] if t["number"] == "10")
    assert COMMUNES in row["responsible"] and DISTRICTS in row["leads"]
    history = client.get(f"{seeded}/agencies/{DISTRICTS}/history").get_json()
    assert (history["ended"], history["ended_on"], history["successors"]) == (
        "succession", "2025-07-01", [COMMUNES])
    changes = client.get(f"{seeded}/changes?type=agency_succeeded",
                         headers={"Accept-Language": "vi"}).get_json()
    (entry,) = changes["entries"]
    assert entry["summary"] == f"{DISTRICTS} được {COMMUNES} kế nhiệm từ ngày 01/07/2025"
    assert_problem(client.get(f"{seeded}/tasks/99/responsible"), 404)


def test_merger_dissolution_and_alias_with_its_preview(client: FlaskClient, seeded: str) -> None:
    merged = client.post(f"{seeded}/agencies/merge", json={
        "agencies": ["Sở Y tế", "Sở Giáo dục và Đào tạo"], "into": "Sở Y tế và Giáo dục",
        "reason": "Hợp nhất", "effective_on": "01/03/2025"})
    assert merged.status_code == 200, merged.get_json()
    health = client.get(f"{seeded}/agencies/Sở Y tế/history").get_json()
    assert (health["ended"], health["successors"]) == ("merger", ["Sở Y tế và Giáo dục"])
    assert client.get(f"{seeded}/agencies/so y te va giao duc").status_code == 200
    again = assert_problem(client.post(f"{seeded}/agencies/Sở Y tế/dissolve", json={
        "reason": "Giải thể", "effective_on": "01/04/2025"}), 422)
    assert "agency" in again["errors"]
    assert client.post(f"{seeded}/agencies/Sở Tài chính/dissolve", json={
        "reason": "Giải thể", "effective_on": "01/04/2025"}).status_code == 200
    client.post(f"{seeded}/agencies", json={"name": "Sở Khoa học - Công nghệ"})
    preview = client.get(f"{seeded}/agencies/Sở Khoa học - Công nghệ/alias-preview"
                         "?into=Sở Khoa học và Công nghệ&year=2025").get_json()
    assert preview["alias"]["name"] == "Sở Khoa học - Công nghệ" and preview["tasks"] == []
    assert preview["agency"]["key"] == "so khoa hoc va cong nghe"
    aliased = client.post(f"{seeded}/agencies/Sở Khoa học - Công nghệ/alias",
                          json={"into": "Sở Khoa học và Công nghệ"})
    assert aliased.status_code == 200
    history = client.get(f"{seeded}/agencies/Sở Khoa học - Công nghệ/history").get_json()
    assert (history["ended"], history["successors"]) == ("alias", ["Sở Khoa học và Công nghệ"])


def test_collectives_are_marked_expanded_and_scored_apart(
    client: FlaskClient, seeded: str
) -> None:
    card = client.get(f"{seeded}/scorecard?year=2025").get_json()
    assert "Các Sở, ban, ngành" not in {a["agency"] for a in card["agencies"]}
    assert "Các Sở, ban, ngành" in {a["agency"] for a in card["collectives"]}
    assert {a["rank"] for a in card["collectives"]} == {0}
    refused = assert_problem(client.post(f"{seeded}/agencies/Các Sở, ban, ngành/collective",
                                         json={"reason": "x"}), 422)
    assert "is_collective" in refused["errors"]
    assert client.post(f"{seeded}/agencies/Sở Y tế/collective", json={}).status_code == 200
    assert client.post(f"{seeded}/agencies/Sở Y tế/collective",
                       json={"is_collective": False}).status_code == 200
    for name in ("UBND thành phố Tam Kỳ", "UBND thị xã Điện Bàn"):
        client.post(f"{seeded}/agencies", json={"name": name})
    expanded = client.post(f"{seeded}/tasks/10/expand", json={
        "collective": DISTRICTS, "members": ["UBND thành phố Tam Kỳ", "UBND thị xã Điện Bàn"],
        "reason": "Giao từng địa phương"})
    assert expanded.status_code == 200, expanded.get_json()
    task = client.get(f"{seeded}/tasks/10").get_json()
    assert DISTRICTS not in task["leads"] and "UBND thành phố Tam Kỳ" in task["leads"]
    not_named = assert_problem(client.post(f"{seeded}/tasks/10/expand", json={
        "collective": DISTRICTS, "members": ["UBND thành phố Tam Kỳ"], "reason": "x"}), 422)
    assert "collective" in not_named["errors"]


def test_the_successors_reporter_reports_on_the_tasks_it_carries(
    client: FlaskClient, seeded: str
) -> None:
    client.post(f"{seeded}/agencies", json={"name": COMMUNES})
    reporter = login(client.application, "test.xa",
                     (Role.AGENCY_REPORTER, "quang-nam", COMMUNES))
    report = {"period": "2025-Q3", "percent": 20, "narrative": "Đang triển khai"}
    assert_problem(reporter.post(f"{seeded}/tasks/10/reports", json=report), 403)
    assert client.post(f"{seeded}/agencies/{DISTRICTS}/succeed", json={
        "successors": [COMMUNES], "reason": "Không tổ chức cấp huyện",
        "effective_on": "01/07/2025"}).status_code == 200
    sent = reporter.post(f"{seeded}/tasks/10/reports", json=report)
    assert sent.status_code == 201, sent.get_json()


def test_a_succeeded_agencys_reporter_enters_old_reports_but_none_from_the_succession_on(
    client: FlaskClient, seeded: str
) -> None:
    reporter = login(client.application, "test.huyen",
                     (Role.AGENCY_REPORTER, "quang-nam", DISTRICTS))
    assert client.post(f"{seeded}/agencies/{DISTRICTS}/succeed", json={
        "successors": [COMMUNES], "reason": "Không tổ chức cấp huyện",
        "effective_on": "01/07/2025"}).status_code == 200
    report = {"period": "2025-Q2", "percent": 20, "narrative": "Đang triển khai"}
    late = reporter.post(f"{seeded}/tasks/10/reports",
                         json={**report, "effective_on": "2025-06-20"})
    assert late.status_code == 201, late.get_json()
    refused = assert_problem(reporter.post(f"{seeded}/tasks/10/reports", json={
        **report, "period": "2025-Q3", "effective_on": "2025-07-05"}), 422)
    assert refused["code"] == "agency.succeeded" and COMMUNES in refused["detail"]
    card = client.get(f"{seeded}/scorecard?year=2025").get_json()
    assert DISTRICTS not in {a["agency"] for a in card["agencies"] + card["collectives"]}
    (ended,) = card["ended"]
    assert (ended["agency"], ended["rank"], ended["ended"], ended["ended_on"],
            ended["successors"], ended["reports"]) == (
        DISTRICTS, 0, "succession", "2025-07-01", [COMMUNES], 1)
