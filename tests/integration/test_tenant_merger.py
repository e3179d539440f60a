"""Quảng Nam merged into Đà Nẵng on 01/07/2025, replayed on both stores: the old tenant an
archive whose log verifies exactly as before, the new one carrying its plan on."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cli.main import main
from domain.clock import fixed
from domain.errors import DomainError, NotFound
from domain.lineage import TenantLineage
from importers import read_plan_document
from integrity.offline import verify_file
from service.commands import (
    Context,
    ImportPlan,
    RegisterAgency,
    ReportIndicatorValue,
    ReportProgress,
    SucceedAgency,
    SuspendTask,
)
from service.config import Settings
from service.integrity import TenantIntegrity
from service.merger import (
    Carrier,
    MergerResult,
    SkippedGrant,
    TenantMerger,
    check_continuation,
    lineages,
)
from service.queries import read_events
from service.tenancy import Tenancy, TenantArchived

DISTRICTS = "UBND các huyện, thị xã, thành phố"
COMMUNES = "UBND các xã, phường"
DECISION = "Nghị quyết 1659/NQ-UBTVQH15"
PLAN = "1534/KH-UBND"


def at(day: date) -> Context:
    return Context(actor="dost-officer", effective_on=day)


def record(tenancy: Tenancy, slug: str, day: date, *commands: object) -> None:
    clock = fixed(datetime(day.year, day.month, day.day, 3, tzinfo=UTC))
    ledger = tenancy.ledger(slug, for_writing=True, clock=clock)
    for command in commands:
        ledger.handle(command, at(day))  # type: ignore[arg-type]


@pytest.fixture
def first_half(tenancy: Tenancy, seed_path: Path) -> Tenancy:
    """Plan 1534 imported on 27/02/2025 and reported on until June; Đà Nẵng exists."""
    tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    tenancy.create_tenant("da-nang", "Đà Nẵng", "48")
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    record(tenancy, "quang-nam", date(2025, 2, 27),
           ImportPlan(document=read_plan_document(seed_path), sha256=sha))
    record(tenancy, "quang-nam", date(2025, 4, 5),
           ReportProgress(task="10", period="2025-Q1", percent=20, narrative="Đã khởi động"))
    record(tenancy, "quang-nam", date(2025, 5, 20),
           SuspendTask(task="12", reason="Chờ hướng dẫn của Bộ"))
    record(tenancy, "quang-nam", date(2025, 6, 28),
           ReportProgress(task="10", period="2025-H1", percent=45, narrative="Đang triển khai"),
           ReportIndicatorValue(indicator="7.1", period="2025", value="62,5",
                                source="Báo cáo 30/BC-SKHCN"))
    return tenancy


def merge(tenancy: Tenancy, key_dir: Path, *olds: str) -> list[MergerResult]:
    clock = fixed(datetime(2025, 7, 1, 2, tzinfo=UTC))
    return TenantMerger(tenancy, key_dir, clock).merge(
        olds or ("quang-nam",), "da-nang", date(2025, 7, 1), actor="sysadmin",
        decision_ref=DECISION)


def test_the_new_city_carries_the_provinces_plan_on_and_the_archive_verifies_as_before(
    first_half: Tenancy, tmp_path: Path,
) -> None:
    tenancy, keys = first_half, tmp_path / "keys"
    old = TenantIntegrity(tenancy.application("quang-nam"), keys)
    signed_before = old.checkpoint()
    checkpoints_before = old.store.checkpoints()
    old.export(tmp_path / "before.zip")

    (result,) = merge(tenancy, keys)

    # The old tenant: archived, pointing to the city, its log exactly as it was.
    archived = tenancy.registry.get("quang-nam")
    assert (archived.status, archived.merged_into, archived.merged_on) == (
        "archived", "da-nang", date(2025, 7, 1))
    with pytest.raises(TenantArchived):
        tenancy.ledger("quang-nam", for_writing=True)
    after = TenantIntegrity(tenancy.application("quang-nam"), keys)
    assert after.verify().ok
    assert after.store.checkpoints() == checkpoints_before
    after.export(tmp_path / "after.zip")
    assert verify_file(tmp_path / "after.zip").ok
    assert _entries(tmp_path / "before.zip") == _entries(tmp_path / "after.zip")

    # The city's log records the merger with the old log's final tree head.
    lineage = tenancy.ledger("da-nang").existing(TenantLineage.create_id("quang-nam"))
    assert isinstance(lineage, TenantLineage)
    head = signed_before.head
    assert (lineage.tree_size, lineage.root_hash, lineage.chain_hash) == (
        head.tree_size, head.root_hash.hex(), head.chain_hash.hex())
    assert lineage.checkpoint == signed_before.to_dict()
    assert (lineage.plans, lineage.tasks, lineage.decision_ref) == ((PLAN,), 60, DECISION)
    assert (result.recorded, result.tree_size, result.signed) == (True, head.tree_size, True)

    # After the merger, the districts' duties pass to the communes and wards, in the city.
    record(tenancy, "da-nang", date(2025, 7, 1),
           SucceedAgency(agency=DISTRICTS, successors=(COMMUNES,),
                         reason="Không tổ chức cấp huyện",
                         decision_ref="Nghị quyết 202/2025/QH15"))
    record(tenancy, "da-nang", date(2025, 7, 20),
           ReportProgress(task="10", period="2025-07", percent=60, narrative="Tiếp tục"))

    june = {r.number: r for r in tenancy.queries("quang-nam").status(
        date(2025, 6, 15), effective_on=date(2025, 6, 15))}
    july = {r.number: r for r in tenancy.queries("da-nang").status(
        date(2025, 7, 15), effective_on=date(2025, 7, 15))}
    assert set(june) == set(july) and len(july) == 60
    assert DISTRICTS in june["10"].responsible and COMMUNES not in june["10"].responsible
    assert COMMUNES in july["10"].responsible and DISTRICTS not in july["10"].responsible
    assert july["10"].plan == PLAN and july["12"].state == "suspended"
    assert july["10"].last_report_percent == 45  # the progress reported in Quảng Nam
    # Nothing of it in the city before the merger.
    assert tenancy.queries("da-nang").status(date(2025, 6, 15),
                                             effective_on=date(2025, 6, 15)) == []

    # A carried task shows where it came from, with its reports there and after.
    detail = tenancy.queries("da-nang").task_detail("10", None, date(2025, 7, 31))
    assert detail.origin is not None
    assert (detail.origin.tenant, detail.origin.tenant_name, detail.origin.number) == (
        "quang-nam", "Quảng Nam", "10")
    assert [(r.number, r.percent) for r in detail.reports] == [(1, 20), (2, 45), (3, 60)]
    indicator = tenancy.queries("da-nang").indicator("7.1")
    assert indicator.latest is not None and str(indicator.latest.value) == "62.5"
    assert tenancy.queries("da-nang").check() == []  # the read models rebuild the same


def test_running_the_merger_again_records_nothing_twice(first_half: Tenancy,
                                                        tmp_path: Path) -> None:
    merge(first_half, tmp_path / "keys")
    head = first_half.queries("da-nang").head()
    (again,) = merge(first_half, tmp_path / "keys")
    assert not again.recorded and again.tasks == 60
    assert first_half.queries("da-nang").head() == head


def test_what_cannot_be_merged_is_refused_with_its_reason(first_half: Tenancy,
                                                          tmp_path: Path) -> None:
    merger = TenantMerger(first_half, tmp_path / "keys")
    july = date(2025, 7, 1)
    refusals = {
        "tenant_merge.into_itself": (["da-nang"], "da-nang", july),
        "tenant_merge.events_after_date": (["quang-nam"], "da-nang", date(2025, 6, 1)),
    }
    for code, (olds, into, on) in refusals.items():
        with pytest.raises(DomainError) as refused:
            merger.merge(olds, into, on, actor="sysadmin")
        assert refused.value.code == code
    with pytest.raises(NotFound):
        merger.merge(["ha-noi"], "da-nang", july, actor="sysadmin")
    first_half.create_tenant("demo", "Demo", simulated=True)
    with pytest.raises(DomainError) as refused:
        merger.merge(["demo"], "da-nang", july, actor="sysadmin")
    assert refused.value.code == "tenant_merge.simulated_mismatch"
    first_half.create_tenant("hue", "Huế", "46")
    merge(first_half, tmp_path / "keys")
    with pytest.raises(DomainError) as refused:
        merger.merge(["quang-nam"], "hue", july, actor="sysadmin")
    assert refused.value.code == "tenant_merge.already_merged"
    with pytest.raises(DomainError) as refused:
        merger.merge(["hue"], "quang-nam", july, actor="sysadmin")
    assert refused.value.code == "tenant_merge.target_archived"
    assert first_half.registry.get("hue").status == "active"
    assert len(list(read_events(first_half.application("hue")))) == 0


def _entries(bundle: Path) -> tuple[bytes, bytes]:
    """A bundle's log entries and checkpoints, byte for byte."""
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        events = next(n for n in names if n.endswith("events.jsonl"))
        checkpoints = next(n for n in names if n.endswith("checkpoints.json"))
        return z.read(events), z.read(checkpoints)


