"""A command's answer names the log position of its last event, in the answer sent and in
the answer kept for a retry with the same key, though on PostgreSQL the transaction that
records the events and keeps the answer is sent before the server assigns the position."""

from __future__ import annotations

from server.app import create_app
from server.serve import DEMO_SLUG, ensure_demo, ensure_demo_principals
from service.config import Settings
from service.tenancy import Tenancy

AUTH = {"Authorization": "Bearer r57_demodost_demo-only-tenant-admin"}  # api/README.md
REPORTS = f"/api/v1/tenants/{DEMO_SLUG}/tasks/2/reports"


def test_the_answer_and_its_replay_name_the_position_recorded(settings: Settings,
                                                              tenancy: Tenancy) -> None:
    ensure_demo(tenancy)
    ensure_demo_principals(tenancy)
    client = create_app(settings, tenancy).test_client()
    for n, period in enumerate(("2025-Q2", "2025-Q3")):
        headers = {**AUTH, "Idempotency-Key": f"answer-position-{n}"}
        body = {"period": period, "percent": 35 + n, "narrative": "Đang triển khai"}
        first = client.post(REPORTS, json=body, headers=headers)
        assert first.status_code == 201, first.get_data(True)
        recorded = tenancy.application(DEMO_SLUG).recorder.max_notification_id()
        assert first.get_json()["position"] == recorded
        replayed = client.post(REPORTS, json=body, headers=headers)
        assert replayed.headers["Idempotent-Replayed"] == "true"
        assert replayed.get_data(True) == first.get_data(True)
        assert {k: replayed.headers.get(k) for k in ("ETag", "Location")} == {
            k: first.headers.get(k) for k in ("ETag", "Location")}
