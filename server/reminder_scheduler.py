"""The reminder scheduler: one process beside the web workers, started by gunicorn's master
(as the checkpointer is, and for the same reason: not a thread in a master that forks).

Every `R57_REMINDERS_EVERY_SECONDS` (300 by default; 0 turns it off) it runs the reminders
once (service/reminders.py): what is due today is recorded, and from
`R57_REMINDERS_DIGEST_HOUR` (7:00) digests are made and the due ones sent. A run that fails
(the database or the mail server away) is logged and the next one tries again; nothing a
request waits for happens here. Running it from cron instead
(`r57 reminders send`), or both, sends nothing twice.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from service.config import Settings
from service.container import build_tenancy
from service.reminders import Reminders

log = logging.getLogger("r57.reminders")


def start_scheduler(settings: Settings) -> subprocess.Popen[bytes] | None:
    """In gunicorn's master: the scheduler process, unless the settings turn it off."""
    if settings.reminders_every_seconds <= 0:
        return None
    return subprocess.Popen([sys.executable, "-m", "server.reminder_scheduler"])


def run_scheduler(settings: Settings, stop: threading.Event, parent: int | None = None) -> None:
    """Run every `reminders_every_seconds` until `stop` is set or the parent is gone."""
    tenancy = build_tenancy(settings, migrate=False)
    reminders = Reminders(tenancy, settings.mail)
    log.info("reminders every %g seconds; e-mail %s", settings.reminders_every_seconds,
             f"via {settings.mail.host}:{settings.mail.port}" if settings.mail.configured
             else "off (no R57_SMTP_HOST)")
    try:
        while not stop.is_set() and (parent is None or os.getppid() == parent):
            _run_once(reminders, settings.reminders_digest_hour)
            _wait(stop, settings.reminders_every_seconds, parent)
    finally:
        tenancy.close()


def _run_once(reminders: Reminders, digest_hour: int) -> None:
    """Reminders are recorded (and seen in the web) at once; the day's e-mail is made from
    `digest_hour` on, so people find it in the morning, not at midnight."""
    clock = reminders.tenancy.clock
    try:
        report = reminders.run(digests=clock.local(clock.now()).hour >= digest_hour)
    except Exception:  # the next run tries again; this process must outlive any one failure
        log.exception("reminder run failed")
        return
    if report.new or report.sent or report.failed:
        log.info("reminders: %d new, %d e-mails sent, %d failed", len(report.new),
                 report.sent, report.failed)


def _wait(stop: threading.Event, seconds: float, parent: int | None) -> None:
    """Wait, looking each second whether the master that started this process is gone."""
    waited = 0.0
    while waited < seconds:
        step = min(1.0, seconds - waited)
        if stop.wait(step) or (parent is not None and os.getppid() != parent):
            return
        waited += step


def _main() -> None:
    handler = logging.StreamHandler(sys.stderr)
    from api.logs import JsonFormatter  # noqa: PLC0415 - this process's own logs only

    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=os.environ.get("R57_LOG_LEVEL", "INFO"), handlers=[handler])
    stop = threading.Event()

    def finish(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    run_scheduler(Settings.from_env(), stop, os.getppid())


if __name__ == "__main__":  # `python -m server.reminder_scheduler`, from start_scheduler
    _main()
