"""A tenant whose stored log was changed behind the service, over HTTP: its event feed marks
and withholds the changed entries, its reads carry a warning once verification found it,
and a command on the changed item is refused with a problem, never a crash."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from api.integrity_warning import HEADER
from domain.access import Role
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.api.conftest import assert_problem, events
from tests.api.principals import login
from tests.integrity.conftest import Intruder


def auditor(app: Flask) -> FlaskClient:
    return login(app, "test.auditor", (Role.AUDITOR, "quang-nam", ""))


def test_the_feed_marks_a_changed_entry_failed_and_withholds_its_fields(
    app: Flask, tenancy: Tenancy, seeded: str
) -> None:
    TenantIntegrity(tenancy.application("quang-nam")).chain()
    Intruder(tenancy).flip_one_byte(77)
    items = events(auditor(app), seeded)
    assert {i["chain"] for i in items if i["position"] != 77} == {"verified"}
    [changed] = [i for i in items if i["position"] == 77]
    assert changed["chain"] == "failed" and changed["state"] == {}
    assert changed["recorded_at"] is None


def test_entries_not_chained_yet_are_marked_pending(
    app: Flask, tenancy: Tenancy, seeded: str
) -> None:
    items = events(auditor(app), seeded)
    assert {i["chain"] for i in items} <= {"verified", "pending"}


def test_reads_of_a_tenant_that_failed_verification_carry_a_warning_and_a_metric(
    app: Flask, client: FlaskClient, tenancy: Tenancy, seeded: str
) -> None:
    tenancy.integrity.ttl = 0  # see each finding at once
    assert HEADER not in client.get(f"{seeded}/summary").headers
    intruder = Intruder(tenancy)
    state = intruder.state(77)
    intruder.flip_one_byte(77)
    assert not TenantIntegrity(tenancy.application("quang-nam")).verify_live().ok
    warning = client.get(f"{seeded}/summary").headers[HEADER]
    assert warning.startswith("verification-failed") and "first-position=77" in warning
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'r57_integrity_verification_failed{tenant="quang-nam"} 1.0' in metrics
    intruder.set_state(77, state)
    assert TenantIntegrity(tenancy.application("quang-nam")).verify_live().ok
    assert HEADER not in client.get(f"{seeded}/summary").headers


def test_a_command_on_a_changed_item_is_refused_with_a_problem(
    client: FlaskClient, tenancy: Tenancy, seeded: str
) -> None:
    report = {"period": "2025-Q1", "percent": 10, "narrative": "x"}
    assert client.post(f"{seeded}/tasks/5/reports", json=report).status_code == 201
    task = tenancy.ledger("quang-nam").task("5")
    intruder = Intruder(tenancy)
    rows = intruder._run("SELECT {id} AS p, originator_id AS o FROM {t} ORDER BY {id}")
    latest = [int(r["p"]) for r in rows if str(r["o"]).replace("-", "") == task.id.hex][-1]
    intruder.set_state(latest, b'{"forged": true}')
    body = assert_problem(client.post(f"{seeded}/tasks/5/reports", json=report), 409)
    assert body["type"] == "urn:r57:problem:history-unreadable"
