"""One clock: calendar questions in Asia/Ho_Chi_Minh, recorded instants in UTC, the same answer
through the web, the API and the CLI."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from api.config import ApiSettings
from api.schemas.tasks import StatusQuerySchema
from cli.main import build_parser, resolve_days
from cli.reports import cmd_status
from domain.clock import Clock, fixed
from domain.policy import Role
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.api.principals import login
from web.state import end_of_day

AFTER_MIDNIGHT_IN_VIETNAM = datetime(2025, 3, 31, 17, 30, tzinfo=UTC)  # 00:30 on 01/04 in VN
BEFORE_MIDNIGHT_UTC = datetime(2025, 3, 31, 23, 59, tzinfo=UTC)  # 06:59 on 01/04 in VN
END_OF_1_APRIL = datetime(2025, 4, 1, 16, 59, 59, 999999, tzinfo=UTC)
TENANT = "quang-nam"


@pytest.fixture
def tenancy(tmp_path: Path, seed_path: Path) -> Iterator[Tenancy]:
    """The clock does not depend on the store: one SQLite tenancy holding the seed plan."""
    tenancy = build_tenancy(Settings(database_url=f"sqlite:///{tmp_path / 'data'}"))
    tenancy.create_tenant(TENANT, "Quảng Nam", None)
    tenancy.ledger(TENANT, for_writing=True).handle(ImportPlan(
        document=read_plan_document(seed_path),
        sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), Context("setup"))
    yield tenancy
    tenancy.close()


def test_today_is_the_date_in_vietnam_whatever_the_date_in_utc() -> None:
    assert fixed(AFTER_MIDNIGHT_IN_VIETNAM).today() == date(2025, 4, 1)
    assert fixed(BEFORE_MIDNIGHT_UTC).today() == date(2025, 4, 1)
    assert fixed(datetime(2025, 3, 31, 16, 59, tzinfo=UTC)).today() == date(2025, 3, 31)
    assert fixed(AFTER_MIDNIGHT_IN_VIETNAM).now() == AFTER_MIDNIGHT_IN_VIETNAM


def test_a_day_ends_and_starts_in_vietnam_and_is_recorded_in_utc() -> None:
    clock = Clock()
    assert clock.end_of_day(date(2025, 4, 1)) == END_OF_1_APRIL
    assert clock.start_of_day(date(2025, 4, 1)) == datetime(2025, 3, 31, 17, 0, tzinfo=UTC)
    assert clock.instant(date(2025, 4, 1)) == END_OF_1_APRIL
    assert clock.instant(datetime(2025, 4, 1, 12, 0)) == datetime(2025, 4, 1, 12, 0, tzinfo=UTC)


def test_the_settings_make_the_clock_and_name_its_zone() -> None:
    assert Settings.from_env({}).clock().zone.key == "Asia/Ho_Chi_Minh"
    assert Settings.from_env({"R57_TIME_ZONE": "UTC"}).clock().end_of_day(date(2025, 4, 1)) \
        == datetime(2025, 4, 1, 23, 59, 59, 999999, tzinfo=UTC)


def test_known_at_a_date_means_the_same_instant_in_the_web_the_api_and_the_cli(
    tenancy: Tenancy
) -> None:
    app = create_app(tenancy=tenancy, api_settings=ApiSettings())
    for typed in ("01/04/2025", "2025-04-01"):
        with app.test_request_context():
            through_api = StatusQuerySchema().load({"known_at": typed})["known_at"]
            through_web = end_of_day(date(2025, 4, 1))
        args = build_parser().parse_args(["status", TENANT, "--known-at", typed])
        resolve_days(args, tenancy.clock)
        assert through_api == through_web == args.known_at == END_OF_1_APRIL


def test_just_after_midnight_in_vietnam_every_entry_point_says_it_is_the_new_day(
    tenancy: Tenancy, capsys: pytest.CaptureFixture[str]
) -> None:
    for turn, now in enumerate((AFTER_MIDNIGHT_IN_VIETNAM, BEFORE_MIDNIGHT_UTC)):
        tenancy.clock = fixed(now)
        app = create_app(tenancy=tenancy, api_settings=ApiSettings())
        api = login(app, f"clock.admin{turn}", (Role.TENANT_ADMIN, TENANT, ""))
        status = api.get(f"/api/v1/tenants/{TENANT}/status")
        assert status.status_code == 200 and status.get_json()["on"] == "2025-04-01"
        page = app.test_client().get(f"/p/{TENANT}").get_data(as_text=True)
        assert "Số liệu tính đến ngày 01/04/2025" in page
        cmd_status(tenancy, build_parser().parse_args(["status", TENANT]))
        assert "Status on 01/04/2025" in capsys.readouterr().out
        recorded = tenancy.ledger(TENANT, for_writing=True).handle(ReportProgress(
            task="5", period="2025-Q1", percent=40, narrative="x"), Context("clock.admin"))
        history = tenancy.queries(TENANT).history("5")
        assert recorded.version and history[-1].effective_on == date(2025, 4, 1)
