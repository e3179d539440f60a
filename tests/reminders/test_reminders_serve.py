"""`r57 serve` starts the reminder scheduler beside gunicorn's workers: it e-mails the day's
digest once, records the in-app reminders, and stops with gunicorn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server.serve import DEMO_AGENCY, DEMO_SLUG, demo_token, ensure_demo
from service.config import Settings
from service.container import build_tenancy
from tests.reminders.smtp import SmtpServer, free_port

EMAIL = "lan@skhcn.quangnam.gov.vn"
REPORTER_TOKEN = demo_token("demoreporter", "demo-only-agency-reporter")


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                timeout=5) as response:
        return response.status, response.read()


def _schedulers(marker: str) -> list[int]:
    """Live reminder schedulers started for this test's data directory."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"server.reminder_scheduler" in cmdline and marker.encode() in environ:
            found.append(int(proc.name))
    return found


def test_r57_serve_runs_the_scheduler_which_sends_once_and_stops_with_gunicorn(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    tenancy = build_tenancy(Settings(database_url=f"sqlite:///{data}"))
    ensure_demo(tenancy)
    tenancy.accounts.open(EMAIL, "Nguyễn Thị Lan", "setup")
    tenancy.access.grant(EMAIL, "agency_reporter", DEMO_SLUG, DEMO_AGENCY, "setup")
    tenancy.close()
    smtp = SmtpServer().start()
    port = free_port()
    env = {**os.environ, "R57_DATA_DIR": str(data), "R57_SMTP_HOST": "127.0.0.1",
           "R57_SMTP_PORT": str(smtp.port), "R57_SMTP_SECURITY": "none",
           "R57_BASE_URL": "https://r57.example.vn", "R57_REMINDERS_EVERY_SECONDS": "1",
           "R57_REMINDERS_DIGEST_HOUR": "0",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    env.pop("R57_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not smtp.inbox.received:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("no reminder e-mail arrived")
            time.sleep(0.2)
        time.sleep(3)  # three more runs of the scheduler
        (mail,) = smtp.inbox.received
        assert mail.recipients == [EMAIL]
        assert "Nhắc việc ngày" in mail.subject and "Quảng Nam (demo)" in mail.subject
        assert "https://r57.example.vn/t/demo/tasks/" in mail.part("plain")
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/reminders", REPORTER_TOKEN)
        assert status == 200 and json.loads(body)["unread"] > 0
        assert len(_schedulers(str(data))) == 1
    finally:
        server.terminate()
        server.communicate(timeout=60)
        smtp.stop()
    deadline = time.monotonic() + 10
    while _schedulers(str(data)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _schedulers(str(data)) == []
