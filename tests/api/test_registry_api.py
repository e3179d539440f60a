"""Indicators, agencies and the event feed over HTTP."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.api.conftest import assert_problem, events
from tests.api.principals import TENANT_ADMIN


def test_indicators_are_listed_with_targets_and_values_are_reported(
    client: FlaskClient, seeded: str
) -> None:
    items = client.get(f"{seeded}/indicators").get_json()["items"]
    assert len(items) == 40
    first = items[0]
    assert (first["code"], first["latest"]) == ("1", None)
    reported = client.post(f"{seeded}/indicators/7.1/values", json={
        "period": "2025", "value": 62.5, "source": "Báo cáo 30/BC-SKHCN",
        "effective_on": "31/12/2025"})
    assert reported.status_code == 200
    shown = client.get(f"{seeded}/indicators/7.1").get_json()
    assert shown["latest"]["value"] == "62.5"
    assert shown["values"][0]["effective_on"] == "2025-12-31"
    assert len(client.get(f"{seeded}/indicators?plan=1534/KH-UBND").get_json()["items"]) == 40
    assert_problem(client.get(f"{seeded}/indicators?plan=9/KH"), 404)


def test_a_target_change_is_recorded_and_refused_when_nothing_changes(
    client: FlaskClient, seeded: str
) -> None:
    changed = client.post(f"{seeded}/indicators/7.1/target", json={
        "target": "≥ 85", "reason": "Theo Nghị quyết 71/NQ-CP", "decision_ref": "25/QĐ-UBND"})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    assert client.get(f"{seeded}/indicators/7.1").get_json()["target"]["text"] == "≥ 85"
    again = assert_problem(client.post(f"{seeded}/indicators/7.1/target", json={
        "target": "≥ 85", "reason": "again"}), 422)
    assert "target" in again["errors"]
    not_a_number = assert_problem(client.post(f"{seeded}/indicators/7.1/values", json={
        "period": "2025", "value": "nhiều", "source": "x"}), 422)
    assert "value" in not_a_number["errors"]
    assert_problem(client.get(f"{seeded}/indicators/9.9"), 404)


def test_agencies_are_listed_registered_shown_and_renamed(client: FlaskClient, seeded: str) -> None:
    listed = client.get(f"{seeded}/agencies").get_json()["items"]
    assert {"key": "so y te", "name": "Sở Y tế", "is_collective": False} in listed
    registered = client.post(f"{seeded}/agencies", json={"name": "Sở Ngoại vụ"})
    assert registered.status_code == 201
    assert_problem(client.post(f"{seeded}/agencies", json={"name": "Sở  ngoại vụ"}), 409)
    shown = client.get(f"{seeded}/agencies/so ngoai vu")
    assert shown.get_json()["name"] == "Sở Ngoại vụ" and shown.headers["ETag"] == '"1"'
    renamed = client.post(f"{seeded}/agencies/Sở Ngoại vụ/rename",
                          json={"new_name": "Sở Ngoại vụ tỉnh", "reason": "Sắp xếp"})
    assert renamed.get_json()["version"] == 2
    assert client.get(f"{seeded}/agencies/so ngoai vu").get_json()["name"] == "Sở Ngoại vụ tỉnh"
    assert_problem(client.get(f"{seeded}/agencies/Sở Không Có"), 404)


def test_the_feed_serves_every_event_in_log_order_resumably(
    client: FlaskClient, seeded: str
) -> None:
    everything = events(client, seeded)
    positions = [e["position"] for e in everything]
    assert positions == sorted(positions) and len(positions) == len(set(positions))
    page = client.get(f"{seeded}/events?after={positions[9]}&limit=5").get_json()
    assert [e["position"] for e in page["items"]] == positions[10:15]
    assert page["next_after"] == positions[14] and page["has_more"] is True
    end = client.get(f"{seeded}/events?after={positions[-1]}").get_json()
    assert end == {"items": [], "next_after": positions[-1], "has_more": False}
    assert {e["type"] for e in everything} >= {"Plan.Issued", "Task.Added", "Indicator.Defined"}
    assert_problem(client.get(f"{seeded}/events?limit=0"), 422)
    assert_problem(client.get(f"{seeded}/events?after=-1"), 422)


def test_a_feed_item_carries_the_recorded_fields_exactly(
    client: FlaskClient, seeded: str, tenancy: Tenancy
) -> None:
    client.post(f"{seeded}/tasks/3/reports",
                json={"period": "2025-Q1", "percent": 40, "narrative": "Đang dự thảo"})
    item = events(client, seeded)[-1]
    app = tenancy.application("quang-nam")
    (stored,) = app.recorder.select_notifications(start=item["position"], limit=1)
    assert item["state"] == json.loads(stored.state)
    assert item["topic"] == stored.topic == "domain.task:Task.ProgressReported"
    assert (item["originator_id"], item["originator_version"]) == (
        str(stored.originator_id), stored.originator_version)
    assert item["state"]["provenance"]["_data_"]["actor"] == TENANT_ADMIN
    assert item["recorded_at"].startswith(item["state"]["timestamp"]["_data_"][:19])
