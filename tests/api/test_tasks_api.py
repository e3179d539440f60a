"""Tasks over HTTP: reading one with its ETag, every command, history and status in time."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import assert_problem
from tests.api.principals import TENANT_ADMIN


def post(client: FlaskClient, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json=body, headers=headers)


def test_a_task_is_shown_with_its_version_as_etag(client: FlaskClient, seeded: str) -> None:
    response = client.get(f"{seeded}/tasks/3")
    assert response.status_code == 200
    task = response.get_json()
    assert response.headers["ETag"] == f'"{task["version"]}"' == '"1"'
    assert task["leads"] == ["Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo"]
    assert (task["deadline"], task["due"], task["reports"]) == ("3/2025", "2025-03-31", [])
    again = client.get(f"{seeded}/tasks/3")  # the answer kept by position, its ETag too
    assert (again.get_json(), again.headers["ETag"]) == (task, '"1"')
    assert_problem(client.get(f"{seeded}/tasks/99"), 404)
    assert client.get(f"{seeded}/tasks/3?plan=1534/KH-UBND").status_code == 200
    assert_problem(client.get(f"{seeded}/tasks/3?plan=9/KH"), 404)


def test_every_task_command_is_recorded_with_its_new_version_and_position(
    client: FlaskClient, seeded: str
) -> None:
    task = f"{seeded}/tasks/3"
    steps: list[tuple[str, dict[str, Any]]] = [
        ("deadline", {"deadline": "6/2025", "reason": "Chờ hướng dẫn",
                      "decision_ref": "15/QĐ-UBND", "effective_on": "10/03/2025"}),
        ("reassign", {"leads": ["Sở Y tế"], "coordinators": ["Sở Tài chính"],
                      "reason": "Phân công lại", "decision_ref": "16/QĐ-UBND"}),
        ("reports", {"period": "2025-Q2", "percent": 100, "narrative": "Xong",
                     "agency": "Sở Y tế", "evidence": ["20/KH-SYT"]}),
        ("reports/1/return", {"reason": "Thiếu minh chứng"}),
        ("reports", {"period": "2025-Q2", "percent": 100, "narrative": "Xong, có minh chứng"}),
        ("reports/2/verify", {"note": "Đạt"}),
        ("complete", {"output_document": "20/KH-SYT", "completed_on": "2025-06-20"}),
    ]
    positions = []
    version = 1
    for rule, body in steps:
        # The standing body's completion is requested and accepted at once: two events.
        version += 2 if rule == "complete" else 1
        response = post(client, f"{task}/{rule}", body)
        assert response.status_code in (200, 201), response.get_json()
        result = response.get_json()
        assert result["version"] == version
        assert response.headers["ETag"] == f'"{version}"'
        positions.append(result["position"])
    assert positions == sorted(positions)
    shown = client.get(task).get_json()
    assert (shown["state"], shown["deadline"], shown["leads"]) == (
        "completed", "6/2025", ["Sở Y tế"])
    assert [r["state"] for r in shown["reports"]] == ["returned", "verified"]
    assert shown["reports"][0]["agency"] == "so y te"


def test_trigger_suspend_resume_and_cancel_are_recorded(client: FlaskClient, seeded: str) -> None:
    task = f"{seeded}/tasks/4"  # "Ngay sau khi Trung ương ban hành": a conditional deadline
    trigger = {"triggered_on": "01/05/2025", "note": "Nghị định 10/2025/NĐ-CP"}
    assert post(client, f"{task}/trigger", trigger).status_code == 200
    assert client.get(task).get_json()["due"] is not None
    for rule in ("suspend", "resume", "cancel"):
        response = post(client, f"{task}/{rule}", {"reason": "Quyết định", "decision_ref": "1/QĐ"})
        assert response.status_code == 200, response.get_json()
    assert client.get(task).get_json()["state"] == "cancelled"
    refused = assert_problem(post(client, f"{task}/resume", {"reason": "again"}), 422)
    assert "not suspended" in refused["detail"]


def test_domain_refusals_name_the_field_at_fault(client: FlaskClient, seeded: str) -> None:
    task = f"{seeded}/tasks/3"
    body = assert_problem(post(client, f"{task}/reassign",
                               {"leads": ["Sở Không Có"], "reason": "x"}), 404)
    assert "leads" in body["errors"]
    body = assert_problem(post(client, f"{task}/deadline",
                               {"deadline": "3/2025", "reason": "x"}), 422)
    assert "deadline" in body["errors"]
    body = assert_problem(post(client, f"{task}/reports",
                               {"period": "2025-Q5", "percent": 10, "narrative": "x"}), 422)
    assert "period" in body["errors"]
    body = assert_problem(post(client, f"{task}/reports/7/verify", {}), 422)
    assert "report" in body["errors"]
    body = assert_problem(post(client, f"{task}/complete",
                               {"output_document": "1/KH", "completed_on": "2024-01-01"}), 422)
    assert "completed_on" in body["errors"]


def test_a_tasks_history_lists_its_events_with_the_authenticated_actor_and_reason(
    client: FlaskClient, seeded: str
) -> None:
    # A header naming another actor is no longer read: the token says who acts.
    client.post(f"{seeded}/tasks/5/deadline", headers={"X-R57-Actor": "someone-else"},
                json={"deadline": "9/2025", "reason": "Chờ Trung ương",
                      "decision_ref": "15/QĐ-UBND"})
    entries = client.get(f"{seeded}/tasks/5/history").get_json()["items"]
    assert [e["event"] for e in entries] == ["Added", "DeadlineChanged"]
    changed = entries[-1]
    assert (changed["actor"], changed["reason"], changed["document"]) == (
        TENANT_ADMIN, "Chờ Trung ương", "15/QĐ-UBND")
    assert changed["changes"]["deadline"]["to"] == "9/2025"
    assert changed["changes"]["deadline"]["from"] == entries[0]["summary"].split("'")[1]
    assert_problem(client.get(f"{seeded}/tasks/99/history"), 404)


def test_status_is_judged_on_a_date_as_known_at_a_time_and_as_effective_on_a_date(
    client: FlaskClient, seeded: str
) -> None:
    before = client.get(f"{seeded}/status?on=2025-06-01").get_json()
    task3 = next(t for t in before["tasks"] if t["number"] == "3")
    assert (before["on"], task3["status"]) == ("2025-06-01", "open_overdue")
    post(client, f"{seeded}/tasks/3/deadline",
         {"deadline": "12/2025", "reason": "Lùi hạn", "effective_on": "2025-05-01"})
    after = client.get(f"{seeded}/status?on=01/06/2025").get_json()
    assert next(t for t in after["tasks"] if t["number"] == "3")["deadline"] == "12/2025"
    known = client.get(f"{seeded}/status?on=2025-06-01&known_at=2000-01-01").get_json()
    # The end of 01/01/2000 in Vietnam, as the web and the CLI read that date too.
    assert known["tasks"] == [] and known["known_at"].startswith("2000-01-01T16:59:59")
    effective = client.get(f"{seeded}/status?effective_on=2025-04-01").get_json()
    assert next(t for t in effective["tasks"] if t["number"] == "3")["deadline"] == "3/2025"
    only = client.get(f"{seeded}/status?plan=1534/KH-UBND").get_json()
    assert len(only["tasks"]) == 60
    assert_problem(client.get(f"{seeded}/status?on=31/02/2025"), 422)
    assert_problem(client.get(f"{seeded}/status?colour=red"), 422)


def test_a_status_read_again_is_the_same_until_a_write_changes_it(
    client: FlaskClient, seeded: str
) -> None:
    first = client.get(f"{seeded}/status?on=2025-06-01")
    again = client.get(f"{seeded}/status?on=2025-06-01")
    assert again.get_data() == first.get_data()
    post(client, f"{seeded}/tasks/3/reports", {"period": "2025-Q2", "percent": 30,
                                               "narrative": "Đang làm"})
    after = client.get(f"{seeded}/status?on=2025-06-01").get_json()
    task3 = next(t for t in after["tasks"] if t["number"] == "3")
    assert task3["last_report"] == {"period": "2025-Q2", "percent": 30,
                                    "narrative": "Đang làm"}
    elsewhere = client.get(f"{seeded}/status?on=2025-06-02").get_json()
    assert elsewhere["on"] == "2025-06-02"


def test_a_task_shows_its_latest_reports_and_pages_back_through_the_others(
    client: FlaskClient, seeded: str
) -> None:
    task = f"{seeded}/tasks/4"
    for n in range(1, 26):
        response = post(client, f"{task}/reports",
                        {"period": "2025-Q1", "percent": n, "narrative": f"Lần {n}"})
        assert response.status_code == 201, response.get_json()
    assert post(client, f"{task}/reports/3/return", {"reason": "Sai số liệu"}).status_code == 200
    shown = client.get(task).get_json()
    assert [r["number"] for r in shown["reports"]] == list(range(6, 26))
    assert (shown["reports_total"], shown["last_report"]["percent"]) == (25, 25)
    older = client.get(f"{task}/reports?before=6&limit=4").get_json()
    assert ([r["number"] for r in older["items"]], older["total"]) == ([2, 3, 4, 5], 25)
    assert older["items"][1]["state"] == "returned"
    first = client.get(f"{task}/reports?before=2").get_json()
    assert [r["number"] for r in first["items"]] == [1]
    latest = client.get(f"{task}/reports").get_json()
    assert latest["items"] == shown["reports"]
    assert_problem(client.get(f"{task}/reports?limit=0"), 422)
    assert_problem(client.get(f"{seeded}/tasks/99/reports"), 404)
