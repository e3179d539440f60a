"""Write-path benchmark of the R57 Plan Ledger, as ratios against raw inserts in the same run.

Run from the project root (see bench/README.md for what each figure means):

    .venv/bin/python bench/bench_ledger.py            # full run, about 2-5 minutes
    .venv/bin/python bench/bench_ledger.py --quick    # about 30 seconds
    .venv/bin/python bench/bench_ledger.py --json     # JSON on stdout instead of the table

Progress goes to stderr. PostgreSQL: the script creates its own database (r57_bench_<hex>)
on the server at --postgres-url (default $R57_BENCH_POSTGRES_URL, else the local server)
and drops it at the end. SQLite: a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import eventsourcing
import psycopg
from psycopg import sql

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from importers import read_plan_document
from service.config import Settings
from service.container import build_tenancy
from service.ledger import Context, TenantLedger
from service.tenancy import Tenancy

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CTX = Context(actor="bench-reporter")
PERIOD = "2025-Q1"
NARRATIVE = "Đã ban hành kế hoạch triển khai; đang tổ chức thực hiện theo đúng tiến độ đề ra."
SAME_TASKS, OTHER_AGGREGATES = "same_tasks", "other_aggregates"
FILL_BATCH = 500  # events per transaction when pre-filling a tenant (untimed)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str
    rounds: int  # paired service/raw rounds for the append figures
    ops: int  # appends per side per round
    warmup: int  # untimed commands on each fresh tenant (and raw inserts) before timing
    import_runs: int  # timed imports per store, each into a new tenant (after one warm-up)
    levels: tuple[int, ...]  # events already in the tenant before measuring
    level_rounds: int  # interleaved rounds over all (level, fill) tenants
    level_ops: int  # commands per tenant per round


FULL = Profile("full", rounds=9, ops=500, warmup=120, import_runs=15,
               levels=(0, 1_000, 10_000, 100_000), level_rounds=7, level_ops=150)
QUICK = Profile("quick", rounds=5, ops=300, warmup=60, import_runs=5,
                levels=(0, 1_000, 10_000), level_rounds=5, level_ops=80)


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendFigures:
    service_per_s: float  # median over rounds
    raw_per_s: float  # median over rounds
    ratio: float  # median of the per-round service/raw ratios
    service_rounds: list[float]
    raw_rounds: list[float]
    state_bytes: int  # size of one ProgressReported state, used as the raw payload


@dataclass(frozen=True)
class ImportFigures:
    median_ms: float
    min_ms: float
    max_ms: float
    parse_median_ms: float  # read_plan_document alone, included in median_ms
    record_median_ms: float  # import_plan alone (one transaction), included in median_ms
    events: int
    runs: int


@dataclass(frozen=True)
class GrowthRow:
    prior_events: int
    fill: str  # SAME_TASKS, OTHER_AGGREGATES, or "none" for level 0
    per_s: float  # median over rounds
    vs_empty: float  # per_s / the level-0 tenant's per_s
    rounds: list[float]


@dataclass
class StoreFigures:
    store: str
    version: str
    append: AppendFigures | None = None
    seed_import: ImportFigures | None = None
    growth: list[GrowthRow] = field(default_factory=list)


# -- raw baselines -------------------------------------------------------------------------


class KeyCycle:
    """(originator_id, version) pairs over 60 originators, like commands on 60 tasks."""

    def __init__(self, originators: int = 60) -> None:
        self.ids = [uuid.uuid4() for _ in range(originators)]
        self.versions = [0] * originators
        self.index = 0

    def next(self) -> tuple[uuid.UUID, int]:
        slot = self.index % len(self.ids)
        self.index += 1
        self.versions[slot] += 1
        return self.ids[slot], self.versions[slot]


class RawAppender(Protocol):
    def append(self, count: int, topic: str, state: bytes) -> None: ...
    def close(self) -> None: ...


class PostgresRaw:
    """psycopg, one INSERT and one COMMIT per row, into a table shaped like the library's."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)
        self.keys = KeyCycle()
        self.conn.execute(
            "CREATE TABLE bench_raw_events (originator_id uuid NOT NULL, "
            "originator_version bigint NOT NULL, topic text, state bytea, "
            "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        self.conn.execute(
            "CREATE UNIQUE INDEX bench_raw_events_nid ON bench_raw_events (notification_id)"
        )
        self.conn.commit()

    def append(self, count: int, topic: str, state: bytes) -> None:
        with self.conn.cursor() as cursor:
            for _ in range(count):
                originator_id, version = self.keys.next()
                cursor.execute(
                    "INSERT INTO bench_raw_events (originator_id, originator_version, topic,"
                    " state) VALUES (%s, %s, %s, %s)",
                    (originator_id, version, topic, state),
                )
                self.conn.commit()

    def close(self) -> None:
        self.conn.close()


