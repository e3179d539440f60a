"""Benchmark of tamper evidence: what chaining costs each append, and how fast a bundle
verifies.

    .venv/bin/python bench/bench_integrity.py            # full: 1,000,000-event bundle
    .venv/bin/python bench/bench_integrity.py --quick    # 100,000-event bundle, fewer rounds
    .venv/bin/python bench/bench_integrity.py --json     # JSON on stdout

1. Appends: service-layer commands (`report_progress`, one event per transaction) on two
   tenants of the same store in the same run, one with the chain follower registered and
   one without, in interleaved rounds; medians of events/s and of the per-round ratio.
2. Verification: a bundle of N events is synthesised directly, not through the service:
   the stored states are real ones (the seed plan's import and progress reports, taken from
   a SQLite tenant), cycled over N positions, chained, with a signed checkpoint every
   100,000 entries. It is then verified by the offline verifier in a child process
   (`python -m integrity verify`), timed from the outside; peak memory is the child's.

PostgreSQL: a database r57_bench_<hex> is created on --postgres-url and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchkit import (
    DEFAULT_ADMIN_URL,
    NARRATIVE,
    ROOT,
    Seed,
    log,
    median,
    postgres_tenancy,
    sqlite_tenancy,
)

from integrity.bundle import write_bundle
from integrity.canonical import EMPTY_HEAD, ChainHead, Entry, Link, link_entries
from integrity.checkpoints import TreeHead, sign
from integrity.keys import Keyring
from integrity.merkle import Frontier
from service.commands import Context, ImportPlan, ReportProgress
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from service.tenancy import Tenancy

CTX = Context(actor="bench-reporter")
CHECKPOINT_EVERY = 100_000


# -- 1. appends with and without the follower -----------------------------------------------


@dataclass(frozen=True)
class AppendFigures:
    store: str
    with_follower_per_s: float
    without_follower_per_s: float
    ratio: float  # median of per-round with/without
    added_ms_per_append: float
    rounds: int
    ops_per_round: int


def seeded(tenancy: Tenancy, slug: str, *, follower: bool) -> TenantLedger:
    tenancy.create_tenant(slug, slug)
    listeners = tenancy.append_listeners if follower else []
    ledger = TenantLedger(tenancy.application(slug), after_append=listeners)
    seed = Seed.load()
    ledger.handle(ImportPlan(document=seed.document, sha256=seed.sha256), CTX)
    return ledger


def appends_per_s(ledger: TenantLedger, ops: int, done: int) -> float:
    start = time.perf_counter()
    for n in range(done, done + ops):
        ledger.handle(ReportProgress(
            task=str(n % 60 + 1), period="2025-Q1", percent=n % 101, narrative=NARRATIVE), CTX)
    return ops / (time.perf_counter() - start)


def measure_appends(store: str, tenancy: Tenancy, rounds: int, ops: int) -> AppendFigures:
    chained = seeded(tenancy, "bench-chained", follower=True)
    plain = seeded(tenancy, "bench-plain", follower=False)
    appends_per_s(chained, 30, 0)  # warm-up, untimed
    appends_per_s(plain, 30, 0)
    with_rates: list[float] = []
    without_rates: list[float] = []
    for r in range(rounds):
        done = 30 + r * ops
        pair = [(chained, with_rates), (plain, without_rates)]
        for ledger, rates in pair if r % 2 == 0 else pair[::-1]:
            rates.append(appends_per_s(ledger, ops, done))
        log(f"[{store}] round {r + 1}/{rounds}: with {with_rates[-1]:.0f}/s, "
            f"without {without_rates[-1]:.0f}/s")
    assert TenantIntegrity(chained.app).verify().ok
    with_s, without_s = median(with_rates), median(without_rates)
    return AppendFigures(
        store, round(with_s), round(without_s),
        round(median([w / o for w, o in zip(with_rates, without_rates, strict=True)]), 3),
        round(1000 / with_s - 1000 / without_s, 3), rounds, ops)


# -- 2. verifying a large bundle ----------------------------------------------------------


@dataclass(frozen=True)
class VerifyFigures:
    events: int
    mean_state_bytes: float
    bundle_mb: float
    write_s: float
    verify_s: float
    events_per_s: float
    peak_rss_mb: float
    checkpoints: int


def real_states() -> list[Entry]:
    """The seed plan's import and 60 progress reports, as a SQLite tenant stores them."""
    with sqlite_tenancy() as tenancy:
        ledger = seeded(tenancy, "sample", follower=False)
        appends_per_s(ledger, 60, 0)
        return list(TenantIntegrity(ledger.app).entries_after(0))


