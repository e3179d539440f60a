"""Request benchmark: what one request costs in-process, each row against a baseline
measured in the same run.

Builds the service with `create_app` on a fresh store (a temporary SQLite directory, or a
database of its own on PostgreSQL, dropped at the end), loads the demo tenant with the seed
plan and the demo principals, then measures through Flask's test client (no network):

- a progress report (POST .../tasks/<n>/reports with an Idempotency-Key): CPU ms, SQL
  statements and transactions per request, against a trivial Flask JSON POST and one raw
  INSERT+COMMIT on the same store;
- the plan status, a task's API answer and the web pages a province opens every day (the
  dashboard, the task list, the task's page, the work queue, an agency reporter's own
  tasks, the change log), p50/p95 ms, at 0, 100 and 1,000 reports on the task, against
  the trivial POST.

    .venv/bin/python bench/bench_requests.py [--stores sqlite,postgres] [--writes 200]
        [--postgres-url URL] [--profile] [--json]

`--tenants N` (PostgreSQL) is the national-scale run instead: N tenants provisioned in one
database, each with the seed plan (3,400: 34 provinces, 3,321 communes and the ministries),
then one process with a pool of 10 serves status and change-log reads (service layer) of
tenants picked at random; it prints the provisioning time per tenant, the read p50/p95 and
the most server connections the process held; then the projector's figures at that size (a
turn with nothing new, a look for new tenants, a sweep, the lag from a write's answer to its
read models and the connections it held) against the previous projector, which refreshed
every tenant at each turn. `--keep-database` keeps the database at the end (its name goes to
stderr); `--projector-on URL` measures only the projector's figures on such a database.

`--known-at 10000,100000` is the time-travel run instead: per store, a tenant with the seed
plan and that many events (each task in turn through a deadline change, a report, its review
and a reassignment; one transaction per round of the 60 tasks, so that positions follow
timestamps), its read models caught up, then p50/p95 over samples at several past times
(the timestamps of events at 5-95 % of the log) of the status, a task page and the whole
state as known at T (service layer), against folding the log from the start up to T in the
same run (the read without checkpoints).

`--profile` prints the cProfile top entries (cumulative) of one write instead of the table
(bench/README.md keeps a before and an after); `--profile-reads` those of 30 reads of each
page (the status and task API answers, each web page; `--reads-of dashboard,queue` names
some) after 100 reports, with the SQL statements and transactions one read makes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import json
import pstats
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

import benchkit  # noqa: E402
from bench_read_models import Script  # noqa: E402

from importers import read_plan_document  # noqa: E402
from projections.change_log import ChangeFilter  # noqa: E402
from projections.plan_status import plan_status  # noqa: E402
from projections.specs import fold  # noqa: E402
from projections.store import ReadModelStore  # noqa: E402
from server.app import create_app  # noqa: E402
from server.projector import ASKED_PER_TURN, RELIST_SECONDS, SWEEP_SECONDS, Projector  # noqa: E402
from server.serve import (  # noqa: E402
    DEMO_SLUG,
    SEED_PLAN,
    ensure_demo,
    ensure_demo_principals,
)
from service.commands import Context, ImportPlan, ReportProgress  # noqa: E402
from service.config import Settings  # noqa: E402
from service.container import build_tenancy  # noqa: E402
from service.queries import TenantQueries, read_events  # noqa: E402
from service.tenancy import Tenancy  # noqa: E402

AUTH = {"Authorization": "Bearer r57_demodost_demo-only-tenant-admin"}  # api/README.md
REPORTER = "r57_demoreporter_demo-only-agency-reporter"
REPORTS_AT = (0, 100, 1000)


# -- counting SQL ------------------------------------------------------------------------

@dataclass
class SqlCounter:
    statements: int = 0
    transactions: int = 0
    round_trips: int = 0  # PostgreSQL: times the client waited for the server's answer
    on: bool = False
    seen: list[str] = field(default_factory=list)

    def statement(self, text: str) -> None:
        if not self.on:
            return
        head = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
        if head in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"):
            if head == "BEGIN":
                self.transactions += 1
            return
        self.statements += 1


COUNTER = SqlCounter()


def install_counters() -> None:
    """Count statements on every sqlite3 connection (trace callback) and every psycopg
    execute (a wrapper on the cursor class): the bench's own instrument, nothing else."""
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(COUNTER.statement)
        return conn  # type: ignore[no-any-return]

    sqlite3.connect = connect  # type: ignore[assignment]
    for cls in (psycopg.Cursor,):
        real_execute, real_many = cls.execute, cls.executemany

        def execute(self: Any, query: Any, *args: Any, _real: Any = real_execute,
                    **kwargs: Any) -> Any:
            text = query.as_string() if isinstance(query, psycopg.sql.SQL) else query
            COUNTER.statement(text if isinstance(text, str) else "X")  # SQL: BEGIN, COMMIT
            return _real(self, query, *args, **kwargs)

        def executemany(self: Any, query: Any, *args: Any, _real: Any = real_many,
                        **kwargs: Any) -> Any:
            COUNTER.statement("X")
            return _real(self, query, *args, **kwargs)

        cls.execute = execute  # type: ignore[method-assign]
        cls.executemany = executemany  # type: ignore[method-assign]
    real_transaction = psycopg.Connection.transaction

    def transaction(self: Any, *args: Any, **kwargs: Any) -> Any:
        if COUNTER.on:
            COUNTER.transactions += 1
        return real_transaction(self, *args, **kwargs)

    psycopg.Connection.transaction = transaction  # type: ignore[method-assign]
    real_wait = psycopg.Connection.wait

    def wait(self: Any, gen: Any, *args: Any, **kwargs: Any) -> Any:
        return real_wait(self, _waits_counted(gen) if COUNTER.on else gen, *args, **kwargs)

    psycopg.Connection.wait = wait  # type: ignore[method-assign]


