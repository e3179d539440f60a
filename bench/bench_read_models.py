"""Read-model benchmark of the R57 Plan Ledger: rebuild, time travel and the change log, each
set against a baseline measured in the same run (the machines are shared and noisy).

Run from the project root (bench/README_read_models.md explains every figure):

    .venv/bin/python bench/bench_read_models.py             # full run, about 10-15 minutes
    .venv/bin/python bench/bench_read_models.py --quick     # about a minute
    .venv/bin/python bench/bench_read_models.py --json      # JSON on stdout, not the table
    .venv/bin/python bench/bench_read_models.py --events 200000   # a smaller change-log set

Progress goes to stderr. PostgreSQL: the script creates its own databases
(r57_bench_rm_<hex>_ledgers and _log) on the server at --postgres-url and drops them at the
end. SQLite: a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import signal
import sqlite3
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import benchkit
import psycopg
from benchkit import (
    DEFAULT_ADMIN_URL,
    NARRATIVE,
    Seed,
    log,
    median,
    p95,
    postgres_database,
    sqlite_tenancy,
    tenancy_at,
    timed,
)

from domain.deadlines import Deadline, parse_deadline
from domain.errors import DomainError
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from domain.task import Task
from projections.change_log import ChangeFilter, encode_cursor, query_changes
from service.commands import ChangeDeadline, Context
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy

ACTOR = "bench-rm"
STATUS_ON = date(2025, 9, 30)
PAGE = 50
PER_SAVE = 480  # events per app.save(*tasks) transaction when generating
REBUILD_TARGET = 0.30  # rebuild events/s at least 30 % of raw read-and-decode
KNOWN_AT_TARGET_MS, KNOWN_AT_TARGET_EVENTS = 200.0, 10_000
CHANGES_TARGET_MS = 50.0
FULL_DATASET = 1_000_000
POSTGRES, SQLITE = "postgres", "sqlite"
DEADLINE_TEXTS = ("4/2025", "5/2025", "6/2025", "7/2025", "8/2025", "9/2025", "10/2025",
                  "11/2025", "12/2025", "3/2026", "6/2026")
DEADLINES = tuple(parse_deadline(text) for text in DEADLINE_TEXTS)
PERIODS = tuple(ReportingPeriod.parse(p) for p in ("2025-Q1", "2025-Q2", "2025-Q3",
                                                    "2025-Q4", "2026-Q1", "2026-Q2"))


# -- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildCase:
    events: int  # log length of the tenant
    rounds: int
    existing: bool  # time rebuild() over populated read models (what an operator runs)
    empty: bool  # time rebuild() on read models emptied beforehand (untimed)


@dataclass(frozen=True)
class Profile:
    name: str
    rebuild: dict[str, tuple[RebuildCase, ...]]  # by store
    status_sizes: tuple[int, ...]
    status_reps: tuple[int, ...]  # known_at samples, aligned with status_sizes
    live_reps: int
    log_events: int  # change-log dataset: events over all tenants
    log_tenants: int
    log_samples: int  # samples of each change-log query
    service_commands: int  # commands through TenantLedger, to compare with batched generation


FULL = Profile(
    "full",
    rebuild={
        POSTGRES: (RebuildCase(10_000, 5, True, True), RebuildCase(20_000, 2, True, False),
                   RebuildCase(100_000, 3, False, True)),
        SQLITE: (RebuildCase(10_000, 5, True, True), RebuildCase(100_000, 3, True, True)),
    },
    status_sizes=(10_000, 100_000), status_reps=(40, 7), live_reps=40,
    log_events=FULL_DATASET, log_tenants=100, log_samples=300, service_commands=300,
)
QUICK = Profile(
    "quick",
    rebuild={
        POSTGRES: (RebuildCase(2_000, 3, True, True), RebuildCase(4_000, 1, True, False),
                   RebuildCase(10_000, 2, False, True)),
        SQLITE: (RebuildCase(2_000, 3, True, True), RebuildCase(10_000, 2, True, True)),
    },
    status_sizes=(2_000, 10_000), status_reps=(15, 12), live_reps=15,
    log_events=50_000, log_tenants=100, log_samples=60, service_commands=100,
)


def tenant_sizes(profile: Profile, store: str, parts: set[int]) -> list[int]:
    sizes = {case.events for case in profile.rebuild[store]} if 1 in parts else set()
    return sorted(sizes | (set(profile.status_sizes) if 2 in parts else set()))


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenRow:
    store: str
    tenant: str
    events: int  # log length after generation
    import_s: float  # create_tenant + import of the seed plan
    generated: int  # events appended by the batched generator
    generate_s: float
    generate_per_s: float


@dataclass(frozen=True)
class RebuildRow:
    store: str
    events: int
    variant: str  # "existing", "empty" or "existing, extrapolated"
    rounds: int
    raw_per_s: float  # median over rounds
    rebuild_per_s: float  # median over rounds (or extrapolated)
    rebuild_s: float  # median seconds of one rebuild
    ratio: float  # median of the per-round rebuild/raw ratios
    extrapolated: bool = False


@dataclass(frozen=True)
class LatencyRow:
    store: str
    events: int
    query: str
    n: int
    p50_ms: float
    p95_ms: float
    vs_baseline_p50: float | None = None  # p50 / the baseline's p50
    vs_baseline_p95: float | None = None
    target_p95_ms: float | None = None
    rows: float | None = None  # mean rows per answer (change log)


@dataclass(frozen=True)
class DatasetFigures:
    tenants: int
    events: int  # in all the tenant logs
    target_events: int
    scaled: bool
    provision_s: float  # create_tenant + seed import, all tenants
    generate_s: float
    generate_per_s: float
    service_path_per_s: float  # TenantLedger.change_deadline, 1 event/tx, seed-only tenant
    catch_up_s: float  # queries.refresh() of every tenant, from empty read models
    catch_up_per_s: float
    catch_up_tenant_p50_s: float
    catch_up_tenant_p95_s: float
    vacuum_analyze_s: float
    rm_entries_rows: int


@dataclass
class Results:
    env: dict[str, Any]
    generation: list[GenRow] = field(default_factory=list)
    rebuild: list[RebuildRow] = field(default_factory=list)
    status: list[LatencyRow] = field(default_factory=list)
    dataset: DatasetFigures | None = None
    changes: list[LatencyRow] = field(default_factory=list)
    wall_s: float = 0.0


# -- statistics ----------------------------------------------------------------------------


def latency_row(store: str, events: int, query: str, seconds: Sequence[float],
                **extra: Any) -> LatencyRow:
    ms = [s * 1000 for s in seconds]
    return LatencyRow(store, events, query, len(ms), median(ms), p95(ms), **extra)


def against(row: LatencyRow, baseline: LatencyRow) -> LatencyRow:
    return replace(row, vs_baseline_p50=row.p50_ms / baseline.p50_ms,
                   vs_baseline_p95=row.p95_ms / baseline.p95_ms)


# -- stores --------------------------------------------------------------------------------


@dataclass
class Store:
    name: str
    tenancy: Tenancy
    url: str | None = None  # PostgreSQL only, for VACUUM (outside any transaction)


@contextmanager
def postgres_store(admin_url: str, dbname: str) -> Iterator[Store]:
    with postgres_database(admin_url, dbname) as db, tenancy_at(db.url) as tenancy:
        yield Store(POSTGRES, tenancy, db.url)


@contextmanager
def sqlite_store() -> Iterator[Store]:
    with sqlite_tenancy("r57_bench_rm_") as tenancy:
        yield Store(SQLITE, tenancy)


def vacuum(store: Store, analyze: bool = False) -> float:
    """PostgreSQL only (autovacuum may be off): clear the dead rows a rebuild leaves."""
    if store.url is None:
        return 0.0
    command = "VACUUM ANALYZE" if analyze else "VACUUM"
    start = time.perf_counter()
    with psycopg.connect(store.url, autocommit=True) as conn:
        conn.execute(f"{command} rm_entries, rm_views, rm_tracking")
    return time.perf_counter() - start


# -- generating a history ------------------------------------------------------------------


def seeded_tenant(store: Store, seed: Seed, slug: str) -> TenantLedger:
    return benchkit.seeded_tenant(store.tenancy, slug, seed, Context(actor=ACTOR))


class Script:
    """Cycles each task through a deadline change, a progress report, its verification or
    return, and a reassignment: domain methods only, the caller saves."""

    def __init__(self, tasks: list[Task]) -> None:
        self.tasks = tasks
        self.keys = sorted({k for t in tasks for k in (*t.leads, *t.coordinators)})
        self.n = 0
        self.phase = [0] * len(tasks)  # each task's own cycle: a review follows its report

    def next(self) -> Task:
        index = self.n % len(self.tasks)
        task = self.tasks[index]
        provenance = Provenance(ACTOR, date(2025, 3, 1) + timedelta(days=self.n % 300))
        (self._deadline, self._report, self._review, self._reassign)[self.phase[index] % 4](
            task, provenance)
        self.phase[index] += 1
        self.n += 1
        return task

    def _deadline(self, task: Task, provenance: Provenance) -> None:
        new = _other_deadline(task.deadline, self.n)
        task.change_deadline(new, "Chờ hướng dẫn của Trung ương", "20/QĐ-UBND", provenance)

    def _report(self, task: Task, provenance: Provenance) -> None:
        period = PERIODS[(self.n // 240) % len(PERIODS)]
        task.report_progress(period, self.n % 101, NARRATIVE, "", "", (), provenance)

    def _review(self, task: Task, provenance: Provenance) -> None:
        number = len(task.reports)
        if self.n % 3:
            task.verify_report(number, "Đạt yêu cầu", provenance)
        else:
            task.return_report(number, "Thiếu số liệu minh chứng", provenance)

    def _reassign(self, task: Task, provenance: Provenance) -> None:
        k = len(self.keys)
        leads, coordinators = (self.keys[self.n % k],), (self.keys[(self.n + 1) % k],)
        if (leads, coordinators) == (task.leads, task.coordinators):
            leads = (self.keys[(self.n + 2) % k],)
        task.reassign(leads, coordinators, "Điều chỉnh theo chức năng", "40/QĐ-UBND",
                      provenance)


def _other_deadline(current: Deadline, n: int) -> Deadline:
    for k in range(len(DEADLINES)):
        new = DEADLINES[(n + k) % len(DEADLINES)]
        if (new.kind, new.due, new.start) != (current.kind, current.due, current.start):
            return new
    raise AssertionError("every scripted deadline equals the current one")


def generate(ledger: TenantLedger, seed: Seed, count: int) -> None:
    """Append `count` events, many aggregates per app.save (one transaction each)."""
    script = Script([ledger.task(number) for number in seed.numbers])
    left = count
    while left > 0:
        batch = min(left, PER_SAVE)
        touched = {task.id: task for task in (script.next() for _ in range(batch))}
        ledger.app.save(*touched.values())
        left -= batch


def head(ledger: TenantLedger) -> int:
    return ledger.app.recorder.max_notification_id() or 0


def sized_tenant(store: Store, seed: Seed, slug: str, events: int) -> GenRow:
    start = time.perf_counter()
    ledger = seeded_tenant(store, seed, slug)
    import_s = time.perf_counter() - start
    count = max(0, events - head(ledger))
    generate_s = timed(lambda: generate(ledger, seed, count))
    return GenRow(store.name, slug, head(ledger), import_s, count, generate_s,
                  count / generate_s if generate_s else 0.0)


# -- 1. rebuild against raw read-and-decode --------------------------------------------------


def raw_read(queries: TenantQueries) -> int:
    """The baseline: select_notifications + mapper.to_domain_event, nothing else."""
    return sum(1 for _ in read_events(queries.app))


def wipe(queries: TenantQueries) -> None:
    """Untimed: empty the tenant's read models. On PostgreSQL with the foreign-key triggers
    off for this one transaction, else the delete alone takes minutes (see the README)."""
    store = queries.store
    with store.db.transaction() as cursor:
        if store.db.dialect == POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = replica")
        store.clear(cursor)


@dataclass
class RebuildSamples:
    raw: list[float] = field(default_factory=list)
    existing: list[float] = field(default_factory=list)
    empty: list[float] = field(default_factory=list)


def rebuild_round(store: Store, queries: TenantQueries, case: RebuildCase, index: int,
                  samples: RebuildSamples) -> None:
    if index % 2 == 0:
        samples.raw.append(timed(lambda: raw_read(queries)))
    if case.existing:
        vacuum(store)
        samples.existing.append(timed(queries.rebuild))
    if case.empty:
        wipe(queries)
        vacuum(store)
        samples.empty.append(timed(queries.rebuild))
    if index % 2 == 1:
        samples.raw.append(timed(lambda: raw_read(queries)))


def rebuild_rows(store: str, events: int, samples: RebuildSamples) -> list[RebuildRow]:
    rows = []
    for variant, times in (("existing", samples.existing), ("empty", samples.empty)):
        if times:
            ratios = [raw / t for raw, t in zip(samples.raw, times, strict=True)]
            rows.append(RebuildRow(store, events, variant, len(times),
                                   events / median(samples.raw), events / median(times),
                                   median(times), median(ratios)))
    return rows


def measure_rebuild_case(store: Store, queries: TenantQueries,
                         case: RebuildCase) -> list[RebuildRow]:
    events = raw_read(queries)  # warm-up, untimed
    if case.existing and queries.store.position() == 0:
        log(f"  initial catch-up of {events:,} events (untimed) ...")
        queries.refresh()
    samples = RebuildSamples()
    for index in range(case.rounds):
        rebuild_round(store, queries, case, index, samples)
        log(f"  {store.name} {events:,} events, round {index + 1}/{case.rounds}: raw "
            f"{samples.raw[-1]:.2f}s, rebuild existing {_last(samples.existing)}, "
            f"empty {_last(samples.empty)}")
    return rebuild_rows(store.name, events, samples)


def _last(values: list[float]) -> str:
    return f"{values[-1]:.2f}s" if values else "-"


def extrapolate(rows: list[RebuildRow]) -> list[RebuildRow]:
    """'existing' rows for sizes only measured on emptied models, from the growth exponent
    between the two largest measured 'existing' sizes; clearly marked as not run."""
    measured = sorted((r for r in rows if r.variant == "existing"), key=lambda r: r.events)
    if len(measured) < 2:
        return []
    small, large = measured[-2], measured[-1]
    exponent = math.log(large.rebuild_s / small.rebuild_s) / math.log(large.events / small.events)
    done = {r.events for r in measured}
    out = []
    for row in rows:
        if row.variant == "empty" and row.events not in done:
            seconds = large.rebuild_s * (row.events / large.events) ** exponent
            raw_s = row.events / row.raw_per_s
            variant = f"existing, extrapolated (n^{exponent:.2f})"
            out.append(RebuildRow(row.store, row.events, variant, 0, row.raw_per_s,
                                  row.events / seconds, seconds, raw_s / seconds,
                                  extrapolated=True))
    return out


def measure_rebuild(store: Store, tenants: dict[int, TenantQueries],
                    cases: Sequence[RebuildCase]) -> list[RebuildRow]:
    rows: list[RebuildRow] = []
    for case in cases:
        log(f"[{store.name}] 1. rebuild vs raw, {case.events:,} events, {case.rounds} rounds")
        rows += measure_rebuild_case(store, tenants[case.events], case)
    return rows + extrapolate(rows)


# -- 2. status as known at a past time ------------------------------------------------------


def mid_history(queries: TenantQueries) -> datetime:
    """The timestamp of the event in the middle of the tenant's log."""
    _, event = next(read_events(queries.app, queries.head() // 2))
    moment: datetime = event.timestamp
    return moment


def measure_status_size(store: str, queries: TenantQueries, events: int, reps: int,
                        live_reps: int) -> list[LatencyRow]:
    queries.refresh()  # untimed: the live read model is current
    moment = mid_history(queries)
    known, live, raw = [], [], []
    for index in range(max(reps, live_reps)):
        if index < reps:
            known.append(timed(lambda: queries.status(STATUS_ON, known_at=moment)))
            raw.append(timed(lambda: raw_read(queries)))
        if index < live_reps:
            live.append(timed(lambda: queries.status(STATUS_ON)))
    target = KNOWN_AT_TARGET_MS if events == KNOWN_AT_TARGET_EVENTS else None
    baseline = latency_row(store, events, "read+decode all events (baseline)", raw)
    return [
        baseline,
        against(latency_row(store, events, "status known_at T (mid-history)", known,
                            target_p95_ms=target), baseline),
        against(latency_row(store, events, "status live (read model)", live), baseline),
    ]


def measure_status(store: Store, tenants: dict[int, TenantQueries],
                   profile: Profile) -> list[LatencyRow]:
    rows = []
    for events, reps in zip(profile.status_sizes, profile.status_reps, strict=True):
        log(f"[{store.name}] 2. status latency, {events:,} events, {reps} samples")
        rows += measure_status_size(store.name, tenants[events], events, reps,
                                    profile.live_reps)
    return rows


# -- 3. the change log over many tenants ----------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """One tenant of the change-log dataset and what the samples ask of it."""

    slug: str
    queries: TenantQueries
    head: int
    numbers: tuple[str, ...]
    common_agency: str  # the agency with most change-log entries
    rare_agency: str  # the agency with fewest
    page2: str  # the cursor after the first page of deadline changes
    mid: str  # a cursor in the middle of the log


DEADLINE_ONLY = ChangeFilter(types=("deadline_changed",))


def provision(store: Store, seed: Seed, tenants: int) -> tuple[list[TenantLedger], float]:
    start = time.perf_counter()
    ledgers = [seeded_tenant(store, seed, f"p{i:03d}") for i in range(tenants)]
    return ledgers, time.perf_counter() - start


def fill(ledgers: Sequence[TenantLedger], seed: Seed, total: int) -> tuple[int, float]:
    share = [total // len(ledgers) + (i < total % len(ledgers)) for i in range(len(ledgers))]
    start = time.perf_counter()
    for index, (ledger, count) in enumerate(zip(ledgers, share, strict=True)):
        generate(ledger, seed, max(0, count - head(ledger)))
        if index % 10 == 9:
            log(f"  generated {index + 1}/{len(ledgers)} tenants, "
                f"{time.perf_counter() - start:.0f}s")
    return sum(head(ledger) for ledger in ledgers), time.perf_counter() - start


def service_path_rate(ledger: TenantLedger, seed: Seed, commands: int) -> float:
    """Events/s of one command per transaction through TenantLedger (load, decide, save), on
    a tenant that holds only the seed plan (each command replays its task's history)."""
    ctx = Context(actor=ACTOR, effective_on=date(2025, 6, 1))
    done = 0
    start = time.perf_counter()
    for k in range(commands):
        number = seed.numbers[k % len(seed.numbers)]
        try:
            ledger.handle(ChangeDeadline(
                task=number, deadline=DEADLINE_TEXTS[k % len(DEADLINE_TEXTS)], reason="Lùi hạn",
                decision_ref="20/QĐ-UBND"), ctx)
            done += 1
        except DomainError:
            continue
    return done / (time.perf_counter() - start)


def catch_up_all(store: Store, slugs: Sequence[str]) -> list[float]:
    seconds = []
    for index, slug in enumerate(slugs):
        queries = store.tenancy.queries(slug)
        seconds.append(timed(queries.refresh))
        if index % 10 == 9:
            log(f"  caught up {index + 1}/{len(slugs)} tenants, {sum(seconds):.0f}s")
    return seconds


def count_rows(store: Store, table: str) -> int:
    with store.tenancy.storage.database.transaction() as cursor:
        cursor.execute(f"SELECT count(*) AS n FROM {table}")
        row = cursor.fetchone()
    return int(row["n"]) if row else 0


def build_dataset(store: Store, seed: Seed, profile: Profile
                  ) -> tuple[DatasetFigures, list[str]]:
    log(f"[{store.name}] 3. provisioning {profile.log_tenants} tenants ...")
    ledgers, provision_s = provision(store, seed, profile.log_tenants)
    service = service_path_rate(ledgers[0], seed, profile.service_commands)
    log(f"  done in {provision_s:.1f}s; generating {profile.log_events:,} events ...")
    before = sum(head(ledger) for ledger in ledgers)
    events, generate_s = fill(ledgers, seed, profile.log_events)
    slugs = [ledger.app.slug for ledger in ledgers]
    log(f"  generated in {generate_s:.1f}s; catching up the read models ...")
    catch = catch_up_all(store, slugs)
    log(f"  caught up in {sum(catch):.1f}s; VACUUM ANALYZE ...")
    figures = DatasetFigures(
        len(ledgers), events, FULL_DATASET, events < FULL_DATASET, provision_s,
        generate_s, (events - before) / generate_s, service, sum(catch), events / sum(catch),
        median(catch), p95(catch), vacuum(store, analyze=True),
        count_rows(store, "rm_entries"),
    )
    return figures, slugs


def agencies_by_frequency(queries: TenantQueries) -> list[str]:
    """The agencies the tenant's changes concern, least frequent first."""
    counts: Counter[str] = Counter()
    with queries.store.db.transaction() as cursor:
        cursor.execute("SELECT agencies FROM rm_entries WHERE tenant = :t AND agencies <> ''",
                       {"t": queries.app.slug})
        for row in cursor.fetchall():
            counts.update(k for k in row["agencies"].split("|") if k)
    return [key for key, _ in sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))]


def subject(store: Store, seed: Seed, slug: str) -> Subject:
    queries = store.tenancy.queries(slug)
    agencies = agencies_by_frequency(queries)
    first = queries.changes(DEADLINE_ONLY, limit=PAGE)
    assert first.next_cursor is not None, f"{slug}: fewer than {PAGE + 1} deadline changes"
    last = queries.head()
    return Subject(slug, queries, last, seed.numbers, agencies[-1], agencies[0],
                   first.next_cursor, encode_cursor(last // 2))


def raw_page(s: Subject, after: int) -> int:
    """The baseline: 50 rows of rm_entries by primary-key range, through the same pool."""
    with s.queries.store.db.transaction() as cursor:
        cursor.execute("SELECT doc FROM rm_entries WHERE tenant = :t AND position > :a "
                       "ORDER BY position LIMIT :n", {"t": s.slug, "a": after, "n": PAGE})
        return len(cursor.fetchall())


BASELINE = "raw SELECT 50 rows by PK range (baseline)"
Query = Callable[[Subject, random.Random], int]
QUERIES: dict[str, Query] = {
    BASELINE: lambda s, rng: raw_page(s, rng.randrange(max(1, s.head - PAGE))),
    "type=deadline_changed, page 1": lambda s, rng: len(
        s.queries.changes(DEADLINE_ONLY, limit=PAGE).entries),
    "type=deadline_changed, page 2 (cursor)": lambda s, rng: len(
        s.queries.changes(DEADLINE_ONLY, limit=PAGE, cursor=s.page2).entries),
    "type=deadline_changed, mid-log page (cursor)": lambda s, rng: len(
        s.queries.changes(DEADLINE_ONLY, limit=PAGE, cursor=s.mid).entries),
    "task=<random>, page 1": lambda s, rng: len(
        s.queries.changes(ChangeFilter(task=rng.choice(s.numbers)), limit=PAGE).entries),
    "agency=<most entries>, page 1": lambda s, rng: len(
        s.queries.changes(ChangeFilter(agency=s.common_agency), limit=PAGE).entries),
    "agency=<fewest entries>, page 1": lambda s, rng: len(
        s.queries.changes(ChangeFilter(agency=s.rare_agency), limit=PAGE).entries),
    "type=deadline_changed, page 1, query_changes only": lambda s, rng: len(
        query_changes(s.queries.store, DEADLINE_ONLY, PAGE).entries),
}


def sample_changes(subjects: Sequence[Subject], samples: int, rng: random.Random
                   ) -> dict[str, tuple[list[float], list[int]]]:
    taken: dict[str, tuple[list[float], list[int]]] = {name: ([], []) for name in QUERIES}
    names = list(QUERIES)
    for _ in range(samples):
        s = rng.choice(subjects)
        rng.shuffle(names)
        for name in names:
            start = time.perf_counter()
            rows = QUERIES[name](s, rng)
            taken[name][0].append(time.perf_counter() - start)
            taken[name][1].append(rows)
    return taken


def measure_changes(store: Store, seed: Seed, slugs: Sequence[str], events: int,
                    samples: int, rng: random.Random) -> list[LatencyRow]:
    subjects = [subject(store, seed, slug) for slug in slugs]
    sample_changes(subjects, max(5, samples // 10), rng)  # warm-up, discarded
    log(f"[{store.name}] 3. change-log queries, {samples} samples each ...")
    taken = sample_changes(subjects, samples, rng)
    rows = {name: latency_row(store.name, events, name, seconds,
                              rows=statistics.fmean(counts),
                              target_p95_ms=None if name == BASELINE else CHANGES_TARGET_MS)
            for name, (seconds, counts) in taken.items()}
    baseline = rows.pop(BASELINE)
    return [baseline, *(against(row, baseline) for row in rows.values())]


# -- profiling -----------------------------------------------------------------------------


def profile_call(title: str, action: Callable[[], object], lines: int = 14) -> None:
    """A cProfile of one call, to stderr: the project's functions by cumulative time, then
    everything by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    log(f"\n--- cProfile: {title} ---")
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(r"(projections|service|tenants)/", lines)
    stats.sort_stats("tottime").print_stats(lines)


def profile_read_models(store: Store, tenants: dict[int, TenantQueries]) -> None:
    queries = tenants[min(tenants)]
    profile_call(f"{store.name} rebuild() over existing read models, {queries.head():,} events",
                 queries.rebuild)
    moment = mid_history(queries)
    profile_call(f"{store.name} status(known_at=mid-history), {queries.head():,} events",
                 lambda: queries.status(STATUS_ON, known_at=moment))


# -- orchestration -------------------------------------------------------------------------


def stores_part(store: Store, seed: Seed, profile: Profile, parts: set[int],
                results: Results, profiling: bool) -> None:
    tenants: dict[int, TenantQueries] = {}
    for events in tenant_sizes(profile, store.name, parts):
        log(f"[{store.name}] generating a tenant of {events:,} events ...")
        row = sized_tenant(store, seed, f"rm-{events}", events)
        results.generation.append(row)
        tenants[events] = store.tenancy.queries(row.tenant)
    if 1 in parts:
        results.rebuild += measure_rebuild(store, tenants, profile.rebuild[store.name])
    if 2 in parts:
        results.status += measure_status(store, tenants, profile)
    if profiling and tenants:
        profile_read_models(store, tenants)


def change_log_part(store: Store, seed: Seed, profile: Profile, results: Results,
                    rng: random.Random, profiling: bool) -> None:
    results.dataset, slugs = build_dataset(store, seed, profile)
    results.changes = measure_changes(store, seed, slugs, results.dataset.events,
                                      profile.log_samples, rng)
    if profiling:
        s = subject(store, seed, slugs[0])
        profile_call("changes(type=deadline_changed) x 50",
                     lambda: [s.queries.changes(DEADLINE_ONLY, limit=PAGE) for _ in range(50)])


def run(profile: Profile, admin_url: str, parts: set[int], rng: random.Random,
        profiling: bool) -> Results:
    results = Results(environment(profile, admin_url))
    seed = Seed.load()
    start = time.perf_counter()
    run_id = uuid.uuid4().hex[:10]
    if parts & {1, 2}:
        with postgres_store(admin_url, f"r57_bench_rm_{run_id}_ledgers") as store:
            stores_part(store, seed, profile, parts, results, profiling)
        with sqlite_store() as store:
            stores_part(store, seed, profile, parts, results, profiling)
    if 3 in parts:
        with postgres_store(admin_url, f"r57_bench_rm_{run_id}_log") as store:
            change_log_part(store, seed, profile, results, rng, profiling)
    results.wall_s = time.perf_counter() - start
    return results


def environment(profile: Profile, admin_url: str) -> dict[str, Any]:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        settings = {name: str(admin.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
                    for name in ("server_version", "shared_buffers", "autovacuum")}
    return {**benchkit.environment(), "profile": asdict(profile), "postgres": settings,
            "sqlite": sqlite3.sqlite_version, "argv": sys.argv[1:]}


# -- output --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def format_generation(rows: Sequence[GenRow]) -> list[str]:
    lines = ["Setup: tenants for parts 1-2 (seed import, then batched commands, "
             f"{PER_SAVE} events per app.save)",
             f"  {'store':<10}{'tenant':<12}{'events':>9}{'import s':>10}{'generated':>11}"
             f"{'gen s':>8}{'gen ev/s':>10}"]
    lines += [f"  {r.store:<10}{r.tenant:<12}{r.events:>9,}{r.import_s:>10.2f}"
              f"{r.generated:>11,}{r.generate_s:>8.1f}{r.generate_per_s:>10,.0f}" for r in rows]
    return lines


def format_rebuild(rows: Sequence[RebuildRow]) -> list[str]:
    lines = ["1. TenantQueries.rebuild() vs raw read-and-decode of the same events "
             "(median of paired rounds; target rebuild/raw >= 0.30)",
             "   existing = over populated read models, as an operator runs it; "
             "empty = read models emptied first (untimed)",
             f"  {'store':<10}{'events':>9}  {'variant':<34}{'n':>3}{'raw ev/s':>11}"
             f"{'rebuild ev/s':>14}{'rebuild s':>11}{'ratio':>8}  target"]
    for r in rows:
        mark = "n/a, estimate" if r.extrapolated else verdict(r.ratio >= REBUILD_TARGET)
        lines.append(f"  {r.store:<10}{r.events:>9,}  {r.variant:<34}{r.rounds:>3}"
                     f"{r.raw_per_s:>11,.0f}{r.rebuild_per_s:>14,.0f}{r.rebuild_s:>11.2f}"
                     f"{r.ratio:>8.3f}  {mark}")
    return lines


def _ratio(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "-"


def _target(row: LatencyRow) -> str:
    if row.target_p95_ms is None:
        return ""
    return f"{verdict(row.p95_ms <= row.target_p95_ms)} (p95 <= {row.target_p95_ms:.0f} ms)"


def format_latency(rows: Sequence[LatencyRow], with_rows: bool) -> list[str]:
    head_rows = f"{'rows':>6}" if with_rows else ""
    lines = [f"  {'store':<10}{'events':>10}  {'query':<51}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}"
             f"{'p50/base':>9}{'p95/base':>9}{head_rows}  target"]
    for r in rows:
        count = f"{r.rows:>6.1f}" if with_rows and r.rows is not None else ""
        lines.append(f"  {r.store:<10}{r.events:>10,}  {r.query:<51}{r.n:>4}{r.p50_ms:>9.1f}"
                     f"{r.p95_ms:>9.1f}{_ratio(r.vs_baseline_p50):>9}"
                     f"{_ratio(r.vs_baseline_p95):>9}{count}  {_target(r)}")
    return lines


def format_dataset(d: DatasetFigures) -> list[str]:
    scale = (f"SCALED: {d.events:,} of the {d.target_events:,}-event target"
             if d.scaled else f"{d.events:,} events")
    return [
        f"3. Change log on PostgreSQL: {scale} over {d.tenants} tenants "
        f"(~{d.events // d.tenants:,} each)",
        f"  provisioning (create_tenant + seed import): {d.provision_s:.1f}s",
        f"  generation (batched app.save): {d.generate_s:.1f}s = {d.generate_per_s:,.0f} ev/s;"
        f" service path (TenantLedger, 1 event/tx, seed-only tenant): "
        f"{d.service_path_per_s:,.0f} ev/s",
        f"  catch-up (queries.refresh() per tenant, from empty): {d.catch_up_s:.1f}s = "
        f"{d.catch_up_per_s:,.0f} ev/s; per tenant p50 {d.catch_up_tenant_p50_s:.2f}s, "
        f"p95 {d.catch_up_tenant_p95_s:.2f}s",
        f"  VACUUM ANALYZE of the rm_ tables: {d.vacuum_analyze_s:.1f}s; rm_entries "
        f"{d.rm_entries_rows:,} rows",
    ]


def format_table(results: Results) -> str:
    env = results.env
    lines = [f"R57 read-model benchmark ({env['profile']['name']}): Python {env['python']}, "
             f"PostgreSQL {env['postgres']['server_version']} (autovacuum "
             f"{env['postgres']['autovacuum']}), SQLite {env['sqlite']}, psycopg "
             f"{env['psycopg']}, {env['cpus']} CPUs", ""]
    if results.generation:
        lines += [*format_generation(results.generation), ""]
    if results.rebuild:
        lines += [*format_rebuild(results.rebuild), ""]
    if results.status:
        lines += ["2. Whole-plan status (60 tasks) as known at T = the middle of the history, "
                  "and live; baseline = read+decode all events", "",
                  *format_latency(results.status, with_rows=False), ""]
    if results.dataset is not None:
        lines += [*format_dataset(results.dataset), f"  pages of {PAGE} entries, random "
                  "tenant per sample, queries interleaved in random order",
                  *format_latency(results.changes, with_rows=True), ""]
    lines.append(f"Wall time: {results.wall_s / 60:.1f} min")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="about a minute, smaller sets")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--events", type=int, help="change-log dataset size (default 1M; "
                        "quick 50k); below 1M the figures are labelled SCALED")
    parser.add_argument("--tenants", type=int, help="change-log tenants (default 100)")
    parser.add_argument("--parts", default="1,2,3", help="which parts to run, e.g. 1,2")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile a rebuild, a known_at status and a change-log page")
    parser.add_argument("--seed", type=int, default=57, help="random seed of the samples")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "R57_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL), help="an admin URL to the server")
    return parser.parse_args(argv)


def chosen_profile(args: argparse.Namespace) -> Profile:
    profile = QUICK if args.quick else FULL
    if args.events is not None:
        profile = replace(profile, log_events=args.events)
    if args.tenants is not None:
        profile = replace(profile, log_tenants=args.tenants)
    return profile


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that drop databases


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    parts = {int(p) for p in args.parts.split(",") if p.strip()}
    results = run(chosen_profile(args), args.postgres_url, parts, random.Random(args.seed),
                  args.profile)
    print(json.dumps(asdict(results), indent=2, default=str) if args.json
          else format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
