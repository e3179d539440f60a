"""Write-path benchmark of the R57 Plan Ledger, as ratios against raw inserts in the same run.

Run from the project root (see bench/README.md for what each figure means):

    .venv/bin/python bench/bench_ledger.py            # full run, about 2-4 minutes
    .venv/bin/python bench/bench_ledger.py --quick    # about 30 seconds
    .venv/bin/python bench/bench_ledger.py --json     # JSON on stdout instead of the table

Progress goes to stderr. PostgreSQL: the script creates its own database (r57_bench_<hex>)
on the server at --postgres-url (default $R57_BENCH_POSTGRES_URL, else the local server)
and drops it at the end. SQLite: a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import benchkit
import eventsourcing
import psycopg
from benchkit import (
    DEFAULT_ADMIN_URL,
    NARRATIVE,
    PostgresUnreachable,
    Seed,
    admin_connect,
    log,
    median,
    postgres_database,
    temporary_directory,
    tenancy_at,
)
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from importers import read_plan_document
from service.commands import Context, ImportPlan, ReportProgress
from service.ledger import TenantLedger
from service.tenancy import Tenancy

CTX = Context(actor="bench-reporter")
PERIOD = "2025-Q1"
SAME_TASKS, OTHER_AGGREGATES = "same_tasks", "other_aggregates"
FILL_BATCH = 500  # events per transaction when pre-filling a tenant (untimed)


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


# Many short interleaved samples, not a few long ones: on a shared machine, bursts of load
# then hit single samples, which the medians and the paired ratios discard.
FULL = Profile("full", rounds=11, ops=200, warmup=60, import_runs=15,
               levels=(0, 1_000, 10_000, 100_000), level_rounds=9, level_ops=50)
QUICK = Profile("quick", rounds=7, ops=150, warmup=60, import_runs=5,
                levels=(0, 1_000, 10_000), level_rounds=9, level_ops=30)


# -- results -------------------------------------------------------------------------------


SIDES = ("service", "recorder", "raw")


@dataclass(frozen=True)
class AppendFigures:
    per_s: dict[str, float]  # side -> median events/s over rounds
    cpu_ms: dict[str, float]  # side -> median CPU ms of this process per event
    vs_raw: dict[str, float]  # side -> median of the per-round side/raw ratios
    rounds: dict[str, list[float]]  # side -> events/s of each round
    state_bytes: int  # size of one ProgressReported state, used as every baseline's payload


@dataclass(frozen=True)
class ImportFigures:
    median_ms: float
    min_ms: float
    max_ms: float
    parse_median_ms: float  # read_plan_document alone, included in median_ms
    record_median_ms: float  # import_plan alone (one transaction), included in median_ms
    events: int
    events_by_type: dict[str, int]
    runs: int


@dataclass(frozen=True)
class GrowthRow:
    prior_events: int
    fill: str  # SAME_TASKS, OTHER_AGGREGATES, or "none" for level 0
    per_s: float  # median over rounds
    cpu_ms: float  # median CPU ms of this process per command
    vs_empty: float  # median of the per-round ratios to the level-0 tenant's rate
    task_events: tuple[int, int]  # events in a measured task: when timing starts, at the end
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
    """psycopg, one INSERT and one COMMIT per row, into a new table shaped like the library's
    (same columns, primary key and unique notification_id index)."""

    def __init__(self, url: str, table: str) -> None:
        self.conn = psycopg.connect(url)
        self.keys = KeyCycle()
        name = sql.Identifier(table)
        self.conn.execute(sql.SQL(
            "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
            " topic text, state bytea, notification_id bigserial,"
            " PRIMARY KEY (originator_id, originator_version))"
        ).format(name))
        self.conn.execute(sql.SQL("CREATE UNIQUE INDEX {} ON {} (notification_id)")
                          .format(sql.Identifier(f"{table}_nid"), name))
        self.conn.commit()
        self.insert = sql.SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s)"
        ).format(name)

    def append(self, count: int, topic: str, state: bytes) -> None:
        with self.conn.cursor() as cursor:
            for _ in range(count):
                originator_id, version = self.keys.next()
                cursor.execute(self.insert, (originator_id, version, topic, state))
                self.conn.commit()

    def close(self) -> None:
        self.conn.close()


class SQLiteRaw:
    """sqlite3, BEGIN / INSERT / COMMIT per row, into a new WAL-mode file with the library's
    table shape; default `synchronous`, as the library leaves it."""

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


class RecorderAppender:
    """The library's recorder alone: `insert_events([one StoredEvent])` per transaction,
    into a tenant's own events table (on PostgreSQL: lock table, NOTIFY, insert, commit)."""

    def __init__(self, ledger: TenantLedger) -> None:
        self.recorder = ledger.app.recorder
        self.keys = KeyCycle()

    def append(self, count: int, topic: str, state: bytes) -> None:
        for _ in range(count):
            originator_id, version = self.keys.next()
            self.recorder.insert_events([StoredEvent(originator_id, version, topic, state)])

    def close(self) -> None:
        """The tenant's application owns the connection."""