def _waits_counted(gen: Any) -> Any:
    """One round trip per exchange in which the client blocked reading the server's answer
    (a statement, a pipeline's sync, a commit); sending without waiting (a pipelined
    statement) is not one."""
    waited = False
    try:
        wanted = next(gen)
        while True:
            if wanted == psycopg.waiting.Wait.R and not waited:
                waited = True
                COUNTER.round_trips += 1
            wanted = gen.send((yield wanted))
    except StopIteration as stop:
        return stop.value


# -- stores --------------------------------------------------------------------------------

@contextlib.contextmanager
def store(kind: str, admin_url: str, keep: bool = False) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="r57_bench_") as directory:
            yield f"sqlite:///{directory}"
        return
    name = f"r57_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def trivial_app() -> Flask:
    app = Flask("trivial")

    @app.post("/ping")
    def ping() -> dict[str, Any]:
        return {"status": "ok"}

    return app


def raw_insert(url: str) -> Callable[[], None]:
    """One INSERT+COMMIT into a table shaped like the events table, on the same store."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(Path(url.removeprefix("sqlite:///")) / "raw.sqlite3",
                               isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE raw (originator_id TEXT, originator_version INTEGER,"
                     " topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")

        def insert() -> None:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO raw VALUES (?, 1, 't', ?)", (uuid.uuid4().hex, b"x" * 600))
            conn.execute("COMMIT")
        return insert
    pg = psycopg.connect(url, autocommit=True)
    pg.execute("CREATE TABLE raw (originator_id uuid, originator_version bigint, topic text,"
               " state bytea, notification_id bigserial UNIQUE,"
               " PRIMARY KEY (originator_id, originator_version))")

    def insert_pg() -> None:
        with pg.transaction():
            pg.execute("INSERT INTO raw (originator_id, originator_version, topic, state)"
                       " VALUES (%s, 1, 't', %s)", (uuid.uuid4(), b"x" * 600))
    return insert_pg


# -- measuring -------------------------------------------------------------------------------

def cpu_ms(action: Callable[[], Any], n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        action()
    return (time.process_time() - started) * 1000 / n


def latencies(action: Callable[[], Any], n: int) -> tuple[float, float]:
    return page_costs(action, n)[:2]


def page_costs(action: Callable[[], Any], n: int) -> tuple[float, float, float, float, float]:
    """Wall-clock p50 and p95 ms, CPU (process time) p50 and p95 ms of this process, and
    the SQL statements one call makes. On a shared machine the wall clock counts the time
    other processes hold the cores; the CPU figures do not (nor the database server's)."""
    times, cpu = [], []
    COUNTER.statements = 0
    COUNTER.on = True
    for _ in range(n):
        started, began = time.perf_counter(), time.process_time()
        action()
        cpu.append((time.process_time() - began) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    COUNTER.on = False
    times.sort()
    cpu.sort()
    return (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))],
            statistics.median(cpu), cpu[min(len(cpu) - 1, int(len(cpu) * 0.95))],
            COUNTER.statements / n)


