"""Someone with full database access rewrites a province's stored events behind the service.
Each change is detected and located by live verification, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.messages import Message
from integrity.audit import hold
from integrity.verify import Report
from service.integrity import IntegrityRefused, TenantIntegrity
from service.ledger import TenantLedger
from service.tenancy import Tenancy
from tests.integrity.conftest import (
    SLUG,
    Intruder,
    report_progress,
    truncate_chain_after,
    unbind_after,
)
from tests.messages import english, vietnamese


@pytest.fixture
def signed(integrity: TenantIntegrity, ledger: TenantLedger) -> TenantIntegrity:
    """The plan (positions 1-141) signed; ten reports (142-151) signed again."""
    integrity.checkpoint()
    report_progress(ledger, 10)
    integrity.checkpoint()
    return integrity


def first_failure(report: Report) -> tuple[int | None, str]:
    assert not report.ok, "the tampering went unnoticed"
    assert report.first is not None
    return report.first.position, report.first.reason


def test_an_untouched_log_verifies_against_its_chain_and_checkpoints(
    signed: TenantIntegrity,
) -> None:
    report = signed.verify()
    assert report.ok, report.failures
    assert (report.entries, report.last_position, report.checkpoints) == (151, 151, 2)
    assert report.pending == 0 and report.notes == []


def test_changing_one_byte_of_one_stored_event_is_detected_at_that_event(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.flip_one_byte(77)
    position, reason = first_failure(signed.verify())
    assert position == 77 and "altered after chaining" in reason


def test_deleting_an_event_is_detected_where_it_was(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.delete(100)
    position, reason = first_failure(signed.verify())
    assert position == 100 and "deleted" in reason


def test_swapping_two_events_is_detected_at_the_first_of_them(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.swap(30, 90)
    report = signed.verify()
    assert first_failure(report)[0] == 30
    assert {f.position for f in report.failures} == {30, 90}


def test_inserting_a_forged_event_is_detected_where_it_was_slipped_in(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.insert_forged(50)
    position, reason = first_failure(signed.verify())
    assert position == 50 and "altered" in reason


def test_truncating_the_log_is_detected_at_the_first_missing_event(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.truncate_after(120)
    position, reason = first_failure(signed.verify())
    assert position == 121 and "deleted" in reason


def test_truncating_the_log_and_its_chain_is_caught_by_the_signed_checkpoints(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.truncate_after(120)
    truncate_chain_after(intruder, 120)
    position, reason = first_failure(signed.verify())
    assert position == 121 and "removed from its end" in reason


def test_a_forgery_with_a_recomputed_chain_fails_the_checkpoints_it_could_not_resign(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.rewrite_from(40)
    intruder.wipe_chain()
    signed.chain()
    position, reason = first_failure(signed.verify())
    assert position == 1 and "do not match the signed checkpoint" in reason


def test_a_wholesale_forgery_is_located_by_a_bundle_exported_earlier(
    signed: TenantIntegrity, intruder: Intruder, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.zip"
    signed.export(earlier)
    intruder.rewrite_from(40)
    intruder.wipe_everything()
    signed.chain()
    # The database alone cannot tell: the chain is self-consistent, no checkpoint is left.
    alone = signed.verify()
    assert alone.ok and alone.checkpoints == 0 and "no signed checkpoint" in alone.notes[0]
    held, _ = hold(earlier)
    position, reason = first_failure(signed.verify(held=held))
    assert position == 40 and "held elsewhere" in reason


def test_the_signer_refuses_to_sign_a_rewritten_history_even_with_its_tracks_covered(
    signed: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.rewrite_from(40)
    intruder.wipe_everything()
    signed.chain()
    with pytest.raises(IntegrityRefused) as refused:
        signed.checkpoint()
    assert refused.value.code == "integrity.sign_refused"
    reason = refused.value.params["reason"]
    assert isinstance(reason, Message) and reason.code == "integrity.sign.chain_rewritten"
    assert "its history was rewritten" in english(refused.value)
    assert "lịch sử đã bị viết lại" in vietnamese(refused.value)


def test_entries_not_yet_chained_are_pending_not_failures(
    signed: TenantIntegrity, tenancy: Tenancy
) -> None:
    report_progress(tenancy.ledger(SLUG, for_writing=True), 2)
    unbind_after(signed, 151)  # as a log recorded before appends bound their entries
    report = signed.verify()
    assert report.ok and report.pending == 2 and report.last_position == 151
    assert signed.chain().position == 153
    assert signed.verify().pending == 0
