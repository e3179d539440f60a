"""Writers in several processes on one SQLite tenant, with and without the write turn.

Forks PROCESSES processes of THREADS threads each (as gunicorn's workers and threads), every
thread reporting progress on a task of its own in one tenant holding the 60-task seed plan,
for SECONDS; then the same with the turn bypassed, so that writers wait in SQLite's busy
handler alone, as they did before tenants/write_turns.py. The two alternate ROUNDS times. It
prints writes per second, p50/p99/max latency of a write and the writers' CPU per write.

    .venv/bin/python bench/bench_writers.py [--processes 4] [--threads 2] [--seconds 5]
                                            [--rounds 2]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from pathlib import Path

from importers import read_plan_document
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from tenants import write_turns

SEED = Path(__file__).resolve().parents[1] / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
TENANT = "bench"
CONTEXT = Context(actor="dost-officer")
# One process's figures: latencies (s), failures, elapsed (s), CPU (s).
Figures = tuple[list[float], int, float, float]


def _bypassed(self: write_turns.WriteTurn, timeout: float = 0.0) -> Iterator[None]:
    yield


def writer(url: str, process: int, threads: int, seconds: float, turn: bool,
           out: Queue[Figures]) -> None:
    if not turn:
        write_turns.WriteTurn.held = contextmanager(_bypassed)  # type: ignore[method-assign]
    tenancy = build_tenancy(Settings(database_url=url), migrate=False)
    latencies: list[float] = []
    failures = [0]
    began, cpu = time.perf_counter(), time.process_time()
    stop = began + seconds

    def run(index: int) -> None:
        task = str((process * threads + index) % 60 + 1)
        number = 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                tenancy.ledger(TENANT, for_writing=True).handle(
                    ReportProgress(task=task, period="2025-Q2", percent=number % 101,
                                   narrative=f"bench {process}/{index}/{number}"), CONTEXT)
                latencies.append(time.perf_counter() - start)
            except Exception:  # counted: a refused or failed write is a figure too
                failures[0] += 1
            number += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for each in workers:
        each.start()
    for each in workers:
        each.join()
    out.put((latencies, failures[0], time.perf_counter() - began, time.process_time() - cpu))
    tenancy.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="per process")
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp(prefix='r57-bench-writers-')}"
    tenancy = build_tenancy(Settings(database_url=url))
    tenancy.create_tenant(TENANT, "Bench")
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    tenancy.ledger(TENANT, for_writing=True).handle(
        ImportPlan(document=read_plan_document(SEED), sha256=sha), CONTEXT)
    tenancy.close()
    fork = multiprocessing.get_context("fork")
    print(f"{args.processes} processes x {args.threads} threads, one SQLite tenant")
    print(f"{'writers wait':<16}{'writes/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'failed':>8}{'CPU ms':>8}{'load':>6}")
    for _ in range(args.rounds):
        for turn in (False, True):
            out: Queue[Figures] = fork.Queue()
            processes = [fork.Process(target=writer, args=(url, p, args.threads, args.seconds,
                                                           turn, out))
                         for p in range(args.processes)]
            for each in processes:
                each.start()
            figures = [out.get() for _ in processes]
            for each in processes:
                each.join()
            every = sorted(x for f in figures for x in f[0])
            count = max(1, len(every))
            elapsed = max(f[2] for f in figures)
            print(f"{'in line' if turn else 'busy handler':<16}{len(every) / elapsed:>10.0f}"
                  f"{1000 * every[len(every) // 2]:>9.1f}"
                  f"{1000 * every[min(len(every) - 1, int(len(every) * 0.99))]:>9.1f}"
                  f"{1000 * every[-1]:>9.1f}{sum(f[1] for f in figures):>8}"
                  f"{1000 * sum(f[3] for f in figures) / count:>8.2f}"
                  f"{os.getloadavg()[0]:>6.1f}", flush=True)


if __name__ == "__main__":
    main()