# -- stores --------------------------------------------------------------------------------


@dataclass
class Store:
    name: str
    version: str
    tenancy: Tenancy
    raw_factory: Callable[[str], RawAppender]  # a new raw log, by a unique name
    created: int = 0

    def new_slug(self) -> str:
        self.created += 1
        return f"bench-{self.created}"

    def new_raw(self) -> RawAppender:
        self.created += 1
        return self.raw_factory(f"raw_{self.created}")


@contextmanager
def postgres_store(admin_url: str) -> Iterator[Store]:
    with postgres_database(admin_url) as db, tenancy_at(db.url) as tenancy:
        yield Store("postgresql", f"PostgreSQL {db.version}", tenancy,
                    lambda table: PostgresRaw(db.url, f"bench_{table}"))


@contextmanager
def sqlite_store() -> Iterator[Store]:
    with temporary_directory("r57_bench_") as directory, \
            tenancy_at(f"sqlite:///{directory / 'data'}") as tenancy:
        yield Store("sqlite", f"SQLite {sqlite3.sqlite_version} (WAL)", tenancy,
                    lambda name: SQLiteRaw(directory / f"{name}.sqlite3"))


# -- service-side helpers ------------------------------------------------------------------


def new_tenant(store: Store) -> TenantLedger:
    slug = store.new_slug()
    store.tenancy.create_tenant(slug, f"Bench {slug}")
    return store.tenancy.ledger(slug, for_writing=True)


def seeded_tenant(store: Store, seed: Seed) -> TenantLedger:
    return benchkit.seeded_tenant(store.tenancy, store.new_slug(), seed, CTX)


class Reporter:
    """One `report_progress` command per call, cycling over the plan's tasks."""

    def __init__(self, ledger: TenantLedger, numbers: Sequence[str]) -> None:
        self.ledger = ledger
        self.numbers = numbers
        self.done = 0

    def run(self, count: int) -> None:
        for _ in range(count):
            number = self.numbers[self.done % len(self.numbers)]
            self.ledger.handle(ReportProgress(
                task=number, period=PERIOD, percent=self.done % 101, narrative=NARRATIVE), CTX)
            self.done += 1

    def timed(self, count: int) -> Sample:
        return measure(count, lambda: self.run(count))


def paired_ratio(values: Sequence[float], baselines: Sequence[float]) -> float:
    """Median of value/baseline over rounds measured side by side."""
    return median([v / b for v, b in zip(values, baselines, strict=True)])


@dataclass(frozen=True)
class Sample:
    per_s: float  # operations per wall-clock second
    cpu_ms: float  # CPU time of this process per operation, in ms: the client-side cost,
    # which other jobs on the machine disturb much less than wall-clock time


def measure(count: int, action: Callable[[], None]) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Sample(count / wall, cpu * 1000 / count)


def events_by_type(ledger: TenantLedger) -> dict[str, int]:
    """The tenant's log, counted by event class ('Task.Created': 60, ...)."""
    counts: dict[str, int] = {}
    start = 1
    while True:
        page = ledger.app.recorder.select_notifications(start=start, limit=1000)
        for notification in page:
            kind = notification.topic.rsplit(":", 1)[-1]
            counts[kind] = counts.get(kind, 0) + 1
        if len(page) < 1000:
            return dict(sorted(counts.items()))
        start = page[-1].id + 1


def task_length(reporter: Reporter) -> int:
    """Events in the first measured task (all 60 differ by at most one)."""
    return reporter.ledger.task(reporter.numbers[0]).version


def sample_event(store: Store, seed: Seed) -> tuple[str, bytes]:
    """The topic and state of one real ProgressReported event, for the raw payload."""
    ledger = seeded_tenant(store, seed)
    result = ledger.handle(ReportProgress(
        task=seed.numbers[0], period=PERIOD, percent=40, narrative=NARRATIVE), CTX)
    (stored,) = ledger.app.recorder.select_events(result.id, desc=True, limit=1)
    return stored.topic, stored.state


# -- figure 1-2: appends per second --------------------------------------------------------


def append_round(reporter: Reporter, baselines: dict[str, RawAppender], ops: int,
                 payload: tuple[str, bytes], shift: int) -> dict[str, Sample]:
    """Events/s of each side over `ops` appends, in an order rotated by `shift`."""
    sides: dict[str, Callable[[], None]] = {
        "service": lambda: reporter.run(ops),
        **{name: _appending(appender, ops, payload) for name, appender in baselines.items()},
    }
    order = [*SIDES[shift % len(SIDES):], *SIDES[:shift % len(SIDES)]]
    return {name: measure(ops, sides[name]) for name in order}