def synthesised(sample: list[Entry], count: int) -> Iterator[Entry]:
    """`count` entries cycling over real states, each aggregate's versions increasing."""
    versions: dict[uuid.UUID, int] = {}
    for position in range(1, count + 1):
        real = sample[(position - 1) % len(sample)]
        versions[real.originator_id] = versions.get(real.originator_id, 0) + 1
        yield Entry(position, real.originator_id, versions[real.originator_id], real.topic,
                    real.state)


def chained(entries: Iterator[Entry]) -> Iterator[tuple[Entry, Link]]:
    head: ChainHead = EMPTY_HEAD
    for entry in entries:
        (link,), head = link_entries(head, [entry])
        yield entry, link


def build_bundle(path: Path, keyring: Keyring, sample: list[Entry], count: int) -> int:
    key_id, key = keyring.signing_key()
    frontier, checkpoints = Frontier(), []
    for entry, link in chained(synthesised(sample, count)):  # first pass: the tree heads
        frontier.append(link.leaf_hash)
        if frontier.size % CHECKPOINT_EVERY == 0 or frontier.size == count:
            head = TreeHead("bench", frontier.size, entry.position, frontier.root(),
                            link.chain_hash)
            signed = sign(head, datetime.now(UTC).isoformat(timespec="seconds"), key_id, key)
            checkpoints.append((signed.body, signed.signature))
    write_bundle(path, "bench", chained(synthesised(sample, count)), checkpoints,
                 keyring.public_keys().values(), datetime.now(UTC).isoformat(timespec="seconds"))
    return len(checkpoints)


def measure_verify(count: int) -> VerifyFigures:
    sample = real_states()
    directory = Path(tempfile.mkdtemp(prefix="r57_bench_bundle_"))
    try:
        keyring = Keyring(directory / "keys")
        bundle = directory / "bench.zip"
        log(f"[bundle] writing {count:,} events ...")
        start = time.perf_counter()
        checkpoints = build_bundle(bundle, keyring, sample, count)
        write_s = time.perf_counter() - start
        keys = directory / "keys.json"
        keys.write_text(json.dumps([k.to_dict() for k in keyring.public_keys().values()]))
        log(f"[bundle] {bundle.stat().st_size / 1e6:.0f} MB in {write_s:.1f} s; verifying ...")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "integrity", "verify", str(bundle),
                               "--keys", str(keys), "--json"],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        verify_s = time.perf_counter() - start
        report = json.loads(done.stdout)
        assert done.returncode == 0 and report["entries"] == count, done.stderr
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return VerifyFigures(
            count, round(statistics.mean(len(e.state) for e in sample), 1),
            round(bundle.stat().st_size / 1e6, 1), round(write_s, 1), round(verify_s, 2),
            round(count / verify_s), round(peak, 1), checkpoints)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# -- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--events", type=int, help="bundle size (default 1,000,000)")
    parser.add_argument("--postgres-url", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    rounds, ops = (5, 100) if args.quick else (11, 200)
    count = args.events or (100_000 if args.quick else 1_000_000)
    appends = []
    for store in args.stores.split(","):
        opened = sqlite_tenancy() if store == "sqlite" else postgres_tenancy(args.postgres_url)
        with opened as tenancy:
            appends.append(measure_appends(store, tenancy, rounds, ops))
    verify = measure_verify(count)
    result = {"machine": f"{platform.machine()}, {platform.python_version()}",
              "appends": [asdict(a) for a in appends], "verify": asdict(verify)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("Appends (report_progress, 1 event per transaction), medians over rounds:")
    for a in appends:
        print(f"  {a.store:<11} without follower {a.without_follower_per_s:>6}/s   with "
              f"{a.with_follower_per_s:>6}/s   ratio {a.ratio:.2f}   +{a.added_ms_per_append} ms")
    v = verify
    print(f"Bundle of {v.events:,} synthesised events (mean state {v.mean_state_bytes} B, "
          f"{v.checkpoints} checkpoints, {v.bundle_mb} MB, written in {v.write_s} s):")
    print(f"  offline verification {v.verify_s} s = {v.events_per_s:,} events/s, "
          f"peak memory {v.peak_rss_mb} MB")


if __name__ == "__main__":
    main()