class World:
    def __init__(self, url: str) -> None:
        settings = Settings(database_url=url)
        tenancy = build_tenancy(settings)
        ensure_demo(tenancy)
        ensure_demo_principals(tenancy)
        self.app = create_app(settings, tenancy)
        self.client = self.app.test_client()
        # Signed-in browsers: the tenant's administrator, and an agency reporter (its tasks).
        self.web = self.signed_in(AUTH["Authorization"].removeprefix("Bearer "))
        self.reporter = self.signed_in(REPORTER)
        self.reports = 0
        # The task reported on and read: the first the demo leaves open (it takes reports).
        self.task = next(r.number for r in tenancy.queries(DEMO_SLUG).status(
            settings.clock().today()) if r.state == "open")

    def report(self) -> Any:
        self.reports += 1
        response = self.client.post(
            f"/api/v1/tenants/{DEMO_SLUG}/tasks/{self.task}/reports",
            json={"period": f"2025-{1 + self.reports % 12:02d}", "percent": 40,
                  "narrative": f"Báo cáo {self.reports}"},
            headers={**AUTH, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 201, response.get_data(True)
        return response

    def signed_in(self, token: str) -> Any:
        browser = self.app.test_client()
        page = browser.get("/sign-in").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf is not None, "the sign-in page has no CSRF token"
        signed = browser.post("/sign-in", data={"token": token, "csrf_token": csrf[1]})
        assert signed.status_code == 303, signed.get_data(True)
        return browser

    def web_pages(self) -> dict[str, Callable[[], None]]:
        """The web pages measured, by the name the table gives them."""
        def opening(browser: Any, path: str) -> Callable[[], None]:
            def open_page() -> None:
                response = browser.get(path)
                assert response.status_code == 200, response.get_data(True)
            return open_page
        t = f"/t/{DEMO_SLUG}"
        return {"dashboard": opening(self.web, f"{t}/"),
                "task list": opening(self.web, f"{t}/tasks"),
                "task page": opening(self.web, f"{t}/tasks/{self.task}"),
                "work queue": opening(self.web, f"{t}/queue"),
                "my tasks": opening(self.reporter, f"{t}/my-tasks"),
                "change log": opening(self.web, f"/changes?tenant={DEMO_SLUG}")}

    def web_task_page(self) -> None:
        self.web_pages()["task page"]()

    def get(self, path: str) -> None:
        response = self.client.get(f"/api/v1/tenants/{DEMO_SLUG}{path}", headers=AUTH)
        assert response.status_code == 200, response.get_data(True)


def measure(kind: str, url: str, writes: int) -> dict[str, Any]:
    world = World(url)
    trivial = trivial_app().test_client()
    insert = raw_insert(url)
    for _ in range(20):  # warm-up: caches, prepared statements, snapshots
        world.report()
        trivial.post("/ping", json={"a": 1})
        insert()
    row: dict[str, Any] = {"store": kind}
    row["trivial_cpu_ms"] = cpu_ms(lambda: trivial.post("/ping", json={"a": 1}), writes)
    row["raw_insert_cpu_ms"] = cpu_ms(insert, writes)
    COUNTER.round_trips = 0
    COUNTER.on = True
    insert()
    COUNTER.on = False
    row["raw_round_trips"] = COUNTER.round_trips
    COUNTER.statements = COUNTER.transactions = COUNTER.round_trips = 0
    COUNTER.on = True
    row["write_cpu_ms"] = cpu_ms(world.report, writes)
    COUNTER.on = False
    row["write_sql"] = COUNTER.statements / writes
    row["write_transactions"] = COUNTER.transactions / writes
    row["write_round_trips"] = COUNTER.round_trips / writes
    row["trivial_p50"], row["trivial_p95"] = latencies(
        lambda: trivial.post("/ping", json={"a": 1}), 50)
    # Reads at growing histories of the one task (each report counts, whoever wrote it).
    reads: dict[int, dict[str, float]] = {}
    for target in REPORTS_AT:
        while world.reports < target:
            world.report()
        status = latencies(lambda: world.get("/status"), 30)
        task = latencies(lambda: world.get(f"/tasks/{world.task}"), 30)
        reads[target] = {"status_p50": status[0], "status_p95": status[1],
                         "task_p50": task[0], "task_p95": task[1]}
        for name, page in world.web_pages().items():
            page()  # the read models catch up once
            found = page_costs(page, 30)
            for suffix, value in zip(("_p50", "_p95", "_cpu50", "_cpu95", "_sql"), found,
                                     strict=True):
                reads[target][f"web {name}{suffix}"] = value
    row["reads"] = reads
    return row


def profile_one_write(url: str) -> str:
    world = World(url)
    for _ in range(50):
        world.report()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        world.report()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    text = out.getvalue().replace(str(ROOT / ".venv/lib/python3.11/site-packages") + "/", "")
    return text.replace(str(ROOT) + "/", "")


def profile_reads(url: str, only: list[str]) -> str:
    world = World(url)
    for _ in range(100):
        world.report()
    reads = {"status": lambda: world.get("/status"),
             "task": lambda: world.get(f"/tasks/{world.task}"),
             **{f"web {name}": page for name, page in world.web_pages().items()}}
    out = io.StringIO()
    for name, read in reads.items():
        if only and not any(wanted in name for wanted in only):
            continue
        read()  # the read models catch up once
        COUNTER.statements = COUNTER.transactions = 0
        COUNTER.on = True
        read()
        COUNTER.on = False
        out.write(f"### {name}: {COUNTER.statements} SQL statements in "
                  f"{COUNTER.transactions} transactions per read\n")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(30):
            read()
        profiler.disable()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
    text = out.getvalue().replace(str(ROOT / ".venv/lib/python3.11/site-packages") + "/", "")
    return text.replace(str(ROOT) + "/", "")


def connections_to(url: str) -> int:
    dbname = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as probe:
        row = probe.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                            " AND pid <> pg_backend_pid()", (dbname,)).fetchone()
    return int(row[0]) if row else 0


def national(url: str, tenants: int, reads: int) -> str:
    settings = Settings(database_url=url, pool_max_connections=10)
    tenancy = build_tenancy(settings)
    document = read_plan_document(SEED_PLAN)
    sha256 = hashlib.sha256(SEED_PLAN.read_bytes()).hexdigest()
    slugs = [f"t{n:04d}" for n in range(tenants)]
    times, most = [], 0
    started = time.perf_counter()
    for number, slug in enumerate(slugs):
        began = time.perf_counter()
        tenancy.create_tenant(slug, f"Đơn vị {number}")
        tenancy.ledger(slug, for_writing=True).handle(ImportPlan(
            document=document, sha256=sha256), Context("bench"))
        times.append((time.perf_counter() - began) * 1000)
        if number % 100 == 0:
            most = max(most, connections_to(url))
            print(f"  {number + 1}/{tenants} provisioned, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    tenancy.close()
    served = build_tenancy(settings, migrate=False)
    picks = random.Random(57)
    status_ms, changes_ms = [], []
    today = datetime.now(UTC).date()
    for n in range(reads):
        slug = picks.choice(slugs)
        began = time.perf_counter()
        served.queries(slug).status(today)
        status_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        served.queries(slug).changes(ChangeFilter())
        changes_ms.append((time.perf_counter() - began) * 1000)
        if n % 20 == 0:
            most = max(most, connections_to(url))
    most = max(most, connections_to(url))
    served.close()
    times.sort()
    status_ms.sort()
    changes_ms.sort()

    def p(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(len(values) * q))]

    return "\n".join([
        "| figure | measured | target |", "|---|---|---|",
        f"| tenants provisioned in one database, each with the seed plan | {tenants} | 3,400 |",
        f"| provisioning per tenant p50 / p95 ms | {p(times, .5):.0f} / {p(times, .95):.0f} | |",
        f"| status p50 / p95 ms (random tenant, first read of it) | {p(status_ms, .5):.0f} / "
        f"{p(status_ms, .95):.0f} | |",
        f"| change log p50 / p95 ms | {p(changes_ms, .5):.0f} / {p(changes_ms, .95):.0f} | |",
        f"| most server connections held by the process | {most} | <= 10 |",
    ])


def projector_figures(url: str, writes: int) -> str:
    """On a provisioned national database: what a projector turn costs with nothing new, and
    the lag from a write's answer to its read models, the projector in a thread of this
    process; against the previous projector (every tenant refreshed at each turn)."""
    settings = Settings(database_url=url, pool_max_connections=10)
    tenancy = build_tenancy(settings, migrate=False)
    slugs = [t.slug for t in tenancy.registry.list(include_archived=True)]

    def every_tenant() -> int:  # the previous projector's turn
        applied = 0
        for slug in slugs:
            queries = TenantQueries(tenancy.application(slug))
            before = queries.store.position()
            applied += max(0, queries.refresh() - before)
        return applied

    def old_loop(stop: threading.Event) -> None:
        while not stop.is_set():
            if every_tenant() == 0:
                stop.wait(0.05)

    every_tenant()  # every tenant at its head
    old_turn = min(cpu_and_wall(every_tenant) for _ in range(2))
    old_lags, _ = write_lags(tenancy, url, slugs, old_loop, max(3, writes // 4))
    projector = Projector(build_tenancy(replace(settings, pool_max_connections=2),
                                        migrate=False))
    first = cpu_and_wall(lambda: projector.step(wait=0))  # follows every tenant, sweeps
    batches = -(-len(projector.unchecked) // ASKED_PER_TURN)

    def ask_every_log() -> None:
        while projector.unchecked:
            projector.step(wait=0)

    asked = cpu_and_wall(ask_every_log)
    sweep = min(cpu_and_wall(projector.sweep) for _ in range(3))
    quiet = min(cpu_and_wall(lambda: projector.step(wait=0)) for _ in range(20))
    relist = min(cpu_and_wall(projector.relist) for _ in range(3))
    projector.close()
    projector.tenancy.close()
    started = threading.Event()

    def new_loop(stop: threading.Event) -> None:  # as run_projector, telling when started
        own = build_tenancy(replace(settings, pool_max_connections=2), migrate=False)
        running = Projector(own)
        while not stop.is_set():
            running.step(wait=0.5)
            if not running.unchecked:
                started.set()
        running.close()
        own.close()

    starting, _ = write_lags(tenancy, url, slugs, new_loop, writes, until=started)
    new_lags, held = write_lags(tenancy, url, slugs, new_loop, writes, after=started)
    tenancy.close()

    def p(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(len(values) * q))]

    def ms(pair: tuple[float, float]) -> str:
        return f"{pair[1]:.1f} ms ({pair[0]:.1f} CPU ms)"

    return "\n".join([
        f"| projector at {len(slugs)} tenants | measured | before (every tenant at each turn) |",
        "|---|---|---|",
        f"| the first turn (LISTEN to every tenant, a sweep from the chain heads) | "
        f"{ms(first)} | |",
        f"| then each log asked for its head, {batches} turns of {ASKED_PER_TURN} tenants | "
        f"{ms(asked)} in all | |",
        f"| a turn with nothing new | {ms(quiet)} | {ms(old_turn)} |",
        f"| a look for new tenants (every {RELIST_SECONDS:.0f} s) | {ms(relist)} | |",
        f"| a sweep of every tenant, from the chain heads (every {SWEEP_SECONDS:.0f} s) | "
        f"{ms(sweep)} | |",
        f"| lag from a write's answer to its read models p50 / p95 ms | "
        f"{p(new_lags, .5):.0f} / {p(new_lags, .95):.0f} | "
        f"{p(old_lags, .5):.0f} / {p(old_lags, .95):.0f} |",
        *([f"| the same while a start asks the logs for their heads ({len(starting)} writes) "
           f"| {p(starting, .5):.0f} / {p(starting, .95):.0f} | |"] if starting else []),
        f"| server connections the projector held | {held} | |",
    ])


def write_lags(tenancy: Tenancy, url: str, slugs: list[str],
               loop: Callable[[threading.Event], None], n: int,
               after: threading.Event | None = None,
               until: threading.Event | None = None) -> tuple[list[float], int]:
    """With `loop` keeping the read models in a thread: the ms from each of n writes' answer
    (a progress report in a tenant picked at random) to its read models reaching it, and
    the most server connections the loop added to this process's. Counted `after` the loop
    sets that event, or `until` it sets that one."""
    if after is not None:
        after.clear()
    picks = random.Random(11)
    before = connections_to(url)
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop,), daemon=True)
    thread.start()
    found, held = [], 0
    if after is not None:
        after.wait(600)
    for number in range(n + 1):  # the first waits for the loop's first turn: not counted
        if until is not None and until.is_set():
            break
        slug = picks.choice(slugs)
        written = tenancy.ledger(slug, for_writing=True).handle(ReportProgress(
            task="5", period="2025-Q2", percent=number % 100, narrative="Tiến độ"),
            Context("bench"))
        store = ReadModelStore(tenancy.storage.tenant_database(slug), slug)
        began = time.perf_counter()
        while store.position() < (written.position or 0):
            time.sleep(0.0005)
        found.append((time.perf_counter() - began) * 1000)
        held = max(held, connections_to(url) - before)
    found = found[1:]
    stop.set()
    thread.join(60)
    return sorted(found), held


def cpu_and_wall(action: Callable[[], Any]) -> tuple[float, float]:
    """(CPU ms of this process, wall ms) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def known_at_run(kind: str, admin_url: str, events: int, samples: int) -> list[dict[str, Any]]:
    """Time-travel reads at `events` events: see the module's docstring."""
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            tenancy, url = stack.enter_context(benchkit.sqlite_tenancy()), ""
        else:
            url = stack.enter_context(benchkit.postgres_database(admin_url)).url
            tenancy = stack.enter_context(benchkit.tenancy_at(url))
        seed = benchkit.Seed.load()
        ledger = benchkit.seeded_tenant(tenancy, "asof", seed, Context("bench"))
        script = Script([ledger.task(number) for number in seed.numbers])
        began = time.perf_counter()
        while (ledger.app.recorder.max_notification_id() or 0) < events:
            ledger.app.save(*{t.id: t for t in (script.next() for _ in seed.numbers)}.values())
        print(f"  {kind} {events}: generated in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)
        began = time.perf_counter()
        queries: TenantQueries = tenancy.queries("asof")
        head = queries.refresh()
        print(f"  {kind} {events}: caught up in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)
        if url:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        rng = random.Random(57)
        positions = [int(head * (0.05 + 0.9 * i / max(1, samples - 1))) + rng.randrange(60)
                     for i in range(samples)]
        moments = [next(read_events(queries.app, p - 1, p))[1].timestamp for p in positions]
        on = datetime.now(UTC).date()
        number = seed.numbers[len(seed.numbers) // 2]
        timings: dict[str, list[float]] = {"status": [], "task page": [], "whole state": [],
                                           "fold from the start": []}

        def fold_from_start(reads: TenantQueries, moment: datetime) -> None:
            stop = reads.store.last_position_recorded_by(moment)
            plan_status(fold(read_events(reads.app, 0, stop), known_at=moment), on)

        reads: dict[str, Callable[[TenantQueries, datetime], Any]] = {
            "status": lambda q, m: q.status(on, known_at=m),
            "task page": lambda q, m: q.task_detail(number, None, on, 20, known_at=m),
            "whole state": lambda q, m: q.state(known_at=m),
            "fold from the start": fold_from_start,
        }
        for moment in moments:
            for name in rng.sample(sorted(reads), len(reads)):  # in turn, in random order
                fresh = tenancy.queries("asof")  # nothing cached from another read
                try:
                    started = time.perf_counter()
                    reads[name](fresh, moment)
                    timings[name].append((time.perf_counter() - started) * 1000)
                except TypeError:  # a version without the task page as known at T
                    pass
    rows = []
    base = timings["fold from the start"]
    for name, values in timings.items():
        if values:
            rows.append({"store": kind, "events": head, "read": name,
                         "p50": benchkit.median(values), "p95": benchkit.p95(values),
                         "vs_fold_p50": benchkit.median(values) / benchkit.median(base)})
    return rows


def known_at_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| store | events | read as known at T | p50 ms | p95 ms | p50 / fold from the start"
             " (same run) | target |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        target = "p95 <= 500 ms at 100k" if r["read"] == "status" else ""
        lines.append(f"| {r['store']} | {r['events']:,} | {r['read']} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['vs_fold_p50']:.2f} | {target} |")
    return "\n".join(lines)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| store | figure | measured | baseline (same run) | ratio | target |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        s = r["store"]
        lines.append(f"| {s} | write CPU ms/request | {r['write_cpu_ms']:.2f} | trivial POST "
                     f"{r['trivial_cpu_ms']:.2f} | {r['write_cpu_ms'] / r['trivial_cpu_ms']:.1f}x"
                     " | <= 8x |")
        lines.append(f"| {s} | write vs raw INSERT+COMMIT CPU | {r['write_cpu_ms']:.2f} | "
                     f"{r['raw_insert_cpu_ms']:.3f} | "
                     f"{r['write_cpu_ms'] / max(r['raw_insert_cpu_ms'], 1e-6):.0f}x | |")
        lines.append(f"| {s} | SQL statements / transactions per write | "
                     f"{r['write_sql']:.1f} / {r['write_transactions']:.1f} | raw 1 / 1 | | |")
        if s == "postgres":
            lines.append(f"| {s} | round trips to the server per write | "
                         f"{r['write_round_trips']:.1f} | raw {r['raw_round_trips']} | | <= 4 |")
        for n, figures in r["reads"].items():
            lines.append(f"| {s} | status p50/p95 ms, {n} reports | {figures['status_p50']:.1f}"
                         f" / {figures['status_p95']:.1f} | trivial p95 "
                         f"{r['trivial_p95']:.2f} | | p95 <= 10 |")
            lines.append(f"| {s} | task page p50/p95 ms, {n} reports | "
                         f"{figures['task_p50']:.1f} / {figures['task_p95']:.1f} | | | "
                         "p95 <= 10 |")
            for key in figures:
                if key.startswith("web ") and key.endswith("_p50"):
                    page = key.removesuffix("_p50")
                    lines.append(f"| {s} | {page} p50/p95 ms, {n} reports | "
                                 f"{figures[key]:.1f} / {figures[page + '_p95']:.1f} | "
                                 f"CPU {figures[page + '_cpu50']:.1f} / "
                                 f"{figures[page + '_cpu95']:.1f}, "
                                 f"{figures[page + '_sql']:.0f} SQL | | p95 <= 10 |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-reads", action="store_true")
    parser.add_argument("--reads-of", default="", metavar="PAGE,...")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tenants", type=int, default=0)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--projector-on", default="", metavar="URL",
                        help="only the projector's figures, on a national database kept")
    parser.add_argument("--known-at", default="", metavar="EVENTS,...")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    if args.known_at:
        found = [row for kind in args.stores.split(",")
                 for size in args.known_at.split(",")
                 for row in known_at_run(kind, args.postgres_url, int(size), args.samples)]
        print(json.dumps(found, indent=1) if args.json else known_at_table(found))
        return
    if args.projector_on:
        print(projector_figures(args.projector_on, max(8, args.reads // 10)))
        return
    if args.tenants:
        with store("postgres", args.postgres_url, keep=args.keep_database) as url:
            print(national(url, args.tenants, args.reads))
            print(projector_figures(url, max(8, args.reads // 10)))
        return
    install_counters()
    rows = []
    for kind in args.stores.split(","):
        with store(kind, args.postgres_url) as url:
            if args.profile:
                print(f"## {kind}\n```\n{profile_one_write(url)}```")
                continue
            if args.profile_reads:
                only = [name for name in args.reads_of.split(",") if name]
                print(f"## {kind}\n```\n{profile_reads(url, only)}```")
                continue
            print(f"measuring {kind} ...", file=sys.stderr)
            rows.append(measure(kind, url, args.writes))
    if args.profile or args.profile_reads:
        return
    print(json.dumps(rows, indent=1) if args.json else table(rows))


if __name__ == "__main__":
    main()