def _appending(appender: RawAppender, ops: int, payload: tuple[str, bytes]) -> Callable[[], None]:
    return lambda: appender.append(ops, *payload)


def round_logs(store: Store, seed: Seed, warmup: int,
               payload: tuple[str, bytes]) -> tuple[Reporter, dict[str, RawAppender]]:
    """Three fresh logs for one round, each warmed up: a seeded tenant for the service, an
    empty tenant for the recorder, a new table (PostgreSQL) or file (SQLite) for raw SQL."""
    reporter = Reporter(seeded_tenant(store, seed), seed.numbers)
    reporter.run(warmup)
    baselines = {"recorder": RecorderAppender(new_tenant(store)), "raw": store.new_raw()}
    for appender in baselines.values():
        appender.append(warmup, *payload)
    return reporter, baselines


def measure_append(store: Store, seed: Seed, profile: Profile) -> AppendFigures:
    payload = sample_event(store, seed)
    rounds: dict[str, list[float]] = {name: [] for name in SIDES}
    cpu: dict[str, list[float]] = {name: [] for name in SIDES}
    for index in range(profile.rounds):
        log(f"[{store.name}] append round {index + 1}/{profile.rounds}")
        reporter, baselines = round_logs(store, seed, profile.warmup, payload)
        try:
            found = append_round(reporter, baselines, profile.ops, payload, index)
        finally:
            for appender in baselines.values():
                appender.close()
        for name, sample in found.items():
            rounds[name].append(sample.per_s)
            cpu[name].append(sample.cpu_ms)
    return AppendFigures(
        per_s={name: median(found) for name, found in rounds.items()},
        cpu_ms={name: median(found) for name, found in cpu.items()},
        vs_raw={name: paired_ratio(found, rounds["raw"]) for name, found in rounds.items()},
        rounds=rounds, state_bytes=len(payload[1]),
    )


# -- figure 3: seed import -----------------------------------------------------------------


def timed_import(store: Store, seed: Seed) -> tuple[float, float, TenantLedger]:
    """(seconds to parse and record, seconds to parse alone, ledger): one new tenant."""
    ledger = new_tenant(store)
    start = time.perf_counter()
    document = read_plan_document(seed.path)
    parsed = time.perf_counter()
    result = ledger.handle(ImportPlan(document=document, sha256=seed.sha256), CTX)
    done = time.perf_counter()
    assert result.recorded
    return done - start, parsed - start, ledger


