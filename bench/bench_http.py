"""HTTP benchmark: progress reports through gunicorn, against a trivial Flask endpoint.

Starts two servers on 127.0.0.1 with the project's gunicorn configuration: `r57 serve`
(migrations, the demo, and a tenant with the 60-task seed plan) and a one-route Flask app returning
a small JSON object. For 1, 8 and 32 concurrent clients (threads with keep-alive
connections), each level bounded in time and count, it prints requests per second and
p50/p99 latency; then the latency of a status read of the seed plan.

    .venv/bin/python bench/bench_http.py [--seconds 5] [--workers N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 8, 32)
# The measured tenant holds the seed plan with no history, so every task takes reports (the
# demo's story completes some); the demo's standing body is granted it.
BENCH = "bench"
SEED = Path(__file__).resolve().parents[1] / "service" / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
MAX_REQUESTS_PER_LEVEL = 20_000
AUTH = {"Authorization": "Bearer r57_demodost_demo-only-tenant-admin"}  # api/README.md


def trivial_app() -> Flask:
    """The baseline: what gunicorn and Flask cost with no work behind them."""
    app = Flask("trivial")

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app


Request = Callable[[http.client.HTTPConnection, int, int], int]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz" if "serve" in argv else "/ping")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"server on port {port} did not start")


def run_level(port: int, clients: int, seconds: float, send: Request) -> dict[str, float]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    budget = MAX_REQUESTS_PER_LEVEL // clients
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_gate.wait()
        for sequence in range(budget):
            if time.perf_counter() >= stop_at[0]:
                break
            began = time.perf_counter()
            try:
                status = send(connection, index, sequence)
            except (OSError, http.client.HTTPException):
                status = 599  # a timeout or a dropped connection counts as a failure
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies[index].append(time.perf_counter() - began)
            if status >= 300:
                failures[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for per_client in latencies for x in per_client)
    return {
        "requests": len(every),
        "per_second": len(every) / elapsed,
        "p50_ms": 1000 * every[len(every) // 2],
        "p99_ms": 1000 * every[min(len(every) - 1, int(len(every) * 0.99))],
        "failed": sum(failures),
    }


def ping(connection: http.client.HTTPConnection, index: int, sequence: int) -> int:
    connection.request("GET", "/ping")
    response = connection.getresponse()
    response.read()
    return response.status


def progress_report(connection: http.client.HTTPConnection, index: int, sequence: int) -> int:
    # Each client reports on its own task, so clients do not conflict with each other.
    body = json.dumps({"period": "2025-Q1", "percent": sequence % 101,
                       "narrative": f"bench {index}/{sequence}"})
    connection.request("POST", f"/api/v1/tenants/{BENCH}/tasks/{index % 60 + 1}/reports", body,
                       {"Content-Type": "application/json", **AUTH})
    response = connection.getresponse()
    response.read()
    return response.status


def status_read_ms(port: int, count: int = 30) -> tuple[float, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for _ in range(count):
        began = time.perf_counter()
        connection.request("GET", f"/api/v1/tenants/{BENCH}/status", headers=AUTH)
        response = connection.getresponse()
        tasks = len(json.loads(response.read())["tasks"])
        timings.append(1000 * (time.perf_counter() - began))
    connection.close()
    assert tasks == 60, tasks
    return statistics.median(timings), max(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per concurrency level")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="r57-bench-")
    env = {**os.environ, "R57_DATA_DIR": data, "PROMETHEUS_MULTIPROC_DIR": f"{data}/metrics",
           "R57_LOG_LEVEL": "WARNING"}
    if args.database_url:
        env["R57_DATABASE_URL"] = args.database_url
    workers = ["--workers", str(args.workers)] if args.workers else []
    api_port, ping_port = free_port(), free_port()
    cli = [sys.executable, "-m", "cli"]
    subprocess.run([*cli, "tenant", "create", BENCH, "Bench"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "plan", "import", BENCH, str(SEED)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    api = start([*cli, "serve", "--port", str(api_port), *workers], env, api_port)
    subprocess.run([*cli, "grant", "demo.dost", "tenant_admin", "--tenant", BENCH], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    baseline = start([sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_conf",
                      "--bind", f"127.0.0.1:{ping_port}", *workers, "--pythonpath", "bench",
                      "bench_http:trivial_app()"], env, ping_port)
    try:
        median, worst = status_read_ms(api_port)
        print(f"status read, 60-task seed plan: median {median:.1f} ms, max {worst:.1f} ms")
        print(f"{'endpoint':<18}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'requests':>10}{'failed':>8}")
        for name, port, send in (("trivial JSON", ping_port, ping),
                                 ("progress report", api_port, progress_report)):
            for clients in LEVELS:
                r = run_level(port, clients, args.seconds, send)
                print(f"{name:<18}{clients:>8}{r['per_second']:>10.0f}{r['p50_ms']:>9.1f}"
                      f"{r['p99_ms']:>9.1f}{r['requests']:>10.0f}{r['failed']:>8.0f}")
    finally:
        for server in (api, baseline):
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
