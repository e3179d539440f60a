"""Defence in depth on PostgreSQL: the web workers' role appends and reads events but can
neither change nor delete one, nor provision tenants (that stays the owner's)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from api.config import ApiSettings
from cli.main import main as cli_main
from domain.access import Role
from domain.errors import DomainError
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan
from service.config import Settings
from service.container import build_tenancy
from service.db_role import create_role
from service.tenancy import Tenancy
from tests.api.principals import login
from tests.conftest import reset_schema

pytestmark = pytest.mark.postgres
REPORT = {"period": "2025-Q1", "percent": 40, "narrative": "Đang dự thảo"}


@pytest.fixture
def owner(postgres_url: str, seed_path: Path) -> Iterator[Tenancy]:
    """The owner's tenancy: migrated, with tenant 'quang-nam' holding the seed plan."""
    reset_schema(postgres_url)
    tenancy = build_tenancy(Settings(database_url=postgres_url))
    tenancy.create_tenant("quang-nam", "Quảng Nam")
    tenancy.ledger("quang-nam", for_writing=True).handle(ImportPlan(
        document=read_plan_document(seed_path),
        sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), Context("owner"))
    yield tenancy
    tenancy.close()


@pytest.fixture
def web_url(owner: Tenancy, postgres_url: str) -> Iterator[str]:
    role = f"r57_web_{uuid.uuid4().hex[:8]}"
    assert cli_main(["db", "create-role", role, "--password", "web-secret"],
                    Settings(database_url=postgres_url)) == 0
    create_role(owner.storage, role, "web-secret")  # again: the same rights, no error
    scheme, rest = postgres_url.split("://", 1)
    yield f"{scheme}://{role}:web-secret@{rest.split('@', 1)[1]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_create_role_refuses_sqlite_the_owner_and_superusers(
    owner: Tenancy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite = Settings(database_url=f"sqlite:///{tmp_path}")
    assert cli_main(["db", "create-role", "r57_web", "--password", "x"], sqlite) == 1
    assert "PostgreSQL only" in capsys.readouterr().err
    for role in ("postgres", "Robert'); DROP"):
        with pytest.raises(DomainError):
            create_role(owner.storage, role, "x")


def test_the_restricted_role_is_no_superuser_and_may_not_create_tables(web_url: str) -> None:
    with psycopg.connect(web_url, autocommit=True) as conn:
        row = conn.execute("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
                           " WHERE rolname = current_user").fetchone()
        assert row == (False, False, False)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE t_sneaky_events (x int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT r57_lock_events('r57_tenants')")


def test_a_service_running_as_the_restricted_role_appends_and_reads_but_cannot_alter_events(
    owner: Tenancy, web_url: str
) -> None:
    web = build_tenancy(Settings(database_url=web_url), migrate=False)
    try:
        app = create_app(tenancy=web, api_settings=ApiSettings())
        admin = login(app, "web.dost", (Role.TENANT_ADMIN, "quang-nam", ""))
        retry = {"Idempotency-Key": "report-3"}
        reported = admin.post("/api/v1/tenants/quang-nam/tasks/3/reports", json=REPORT,
                              headers=retry)
        assert reported.status_code == 201, reported.get_json()
        again = admin.post("/api/v1/tenants/quang-nam/tasks/3/reports", json=REPORT,
                           headers=retry)
        assert again.headers["Idempotent-Replayed"] == "true"
        status = admin.get("/api/v1/tenants/quang-nam/status").get_json()
        assert next(t for t in status["tasks"] if t["number"] == "3")["last_report"]
        assert admin.get("/api/v1/tenants/quang-nam/tasks/3/history").status_code == 200
        # Snapshots (written after a command's save) are appended and read by this role too.
        app = web.application("quang-nam")
        task = web.ledger("quang-nam").task("3")
        app.take_snapshot(task.id)  # logs, never raises: so count the rows below
        assert app.snapshots is not None
        assert [s.originator_version for s in app.snapshots.get(task.id)] == [task.version]
        assert vars(app.repository.get(task.id)) == vars(task)
    finally:
        web.close()
    with psycopg.connect(web_url, autocommit=True) as conn:
        count = conn.execute("SELECT count(*) FROM t_quang_nam_events").fetchone()
        for statement in ("UPDATE t_quang_nam_events SET topic = 'forged'",
                          "DELETE FROM t_quang_nam_events",
                          "TRUNCATE t_quang_nam_events",
                          "UPDATE r57_access_events SET topic = 'forged'",
                          "UPDATE t_quang_nam_snapshots SET state = NULL",
                          "DELETE FROM t_quang_nam_snapshots",
                          "DELETE FROM integrity_chain",
                          "LOCK TABLE t_quang_nam_events IN EXCLUSIVE MODE"):
            with (pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
                  conn.transaction()):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM t_quang_nam_events").fetchone() == count


def test_provisioning_stays_with_the_owner_and_new_tenants_follow_the_default_rights(
    owner: Tenancy, web_url: str
) -> None:
    web = build_tenancy(Settings(database_url=web_url), migrate=False)
    try:
        app = create_app(tenancy=web, api_settings=ApiSettings())
        root = login(app, "web.root", (Role.SYSTEM_ADMIN, "", ""))
        refused = root.post("/api/v1/tenants", json={"slug": "da-nang", "display_name": "Đà Nẵng"})
        assert refused.status_code == 403
        assert refused.get_json()["type"] == "urn:r57:problem:database-privilege"
        assert [t.slug for t in owner.registry.list()] == ["quang-nam"]
        owner.create_tenant("da-nang", "Đà Nẵng")  # as the owner: the command line's way
        renamed = root.post("/api/v1/tenants/da-nang/rename",
                            json={"display_name": "Thành phố Đà Nẵng"})
        assert renamed.status_code == 200
        registered = login(app, "web.dn", (Role.TENANT_ADMIN, "da-nang", "")).post(
            "/api/v1/tenants/da-nang/agencies", json={"name": "Sở Nội vụ"})
        assert registered.status_code == 201, registered.get_json()
    finally:
        web.close()
    with psycopg.connect(web_url, autocommit=True) as conn:
        rights = conn.execute(
            "SELECT has_table_privilege('t_da_nang_snapshots', 'SELECT'),"
            " has_table_privilege('t_da_nang_snapshots', 'INSERT'),"
            " has_table_privilege('t_da_nang_snapshots', 'UPDATE'),"
            " has_table_privilege('t_da_nang_snapshots', 'DELETE')").fetchone()
        assert rights == (True, True, False, False)
