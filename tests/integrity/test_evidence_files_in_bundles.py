"""Evidence files travel with the log: `r57 export` writes the files the entries cite, the
offline verifier hashes each against the digest the chained entry recorded, and live
verification does the same against the tenant's file store. On both stores."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from integrity.audit import verify_bundle
from integrity.bundle import EVIDENCE, ROOT
from integrity.offline import render
from service.commands import ReportProgress
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from tests.integrity.conftest import DOST, SLUG

MINUTES = b"%PDF-1.7\n% bien ban nghiem thu\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _cite_two_files(ledger: TenantLedger) -> tuple[str, str, int]:
    """Two reports: the first cites the minutes, the second the minutes again and a photo.
    Answers the digests and the position of the first citing entry."""
    minutes = ledger.files.put(MINUTES, "Biên bản nghiệm thu.pdf")
    photo = ledger.files.put(PHOTO, "ảnh hiện trường.png")
    first = ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=40,
                                         narrative="Đã nghiệm thu giai đoạn 1",
                                         files=(minutes.sha256,)), DOST)
    ledger.handle(ReportProgress(task="2", period="2025-Q1", percent=10, narrative="Khởi động",
                                 files=(minutes.sha256, photo.sha256)), DOST)
    return minutes.sha256, photo.sha256, first.position or 0


def _rewrite_member(bundle: Path, name: str, content: bytes, out: Path) -> None:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, content if item.filename == name else data)


def test_an_export_carries_each_cited_file_once_and_verifies_it(
        ledger: TenantLedger, integrity: TenantIntegrity, tmp_path: Path) -> None:
    minutes, photo, _ = _cite_two_files(ledger)
    ledger.files.put(b"%PDF-1.4\n% never cited\n%%EOF\n", "nháp.pdf")  # uploaded, not cited
    bundle = tmp_path / "quang-nam.zip"
    manifest = integrity.export(bundle)
    assert manifest["evidence"] == {"included": True, "cited": 2, "files": 2,
                                    "bytes": len(MINUTES) + len(PHOTO), "missing": []}
    with zipfile.ZipFile(bundle) as zf:
        held = sorted(n for n in zf.namelist() if n.startswith(ROOT + EVIDENCE))
        assert held == sorted(ROOT + EVIDENCE + d for d in (minutes, photo))
        assert zf.read(ROOT + EVIDENCE + minutes) == MINUTES
    report = verify_bundle(bundle)
    assert report.ok and report.files_checked == 2
    assert "2 evidence files match their digests" in render(report, "bundle")[0]


def test_a_file_changed_inside_the_bundle_fails_at_the_entry_that_cites_it(
        ledger: TenantLedger, integrity: TenantIntegrity, tmp_path: Path) -> None:
    minutes, _, position = _cite_two_files(ledger)
    bundle, forged = tmp_path / "good.zip", tmp_path / "forged.zip"
    integrity.export(bundle)
    _rewrite_member(bundle, ROOT + EVIDENCE + minutes, MINUTES.replace(b"1.7", b"1.4"), forged)
    report = verify_bundle(forged)
    assert not report.ok
    assert [f.position for f in report.failures] == [position]
    assert "no longer matches its SHA-256" in report.failures[0].reason


def test_a_file_removed_from_the_bundle_is_missed(
        ledger: TenantLedger, integrity: TenantIntegrity, tmp_path: Path) -> None:
    _, photo, _ = _cite_two_files(ledger)
    bundle, cut = tmp_path / "good.zip", tmp_path / "cut.zip"
    integrity.export(bundle)
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.infolist():
            if item.filename != ROOT + EVIDENCE + photo:
                dst.writestr(item, src.read(item.filename))
    report = verify_bundle(cut)
    assert not report.ok and "missing from the bundle" in report.failures[0].reason


def test_an_export_without_files_verifies_and_says_what_it_did_not_check(
        ledger: TenantLedger, integrity: TenantIntegrity, tmp_path: Path) -> None:
    _cite_two_files(ledger)
    bundle = tmp_path / "light.zip"
    manifest = integrity.export(bundle, with_files=False)
    assert manifest["evidence"] == {"included": False, "cited": 2}
    report = verify_bundle(bundle)
    assert report.ok and report.files_checked == 0
    assert any("without its evidence files" in note for note in report.notes)


def test_live_verification_hashes_the_file_store(
        ledger: TenantLedger, integrity: TenantIntegrity, tmp_path: Path) -> None:
    minutes, photo, position = _cite_two_files(ledger)
    assert integrity.verify_live().files_checked == 2
    with integrity.store.db.transaction() as cursor:  # someone with database access
        cursor.execute("UPDATE evidence_files SET content = :c WHERE tenant = :t AND sha256 = :s",
                       {"c": MINUTES + b"% appended\n", "t": SLUG, "s": minutes})
        cursor.execute("DELETE FROM evidence_files WHERE tenant = :t AND sha256 = :s",
                       {"t": SLUG, "s": photo})
    report = integrity.verify_live()
    reasons = sorted(f.reason for f in report.failures)
    assert not report.ok and len(reasons) == 2
    assert "missing from the file store" in reasons[0]
    assert "its bytes were changed" in reasons[1]
    assert min(f.position for f in report.failures if f.position is not None) == position
    shutil.rmtree(tmp_path, ignore_errors=True)
