"""Idempotency keys expire after their retention period: replays within it get the first
answer, after it the key is new; expired rows are pruned by command and opportunistically."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cli.main import main
from service.config import Settings
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore, KeyReused, StoredResponse
from tests.api.conftest import events

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
ANSWER = StoredResponse(201, '{"ok": true}', {"ETag": '"1"'})


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _store(tenancy: Tenancy, clock: Clock, **options: int) -> IdempotencyStore:
    return IdempotencyStore(tenancy.storage.database, clock, **options)  # type: ignore[arg-type]


def _count(tenancy: Tenancy) -> int:
    with tenancy.storage.database.transaction() as cursor:
        cursor.execute("SELECT COUNT(*) AS n FROM r57_idempotency_keys")
        row = cursor.fetchone()
    assert row is not None
    return int(row["n"])


def test_a_key_replays_within_its_retention_and_acts_as_new_after_it(tenancy: Tenancy) -> None:
    clock = Clock()
    store = _store(tenancy, clock)
    assert store.begin("t", "k", "first") is None
    store.finish("t", "k", ANSWER)
    clock.now = T0 + timedelta(hours=23, minutes=59)
    assert store.begin("t", "k", "first") == ANSWER
    with pytest.raises(KeyReused):
        store.begin("t", "k", "other")
    clock.now = T0 + timedelta(hours=24, seconds=1)
    assert store.begin("t", "k", "other") is None  # reserved afresh, for the new request
    clock.now += timedelta(hours=1)
    with pytest.raises(KeyReused):
        store.begin("t", "k", "first")


def test_the_retention_period_is_a_parameter(tenancy: Tenancy) -> None:
    clock = Clock()
    store = IdempotencyStore(tenancy.storage.database, clock, retention=timedelta(hours=1))
    assert store.begin("t", "k", "first") is None
    store.finish("t", "k", ANSWER)
    clock.now = T0 + timedelta(minutes=59)
    assert store.begin("t", "k", "first") == ANSWER
    clock.now = T0 + timedelta(minutes=61)
    assert store.begin("t", "k", "first") is None


def test_prune_deletes_only_expired_keys_and_can_be_bounded(tenancy: Tenancy) -> None:
    clock = Clock()
    store = _store(tenancy, clock, prune_every=0)
    for number in range(5):
        store.begin("t", f"old-{number}", "f")
    clock.now = T0 + timedelta(hours=20)
    store.begin("", "recent", "f")
    store.finish("", "recent", ANSWER)
    clock.now = T0 + timedelta(hours=25)
    assert store.prune(limit=2) == 2
    assert store.prune() == 3
    assert _count(tenancy) == 1
    assert store.prune(older_than=timedelta(hours=4)) == 1
    assert _count(tenancy) == 0


def test_every_nth_begin_prunes_expired_keys_on_the_way(tenancy: Tenancy) -> None:
    clock = Clock()
    store = _store(tenancy, clock, prune_every=3)
    store.begin("t", "a", "f")
    store.begin("t", "b", "f")
    clock.now = T0 + timedelta(days=2)
    store.begin("t", "c", "f")  # the third: a and b have expired, and go
    assert _count(tenancy) == 1


def test_r57_db_prune_idempotency_deletes_expired_keys(
    tenancy: Tenancy, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    old = Clock()
    old.now = now - timedelta(hours=30)
    _store(tenancy, old).begin("t", "old", "f")
    fresh = Clock()
    fresh.now = now - timedelta(hours=2)
    _store(tenancy, fresh).begin("t", "fresh", "f")
    assert main(["db", "prune-idempotency"], settings) == 0
    assert "Deleted 1 idempotency keys older than 24 hours" in capsys.readouterr().out
    assert _count(tenancy) == 1
    assert main(["db", "prune-idempotency", "--older-than", "1", "--json"], settings) == 0
    assert '"deleted": 1' in capsys.readouterr().out
    assert _count(tenancy) == 0
    with pytest.raises(SystemExit):
        main(["db", "prune-idempotency", "--older-than", "-3"], settings)


REPORT = {"period": "2025-Q1", "percent": 20, "narrative": "Đang triển khai"}


def test_over_http_a_retry_after_the_retention_period_records_again(
    app: Flask, client: FlaskClient, seeded: str
) -> None:
    clock = Clock()
    clock.now = datetime.now(UTC)
    services = app.extensions["r57"]
    services.idempotency = IdempotencyStore(services.tenancy.storage.database, clock)
    before = len(events(client, seeded))
    headers = {"Idempotency-Key": "report-3"}
    first = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    clock.now += timedelta(hours=23)
    replay = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == first.get_json()
    clock.now += timedelta(hours=2)
    again = client.post(f"{seeded}/tasks/3/reports", json=REPORT, headers=headers)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.get_json() != first.get_json()
    assert len(events(client, seeded)) == before + 2
