"""Exactly-once commands: the process is killed at each point between looking the key up,
recording the events, binding them into the chain, keeping the answer and answering; a
retry with the same key then replays the first answer or records the command once, never
twice, and the chain still verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.app import create_app
from server.serve import DEMO_SLUG, ensure_demo, ensure_demo_principals
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tenants.faults import COMMAND_POINTS

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer r57_demodost_demo-only-tenant-admin"}  # api/README.md
REPORTS = f"/api/v1/tenants/{DEMO_SLUG}/tasks/2/reports"  # task 2 is open in the demo
BODY = {"period": "2025-Q2", "percent": 35, "narrative": "Đang triển khai"}
KEY = {"Idempotency-Key": "report-1-2025-q2"}
# The child: the service as a worker builds it, one command with the key, then nothing.
CHILD = f"""
from server.app import create_app
from service.config import Settings
client = create_app(Settings.from_env()).test_client()
client.post({REPORTS!r}, json={BODY!r}, headers={{**{AUTH!r}, **{KEY!r}}})
raise SystemExit(3)  # the fault point was not reached
"""


def _reports(tenancy: Tenancy) -> int:
    return len(tenancy.ledger(DEMO_SLUG).task("2").reports)


def _crash_at(point: str, settings: Settings) -> None:
    env = {**os.environ, "R57_DATABASE_URL": settings.database_url, "R57_FAULT_POINT": point}
    child = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT,
                           capture_output=True, timeout=120, check=False)
    assert child.returncode == 137, child.stderr.decode()


@pytest.mark.parametrize("point", COMMAND_POINTS)
def test_a_retry_after_a_crash_at_any_point_records_the_command_once(
    point: str, settings: Settings
) -> None:
    prepared = build_tenancy(settings)
    ensure_demo(prepared)
    ensure_demo_principals(prepared)
    before = _reports(prepared)
    prepared.close()

    _crash_at(point, settings)

    tenancy = build_tenancy(settings, migrate=False)
    try:
        committed = point == "after_commit"
        assert _reports(tenancy) == before + (1 if committed else 0)
        client = create_app(settings, tenancy).test_client()
        retry = client.post(REPORTS, json=BODY, headers={**AUTH, **KEY})
        assert retry.status_code == 201, retry.get_data(True)
        assert ("Idempotent-Replayed" in retry.headers) is committed
        again = client.post(REPORTS, json=BODY, headers={**AUTH, **KEY})
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.get_json() == retry.get_json()
        assert _reports(tenancy) == before + 1
        assert TenantIntegrity(tenancy.application(DEMO_SLUG)).verify().ok
    finally:
        tenancy.close()
