"""The chain follower, checkpoints and proofs on both stores."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from eventsourcing.persistence import PersistenceError

from domain.errors import NotFound
from integrity.canonical import EMPTY_HEAD, link_entries
from integrity.keys import Keyring
from integrity.proofs import check_document
from service.commands import ReportProgress
from service.integrity import PeriodicCheckpoints, TenantIntegrity, checkpoint_all
from service.ledger import TenantLedger
from service.tenancy import Tenancy
from tests.integrity.conftest import DOST, SLUG, Intruder, report_progress, unbind_after


def test_the_follower_binds_each_append_as_soon_as_it_commits(
    integrity: TenantIntegrity, ledger: TenantLedger
) -> None:
    assert integrity.store.head().tree_size == 141
    report_progress(ledger, 3)
    head = integrity.store.head()
    assert (head.position, head.tree_size) == (144, 144)
    links, expected = link_entries(EMPTY_HEAD, list(integrity.entries_after(0)))
    assert head == expected
    assert integrity.store.links_after(0, 144) == links


def test_an_append_binds_its_entries_in_its_own_transaction(
    integrity: TenantIntegrity, tenancy: Tenancy
) -> None:
    tenancy.append_listeners.clear()  # no follower: the append's transaction binds
    report_progress(tenancy.ledger(SLUG, for_writing=True), 2)
    assert integrity.store.head().position == 143
    assert len(integrity.store.links_after(0, 10_000)) == 143


def test_entries_left_unbound_are_bound_by_the_next_append_and_nothing_twice(
    integrity: TenantIntegrity, tenancy: Tenancy
) -> None:
    report_progress(tenancy.ledger(SLUG, for_writing=True), 2)
    unbind_after(integrity, 141)  # as a log recorded before appends bound their entries
    report_progress(tenancy.ledger(SLUG, for_writing=True), 1)
    assert integrity.store.head().position == 144
    assert integrity.chain().position == 144
    links, _ = link_entries(EMPTY_HEAD, list(integrity.entries_after(0)))
    assert integrity.store.links_after(0, 10_000) == links


def test_concurrent_followers_bind_every_entry_exactly_once(
    integrity: TenantIntegrity, tenancy: Tenancy
) -> None:
    tenancy.append_listeners.clear()
    report_progress(tenancy.ledger(SLUG, for_writing=True), 20)
    errors: list[BaseException] = []

    def follow() -> None:
        try:
            TenantIntegrity(tenancy.application(SLUG)).chain()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=follow) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert integrity.store.head().tree_size == 161
    assert integrity.verify().ok


def test_signing_twice_without_new_entries_returns_the_same_checkpoint(
    integrity: TenantIntegrity,
) -> None:
    first = integrity.checkpoint()
    assert integrity.checkpoint() == first
    assert len(integrity.store.checkpoints()) == 1
    assert first.head.tree_size == 141 and first.head.last_position == 141


def test_checkpoints_signed_before_a_key_rotation_still_verify(
    integrity: TenantIntegrity, ledger: TenantLedger, key_dir: Path
) -> None:
    before = integrity.checkpoint()
    Keyring(key_dir).rotate()
    report_progress(ledger, 2)
    after = integrity.checkpoint()
    assert before.key_id != after.key_id
    report = integrity.verify()
    assert report.ok and report.signed_by == {before.key_id, after.key_id}


def test_an_inclusion_proof_ties_one_event_to_a_signed_checkpoint(
    integrity: TenantIntegrity, ledger: TenantLedger
) -> None:
    signed = integrity.checkpoint()
    report_progress(ledger, 3)
    later = integrity.checkpoint()
    doc = integrity.inclusion(57, tree_size=signed.tree_size)
    keys = integrity.public_keys()
    assert doc["leaf_index"] == 56 and check_document(doc, keys) == []
    assert check_document(integrity.inclusion(143), keys) == []
    doc["entry"]["originator_version"] += 1
    assert check_document(doc, keys) != []
    with pytest.raises(NotFound):
        integrity.inclusion(144, tree_size=signed.tree_size)
    consistency = integrity.consistency(signed.tree_size, later.tree_size)
    assert check_document(consistency, keys) == []
    consistency["path"][0] = "00" * 32
    assert check_document(consistency, keys) != []


def test_every_active_tenant_is_signed_periodically(tenancy: Tenancy, ledger: TenantLedger,
                                                    key_dir: Path) -> None:
    tenancy.create_tenant("da-nang", "Đà Nẵng")
    outcome = checkpoint_all(tenancy, key_dir)
    assert set(outcome) == {SLUG, "da-nang"}
    assert TenantIntegrity(tenancy.application(SLUG), key_dir).verify().checkpoints == 1
    timer = PeriodicCheckpoints(tenancy, key_dir, every=0.05)
    timer.start()
    report_progress(ledger, 1)
    integrity = TenantIntegrity(tenancy.application(SLUG), key_dir)
    for _ in range(100):
        if integrity.verify().checkpoints == 2:
            break
        threading.Event().wait(0.05)
    timer.stop()
    assert integrity.verify().checkpoints == 2


def test_a_command_whose_links_cannot_be_written_records_nothing(
    integrity: TenantIntegrity, ledger: TenantLedger, intruder: Intruder,
) -> None:
    with intruder.db.transaction() as cursor:
        cursor.execute("DROP TABLE integrity_tracking")
    with pytest.raises(PersistenceError):
        ledger.handle(ReportProgress(
            task="1", period="2025-Q1", percent=10, narrative="Đang làm"), DOST)
    assert ledger.app.recorder.max_notification_id() == 141
