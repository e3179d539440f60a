"""The review workflow over HTTP: completions the standing body accepts or returns, extension
requests, directions, and evidence files, on both stores."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem
from tests.api.principals import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LEAD = "Sở Y tế"  # leads task 45 of the seed; Sở Khoa học và Công nghệ coordinates it


def reporter(client: FlaskClient, name: str, agency: str) -> FlaskClient:
    return login(client.application, name, (Role.AGENCY_REPORTER, "quang-nam", agency))


def upload(client: FlaskClient, base: str, content: bytes, name: str) -> Any:
    return client.post(f"{base}/files", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def public_status(client: FlaskClient, base: str, number: str) -> str:
    tasks = client.get(f"{base}/status").get_json()["tasks"]
    return next(t["status"] for t in tasks if t["number"] == number)


def test_a_completion_counts_only_once_the_standing_body_accepts_it(
    client: FlaskClient, seeded: str
) -> None:
    lead = reporter(client, "r.yte", LEAD)
    stored = upload(lead, seeded, PDF, "../../quyet-dinh.pdf")
    assert stored.status_code == 201, stored.get_json()
    file = stored.get_json()
    assert (file["name"], file["content_type"]) == ("quyet-dinh.pdf", "application/pdf")
    assert upload(lead, seeded, PDF, "again.pdf").get_json()["sha256"] == file["sha256"]

    task = f"{seeded}/tasks/45"
    asked = lead.post(f"{task}/complete", json={
        "output_document": "QĐ 12/QĐ-SYT", "completed_on": "2025-06-20",
        "files": [file["sha256"]]})
    assert asked.status_code == 200, asked.get_json()
    shown = client.get(task).get_json()
    assert shown["state"] == "completion_pending"
    assert shown["completions"][0]["files"][0]["sha256"] == file["sha256"]
    assert public_status(client, seeded, "45") != "done_on_time"

    returned = client.post(f"{task}/completions/1/return", json={"reason": "Thiếu quyết định"})
    assert returned.status_code == 200, returned.get_json()
    assert client.get(task).get_json()["state"] == "open"
    again = lead.post(f"{task}/complete", json={
        "output_document": "QĐ 12/QĐ-SYT", "completed_on": "2025-06-20"})
    assert again.status_code == 200, again.get_json()
    assert_problem(client.post(f"{task}/completions/1/accept", json={}), 422)
    accepted = client.post(f"{task}/completions/2/accept", json={"note": "Đạt"})
    assert accepted.status_code == 200, accepted.get_json()
    shown = client.get(task).get_json()
    assert (shown["state"], shown["completed_on"]) == ("completed", "2025-06-20")
    assert [c["state"] for c in shown["completions"]] == ["returned", "accepted"]

    download = lead.get(f"{seeded}/files/{file['sha256']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_agencies_that_only_coordinate_or_date_in_the_future_are_refused(
    client: FlaskClient, seeded: str
) -> None:
    coordinator = reporter(client, "r.khcn", "Sở Khoa học và Công nghệ")
    task = f"{seeded}/tasks/45"
    refused = coordinator.post(f"{task}/complete", json={
        "output_document": "QĐ 1", "completed_on": "2025-06-20"})
    assert_problem(refused, 422)
    assert refused.get_json()["errors"].keys() == {"agency"}
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    future = reporter(client, "r.yte", LEAD).post(f"{task}/complete", json={
        "output_document": "QĐ 1", "completed_on": tomorrow})
    assert_problem(future, 422)
    assert future.get_json()["errors"].keys() == {"completed_on"}
    assert client.get(task).get_json()["state"] == "open"


def test_an_extension_is_requested_by_the_lead_and_decided_by_the_standing_body(
    client: FlaskClient, seeded: str
) -> None:
    lead = reporter(client, "r.yte", LEAD)
    task = f"{seeded}/tasks/45"
    before = client.get(task).get_json()["deadline"]
    asked = lead.post(f"{task}/extensions", json={"deadline": "12/2030", "reason": "Chờ vốn"})
    assert asked.status_code == 201, asked.get_json()
    assert_problem(lead.post(f"{task}/extensions/1/approve",
                             json={"decision_ref": "QĐ 5"}), 403)
    assert_problem(client.post(f"{task}/extensions/1/approve", json={}), 422)
    approved = client.post(f"{task}/extensions/1/approve",
                           json={"decision_ref": "99/QĐ-UBND"})
    assert approved.status_code == 200, approved.get_json()
    shown = client.get(task).get_json()
    assert before != "12/2030" and shown["deadline"] == "12/2030"
    assert shown["extensions"][0]["state"] == "approved"
    changes = client.get(f"{seeded}/changes?type=deadline_changed").get_json()["entries"]
    assert any(c["document"] == "99/QĐ-UBND" for c in changes)


def test_directions_are_recorded_and_answered_in_the_timeline(
    client: FlaskClient, seeded: str
) -> None:
    task = f"{seeded}/tasks/45"
    recorded = client.post(f"{task}/directions", json={
        "text": "Khẩn trương hoàn thành", "due_on": "15/07/2025"})
    assert recorded.status_code == 201, recorded.get_json()
    answer = reporter(client, "r.khcn", "Sở Khoa học và Công nghệ").post(
        f"{task}/directions/1/answers", json={"text": "Đã phối hợp"})
    assert answer.status_code == 201, answer.get_json()
    direction = client.get(task).get_json()["directions"][0]
    assert direction["due_on"] == "2025-07-15"
    assert [a["text"] for a in direction["answers"]] == ["Đã phối hợp"]
    history = client.get(f"{task}/history").get_json()["items"]
    assert [h["event"] for h in history][-2:] == ["DirectionRecorded", "DirectionAnswered"]


def test_a_file_of_another_type_or_another_tenant_is_not_served(
    client: FlaskClient, seeded: str
) -> None:
    assert_problem(upload(client, seeded, b"MZ\x90\x00binary", "x.pdf"), 422)
    assert_problem(client.get(f"{seeded}/files/{'0' * 64}"), 404)
    cited = client.post(f"{seeded}/tasks/45/complete", json={
        "output_document": "QĐ 1", "completed_on": "2025-06-20", "files": ["1" * 64]})
    assert_problem(cited, 422)
