"""Typing a plan in through the API: its header, then each group, task and indicator, each
recorded as an event; refusals are problem details naming the field."""

from __future__ import annotations

from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem, create_tenant, events
from tests.api.principals import login

BASE = "/api/v1/tenants/quang-nam"
VI = {"Accept-Language": "vi"}


def test_a_plan_is_typed_in_group_by_group_and_task_by_task(client: FlaskClient) -> None:
    create_tenant(client)
    created = client.post(f"{BASE}/plans/typed", json={
        "number": "15/KH-TU", "title": "Thực hiện Nghị quyết 57", "issued_on": "05/03/2025",
        "issuer": "Tỉnh ủy Quảng Nam", "legal_basis": ["57-NQ/TW"]})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["number"] == "15/KH-TU"
    group = client.post(f"{BASE}/plans/groups", json={"code": "I", "title": "Thể chế"})
    assert (group.status_code, group.get_json()["group"]) == (201, "I")
    task = client.post(f"{BASE}/plans/tasks", json={
        "number": "1", "title": "Ban hành quy chế", "leads": "Sở Nội vụ; Sở Tư pháp",
        "deadline": "Quý II/2025", "expected_output": "Quyết định"})
    assert task.status_code == 201, task.get_json()
    answer = task.get_json()
    assert (answer["group"], answer["deadline"]["kind"], answer["deadline"]["due"]) == (
        "I", "quarter", "2025-06-30")
    assert answer["new_agencies"] == ["Sở Nội vụ", "Sở Tư pháp"]
    unparsed = client.post(f"{BASE}/plans/tasks", json={
        "number": "2", "title": "Hạ tầng", "leads": "Sở Nội vụ",
        "deadline": "Theo tiến độ của Trung ương"}).get_json()
    assert unparsed["deadline"]["kind"] == "unparsed" and unparsed["new_agencies"] == []
    indicator = client.post(f"{BASE}/plans/indicators", json={
        "code": "1", "name": "Tỉ lệ dịch vụ công trực tuyến", "unit": "%", "target": "≥ 80",
        "responsible": "Sở Nội vụ", "horizon_year": 2030})
    assert indicator.status_code == 201, indicator.get_json()

    # catalogue opened + plan listed + plan issued, a group, 2 agencies + a task, a task,
    # an indicator
    assert len(events(client, BASE)) == 3 + 1 + 3 + 1 + 1
    (plan,) = client.get(f"{BASE}/plans").get_json()["items"]
    assert (plan["number"], plan["issued_on"], plan["groups"]) == (
        "15/KH-TU", "2025-03-05", [{"code": "I", "title": "Thể chế"}])
    shown = client.get(f"{BASE}/tasks/1").get_json()
    assert (shown["deadline"], shown["leads"]) == ("Quý II/2025", ["Sở Nội vụ", "Sở Tư pháp"])
    (progress,) = client.get(f"{BASE}/indicator-progress").get_json()["items"]
    assert (progress["code"], progress["target"]) == ("1", "≥ 80")


def test_what_an_import_would_refuse_is_a_problem_naming_the_field(client: FlaskClient) -> None:
    create_tenant(client)
    client.post(f"{BASE}/plans/typed", json={"number": "15/KH-TU"})
    client.post(f"{BASE}/plans/groups", json={"code": "I", "title": "Thể chế"})
    client.post(f"{BASE}/plans/groups", json={"code": "II", "title": "Hạ tầng"})
    client.post(f"{BASE}/plans/tasks", json={"group": "I", "number": "1", "title": "Quy chế"})
    before = len(events(client, BASE))

    again = assert_problem(client.post(f"{BASE}/plans/tasks", headers=VI, json={
        "group": "II", "number": "1", "title": "Trùng số"}), 409)
    assert again["errors"] == {"number": [again["detail"]]}
    assert "II.3" in again["detail"] and again["code"] == "task.exists"
    no_group = assert_problem(client.post(f"{BASE}/plans/tasks", json={
        "number": "2", "title": "Không nhóm"}), 422)
    assert no_group["errors"] == {
        "group": ["The plan has several groups; name the task's group: I; II."]}
    unknown = assert_problem(client.post(f"{BASE}/plans/tasks", json={
        "group": "IX", "number": "2", "title": "Nhóm lạ"}), 422)
    assert set(unknown["errors"]) == {"group"}
    plan = assert_problem(client.post(f"{BASE}/plans/typed", json={"number": "15/kh-tu"}), 409)
    assert set(plan["errors"]) == {"number"}
    missing = assert_problem(client.post(f"{BASE}/plans/tasks", json={"number": "2"}), 422)
    assert set(missing["errors"]) == {"title"}
    assert len(events(client, BASE)) == before


def test_only_the_standing_body_types_plans_in(client: FlaskClient) -> None:
    create_tenant(client)
    client.post(f"{BASE}/plans/typed", json={"number": "15/KH-TU"})
    auditor = login(client.application, "auditor", (Role.AUDITOR, "quang-nam", ""))
    refused = auditor.post(f"{BASE}/plans/tasks", json={"number": "1", "title": "Quy chế"})
    assert refused.status_code == 403
    assert client.get(f"{BASE}/status").get_json()["tasks"] == []
