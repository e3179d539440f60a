"""Attacks on who may do what: reporting for another agency, forging the actor, guessing
tokens, hostile inputs and dead tokens. Each refusal is clean and leaves nothing stored."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from domain.access import Role
from service.security import AuthThrottle, ThrottlePolicy
from tests.api.conftest import assert_problem
from tests.api.principals import token
from tests.api.world import OWN, PRINCIPALS, REPORTING_AGENCY, World, world

__all__ = ["world"]
BASE = f"/api/v1/tenants/{OWN}"
REPORT = {"period": "2025-Q1", "percent": 40, "narrative": "Đang dự thảo"}


def _throttle(world: World, **policy: float) -> AuthThrottle:
    metrics = world.app.extensions["r57"].metrics
    found = AuthThrottle(world.app.extensions["r57"].tenancy.storage.database,
                         ThrottlePolicy(**policy), on_lock=metrics.authentication_locked)
    world.app.extensions["r57"].throttle = found
    return found


@pytest.fixture(autouse=True)
def fresh_throttle(world: World) -> None:
    """Every test starts with no failures counted (all test clients share one address)."""
    with world.app.extensions["r57"].tenancy.storage.database.transaction() as cursor:
        cursor.execute("DELETE FROM r57_auth_failures")
        cursor.execute("DELETE FROM r57_auth_locks")
    _throttle(world, window_seconds=60, pair_limit=10, address_limit=10)


def reporter(world: World) -> FlaskClient:
    return world.client(Role.AGENCY_REPORTER)


def test_a_reporter_cannot_report_on_another_agencys_task_or_indicator(world: World) -> None:
    before = world.stored()
    client = reporter(world)  # Sở Khoa học và Công nghệ; task 4 is Sở Nội vụ's
    assert_problem(client.post(f"{BASE}/tasks/4/reports", json=REPORT), 403)
    assert_problem(client.post(f"{BASE}/tasks/4/complete", json={
        "output_document": "1/KH", "completed_on": "2025-06-01"}), 403)
    assert_problem(client.post(f"{BASE}/indicators/4/values", json={
        "period": "2025", "value": "1", "source": "x"}), 403)  # Sở Tài chính's indicator
    assert world.stored() == before


def test_a_reporter_cannot_report_in_another_agencys_name_even_on_its_own_task(
    world: World,
) -> None:
    before = world.stored()
    other = "Sở Giáo dục và Đào tạo"  # co-leads task 3
    named = reporter(world).post(f"{BASE}/tasks/3/reports", json={**REPORT, "agency": other})
    assert_problem(named, 403)
    assert world.stored() == before


def test_a_reporters_report_is_recorded_for_its_own_agency_under_its_own_name(
    world: World,
) -> None:
    client = reporter(world)
    assert client.post(f"{BASE}/tasks/8/reports", json=REPORT).status_code == 201
    assert client.post(f"{BASE}/indicators/7.2/values", json={
        "period": "2025", "value": "3", "source": "Báo cáo"}).status_code == 200
    changed = client.get(f"{BASE}/tasks/8/history").get_json()["items"][-1]
    assert (changed["actor"], changed["on_behalf_of"]) == (
        PRINCIPALS[Role.AGENCY_REPORTER][0], REPORTING_AGENCY)


def test_a_client_cannot_name_or_forge_the_actor(world: World) -> None:
    admin = world.client(Role.TENANT_ADMIN)
    before = world.stored()
    for field in ("actor", "by", "principal"):
        refused = assert_problem(admin.post(f"{BASE}/tasks/9/reports",
                                            json={**REPORT, field: "someone.else"}), 422)
        assert field in refused["errors"]
    assert world.stored() == before
    forged = admin.post(f"{BASE}/tasks/9/reports", json=REPORT,
                        headers={"X-R57-Actor": "someone.else", "X-Forwarded-User": "root"})
    assert forged.status_code == 201
    history = admin.get(f"{BASE}/tasks/9/history").get_json()["items"]
    assert history[-1]["actor"] == PRINCIPALS[Role.TENANT_ADMIN][0]


def test_repeated_failed_authentication_from_one_address_is_refused_with_429(
    world: World,
) -> None:
    guesser = world.app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for guess in range(10):
        response = guesser.get(f"{BASE}/status", headers={"Authorization": f"Bearer r57_{guess}_x"})
        assert_problem(response, 401)
    good = guesser.get(f"{BASE}/status", headers=_auth(token(world.app, "m.admin")))
    assert_problem(good, 429)  # a good token too: it is not even checked
    assert 0 < int(good.headers["Retry-After"]) <= 60
    other = world.client(Role.TENANT_ADMIN)  # another address is not held back
    assert other.get(f"{BASE}/status").status_code == 200


def test_a_stranger_failing_with_a_token_id_from_elsewhere_does_not_lock_out_its_holder(
    world: World,
) -> None:
    _throttle(world, window_seconds=60, pair_limit=3, address_limit=30, lock_addresses=5)
    real = token(world.app, "m.inspector")
    forged = real[:-4] + "AAAA"
    stranger = world.app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    statuses = [stranger.get(f"{BASE}/status", headers=_auth(forged)).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]  # the stranger is held back at its address
    holder = world.app.test_client()
    holder.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert holder.get(f"{BASE}/status", headers=_auth(real)).status_code == 200


def test_failures_on_one_token_id_from_many_addresses_lock_it_and_raise_an_alert(
    world: World, caplog: pytest.LogCaptureFixture,
) -> None:
    _throttle(world, window_seconds=60, pair_limit=3, address_limit=30, lock_addresses=5)
    real = token(world.app, "m.inspector")
    forged = real[:-4] + "AAAA"
    for n in range(5):
        attempt = world.app.test_client()
        attempt.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert attempt.get(f"{BASE}/status", headers=_auth(forged)).status_code == 401
    assert any(r.name == "r57.security" and "locked" in r.getMessage() for r in caplog.records)
    holder = world.app.test_client()
    holder.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert holder.get(f"{BASE}/status", headers=_auth(real)).status_code == 429
    metrics = holder.get("/metrics").get_data(as_text=True)
    assert "r57_authentication_locks_total 1.0" in metrics


def test_the_failure_counter_forgets_after_its_window(world: World) -> None:
    now = [1000.0]
    throttle = AuthThrottle(world.app.extensions["r57"].tenancy.storage.database,
                            ThrottlePolicy(window_seconds=10, pair_limit=2, address_limit=50),
                            clock=lambda: now[0])
    throttle.failed("a", "token:x")
    throttle.failed("a", "token:x")
    assert throttle.retry_after("a", "token:x") == 10
    assert throttle.retry_after("b", "token:x") is None
    assert throttle.retry_after("a", "token:y") is None
    now[0] += 10.5
    assert throttle.retry_after("a", "token:x") is None
    throttle.failed("a", "token:x")  # old failures are deleted as new ones arrive
    with world.app.extensions["r57"].tenancy.storage.database.transaction() as cursor:
        cursor.execute("SELECT COUNT(*) AS n FROM r57_auth_failures")
        assert cursor.fetchone() == {"n": 1}


HOSTILE = ["' OR '1'='1", "1; DROP TABLE r57_tenants; --", "../../etc/passwd", "..%2F..%2F",
           "%00", "\x00", "<script>alert(1)</script>", "\u202e", "x" * 5000, "${jndi:ldap://x}"]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_anywhere_are_refused_cleanly_and_change_nothing(
    world: World, value: str
) -> None:
    admin, root = world.client(Role.TENANT_ADMIN), world.client(Role.SYSTEM_ADMIN)
    before = world.stored()
    quoted = value.replace("/", "%2F")
    attempts = [
        admin.get(f"/api/v1/tenants/{quoted}/status"),
        admin.post(f"/api/v1/tenants/{quoted}/tasks/3/cancel", json={"reason": "x"}),
        admin.get(f"{BASE}/tasks/{quoted}"),
        admin.post(f"{BASE}/tasks/{quoted}/reports", json=REPORT),
        admin.get(f"{BASE}/indicators/{quoted}"),
        admin.get(f"{BASE}/agencies/{quoted}"),
        admin.post(f"{BASE}/tasks/3/reports/{quoted}/verify", json={}),
        admin.get(f"{BASE}/status", query_string={"on": value, "plan": value}),
        admin.get(f"{BASE}/events", query_string={"after": value}),
        admin.get(f"{BASE}/tasks/3", query_string={"plan": value}),
        admin.post(f"{BASE}/tasks/3/reports", json={**REPORT, "period": value}),
        admin.post(f"{BASE}/tasks/3/reports", json={**REPORT, "percent": value}),
        admin.post(f"{BASE}/tasks/3/reports", json={**REPORT, "plan": value}),
        admin.post(f"{BASE}/tasks/3/reports", json={**REPORT, "agency": value}),
        admin.post(f"{BASE}/tasks/3/reassign", json={"leads": [value], "reason": "x"}),
        admin.post(f"{BASE}/tasks/3/deadline", json={"deadline": "3/2025", "reason": "x",
                                                     "effective_on": value}),
        root.post("/api/v1/tenants", json={"slug": value, "display_name": "X"}),
        root.get(f"/api/v1/principals/{quoted}"),
        root.post("/api/v1/principals", json={"name": value}),
        root.post("/api/v1/principals/m.target/grants", json={"role": value, "tenant": OWN}),
        root.post("/api/v1/principals/m.target/grants", json={"role": "auditor",
                                                              "tenant": value}),
        root.post(f"/api/v1/principals/m.target/tokens/{quoted}/revoke"),
        root.post("/api/v1/principals/m.target/tokens", json={"expires_on": value}),
        world.app.test_client().get(f"{BASE}/status", headers={
            "Authorization": f"Bearer {value}".encode().decode("latin-1")}),
    ]
    for response in attempts:
        assert 400 <= response.status_code < 500, (response.request.path, response.get_json())
        assert response.mimetype == "application/problem+json", response.request.path
    assert world.stored() == before


def test_sql_metacharacters_in_free_text_are_stored_verbatim(world: World) -> None:
    admin = world.client(Role.TENANT_ADMIN)
    narrative = "'); DELETE FROM t_quang_nam_events; -- \" \\ %s :name"
    assert admin.post(f"{BASE}/tasks/12/reports", json={**REPORT, "narrative": narrative}
                      ).status_code == 201
    reports = admin.get(f"{BASE}/tasks/12").get_json()["reports"]
    assert reports[-1]["narrative"] == narrative
    assert len(admin.get(f"{BASE}/status").get_json()["tasks"]) == 60


def test_an_expired_token_and_a_revoked_token_are_refused_with_401(world: World) -> None:
    access = world.tenancy.access
    access.create_principal("m.brief", "Brief", by="test")
    access.grant("m.brief", "inspector", OWN, "", by="test")
    soon = access.issue_token("m.brief", by="test",
                              expires_at=datetime.now(UTC) + timedelta(milliseconds=300))
    kept = access.issue_token("m.brief", by="test")
    client = world.app.test_client()
    assert client.get(f"{BASE}/status", headers=_auth(soon.token)).status_code == 200
    time.sleep(0.4)
    expired = assert_problem(client.get(f"{BASE}/status", headers=_auth(soon.token)), 401)
    assert expired["type"].endswith("unauthenticated")
    revoked = client.post(f"/api/v1/principals/m.brief/tokens/{kept.token_id}/revoke",
                          headers=_auth(kept.token))
    assert revoked.status_code == 200  # one's own token, revoked by itself
    response = client.get(f"{BASE}/status", headers=_auth(kept.token))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_malformed_authorization_headers_are_401_with_a_bearer_challenge(world: World) -> None:
    client = world.app.test_client()
    for header in ("", "Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "bearer r57_x_y",
                   "Token r57_demoadmin_demo-only-system-admin"):
        response = client.get(f"{BASE}/status", headers={"Authorization": header})
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="r57"')


def _auth(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}
