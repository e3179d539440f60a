"""The projector: one process beside the web workers that keeps every tenant's read models
at the head of its log, so that reads only read (`r57 serve --projector`, R57_PROJECTOR=1).

Reads then wait for the read models to reach the log's head, their own command's position
included (service/queries.py, ReadWait), instead of catching up inside the request; that is
what lets a read run on a replica that cannot write. Catch-up is exactly-once under a
per-tenant lock (projections/projector.py), so a read that stops waiting and catches up
itself, or a second projector, never applies an event twice.

It catches up the tenants written to as their writes are reported (server/changed_tenants:
PostgreSQL's notifications, SQLite's data versions), not every tenant at every turn: with
thousands of tenants and nothing new, a turn costs no statement on PostgreSQL. A sweep of
every tenant that is behind, now and then, catches what a lost notification left.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from typing import Any

from projections.projector import catch_up
from projections.store import ReadModelStore
from server.changed_tenants import (
    ChangeFeed,
    behind,
    behind_chain,
    change_feed,
)
from service.config import Settings
from service.container import build_tenancy
from service.queries import read_events
from service.tenancy import Tenancy

log = logging.getLogger("r57.projector")
# The tenants written to are caught up as their writes are reported; every tenant is asked
# whether it is behind this often (a catch-up that failed), and the registry is read for
# new tenants to follow this often.
SWEEP_SECONDS = 60.0
RELIST_SECONDS = 2.0
CONNECTIONS = 2  # the projector's pool: it catches up one tenant at a time
# After a start, the logs asked for their heads at each turn: a reported write waits for
# at most one such statement (about 0.1 s for 50 tenants on a loaded machine).
ASKED_PER_TURN = 50


def start_projector(settings: Settings) -> subprocess.Popen[bytes] | None:
    """In gunicorn's master: the projector process, when the settings ask for one."""
    if not settings.projector and settings.read_database_url is None:
        return None
    return subprocess.Popen([sys.executable, "-m", "server.projector"])


def project(tenancy: Tenancy, slugs: Iterable[str]) -> int:
    """Bring these tenants' read models to the head of their logs; the events applied."""
    applied = 0
    for slug in slugs:
        try:
            app = tenancy.application(slug)
            store = ReadModelStore(tenancy.storage.tenant_database(slug), slug)
            head, position = store.head_and_position(tenancy.storage.events_table(slug))
            if head > position:
                applied += max(0, catch_up(store, partial(read_events, app), head) - position)
        except Exception:  # one tenant's failure must not stop the others' read models
            log.exception("projecting tenant %s failed", slug)
    return applied


def project_once(tenancy: Tenancy) -> int:
    """Bring every tenant that is behind to the head of its log; the events applied."""
    return project(tenancy, behind(tenancy.storage, sorted(tenancy.registry.slugs())))


class Projector:
    """Catches up the tenants its change feed reports, new tenants as the registry lists
    them, and, every `sweep_every` seconds, every tenant that is behind."""

    def __init__(self, tenancy: Tenancy, feed: ChangeFeed | None = None,
                 sweep_every: float = SWEEP_SECONDS,
                 relist_every: float = RELIST_SECONDS) -> None:
        self.tenancy = tenancy
        self.feed = feed or change_feed(tenancy.storage)
        self.sweep_every = sweep_every
        self.relist_every = relist_every
        self.watched: set[str] = set()
        self.unchecked: list[str] = []  # logs the first sweep has still to ask for heads
        self.swept = self.listed = -math.inf  # both due at the first turn

    def relist(self) -> list[str]:
        """Follow the tenants provisioned since the last look; returns them."""
        new = sorted(self.tenancy.registry.slugs() - self.watched)
        self.feed.watch(new)
        self.watched.update(new)
        self.listed = time.monotonic()
        return new

    def sweep(self, slugs: Iterable[str] | None = None) -> int:
        """Catch up those of `slugs` that are behind; without them, every tenant followed:
        from the chain heads in one statement where the store has them, else each log
        asked for its head. The first sweep also leaves every log to be asked, a few at a
        turn between the tenants reported (`unchecked`): thousands of logs take seconds,
        which the writes reported meanwhile need not wait."""
        if slugs is not None:
            return project(self.tenancy, behind(self.tenancy.storage, sorted(slugs)))
        first = self.swept == -math.inf
        self.swept = time.monotonic()
        if first:
            self.unchecked = sorted(self.watched)
        chained = behind_chain(self.tenancy.storage)
        if chained is not None:
            return project(self.tenancy, sorted(chained & self.watched))
        return 0 if first else self.sweep(self.watched)

    def step(self, wait: float) -> int:
        """One turn: a sweep or a look at the registry when due, else a batch of the logs
        not yet asked and the tenants reported meanwhile, else the tenants the feed reports
        within `wait` seconds; the events applied."""
        now = time.monotonic()
        if now - self.swept >= self.sweep_every:
            self.relist()
            return self.sweep()
        if now - self.listed >= self.relist_every:
            # What a new tenant recorded before it was followed was not reported.
            return self.sweep(self.relist())
        if self.unchecked:
            batch, self.unchecked = self.unchecked[:ASKED_PER_TURN], self.unchecked[ASKED_PER_TURN:]
            return self.sweep(batch) + project(self.tenancy, sorted(self.feed.changed(0)))
        wait = min(wait, self.listed + self.relist_every - now)
        return project(self.tenancy, sorted(self.feed.changed(max(0.0, wait))))

    def close(self) -> None:
        self.feed.close()


def run_projector(settings: Settings, stop: threading.Event, parent: int | None = None,
                  sweep_every: float = SWEEP_SECONDS) -> None:
    """Project until `stop` is set or the master that started this process is gone."""
    # Its own small pool; a standby, if any, is the workers' (the projector writes here).
    tenancy = build_tenancy(replace(settings, read_database_url=None, projector=False,
                                    pool_max_connections=CONNECTIONS), migrate=False)
    log.info("projector started")
    projector: Projector | None = None
    try:
        while not stop.is_set() and (parent is None or os.getppid() == parent):
            try:
                if projector is None:
                    projector = Projector(tenancy, sweep_every=sweep_every)
                projector.step(wait=0.5)  # stop and the parent are looked at this often
            except Exception:  # the feed's connection lost: a new feed, and a sweep
                log.exception("projector: following the tenants' changes failed")
                if projector is not None:
                    projector.close()
                    projector = None
                stop.wait(1.0)
    finally:
        if projector is not None:
            projector.close()
        tenancy.close()


def _main() -> None:
    handler = logging.StreamHandler(sys.stderr)
    from api.logs import JsonFormatter  # noqa: PLC0415 - this process's own logs only

    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=os.environ.get("R57_LOG_LEVEL", "INFO"), handlers=[handler])
    stop = threading.Event()

    def _stop(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    run_projector(Settings.from_env(), stop, parent=os.getppid())


if __name__ == "__main__":
    _main()
