"""What the benchmark scripts share: the seed plan, throwaway stores, statistics, logging.

Imported by the scripts beside it (`import benchkit`), which run from the project root as
`.venv/bin/python bench/bench_<name>.py`.
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from domain.plan_document import PlanDocument
from importers import read_plan_document
from service.commands import Context, ImportPlan
from service.config import Settings
from service.container import build_tenancy
from service.ledger import TenantLedger
from service.tenancy import Tenancy

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NARRATIVE = "Đã ban hành kế hoạch triển khai; đang tổ chức thực hiện theo đúng tiến độ đề ra."

_STARTED = time.perf_counter()


def log(message: str) -> None:
    """Progress on stderr, with the seconds since the script started."""
    print(f"{time.perf_counter() - _STARTED:6.1f}s {message}", file=sys.stderr, flush=True)


# -- statistics ----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """Nearest rank: with fewer than 20 samples this is the maximum."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def environment() -> dict[str, Any]:
    """The machine and versions a run's figures belong to."""
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "psycopg": f"{psycopg.__version__} ({psycopg.pq.__impl__})",
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
    }


# -- throwaway stores ----------------------------------------------------------------------


class PostgresUnreachable(RuntimeError):
    pass


def with_database(url: str, dbname: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + dbname


def admin_connect(admin_url: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise PostgresUnreachable(
            f"PostgreSQL is not reachable at {admin_url}: {str(error).strip()}\n"
            "Start a server, pass --postgres-url postgresql://user@host:port/postgres, "
            "or run only SQLite with --stores sqlite."
        ) from None


@dataclass(frozen=True)
class PostgresDatabase:
    url: str
    version: str


@contextmanager
def postgres_database(admin_url: str, dbname: str | None = None) -> Iterator[PostgresDatabase]:
    """A database of its own on the server (r57_bench_<hex>), dropped at the end."""
    dbname = dbname or f"r57_bench_{uuid.uuid4().hex[:12]}"
    with admin_connect(admin_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        version = str(admin.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    log(f"[postgresql] created database {dbname}")
    try:
        yield PostgresDatabase(with_database(admin_url, dbname), version)
    finally:
        with admin_connect(admin_url) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(dbname)))
        log(f"[postgresql] dropped database {dbname}")


@contextmanager
def temporary_directory(prefix: str) -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        log(f"[sqlite] removed {directory}")


@contextmanager
def tenancy_at(database_url: str) -> Iterator[Tenancy]:
    """The service's tenancy on a store, migrated, closed at the end."""
    tenancy = build_tenancy(Settings(database_url=database_url))
    try:
        yield tenancy
    finally:
        tenancy.close()


@contextmanager
def sqlite_tenancy(prefix: str = "r57_bench_") -> Iterator[Tenancy]:
    with temporary_directory(prefix) as directory, \
            tenancy_at(f"sqlite:///{directory / 'data'}") as tenancy:
        yield tenancy


@contextmanager
def postgres_tenancy(admin_url: str) -> Iterator[Tenancy]:
    with postgres_database(admin_url) as database, tenancy_at(database.url) as tenancy:
        yield tenancy


# -- the seed plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    path: Path
    document: PlanDocument
    sha256: str
    numbers: tuple[str, ...]  # the plan's task numbers

    @classmethod
    def load(cls, path: Path = SEED) -> Seed:
        document = read_plan_document(path)
        numbers = tuple(row.number for row in document.tasks)
        return cls(path, document, hashlib.sha256(path.read_bytes()).hexdigest(), numbers)


def seeded_tenant(tenancy: Tenancy, slug: str, seed: Seed, ctx: Context) -> TenantLedger:
    """A new tenant with the seed plan imported."""
    tenancy.create_tenant(slug, f"Bench {slug}")
    ledger = tenancy.ledger(slug, for_writing=True)
    ledger.handle(ImportPlan(document=seed.document, sha256=seed.sha256), ctx)
    return ledger