class SQLiteRaw:
    """sqlite3, BEGIN / INSERT / COMMIT per row, WAL file, default synchronous (as the library)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.keys = KeyCycle()
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(
            "CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )

    def append(self, count: int, topic: str, state: bytes) -> None:
        for _ in range(count):
            originator_id, version = self.keys.next()
            self.conn.execute("BEGIN")
            self.conn.execute(
                "INSERT INTO raw_events VALUES (?, ?, ?, ?)",
                (originator_id.hex, version, topic, state),
            )
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


# -- stores --------------------------------------------------------------------------------


@dataclass
class Store:
    name: str
    version: str
    tenancy: Tenancy
    raw: RawAppender
    created: int = 0

    def new_slug(self) -> str:
        self.created += 1
        return f"bench-{self.created}"


class PostgresUnreachable(RuntimeError):
    pass


def _with_database(url: str, dbname: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + dbname


def _admin_connect(admin_url: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise PostgresUnreachable(
            f"PostgreSQL is not reachable at {admin_url}: {str(error).strip()}\n"
            "Start a server, pass --postgres-url postgresql://user@host:port/postgres, "
            "or run only SQLite with --stores sqlite."
        ) from None


@contextmanager
def postgres_store(admin_url: str) -> Iterator[Store]:
    dbname = f"r57_bench_{uuid.uuid4().hex[:12]}"
    with _admin_connect(admin_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        version = str(admin.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    log(f"[postgresql] created database {dbname}")
    url = _with_database(admin_url, dbname)
    tenancy: Tenancy | None = None
    raw: PostgresRaw | None = None
    try:
        tenancy = build_tenancy(Settings(database_url=url))
        raw = PostgresRaw(url)
        yield Store("postgresql", f"PostgreSQL {version}", tenancy, raw)
    finally:
        _close(tenancy, raw)
        with _admin_connect(admin_url) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(dbname)))
        log(f"[postgresql] dropped database {dbname}")


@contextmanager
def sqlite_store() -> Iterator[Store]:
    directory = Path(tempfile.mkdtemp(prefix="r57_bench_"))
    tenancy: Tenancy | None = None
    raw: SQLiteRaw | None = None
    try:
        tenancy = build_tenancy(Settings(database_url=f"sqlite:///{directory / 'data'}"))
        raw = SQLiteRaw(directory / "raw.sqlite3")
        yield Store("sqlite", f"SQLite {sqlite3.sqlite_version} (WAL)", tenancy, raw)
    finally:
        _close(tenancy, raw)
        shutil.rmtree(directory, ignore_errors=True)
        log(f"[sqlite] removed {directory}")


def _close(tenancy: Tenancy | None, raw: RawAppender | None) -> None:
    if raw is not None:
        raw.close()
    if tenancy is not None:
        tenancy.close()


# -- service-side helpers ------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    path: Path
    sha256: str
    task_numbers: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> Seed:
        numbers = tuple(row.number for row in read_plan_document(path).tasks)
        return cls(path, hashlib.sha256(path.read_bytes()).hexdigest(), numbers)


def new_tenant(store: Store) -> TenantLedger:
    slug = store.new_slug()
    store.tenancy.create_tenant(slug, f"Bench {slug}")
    return store.tenancy.ledger(slug, for_writing=True)


def seeded_tenant(store: Store, seed: Seed) -> TenantLedger:
    ledger = new_tenant(store)
    ledger.import_plan(read_plan_document(seed.path), seed.sha256, CTX)
    return ledger


class Reporter:
    """One `report_progress` command per call, cycling over the plan's tasks."""

    def __init__(self, ledger: TenantLedger, numbers: Sequence[str]) -> None:
        self.ledger = ledger
        self.numbers = numbers
        self.done = 0

    def run(self, count: int) -> None:
        for _ in range(count):
            number = self.numbers[self.done % len(self.numbers)]
            self.ledger.report_progress(number, PERIOD, self.done % 101, NARRATIVE, CTX)
            self.done += 1

    def timed(self, count: int) -> float:
        """Commands per second over `count` commands."""
        return rate(count, lambda: self.run(count))


