"""HTTP benchmark: progress reports through gunicorn, against a trivial Flask endpoint.

Starts two servers on 127.0.0.1 with the project's gunicorn configuration: `r57 serve`
(migrations, the demo, and a tenant with the 60-task seed plan) and a one-route Flask app returning
a small JSON object. For 1, 8 and 32 concurrent clients (threads with keep-alive
connections), each level bounded in time and count, it prints requests per second,
p50/p99 latency and the CPU each request cost the server (its master, workers and helper
processes) and the client; then the latency of a status read of the seed plan. The two share
the machine's cores, so a client that costs as much as the server measures itself as much as
the server: `--client wrk` drives the same levels with wrk (Debian's `wrk` package), whose
cost per request is a small fraction of the Python client's.

    .venv/bin/python bench/bench_http.py [--seconds 5] [--workers N] [--database-url URL]
                                         [--client python|wrk]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
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


def cpu_seconds(root: int) -> float:
    """User and system CPU of process `root` and every process under it (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total = 0.0
    for pid, cpu in times.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += cpu
    return total


def measured(server: int, level: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The level's figures with the server's and the client's CPU per request."""
    server_before, client_before = cpu_seconds(server), time.process_time()
    figures = level()
    requests = max(1.0, figures["requests"])
    figures["server_cpu_ms"] = 1000 * (cpu_seconds(server) - server_before) / requests
    figures.setdefault("client_cpu_ms", 1000 * (time.process_time() - client_before) / requests)
    return figures


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


# wrk's script: each connection (one per wrk thread) reports on its own task, as the Python
# client's threads do.
WRK_REPORTS = """
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end
function init(args)
  sequence = 0
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "%(authorization)s"
end
function request()
  sequence = sequence + 1
  local body = string.format(
    '{"period": "2025-Q1", "percent": %%d, "narrative": "bench %%d/%%d"}',
    sequence %% 101, index, sequence)
  return wrk.format("POST", string.format("/api/v1/tenants/%(tenant)s/tasks/%%d/reports",
                                          index %% 60 + 1), nil, body)
end
"""
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(port: int, clients: int, seconds: float, path: str,
            script: Path | None) -> dict[str, float]:
    """One level driven by wrk: `clients` threads of one keep-alive connection each."""
    argv = ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
            "--latency", *(["-s", str(script)] if script else []),
            f"http://127.0.0.1:{port}{path}"]
    before = _children_cpu_seconds()
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    client_cpu = _children_cpu_seconds() - before

    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        assert found, out
        return float(found.group(1)) * _WRK_UNITS[found.group(2)]

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    return {
        "requests": requests,
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "failed": (int(failed.group(1)) if failed else 0)
                  + (sum(int(n) for n in errors.groups()) if errors else 0),
        "client_cpu_ms": 1000 * client_cpu / max(1, requests),
    }


def _children_cpu_seconds() -> float:
    """The CPU of this process's children waited for so far."""
    usage = os.times()
    return usage.children_user + usage.children_system


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
    parser.add_argument("--client", choices=("python", "wrk"), default="python",
                        help="what sends the requests (wrk: Debian's wrk package)")
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("--client wrk needs wrk on the PATH (apt-get install wrk)")
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
        print(f"client: {args.client}; CPU ms per request, of the server and of the client")
        print(f"{'endpoint':<18}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'requests':>10}{'failed':>8}{'srv CPU':>9}{'cli CPU':>9}")
        script = Path(data) / "reports.lua"
        script.write_text(WRK_REPORTS % {"authorization": AUTH["Authorization"], "tenant": BENCH})
        for name, server, port, send in (
                ("trivial JSON", baseline, ping_port, ping),
                ("progress report", api, api_port, progress_report)):
            for clients in LEVELS:
                level = (partial(run_wrk, port, clients, args.seconds,
                                 "/ping" if send is ping else "/", None if send is ping else script)
                         if args.client == "wrk" else
                         partial(run_level, port, clients, args.seconds, send))
                r = measured(server.pid, level)
                print(f"{name:<18}{clients:>8}{r['per_second']:>10.0f}{r['p50_ms']:>9.1f}"
                      f"{r['p99_ms']:>9.1f}{r['requests']:>10.0f}{r['failed']:>8.0f}"
                      f"{r['server_cpu_ms']:>9.2f}{r['client_cpu_ms']:>9.2f}")
    finally:
        for server in (api, baseline):
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
