"""Replication of a province's own deployment into the national hub, over real HTTP on
loopback: the source is a served SQLite deployment, the hub is the `tenancy` fixture (both
stores, since the hub is where replicated events are written)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from cli.main import main as r57
from domain.access import Role
from domain.errors import AlreadyExists
from integrity.checkpoints import TreeHead, sign
from integrity.keys import Keyring
from integrity.proofs import check_document
from integrity.signer import heads_at
from projections.change_log import ChangeFilter
from server.app import create_app
from server.serve import REPLICATE_EVERY, start_replicator, stop_checkpointer
from service.commands import ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.replication import (
    PeriodicReplication,
    ReplicationRefused,
    Replicator,
    SourceClient,
    SourceUnavailable,
    add_replica,
    trust_source_keys,
)
from service.tenancy import ReplicaReadOnly, Tenancy
from tests.api.principals import TENANT_ADMIN, login
from tests.conftest import reset_schema
from tests.integration.replication_source import DOST, SLUG, Source, log_of, served_source
from tests.integrity.conftest import Intruder

ON = date(2025, 9, 30)


@pytest.fixture
def source(tmp_path: Path, seed_path: Path) -> Iterator[Source]:
    """A province's own deployment (SQLite) with the seed plan, a signed checkpoint, and a
    read-only token the hub replicates with."""
    with served_source(tmp_path / "province", seed_path) as found:
        yield found


def test_a_replica_copies_the_log_unchanged_verifies_it_and_answers_like_its_source(
    source: Source, tenancy: Tenancy, settings: Settings, capsys: pytest.CaptureFixture[str],
) -> None:
    assert r57(["replica", "add", SLUG, "--source", source.url, "--token", source.token],
               settings) == 0
    assert r57(["replica", "sync", SLUG], settings) == 0
    assert "copied 141 event(s)" in capsys.readouterr().out
    replica = tenancy.replicas.get(SLUG)
    assert (replica.position, replica.verified_size, replica.lag_positions) == (141, 141, 0)
    assert log_of(tenancy) == source.log()  # positions, ids, versions, topics, bytes

    # The source moves on and signs again: the new checkpoint extends the one verified.
    source.report(5)
    source.integrity().checkpoint()
    result = Replicator(tenancy).sync(SLUG)
    assert result.copied == 5 and result.verified is not None
    assert result.verified.tree_size == 146 == result.replica.verified_size
    assert log_of(tenancy) == source.log()

    hub, province = tenancy.queries(SLUG), source.tenancy.queries(SLUG)
    assert hub.status(ON) == province.status(ON)
    assert hub.summary(ON) == province.summary(ON)
    assert hub.history("1") == province.history("1")
    middle = datetime.now(UTC)
    assert hub.status(ON, known_at=middle) == province.status(ON, known_at=middle)
    everything = ChangeFilter()
    assert hub.changes(everything, 500) == province.changes(everything, 500)
    report = TenantIntegrity(tenancy.application(SLUG)).verify_live()
    assert report.ok and report.entries == 146 and report.checkpoints == 2
    assert r57(["verify", "--live", SLUG], settings) == 0
    capsys.readouterr()
    assert r57(["replica", "list"], settings) == 0
    listed = capsys.readouterr().out
    assert SLUG in listed and source.url in listed and "ok" in listed
    assert r57(["replica", "show", SLUG, "--json"], settings) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["verified_size"], shown["lag_positions"]) == (146, 0)
    assert "token" not in shown  # the source's token is never shown


def test_an_interrupted_sync_resumes_where_it_stopped_with_no_gap_and_no_duplicate(
    source: Source, tenancy: Tenancy,
) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    pages: list[int] = []

    class Interrupted(SourceClient):
        def feed(self, after: int, limit: int) -> dict[str, Any]:
            pages.append(after)
            if len(pages) == 3:
                raise SourceUnavailable("replica.source_unreachable", url=self.base,
                                        reason="connection reset")
            return super().feed(after, limit)

    def interrupted(replica: Any) -> SourceClient:
        return Interrupted(replica.source_url, replica.source_tenant, replica.token)

    with pytest.raises(SourceUnavailable):
        Replicator(tenancy, interrupted, page=40).sync(SLUG)
    assert [p for p, *_ in log_of(tenancy)] == [p for p, *_ in source.log()][:80]
    assert tenancy.replicas.get(SLUG).verified_size == 0  # nothing verified half-way

    source.report(3)
    source.integrity().checkpoint()
    result = Replicator(tenancy, page=40).sync(SLUG)
    assert pages[-1] == 80 or 80 in pages[3:]  # resumed after the last committed position
    assert result.copied == 144 - 80
    assert log_of(tenancy) == source.log()
    assert result.replica.verified_size == 144


def test_a_source_whose_history_was_rewritten_after_a_checkpoint_is_refused_and_reported(
    source: Source, tenancy: Tenancy, caplog: pytest.LogCaptureFixture,
) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    Replicator(tenancy).sync(SLUG)
    copied = log_of(tenancy)

    # Someone with the database and the signing key rewrites the source's history from
    # position 100, rebuilds its chain and signs a new head over it.
    source.report(2)
    intruder = Intruder(source.tenancy, SLUG)
    intruder.rewrite_from(100)
    intruder.wipe_everything()
    integrity = source.integrity()
    head = integrity.chain()
    with integrity.store.db.transaction() as cursor:
        leaves = integrity.store.leaf_hashes(cursor)
    root, chain = heads_at(leaves, {len(leaves)})[len(leaves)]
    key_id, key = Keyring(source.tenancy.storage.data_dir / "keys").signing_key()  # type: ignore[attr-defined]
    forged = sign(TreeHead(SLUG, head.tree_size, head.position, root, chain),
                  "2026-01-01T00:00:00+00:00", key_id, key)
    with integrity.store.db.transaction() as cursor:
        integrity.store.add_checkpoint(cursor, forged)

    with caplog.at_level(logging.ERROR, logger="r57.replication"), \
            pytest.raises(ReplicationRefused) as refused:
        Replicator(tenancy).sync(SLUG)
    assert refused.value.code == "replica.refused"
    replica = tenancy.replicas.get(SLUG)
    assert replica.refused_at is not None and "143 entries" in (replica.refusal or "")
    assert any("ALERT" in r.getMessage() for r in caplog.records)
    finding = TenantIntegrity(tenancy.application(SLUG)).findings.latest()
    assert finding is not None and not finding.ok
    assert finding.first_reason.startswith("replication refused")
    assert log_of(tenancy)[:141] == copied  # what was verified stays as it was copied

    with pytest.raises(ReplicationRefused) as again:  # and it does not go on
        Replicator(tenancy).sync(SLUG)
    assert again.value.code == "replica.stopped"


def test_an_event_the_source_withholds_stops_replication(source: Source,
                                                          tenancy: Tenancy) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    Replicator(tenancy, page=50).sync(SLUG, max_pages=1)
    Intruder(source.tenancy, SLUG).flip_one_byte(120)
    with pytest.raises(ReplicationRefused):
        Replicator(tenancy, page=50).sync(SLUG)
    replica = tenancy.replicas.get(SLUG)
    assert "position 120" in (replica.refusal or "")
    assert [p for p, *_ in log_of(tenancy)] == list(range(1, 120))


def test_nobody_writes_into_a_replica_and_its_lag_is_in_the_metrics(
    source: Source, tenancy: Tenancy, settings: Settings,
) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    Replicator(tenancy, page=100).sync(SLUG, max_pages=1)
    with pytest.raises(ReplicaReadOnly):
        tenancy.ledger(SLUG, for_writing=True)

    app = create_app(settings, tenancy)
    client = login(app, TENANT_ADMIN, (Role.TENANT_ADMIN, SLUG, ""))
    answer = client.post(f"/api/v1/tenants/{SLUG}/tasks/1/reports", json={
        "period": "2025-Q1", "percent": 10, "narrative": "Không được ghi"},
        headers={"Accept-Language": "vi"})
    assert answer.status_code == 409, answer.get_json()
    problem = answer.get_json()
    assert problem["code"] == "tenant.replica_read_only"
    assert "bản sao" in problem["detail"]
    assert r57(["task", "report", SLUG, "1", "--period", "2025-Q1", "--percent", "5",
                "--narrative", "Không được ghi"], settings) != 0

    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert f'r57_replica_lag_events{{tenant="{SLUG}"}} 41.0' in metrics
    assert f'r57_replica_refused{{tenant="{SLUG}"}} 0.0' in metrics
    assert "r57_replica_lag_seconds" in metrics


def test_the_replicator_process_keeps_replicas_up_with_their_source(
    source: Source, tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REPLICATE_EVERY, raising=False)
    assert start_replicator() is None  # `r57 serve` without --replicate-every
    add_replica(tenancy, SLUG, source.url, source.token)
    periodic = PeriodicReplication(Replicator(tenancy), every=0.2)
    periodic.start()
    try:
        source.report(4)
        deadline = time.monotonic() + 30
        while tenancy.replicas.get(SLUG).position < 145 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        periodic.stop()
    assert log_of(tenancy) == source.log()
    assert tenancy.replicas.get(SLUG).verified_size == 141  # the source signed no more yet


def test_a_tenant_recorded_here_is_never_turned_into_a_replica(
    source: Source, tenancy: Tenancy,
) -> None:
    tenancy.create_tenant(SLUG, "Quảng Nam", "49")
    with pytest.raises(AlreadyExists):
        add_replica(tenancy, SLUG, source.url, source.token)
    assert tenancy.replicas.find(SLUG) is None
    tenancy.ledger(SLUG, for_writing=True)  # still its own, and writable


def test_a_checkpoint_signed_with_a_new_key_waits_until_an_operator_trusts_it(
    source: Source, tenancy: Tenancy, caplog: pytest.LogCaptureFixture,
) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    Replicator(tenancy).sync(SLUG)
    Keyring(source.tenancy.storage.data_dir / "keys").rotate()  # type: ignore[attr-defined]
    source.report(2)
    source.integrity().checkpoint()
    with caplog.at_level(logging.ERROR, logger="r57.replication"):
        waiting = Replicator(tenancy).sync(SLUG).replica
    assert (waiting.position, waiting.verified_size, waiting.refused_at) == (143, 141, None)
    assert any("not pinned" in r.getMessage() for r in caplog.records)

    replica, added = trust_source_keys(tenancy, SLUG)
    assert len(added) == 1 and len(replica.public_keys) == 2
    assert Replicator(tenancy).sync(SLUG).replica.verified_size == 143
    assert TenantIntegrity(tenancy.application(SLUG)).verify().ok


def test_a_replica_of_a_simulated_tenant_is_flagged_simulated_on_the_hub(
    source: Source, tenancy: Tenancy,
) -> None:
    with source.tenancy.storage.database.transaction() as cursor:  # as `r57 demo` flags it
        cursor.execute("UPDATE r57_tenants SET simulated = 1 WHERE slug = :slug",
                       {"slug": SLUG})
    add_replica(tenancy, SLUG, source.url, source.token)
    assert tenancy.registry.get(SLUG).simulated is True
    Replicator(tenancy).sync(SLUG)
    assert TenantIntegrity(tenancy.application(SLUG)).simulated() is True


def test_r57_serve_runs_a_replicator_process_that_syncs_until_told_to_stop(
    source: Source, tenancy: Tenancy, settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_replica(tenancy, SLUG, source.url, source.token)
    monkeypatch.setenv("R57_DATABASE_URL", settings.database_url)
    monkeypatch.setenv(REPLICATE_EVERY, "0.3")
    process = start_replicator()  # as gunicorn's master does when asked (--replicate-every)
    assert process is not None
    try:
        deadline = time.monotonic() + 60
        while tenancy.replicas.get(SLUG).verified_size < 141 and time.monotonic() < deadline:
            time.sleep(0.2)
        source.report(2)
        while tenancy.replicas.get(SLUG).position < 143 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_checkpointer(process, 20)
    assert process.returncode == 0
    assert log_of(tenancy) == source.log()


def test_the_source_proves_an_event_and_the_growth_of_its_log_to_anyone_with_its_keys(
    source: Source, tenancy: Tenancy,
) -> None:
    replica = add_replica(tenancy, SLUG, source.url, source.token)
    client = SourceClient(source.url, SLUG, source.token)
    inclusion = client.get("/integrity/inclusion", position=5)
    assert inclusion["kind"] == "inclusion" and inclusion["position"] == 5
    assert check_document(inclusion, replica.public_keys) == []
    source.report(1)
    source.integrity().checkpoint()
    consistency = client.consistency(141, 142)
    assert check_document(consistency, replica.public_keys) == []
    with pytest.raises(SourceUnavailable) as missing:
        client.consistency(141, 150)  # no checkpoint of 150 entries
    assert missing.value.params["status"] == "404"
    outsider = SourceClient(source.url, SLUG, "r57_nobody_wrong")
    with pytest.raises(SourceUnavailable) as refused:
        outsider.head()
    assert refused.value.params["status"] == "401"


def test_the_evidence_files_the_log_cites_are_replicated_with_it(
    source: Source, tenancy: Tenancy,
) -> None:
    minutes = b"%PDF-1.7\n% bien ban nghiem thu\n%%EOF\n"
    ledger = source.tenancy.ledger(SLUG, for_writing=True)
    cited = ledger.files.put(minutes, "Biên bản nghiệm thu.pdf")
    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=40,
                                 narrative="Đã nghiệm thu", files=(cited.sha256,)), DOST)
    source.integrity().checkpoint()
    add_replica(tenancy, SLUG, source.url, source.token)
    assert Replicator(tenancy).sync(SLUG).replica.verified_size == 142
    hub = tenancy.ledger(SLUG).files
    assert hub.content(cited.sha256) == minutes
    assert hub.describe(cited.sha256).name == "Biên bản nghiệm thu.pdf"  # type: ignore[union-attr]
    report = TenantIntegrity(tenancy.application(SLUG)).verify()
    assert report.ok and report.files_checked == 1


@pytest.mark.postgres
def test_the_restricted_database_role_replicates_what_the_owner_added(
    source: Source, postgres_url: str,
) -> None:
    reset_schema(postgres_url)
    owner = build_tenancy(Settings(database_url=postgres_url))
    add_replica(owner, SLUG, source.url, source.token)  # provisions a tenant: the owner's
    role = f"r57_web_{uuid.uuid4().hex[:8]}"
    assert r57(["db", "create-role", role, "--password", "web-secret"],
               Settings(database_url=postgres_url)) == 0
    scheme, rest = postgres_url.split("://", 1)
    web = build_tenancy(Settings(database_url=f"{scheme}://{role}:web-secret@"
                                              f"{rest.split('@', 1)[1]}"), migrate=False)
    try:
        assert Replicator(web).sync(SLUG).replica.verified_size == 141
        assert log_of(web) == source.log()
    finally:
        web.close()
        owner.close()
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
