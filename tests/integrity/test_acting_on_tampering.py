"""Tampering is acted on, not only detected: nothing is signed, exported or rebuilt from a
log that fails verification unless an operator insists (and that is recorded), and a
command on a tampered item is refused clearly. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from domain.messages import message
from i18n import render
from integrity.audit import verify_bundle
from integrity.bundle import MANIFEST, ROOT
from service.application import HistoryUnreadable
from service.commands import ReportProgress
from service.integrity import LogTampered, TenantIntegrity
from service.ledger import TenantLedger
from service.tenancy import Tenancy
from tests.integrity.conftest import DOST, SLUG, Intruder, report_progress


def positions_of_task(intruder: Intruder, ledger: TenantLedger, number: str) -> list[int]:
    task_id = ledger.task(number).id.hex
    rows = intruder._run("SELECT {id} AS p, originator_id AS o FROM {t} ORDER BY {id}")
    return [int(r["p"]) for r in rows if str(r["o"]).replace("-", "") == task_id]


def test_a_command_on_an_item_whose_history_was_altered_is_refused_clearly(
    tenancy: Tenancy, ledger: TenantLedger, intruder: Intruder
) -> None:
    report_progress(ledger, 6)
    intruder.set_state(positions_of_task(intruder, ledger, "5")[-1], b'{"forged": true}')
    with pytest.raises(HistoryUnreadable) as refused:
        tenancy.ledger(SLUG, for_writing=True).handle(ReportProgress(
            task="5", period="2025-Q2", percent=20, narrative="b"), DOST)
    coded = refused.value.as_message()
    assert coded is not None and "changed outside the service" in render(coded, "en")
    assert "đã bị thay đổi ngoài hệ thống" in render(coded, "vi")


def test_a_command_on_an_item_whose_first_event_was_deleted_is_refused_clearly(
    tenancy: Tenancy, ledger: TenantLedger, intruder: Intruder
) -> None:
    report_progress(ledger, 6)
    intruder.delete(positions_of_task(intruder, ledger, "6")[0])
    with pytest.raises(HistoryUnreadable):
        tenancy.ledger(SLUG, for_writing=True).handle(ReportProgress(
            task="6", period="2025-Q2", percent=20, narrative="b"), DOST)


def test_a_checkpoint_of_a_tampered_log_is_refused_and_the_finding_recorded(
    integrity: TenantIntegrity, intruder: Intruder
) -> None:
    integrity.checkpoint()
    intruder.flip_one_byte(77)
    with pytest.raises(LogTampered) as refused:
        integrity.checkpoint()
    assert refused.value.code == "integrity.log_tampered"
    assert refused.value.params["where"] == message("integrity.at_position", position=77)
    coded = refused.value.as_message()
    assert coded is not None
    assert render(coded, "en").startswith(f"Refused to checkpoint: the log of {SLUG} fails "
                                          "verification at position 77 (")
    assert render(coded, "vi").startswith(f"Không thể ký điểm kiểm tra: nhật ký của đơn vị {SLUG}")
    finding = integrity.findings.latest()
    assert finding is not None and not finding.ok and finding.first_position == 77
    assert integrity.findings.overrides() == []


def test_going_on_despite_tampering_is_recorded_with_who_and_what(
    integrity: TenantIntegrity, intruder: Intruder
) -> None:
    intruder.flip_one_byte(77)
    integrity.checkpoint(despite_tampering=True, actor="cli:auditor")
    [override] = integrity.findings.overrides()
    assert (override["action"], override["actor"]) == ("checkpoint", "cli:auditor")
    assert int(override["first_position"]) == 77


def test_an_export_of_a_tampered_log_is_refused_unless_insisted_and_then_says_so(
    integrity: TenantIntegrity, intruder: Intruder, tmp_path: Path
) -> None:
    integrity.checkpoint()
    intruder.delete(100)
    with pytest.raises(LogTampered):
        integrity.export(tmp_path / "refused.zip")
    assert not (tmp_path / "refused.zip").exists()
    path = tmp_path / "despite.zip"
    integrity.export(path, despite_tampering=True)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(ROOT + MANIFEST))
    assert manifest["exported_despite_failed_verification"]["first_position"] == 100
    report = verify_bundle(path)
    located = [f for f in report.failures if f.position is not None]
    assert [f.position for f in located] == [101] and "deleted" in located[0].reason


def test_a_clean_live_verification_clears_the_warning(
    integrity: TenantIntegrity, intruder: Intruder
) -> None:
    state = intruder.state(77)
    intruder.flip_one_byte(77)
    assert not integrity.verify_live().ok
    intruder.set_state(77, state)
    assert integrity.verify_live().ok
    finding = integrity.findings.latest()
    assert finding is not None and finding.ok