def measure_import(store: Store, seed: Seed, runs: int) -> ImportFigures:
    timed_import(store, seed)  # warm-up, not counted
    totals: list[float] = []
    parses: list[float] = []
    by_type: dict[str, int] = {}
    for index in range(runs):
        log(f"[{store.name}] import {index + 1}/{runs}")
        total, parse, ledger = timed_import(store, seed)
        totals.append(total)
        parses.append(parse)
        by_type = events_by_type(ledger)
    return ImportFigures(
        median_ms=median(totals) * 1000, min_ms=min(totals) * 1000,
        max_ms=max(totals) * 1000, parse_median_ms=median(parses) * 1000,
        record_median_ms=median([t - p for t, p in zip(totals, parses, strict=True)])
        * 1000,
        events=sum(by_type.values()), events_by_type=by_type, runs=runs,
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
        fill_same_tasks(ledger, seed.numbers, level)
    elif fill == OTHER_AGGREGATES:
        fill_other_aggregates(ledger, level)
    return Reporter(ledger, seed.numbers)


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
    starts = [task_length(reporter) for _, _, reporter in subjects]
    samples: list[list[Sample]] = [[] for _ in subjects]
    for index in range(profile.level_rounds):
        log(f"[{store.name}] growth round {index + 1}/{profile.level_rounds}")
        for position in range(len(subjects)):  # rotate the order: no tenant always goes first
            slot = (index + position) % len(subjects)
            samples[slot].append(subjects[slot][2].timed(profile.level_ops))
    rates = [[sample.per_s for sample in found] for found in samples]
    return [
        GrowthRow(
            level, fill, median(found), median([s.cpu_ms for s in taken]),
            paired_ratio(found, rates[0]), (start, task_length(reporter)), found,
        )
        for (level, fill, reporter), found, taken, start
        in zip(subjects, rates, samples, starts, strict=True)
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
    seed = Seed.load()
    results = []
    for name in stores:
        with open_store(name, admin_url) as store:
            results.append(bench_store(store, seed, profile))
    return results


# -- output --------------------------------------------------------------------------------


def environment(profile: Profile) -> dict[str, Any]:
    return {**benchkit.environment(), "profile": asdict(profile),
            "eventsourcing": getattr(eventsourcing, "__version__", "9.5.6")}


def format_append(results: Sequence[StoreFigures], profile: Profile) -> list[str]:
    lines = [
        f"1-2. Appends, one event per transaction (median of {profile.rounds} rounds x "
        f"{profile.ops} per side, sides interleaved)",
        f"  {'store':<12}{'service ev/s':>14}{'recorder ev/s':>15}{'raw ev/s':>10}"
        f"{'service/raw':>13}{'recorder/raw':>14}{'service cpu ms/ev':>19}",
    ]
    for figures in results:
        a = figures.append
        assert a is not None
        lines.append(
            f"  {figures.store:<12}{a.per_s['service']:>14,.0f}{a.per_s['recorder']:>15,.0f}"
            f"{a.per_s['raw']:>10,.0f}{a.vs_raw['service']:>13.2f}"
            f"{a.vs_raw['recorder']:>14.2f}{a.cpu_ms['service']:>19.2f}"
        )
    state = results[0].append
    assert state is not None
    lines.append(f"  every side writes the state of a real ProgressReported event "
                 f"({state.state_bytes} bytes); cpu = this process's CPU time")
    return lines


def format_import(results: Sequence[StoreFigures]) -> list[str]:
    first = results[0].seed_import
    assert first is not None
    kinds = ", ".join(f"{kind} {count}" for kind, count in first.events_by_type.items())
    lines = [
        f"3. Seed plan import into a fresh tenant (median of {first.runs} tenants; "
        "total = parse + record; events/s over record time)",
        f"  {'store':<12}{'total ms':>10}{'min ms':>9}{'max ms':>9}{'parse ms':>10}"
        f"{'record ms':>11}{'events':>8}{'events/s':>10}",
    ]
    for figures in results:
        i = figures.seed_import
        assert i is not None
        lines.append(
            f"  {figures.store:<12}{i.median_ms:>10.0f}{i.min_ms:>9.0f}{i.max_ms:>9.0f}"
            f"{i.parse_median_ms:>10.1f}{i.record_median_ms:>11.1f}{i.events:>8}"
            f"{i.events / i.record_median_ms * 1000:>10,.0f}"
        )
    lines.append(f"  events recorded: {kinds}")
    return lines


GROWTH_LABELS = {"none": "-", SAME_TASKS: "reports on the same 60 tasks",
                 OTHER_AGGREGATES: "other aggregates (agencies)"}


def format_growth(results: Sequence[StoreFigures], profile: Profile) -> list[str]:
    lines = [
        f"4. Service appends vs events already in the tenant (median of {profile.level_rounds}"
        f" interleaved rounds x {profile.level_ops} commands per tenant)",
        f"  {'store':<12}{'prior events':>13}  {'prior events are':<30}{'task events':>13}"
        f"{'ev/s':>8}{'vs empty':>10}{'cpu ms/ev':>11}",
    ]
    for figures in results:
        lines.extend(
            f"  {figures.store:<12}{row.prior_events:>13,}  {GROWTH_LABELS[row.fill]:<30}"
            f"{f'{row.task_events[0]}-{row.task_events[1]}':>13}"
            f"{row.per_s:>8,.0f}{row.vs_empty:>10.2f}{row.cpu_ms:>11.2f}"
            for row in figures.growth
        )
    lines.append("  task events: events in each measured task when timing starts - at the end")
    return lines


def format_table(results: Sequence[StoreFigures], env: dict[str, Any],
                 profile: Profile) -> str:
    versions = ", ".join(figures.version for figures in results)
    header = [
        f"R57 Plan Ledger write benchmark ({profile.name}) {env['when']}",
        f"Python {env['python']}, eventsourcing {env['eventsourcing']}, "
        f"psycopg {env['psycopg']}, {versions}",
        f"{env['cpus']} CPUs; 1-min load average {env['load_average_at_start']} at start, "
        f"{env['load_average_1m']} at end (other jobs on the machine disturb wall-clock rates)",
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
    started, load = time.perf_counter(), round(os.getloadavg()[0], 2)
    try:
        if "postgresql" in args.stores:
            admin_connect(args.postgres_url).close()  # fail before any work is done
        results = run(args.stores, args.postgres_url, profile)
    except PostgresUnreachable as error:
        log(f"error: {error}")
        return 2
    except KeyboardInterrupt:
        log("interrupted; the benchmark's database and temporary files were removed")
        return 130
    env = environment(profile)
    env["elapsed_s"] = round(time.perf_counter() - started, 1)
    env["load_average_at_start"] = load
    if args.json:
        print(json.dumps({"environment": env, "stores": [asdict(r) for r in results]},
                         indent=2))
    else:
        print(format_table(results, env, profile))
        print(f"\n(total run time {env['elapsed_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
