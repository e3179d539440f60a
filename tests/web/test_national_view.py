"""The national view: the centre's monitor puts the provinces it is granted side by side
(local ones and one replicated from a province's own deployment), drills down into each
read-only, and downloads the comparison."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from domain.status import StatusClass
from service.commands import ChangeDeadline, Context
from service.replication import Replicator, add_replica
from service.tenancy import Tenancy
from tests.integration.replication_source import Source, log_of, served_source
from tests.web.conftest import OTHER, TENANT, Tokens, form_fields, sign_in

HUE = "hue"  # replicated from the province's own deployment (its tenant quang-nam there)
ON = "30/09/2025"
PERIOD = {"on": ON, "from": "01/07/2025", "to": "30/09/2025"}


@pytest.fixture
def source(tmp_path: Path, seed_path: Path) -> Iterator[Source]:
    with served_source(tmp_path / "province", seed_path) as found:
        yield found


@pytest.fixture
def monitor(tenancy: Tenancy, province: Tokens, source: Source) -> str:
    """The centre's monitor over Quảng Nam, Đà Nẵng and the replica of Huế; one deadline
    change in Đà Nẵng in the period, one outside it."""
    add_replica(tenancy, HUE, source.url, source.token, source_tenant="quang-nam",
                display_name="Thừa Thiên Huế", admin_code="46")
    Replicator(tenancy).sync(HUE)
    ledger = tenancy.ledger(OTHER, for_writing=True)
    ledger.handle(ChangeDeadline(task="3", deadline="12/2025", reason="Điều chỉnh"),
                  Context("dost", effective_on=date(2025, 8, 15)))
    ledger.handle(ChangeDeadline(task="4", deadline="12/2025", reason="Điều chỉnh"),
                  Context("dost", effective_on=date(2025, 5, 15)))
    access = tenancy.access
    access.create_principal("bkhcn.giamsat", "Giám sát Bộ KH&CN", "setup")
    for slug in (TENANT, OTHER, HUE):
        access.grant("bkhcn.giamsat", "national_monitor", slug, "", "setup")
    return access.issue_token("bkhcn.giamsat", "setup").token


def test_the_api_puts_the_granted_provinces_side_by_side(
    client: FlaskClient, tenancy: Tenancy, monitor: str, province: Tokens,
) -> None:
    answer = client.get("/api/v1/national", query_string=PERIOD,
                        headers={"Authorization": f"Bearer {monitor}"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    rows = {r["tenant"]: r for r in body["provinces"]}
    assert set(rows) == {TENANT, OTHER, HUE}
    on = date(2025, 9, 30)
    for slug, row in rows.items():
        overall = tenancy.queries(slug).summary(on).overall
        assert row["total"] == overall["total"] == 60
        counts = {s["status"]: s["count"] for s in row["statuses"]}
        assert counts == {s.value: overall[s.value] for s in StatusClass}
        assert sum(s["percent"] for s in row["statuses"]) == pytest.approx(100, abs=0.5)
        assert row["overdue"] == overall[StatusClass.OPEN_OVERDUE.value]
    assert rows[OTHER]["deadline_changes"] == 1 and rows[TENANT]["deadline_changes"] == 0
    assert rows[TENANT]["replica"] is None
    assert rows[HUE]["replica"]["lag_positions"] == 0
    assert rows[HUE]["replica"]["verified_position"] == 141
    assert body["totals"]["total"] == 180

    inspector = client.get("/api/v1/national",
                           headers={"Authorization": f"Bearer {province.inspector}"})
    assert inspector.status_code == 403
    reversed_period = client.get("/api/v1/national", query_string={
        "on": ON, "from": "30/09/2025", "to": "01/07/2025"},
        headers={"Authorization": f"Bearer {monitor}", "Accept-Language": "vi"})
    assert reversed_period.status_code == 422
    assert "sau ngày kết thúc" in reversed_period.get_json()["detail"]


def test_the_monitor_compares_drills_down_read_only_and_downloads(
    client: FlaskClient, monitor: str, tenancy: Tenancy,
) -> None:
    sign_in(client, monitor)
    page = client.get("/quoc-gia", query_string=PERIOD).get_data(as_text=True)
    for name in ("Quảng Nam", "Đà Nẵng", "Thừa Thiên Huế", "Cả nước", "Bản sao từ"):
        assert name in page
    assert f'href="/t/{OTHER}/?on=30/09/2025"' in page
    dashboard = client.get(f"/t/{OTHER}/?on=30/09/2025")
    assert dashboard.status_code == 200
    task = client.get(f"/t/{OTHER}/tasks/4").get_data(as_text=True)
    assert "<form method=\"post\"" not in task.split("<main", 1)[1]  # reads only
    refused = client.post(f"/t/{OTHER}/tasks/4/report", data=form_fields(task))
    assert refused.status_code == 403

    changes = client.get("/changes", query_string={"type": "deadline_changed"})
    assert "Đà Nẵng" in changes.get_data(as_text=True)  # the provinces' change log too

    sheet = client.get("/quoc-gia.csv", query_string=PERIOD)
    assert sheet.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Đơn vị" and len(rows) == 5  # header, three provinces, totals
    assert [r[0] for r in rows[1:]] == ["Đà Nẵng", "Quảng Nam", "Thừa Thiên Huế", "Cả nước"]
    book = load_workbook(io.BytesIO(client.get("/quoc-gia.xlsx",
                                               query_string=PERIOD).get_data()))
    assert book.sheetnames == ["So sánh các tỉnh"]
    assert "Đà Nẵng" in [c.value for c in book.active["A"]]


def test_a_replica_shows_its_source_and_lag_and_offers_no_form(
    client: FlaskClient, tenancy: Tenancy, monitor: str, source: Source,
) -> None:
    source.report(3)
    Replicator(tenancy, page=1).sync(HUE, max_pages=1)
    replica = tenancy.replicas.get(HUE)
    assert (replica.position, replica.lag_positions) == (142, 2)
    access = tenancy.access
    access.grant("bkhcn.giamsat", "tenant_admin", HUE, "", "setup")  # even its admin
    sign_in(client, monitor)
    page = client.get(f"/t/{HUE}/").get_data(as_text=True)
    assert "Bản sao chỉ đọc" in page and source.url in page
    assert "Chậm 2 sự kiện" in page
    assert "Nhập kế hoạch" not in page
    task = client.get(f"/t/{HUE}/tasks/4").get_data(as_text=True)
    assert "<form method=\"post\"" not in task.split("<main", 1)[1]
    form = client.get(f"/t/{HUE}/tasks/4/report").get_data(as_text=True)
    refused = client.post(f"/t/{HUE}/tasks/4/report", data=form_fields(form) | {
        "period": "2025-Q3", "percent": "10", "narrative": "Không ghi được"})
    assert refused.status_code == 422  # the form again, saying why nothing was recorded
    assert "là bản sao sổ theo dõi của một hệ thống khác" in refused.get_data(as_text=True)
    assert log_of(tenancy, HUE) == source.log()[:142]
