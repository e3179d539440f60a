"""A simulated tenant says so everywhere a person could take it for real data: a banner on
each of its pages, the API's tenant resource, the workbooks, the periodic report and the
integrity bundle's manifest; a real tenant beside it says nothing of the kind."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from api.config import ApiSettings
from domain.clock import fixed
from server.app import create_app
from server.serve import demo_token, ensure_demo, ensure_demo_principals
from service.config import Settings
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.web.conftest import seed_tenant, sign_in, text

BANNER = "Dữ liệu mô phỏng để trình diễn"
MARK = "DỮ LIỆU MÔ PHỎNG ĐỂ TRÌNH DIỄN, KHÔNG PHẢI SỐ LIỆU THẬT"
DOST = demo_token("demodost", "demo-only-tenant-admin")
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@pytest.fixture
def demo(tenancy: Tenancy, seed_path: Path) -> Tenancy:
    tenancy.clock = fixed(NOW)
    ensure_demo(tenancy)
    ensure_demo_principals(tenancy)
    seed_tenant(tenancy, "quang-ngai", "Quảng Ngãi", seed_path)  # real, beside it
    tenancy.access.grant("demo.dost", "tenant_admin", "quang-ngai", "", "setup")
    return tenancy


@pytest.fixture
def client(settings: Settings, demo: Tenancy, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    monkeypatch.delenv("R57_SECRET_KEY", raising=False)
    with create_app(settings, demo, ApiSettings()).test_client() as client:
        yield client


def tenant_links(page: str, slug: str) -> set[str]:
    """The pages of the tenant its navigation leads to."""
    found = set(re.findall(r'href="(/(?:t|p)/' + slug + r'[^"#?]*)"', page))
    found |= set(re.findall(r'href="(/changes\?tenant=' + slug + r')"', page))
    return found


def test_each_page_of_the_simulated_tenant_carries_the_banner_and_a_real_one_none(
    client: FlaskClient,
) -> None:
    sign_in(client, DOST)
    dashboard = text(client.get("/t/demo/"))
    pages = tenant_links(dashboard, "demo")
    assert len(pages) >= 10, pages
    for path in sorted(pages | {"/t/demo/tasks/35", "/t/demo/indicators/7.1", "/p/demo"}):
        response = client.get(path)
        assert response.status_code == 200, path
        assert BANNER in text(response), path
    home = text(client.get("/"))
    assert "dữ liệu mô phỏng" in home
    real = text(client.get("/t/quang-ngai/"))
    assert BANNER not in real
    for path in tenant_links(real, "quang-ngai"):
        assert BANNER not in text(client.get(path)), path
    client.post("/sign-out", data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', text(client.get("/"))).group(1)})  # type: ignore[union-attr]
    public = client.get("/p/demo")  # the public page, read by anyone
    assert public.status_code == 200 and BANNER in text(public)
    assert BANNER not in text(client.get("/p/quang-ngai"))


def test_the_api_tenant_resource_says_whether_it_is_simulated(client: FlaskClient) -> None:
    auth = {"Authorization": f"Bearer {DOST}"}
    assert client.get("/api/v1/tenants/demo", headers=auth).get_json()["simulated"] is True
    assert client.get("/api/v1/tenants/quang-ngai",
                      headers=auth).get_json()["simulated"] is False
    listed = client.get("/api/v1/tenants", headers=auth).get_json()["items"]
    assert {t["slug"]: t["simulated"] for t in listed} == {"demo": True, "quang-ngai": False}


def title_block(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [str(sheet.cell(row=r, column=1).value or "") for r in range(1, 6)]


def test_workbooks_and_the_periodic_report_say_it_first(client: FlaskClient) -> None:
    sign_in(client, DOST)
    for path in ("/t/demo/tasks.xlsx", "/t/demo/scorecard.xlsx?year=2025",
                 "/changes.xlsx?tenant=demo"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert title_block(response.data)[0] == MARK
    assert "MÔ PHỎNG" not in " ".join(title_block(client.get("/t/quang-ngai/tasks.xlsx").data))
    report = client.get("/t/demo/periodic-report.docx?kind=year&year=2025")
    assert report.status_code == 200
    paragraphs = [p.text for p in docx.Document(io.BytesIO(report.data)).paragraphs]
    assert MARK in paragraphs
    assert "MÔ PHỎNG ĐỂ TRÌNH DIỄN" in text(client.get("/t/demo/periodic-report?kind=year"
                                                       "&year=2025"))
    real = client.get("/t/quang-ngai/periodic-report.docx?kind=year&year=2025")
    assert not any("MÔ PHỎNG" in p.text for p in docx.Document(io.BytesIO(real.data)).paragraphs)


def manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("manifest.json"))
        loaded: dict[str, object] = json.loads(bundle.read(name))
        return loaded


def test_the_integrity_bundle_of_a_simulated_tenant_says_so(demo: Tenancy,
                                                             tmp_path: Path) -> None:
    TenantIntegrity(demo.application("demo")).export(tmp_path / "demo.zip", sign=False)
    TenantIntegrity(demo.application("quang-ngai")).export(tmp_path / "real.zip", sign=False)
    assert manifest(tmp_path / "demo.zip")["simulated"] is True
    assert "simulated" not in manifest(tmp_path / "real.zip")


def test_the_national_view_marks_the_simulated_province(client: FlaskClient,
                                                        demo: Tenancy) -> None:
    national = demo_token("demonational", "demo-only-national-monitor")
    demo.access.grant("demo.national", "national_monitor", "quang-ngai", "", "setup")
    answer = client.get("/api/v1/national", headers={"Authorization": f"Bearer {national}"})
    assert answer.status_code == 200, answer.get_data(True)
    body = answer.get_json()
    assert {p["tenant"]: p["simulated"] for p in body["provinces"]} == {
        "demo": True, "quang-ngai": False}
    sign_in(client, national)
    page = text(client.get("/quoc-gia"))
    assert "dữ liệu mô phỏng" in page
    workbook = client.get("/quoc-gia.xlsx")
    assert title_block(workbook.data)[0] == MARK
    names = [str(c.value) for c in load_workbook(io.BytesIO(workbook.data)).worksheets[0]["A"]]
    assert "Quảng Nam (demo) (dữ liệu mô phỏng)" in names
    assert "Quảng Ngãi" in names


def test_the_tenants_admin_page_tags_the_simulated_tenant(client: FlaskClient) -> None:
    sign_in(client, demo_token("demoadmin", "demo-only-system-admin"))
    rows = {row.split("</td>")[0]: row
            for row in text(client.get("/admin/tenants")).split("<tr><td>")[1:]}
    (demo_row,) = [row for key, row in rows.items() if ">demo<" in key]
    (real_row,) = [row for key, row in rows.items() if ">quang-ngai<" in key]
    assert "dữ liệu mô phỏng" in demo_row.split("</tr>")[0]
    assert "dữ liệu mô phỏng" not in real_row.split("</tr>")[0]
