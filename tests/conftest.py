"""Fixtures: every storage test runs on SQLite and on PostgreSQL, never on a mock.

PostgreSQL comes from R57_TEST_POSTGRES_URL (the test command sets it; default the local
server). Each session creates its own database and drops it; each test starts from an
empty schema.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy

# Whatever a test leaves in "the data directory" (the web's session key, for one) stays in a
# directory of the test run's own, never in the user's real one.
_TEST_DATA_DIR = tempfile.mkdtemp(prefix="r57-test-data-")
os.environ["R57_DATA_DIR"] = _TEST_DATA_DIR
atexit.register(shutil.rmtree, _TEST_DATA_DIR, True)

ADMIN_URL = os.environ.get(
    "R57_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SEED = Path(__file__).resolve().parents[1] / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"


def _with_database(url: str, dbname: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + dbname


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    dbname = f"r57_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {ADMIN_URL}: {exc}. Run the tests with "
            "./dev test, which starts a throwaway server when none is running.",
            pytrace=False,
        )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    yield _with_database(ADMIN_URL, dbname)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


def reset_schema(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return Settings(database_url=f"sqlite:///{tmp_path / 'data'}")
    url = request.getfixturevalue("postgres_url")
    reset_schema(url)
    return Settings(database_url=url)


@pytest.fixture
def tenancy(settings: Settings) -> Iterator[Tenancy]:
    tenancy = build_tenancy(settings)
    yield tenancy
    tenancy.close()


@pytest.fixture
def seed_path() -> Path:
    return SEED