def rate(count: int, action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return count / (time.perf_counter() - start)


def count_events(ledger: TenantLedger) -> int:
    total, start = 0, 1
    while True:
        page = ledger.app.recorder.select_notifications(start=start, limit=1000)
        total += len(page)
        if len(page) < 1000:
            return total
        start = page[-1].id + 1


def sample_event(store: Store, seed: Seed) -> tuple[str, bytes]:
    """The topic and state of one real ProgressReported event, for the raw payload."""
    ledger = seeded_tenant(store, seed)
    result = ledger.report_progress(seed.task_numbers[0], PERIOD, 40, NARRATIVE, CTX)
    (stored,) = ledger.app.recorder.select_events(result.id, desc=True, limit=1)
    return stored.topic, stored.state


# -- figure 1-2: appends per second --------------------------------------------------------


def append_round(store: Store, seed: Seed, profile: Profile, payload: tuple[str, bytes],
                 service_first: bool) -> tuple[float, float]:
    reporter = Reporter(seeded_tenant(store, seed), seed.task_numbers)
    reporter.run(profile.warmup)

    def raw() -> float:
        return rate(profile.ops, lambda: store.raw.append(profile.ops, *payload))

    if service_first:
        service_rate = reporter.timed(profile.ops)
        return service_rate, raw()
    raw_rate = raw()
    return reporter.timed(profile.ops), raw_rate


def measure_append(store: Store, seed: Seed, profile: Profile) -> AppendFigures:
    topic, state = sample_event(store, seed)
    store.raw.append(profile.warmup, topic, state)
    service_rates: list[float] = []
    raw_rates: list[float] = []
    for index in range(profile.rounds):
        log(f"[{store.name}] append round {index + 1}/{profile.rounds}")
        service_rate, raw_rate = append_round(store, seed, profile, (topic, state),
                                              service_first=index % 2 == 0)
        service_rates.append(service_rate)
        raw_rates.append(raw_rate)
    ratios = [s / r for s, r in zip(service_rates, raw_rates, strict=True)]
    return AppendFigures(
        service_per_s=statistics.median(service_rates), raw_per_s=statistics.median(raw_rates),
        ratio=statistics.median(ratios), service_rounds=service_rates, raw_rounds=raw_rates,
        state_bytes=len(state),
    )


# -- figure 3: seed import -----------------------------------------------------------------


def timed_import(store: Store, seed: Seed) -> tuple[float, float, TenantLedger]:
    """(seconds to parse and record, seconds to parse alone, ledger): one new tenant."""
    ledger = new_tenant(store)
    start = time.perf_counter()
    document = read_plan_document(seed.path)
    parsed = time.perf_counter()
    result = ledger.import_plan(document, seed.sha256, CTX)
    done = time.perf_counter()
    assert result.recorded
    return done - start, parsed - start, ledger


def measure_import(store: Store, seed: Seed, runs: int) -> ImportFigures:
    timed_import(store, seed)  # warm-up, not counted
    totals: list[float] = []
    parses: list[float] = []
    events = 0
    for index in range(runs):
        log(f"[{store.name}] import {index + 1}/{runs}")
        total, parse, ledger = timed_import(store, seed)
        totals.append(total)
        parses.append(parse)
        events = count_events(ledger)
    return ImportFigures(
        median_ms=statistics.median(totals) * 1000, min_ms=min(totals) * 1000,
        max_ms=max(totals) * 1000, parse_median_ms=statistics.median(parses) * 1000,
        record_median_ms=statistics.median(t - p for t, p in zip(totals, parses, strict=True))
        * 1000,
        events=events, runs=runs,
    )


# -- figure 4: append rate against events already in the tenant ----------------------------


def fill_same_tasks(ledger: TenantLedger, numbers: Sequence[str], count: int) -> None:
    """`count` ProgressReported events spread over the plan's tasks (aggregates grow)."""
    provenance = Provenance(actor=CTX.actor, effective_on=datetime.now(UTC).date())
    period = ReportingPeriod.parse(PERIOD)
    per_task, extra = divmod(count, len(numbers))
    for index, number in enumerate(numbers):
        task = ledger.task(number)
        for done in range(per_task + (index < extra)):
            task.report_progress(period, done % 101, NARRATIVE, "", "", (), provenance)
        ledger.app.save(task)


def fill_other_aggregates(ledger: TenantLedger, count: int) -> None:
    """`count` one-event Agency aggregates: the log grows, the measured tasks do not."""
    provenance = Provenance(actor=CTX.actor, effective_on=date(2025, 1, 1))
    for start in range(0, count, FILL_BATCH):
        agencies = [
            Agency.register(normalise_agency(f"Đơn vị thử {number:06d}"), provenance)
            for number in range(start, min(count, start + FILL_BATCH))
        ]
        ledger.app.save(*agencies)


def growth_subject(store: Store, seed: Seed, level: int, fill: str) -> Reporter:
    ledger = seeded_tenant(store, seed)
    if fill == SAME_TASKS:
        fill_same_tasks(ledger, seed.task_numbers, level)
    elif fill == OTHER_AGGREGATES:
        fill_other_aggregates(ledger, level)
    return Reporter(ledger, seed.task_numbers)


def growth_subjects(store: Store, seed: Seed, profile: Profile) -> list[tuple[int, str, Reporter]]:
    subjects = []
    for level in profile.levels:
        for fill in (SAME_TASKS, OTHER_AGGREGATES) if level else ("none",):
            log(f"[{store.name}] preparing a tenant with {level} prior events ({fill})")
            reporter = growth_subject(store, seed, level, fill)
            reporter.run(profile.warmup)
            subjects.append((level, fill, reporter))
    return subjects


def measure_growth(store: Store, seed: Seed, profile: Profile) -> list[GrowthRow]:
    subjects = growth_subjects(store, seed, profile)
    rates: list[list[float]] = [[] for _ in subjects]
    for index in range(profile.level_rounds):
        log(f"[{store.name}] growth round {index + 1}/{profile.level_rounds}")
        for position in range(len(subjects)):  # rotate the order: no tenant always goes first
            slot = (index + position) % len(subjects)
            rates[slot].append(subjects[slot][2].timed(profile.level_ops))
    medians = [statistics.median(found) for found in rates]
    return [
        GrowthRow(level, fill, median, median / medians[0], found)
        for (level, fill, _), median, found in zip(subjects, medians, rates, strict=True)
    ]


# -- orchestration -------------------------------------------------------------------------


def bench_store(store: Store, seed: Seed, profile: Profile) -> StoreFigures:
    figures = StoreFigures(store.name, store.version)
    figures.append = measure_append(store, seed, profile)
    figures.seed_import = measure_import(store, seed, profile.import_runs)
    figures.growth = measure_growth(store, seed, profile)
    return figures


def open_store(name: str, admin_url: str) -> Any:
    return postgres_store(admin_url) if name == "postgresql" else sqlite_store()


def run(stores: Sequence[str], admin_url: str, profile: Profile) -> list[StoreFigures]:
    seed = Seed.load(SEED)
    results = []
    for name in stores:
        with open_store(name, admin_url) as store:
            results.append(bench_store(store, seed, profile))
    return results


# -- output --------------------------------------------------------------------------------


def environment(profile: Profile) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "profile": asdict(profile),
        "python": platform.python_version(),
        "eventsourcing": getattr(eventsourcing, "__version__", "9.5.6"),
        "psycopg": f"{psycopg.__version__} ({psycopg.pq.__impl__})",
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def format_append(results: Sequence[StoreFigures], profile: Profile) -> list[str]:
    lines = [
        f"1-2. Appends, one event per command and transaction "
        f"(median of {profile.rounds} paired rounds x {profile.ops})",
        f"  {'store':<12}{'service ev/s':>14}{'raw ev/s':>12}{'service/raw':>13}"
        f"{'state bytes':>13}",
    ]
    for figures in results:
        a = figures.append
        assert a is not None
        lines.append(f"  {figures.store:<12}{a.service_per_s:>14,.0f}{a.raw_per_s:>12,.0f}"
                     f"{a.ratio:>13.2f}{a.state_bytes:>13}")
    return lines


def format_import(results: Sequence[StoreFigures]) -> list[str]:
    first = results[0].seed_import
    assert first is not None
    lines = [
        f"3. Seed plan import into a fresh tenant (median of {first.runs} tenants; "
        "total = parse + record; events/s over record time)",
        f"  {'store':<12}{'median ms':>11}{'min ms':>9}{'max ms':>9}{'parse ms':>10}"
        f"{'record ms':>11}{'events':>8}{'events/s':>10}",
    ]
    for figures in results:
        i = figures.seed_import
        assert i is not None
        lines.append(
            f"  {figures.store:<12}{i.median_ms:>11.0f}{i.min_ms:>9.0f}{i.max_ms:>9.0f}"
            f"{i.parse_median_ms:>10.1f}{i.record_median_ms:>11.1f}{i.events:>8}"
            f"{i.events / i.record_median_ms * 1000:>10,.0f}"
        )
    return lines


def format_growth(results: Sequence[StoreFigures], profile: Profile) -> list[str]:
    lines = [
        f"4. Service appends vs events already in the tenant "
        f"(median of {profile.level_rounds} interleaved rounds x {profile.level_ops})",
        f"  {'store':<12}{'prior events':>13}  {'prior events are':<28}{'ev/s':>8}"
        f"{'vs empty':>10}",
    ]
    labels = {"none": "-", SAME_TASKS: "reports on the same 60 tasks",
              OTHER_AGGREGATES: "other aggregates (agencies)"}
    for figures in results:
        lines.extend(
            f"  {figures.store:<12}{row.prior_events:>13,}  {labels[row.fill]:<28}"
            f"{row.per_s:>8,.0f}{row.vs_empty:>10.2f}"
            for row in figures.growth
        )
    return lines


def format_table(results: Sequence[StoreFigures], env: dict[str, Any],
                 profile: Profile) -> str:
    versions = ", ".join(figures.version for figures in results)
    header = [
        f"R57 Plan Ledger write benchmark ({profile.name}) {env['when']}",
        f"Python {env['python']}, eventsourcing {env['eventsourcing']}, "
        f"psycopg {env['psycopg']}, {versions}, {env['cpus']} CPUs",
    ]
    sections = [format_append(results, profile), format_import(results),
                format_growth(results, profile)]
    return "\n\n".join("\n".join(part) for part in [header, *sections])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="a ~30 s run with fewer rounds")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--stores", default="postgresql,sqlite",
                        help="comma-separated: postgresql, sqlite (default both)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("R57_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL),
        help="an admin URL; the benchmark creates and drops its own database there",
    )
    args = parser.parse_args(argv)
    args.stores = [name.strip() for name in args.stores.split(",") if name.strip()]
    unknown = set(args.stores) - {"postgresql", "sqlite"}
    if unknown or not args.stores:
        parser.error(f"--stores takes postgresql and/or sqlite, got {args.stores}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    profile = QUICK if args.quick else FULL
    started = time.perf_counter()
    try:
        results = run(args.stores, args.postgres_url, profile)
    except PostgresUnreachable as error:
        log(f"error: {error}")
        return 2
    env = environment(profile)
    env["elapsed_s"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps({"environment": env, "stores": [asdict(r) for r in results]},
                         indent=2))
    else:
        print(format_table(results, env, profile))
        print(f"\n(total run time {env['elapsed_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
