"""Optimistic concurrency (ETag / If-Match) and safe retries (Idempotency-Key)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem, events
from tests.api.principals import TENANT_ADMIN, login

REPORT = {"period": "2025-Q1", "percent": 40, "narrative": "Đang dự thảo"}


def test_a_stale_if_match_gets_412_with_the_current_version(
    client: FlaskClient, seeded: str
) -> None:
    etag = client.get(f"{seeded}/tasks/3").headers["ETag"]
    first = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers={"If-Match": etag})
    assert first.status_code == 201
    stale = client.post(f"{seeded}/tasks/3/deadline", json={"deadline": "6/2025", "reason": "x"},
                        headers={"If-Match": etag})
    body = assert_problem(stale, 412)
    assert body["current_version"] == 2
    assert client.get(f"{seeded}/tasks/3").headers["ETag"] == '"2"'
    fresh = client.post(f"{seeded}/tasks/3/deadline", json={"deadline": "6/2025", "reason": "x"},
                        headers={"If-Match": '"2"'})
    assert fresh.status_code == 200 and fresh.get_json()["version"] == 3


def test_two_clients_with_the_same_if_match_exactly_one_wins(app: Flask, seeded: str) -> None:
    etag = login(app, TENANT_ADMIN).get(f"{seeded}/tasks/3").headers["ETag"]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def change(deadline: str) -> None:
        client = login(app, TENANT_ADMIN)
        start.wait()
        response = client.post(f"{seeded}/tasks/3/deadline",
                               json={"deadline": deadline, "reason": "race"},
                               headers={"If-Match": etag})
        statuses.append(response.status_code)

    racers = [threading.Thread(target=change, args=(d,)) for d in ("6/2025", "9/2025")]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(statuses) == [200, 412]
    history = login(app, TENANT_ADMIN).get(f"{seeded}/tasks/3/history").get_json()["items"]
    assert [e["event"] for e in history].count("DeadlineChanged") == 1


def test_an_indicator_and_an_agency_take_if_match_too(client: FlaskClient, seeded: str) -> None:
    assert client.get(f"{seeded}/indicators/7.1").headers["ETag"] == '"1"'
    body = {"period": "2025", "value": "62,5", "source": "Báo cáo 30/BC-SKHCN"}
    assert client.post(f"{seeded}/indicators/7.1/values", json=body,
                       headers={"If-Match": '"1"'}).status_code == 200
    assert_problem(client.post(f"{seeded}/indicators/7.1/values", json=body,
                               headers={"If-Match": '"1"'}), 412)
    agency = client.get(f"{seeded}/agencies/Sở Y tế")
    rename = {"new_name": "Sở Y tế tỉnh", "reason": "Đổi tên"}
    assert client.post(f"{seeded}/agencies/Sở Y tế/rename", json=rename,
                       headers={"If-Match": agency.headers["ETag"]}).status_code == 200
    assert_problem(client.post(f"{seeded}/agencies/so y te/rename", json=rename,
                               headers={"If-Match": agency.headers["ETag"]}), 412)


def test_a_retried_command_with_the_same_idempotency_key_records_one_event(
    client: FlaskClient, seeded: str
) -> None:
    before = len(events(client, seeded))
    headers = {"Idempotency-Key": "report-3-2025-q1"}
    first = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    again = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(events(client, seeded)) == before + 1


def test_a_retry_after_the_item_moved_on_gets_the_first_answer_not_a_refusal(
    client: FlaskClient, seeded: str
) -> None:
    """A retry runs into the key while recording, or into a rule its own first attempt
    now breaks (the task was cancelled since): either way the first answer is replayed."""
    headers = {"Idempotency-Key": "report-5-before-cancel"}
    first = client.post(f"{seeded}/tasks/5/reports", json=REPORT, headers=headers)
    assert first.status_code == 201
    assert client.post(f"{seeded}/tasks/5/cancel", json={"reason": "gộp"}).status_code == 200
    before = len(events(client, seeded))
    again = client.post(f"{seeded}/tasks/5/reports", json=REPORT, headers=headers)
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(f"{seeded}/tasks/5/reports", json={**REPORT, "percent": 90},
                        headers=headers)
    assert assert_problem(other, 422)["type"].endswith("idempotency-key-reused")
    assert len(events(client, seeded)) == before


def test_a_reused_idempotency_key_with_another_body_gets_422(
    client: FlaskClient, seeded: str
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    assert client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers).status_code == 201
    other = client.post(f"{seeded}/tasks/3/reports", json={**REPORT, "percent": 50},
                        headers=headers)
    assert assert_problem(other, 422)["type"].endswith("idempotency-key-reused")
    elsewhere = client.post(f"{seeded}/tasks/4/cancel", json={"reason": "x"}, headers=headers)
    assert_problem(elsewhere, 422)


def test_a_refused_command_releases_its_key_for_a_corrected_retry(
    client: FlaskClient, seeded: str
) -> None:
    headers = {"Idempotency-Key": "deadline-3"}
    body: dict[str, Any] = {"deadline": "3/2025", "reason": "same deadline"}
    assert_problem(client.post(f"{seeded}/tasks/3/deadline", json=body, headers=headers), 422)
    assert_problem(client.post(f"{seeded}/tasks/3/deadline", json=body, headers=headers), 422)
    # The key was not kept for the refusal, so the same request may succeed later.
    client.post(f"{seeded}/tasks/3/deadline", json={"deadline": "6/2025", "reason": "x"})
    again = client.post(f"{seeded}/tasks/3/deadline", json={**body, "deadline": "3/2025"},
                        headers=headers)
    assert again.status_code == 200


def test_keys_are_scoped_to_their_tenant_and_replay_registry_commands(
    client: FlaskClient, admin_client: FlaskClient, seeded: str
) -> None:
    headers = {"Idempotency-Key": "create-da-nang"}
    body = {"slug": "da-nang", "display_name": "Đà Nẵng"}
    first = admin_client.post("/api/v1/tenants", json=body, headers=headers)
    again = admin_client.post("/api/v1/tenants", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Location"] == "/api/v1/tenants/da-nang"
    same_key = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    assert same_key.status_code == 201


def test_malformed_if_match_and_idempotency_keys_are_refused(
    client: FlaskClient, seeded: str
) -> None:
    for header in ({"If-Match": "W/\"1\""}, {"If-Match": "one"}, {"Idempotency-Key": "a b"},
                   {"Idempotency-Key": "x" * 201}):
        body = assert_problem(client.post(f"{seeded}/tasks/3/reports", json=REPORT,
                                          headers=header), 400)
        assert set(body["errors"]) == set(header)
    assert len([e for e in events(client, seeded) if "ProgressReported" in e["type"]]) == 0


def test_another_principal_reusing_a_key_is_not_replayed_the_first_answer(
    app: Flask, client: FlaskClient, seeded: str
) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    assert client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers).status_code == 201
    other = login(app, "other.admin", (Role.TENANT_ADMIN, "quang-nam", ""))
    again = other.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    assert assert_problem(again, 422)["type"].endswith("idempotency-key-reused")