def test_grants_move_to_the_city_and_still_read_the_archive(first_half: Tenancy,
                                                            tmp_path: Path) -> None:
    access = first_half.access
    access.create_principal("kiem-toan", "Kiểm toán", by="sysadmin")
    access.grant("kiem-toan", "auditor", "quang-nam", "", by="sysadmin")
    access.create_principal("so-khcn", "Sở KH&CN", by="sysadmin")
    access.grant("so-khcn", "agency_reporter", "quang-nam", "Sở Khoa học và Công nghệ",
                 by="sysadmin")
    (result,) = TenantMerger(first_half, tmp_path / "keys").merge(
        ["quang-nam"], "da-nang", date(2025, 7, 1), actor="sysadmin", grants="move")
    assert result.grants == 2 and result.skipped_grants == ()
    auditor = {(g.role.value, g.tenant) for g in access.principal("kiem-toan").grants}
    assert auditor == {("auditor", "quang-nam"), ("auditor", "da-nang")}
    reporter = {(g.tenant, g.agency) for g in access.principal("so-khcn").grants}
    dost = first_half.ledger("da-nang").agency("Sở Khoa học và Công nghệ").key
    assert ("da-nang", dost) in reporter


def test_a_reporter_grant_for_an_agency_the_city_does_not_register_is_listed_not_reissued(
    first_half: Tenancy, tmp_path: Path, settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    access = first_half.access
    centre = "Trung tâm Phục vụ hành chính công"  # registered, named by no plan
    record(first_half, "quang-nam", date(2025, 6, 30), RegisterAgency(name=centre))
    for name, agency in (("so-khcn", "Sở Khoa học và Công nghệ"), ("trung-tam", centre)):
        access.create_principal(name, name, by="sysadmin")
        access.grant(name, "agency_reporter", "quang-nam", agency, by="sysadmin")
    code = main(["tenant", "merge", "quang-nam", "--into", "da-nang", "--on", "01/07/2025",
                 "--grants", "move", "--key-dir", str(tmp_path / "keys")], settings=settings)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 grants re-issued" in out
    assert (f"not re-issued: trung-tam's agency reporter grant for {centre}, an agency "
            "da-nang does not register") in out
    assert {g.tenant for g in access.principal("trung-tam").grants} == {"quang-nam"}
    assert "da-nang" in {g.tenant for g in access.principal("so-khcn").grants}
    # A second run re-issues nothing more and lists the same grant again.
    (again,) = TenantMerger(first_half, tmp_path / "keys").merge(
        ["quang-nam"], "da-nang", date(2025, 7, 1), actor="sysadmin", grants="move")
    assert (again.recorded, again.grants) == (False, 0)
    assert again.skipped_grants == (SkippedGrant("trung-tam", centre),)


def test_an_auditor_proves_the_old_export_is_the_log_the_city_continued(
    first_half: Tenancy, tmp_path: Path, settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    merge(first_half, tmp_path / "keys")
    old = TenantIntegrity(first_half.application("quang-nam"), tmp_path / "keys")
    old.export(tmp_path / "quang-nam.zip")
    (lineage,) = lineages(first_half, "da-nang")
    assert check_continuation(first_half, "da-nang", verify_file(tmp_path / "quang-nam.zip")
                              ) == lineage
    # An export of another log is no proof.
    other = TenantIntegrity(first_half.application("da-nang"), tmp_path / "keys")
    other.export(tmp_path / "da-nang.zip")
    with pytest.raises(NotFound):
        check_continuation(first_half, "da-nang", verify_file(tmp_path / "da-nang.zip"))
    code = main(["tenant", "lineage", "da-nang", "--bundle", str(tmp_path / "quang-nam.zip")],
                settings=settings)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"ends at the head da-nang's log recorded when it merged on 01/07/2025: " \
           f"{lineage.tree_size} entries" in out


def test_a_merger_stopped_half_way_is_completed_by_running_it_again(
    first_half: Tenancy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fails(*args: object) -> None:
        raise OSError("the process was stopped")

    with monkeypatch.context() as stopped:
        stopped.setattr(Carrier, "aggregates", fails)
        with pytest.raises(OSError):
            merge(first_half, tmp_path / "keys")
    # Archived already, nothing carried yet: the city records nothing until it is complete.
    assert first_half.registry.get("quang-nam").merged_into == "da-nang"
    assert first_half.queries("da-nang").head() == 0
    (result,) = merge(first_half, tmp_path / "keys")
    assert result.recorded and result.tasks == 60
    assert len(first_half.queries("da-nang").status(date(2025, 7, 15))) == 60


def test_two_provinces_holding_one_plan_number_are_refused_before_either_is_archived(
    first_half: Tenancy, seed_path: Path, tmp_path: Path,
) -> None:
    first_half.create_tenant("hoi-an", "Hội An", "50")
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    record(first_half, "hoi-an", date(2025, 2, 27),
           ImportPlan(document=read_plan_document(seed_path), sha256=sha))
    with pytest.raises(DomainError) as refused:
        merge(first_half, tmp_path / "keys", "quang-nam", "hoi-an")
    assert refused.value.code == "tenant_merge.plan_taken"
    assert {first_half.registry.get(s).status for s in ("quang-nam", "hoi-an")} == {"active"}
