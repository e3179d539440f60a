"""The work queue over HTTP, on both stores: each principal is answered what waits for it."""

from __future__ import annotations

from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem, create_tenant
from tests.api.principals import login

LEAD = "Sở Y tế"  # leads task 45 of the seed; Sở Khoa học và Công nghệ coordinates it


def test_the_standing_body_is_answered_what_waits_for_its_decision(
    client: FlaskClient, seeded: str
) -> None:
    lead = login(client.application, "r.yte", (Role.AGENCY_REPORTER, "quang-nam", LEAD))
    task = f"{seeded}/tasks/45"
    sent = lead.post(f"{task}/reports", json={"period": "2025-Q2", "percent": 30,
                                              "narrative": "Đang triển khai"})
    assert sent.status_code in (200, 201), sent.get_json()
    asked = lead.post(f"{task}/extensions", json={"deadline": "31/12/2026",
                                                 "reason": "Chờ kinh phí"})
    assert asked.status_code == 201, asked.get_json()

    queue = client.get(f"{seeded}/queue").get_json()
    assert queue["tenant"] == "quang-nam" and queue["agencies"] == [] and queue["news"] is None
    items = queue["review"]["items"]
    assert [(i["kind"], i["task"], i["number"]) for i in items] == [
        ("report", "45", 1), ("extension", "45", 1)]
    assert items[0]["kind_label"] == "Báo cáo tiến độ" and items[0]["agency"] == LEAD
    assert items[0]["waited_days"] == 0 and queue["count"] == 2

    mine = lead.get(f"{seeded}/queue").get_json()
    assert mine["review"] is None
    (agency,) = mine["agencies"]
    assert agency["name"] == LEAD
    assert "45" in [t["number"] for t in agency["leading"]]
    row = next(t for t in agency["leading"] if t["number"] == "45")
    assert row["role"] == "lead" and {"days_remaining", "days_overdue", "due_on"} <= set(row)

    returned = client.post(f"{task}/reports/1/return", json={"reason": "Thiếu số liệu"})
    assert returned.status_code == 200, returned.get_json()
    (item,) = lead.get(f"{seeded}/queue").get_json()["agencies"][0]["returned"]
    assert (item["kind"], item["reason"], item["period"]) == ("report", "Thiếu số liệu",
                                                                "2025-Q2")


def test_an_inspector_is_answered_the_changes_since_a_time(
    client: FlaskClient, seeded: str
) -> None:
    inspector = login(client.application, "thanh.tra", (Role.INSPECTOR, "quang-nam", ""))
    changed = client.post(f"{seeded}/tasks/45/deadline", json={
        "deadline": "12/2026", "reason": "Điều chỉnh", "decision_ref": "9/QĐ-UBND"})
    assert changed.status_code == 200, changed.get_json()
    news = inspector.get(f"{seeded}/queue").get_json()["news"]
    assert news["changes_only"] and news["total"] == 1
    assert news["entries"][0]["change_type"] == "deadline_changed"
    assert news["entries"][0]["summary"]
    later = inspector.get(f"{seeded}/queue?since=2099-01-01T00:00:00Z").get_json()["news"]
    assert later["total"] == 0 and later["entries"] == []
    assert_problem(inspector.get(f"{seeded}/queue?since=hôm-qua"), 422)


def test_the_queue_of_a_tenant_one_may_not_read_is_not_found(
    client: FlaskClient, seeded: str
) -> None:
    create_tenant(client, "da-nang", "Đà Nẵng")
    stranger = login(client.application, "nguoi.la", (Role.AUDITOR, "da-nang", ""))
    assert stranger.get("/api/v1/tenants/da-nang/queue").get_json()["news"]["total"] == 0
    assert_problem(stranger.get(f"{seeded}/queue"), 404)


def test_the_queue_of_an_agency_that_ended_says_how_and_counts_nothing(
    client: FlaskClient, seeded: str
) -> None:
    lead = login(client.application, "r.yte", (Role.AGENCY_REPORTER, "quang-nam", LEAD))
    assert lead.get(f"{seeded}/queue").get_json()["agencies"][0]["ended"] is None
    done = client.post(f"{seeded}/agencies/{LEAD}/succeed", json={
        "successors": ["Sở Y tế và Dân số"], "reason": "Hợp nhất sở",
        "effective_on": "01/03/2025"})
    assert done.status_code == 200, done.get_json()
    mine = lead.get(f"{seeded}/queue").get_json()
    (agency,) = mine["agencies"]
    assert agency["ended"] == {"kind": "succession", "on": "2025-03-01",
                               "successors": ["so y te va dan so"]}
    assert "45" in [t["number"] for t in agency["leading"]]
    assert agency["overdue"] == [] and agency["count"] == 0 and mine["count"] == 0
