"""Reminders from the command line (cron's `r57 reminders send`, its dry run, the schedule)
and the API (the schedule, one's own reminders, /readyz while e-mail is failing)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from api.config import ApiSettings
from cli.main import main
from domain.access import Role
from server.app import create_app
from server.reminder_scheduler import run_scheduler, start_scheduler
from tests.reminders.conftest import BINH, LAN, SLUG, SYSTEM, World
from tests.reminders.smtp import free_port

ON = "23/06/2025"


def cli(world: World, capsys: pytest.CaptureFixture[str], *argv: str,
        port: int | None = None) -> tuple[int, str, str]:
    settings = replace(world.settings, mail=world.mail(port))
    code = main(list(argv), settings=settings)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_dry_run_prints_what_would_be_sent_and_sends_nothing(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(world, capsys, "reminders", "send", "--dry-run", "--on", ON)
    assert code == 0, err
    assert "Reminders for 23/06/2025: would record 8 new" in out
    assert "E-mails that would be sent: 2" in out
    assert LAN in out and BINH in out and "còn 7 ngày đến hạn (30/06/2025)" in out
    assert world.smtp.inbox.received == []
    assert world.reminders().store.inbox(LAN) == []


def test_cron_sends_each_digest_once_however_often_it_runs(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        code, out, err = cli(world, capsys, "reminders", "send", "--on", ON, "--json")
        assert code == 0, err
    assert json.loads(out)["reminders"] == [] and json.loads(out)["sent"] == 0
    assert sorted(r.recipients[0] for r in world.smtp.inbox.received) == [BINH, LAN]
    code, out, _ = cli(world, capsys, "reminders", "send", "--tenant", SLUG, "--on", ON)
    assert "recorded 0 new" in out and len(world.smtp.inbox.received) == 2


def test_cron_reports_an_unreachable_server_and_keeps_the_digests(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(world, capsys, "reminders", "send", "--on", ON, port=free_port())
    assert code == 0, err
    assert "E-mails sent: 0; failed, to be retried: 2" in out
    assert world.reminders().store.backlog().waiting == 2


def test_the_schedule_is_shown_and_changed_from_the_command_line(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(world, capsys, "reminders", "schedule", SLUG)
    assert code == 0 and "Days before a deadline: 30, 7, 1" in out
    code, out, err = cli(world, capsys, "reminders", "schedule", SLUG, "--days-before",
                         "14, 3", "--overdue-every", "0", "--no-on-return", "--json")
    assert code == 0, err
    assert json.loads(out) == {"days_before": [14, 3], "overdue_every_days": 0,
                               "on_return": False, "missing_report_days": 14}
    code, _, err = cli(world, capsys, "reminders", "schedule", SLUG, "--days-before", "7,7")
    assert code == 1 and "distinct whole numbers" in err
    code, _, err = cli(world, capsys, "reminders", "schedule", "nowhere")
    assert code == 4


def api(world: World, name: str, role: Role | None = None) -> FlaskClient:
    """A client with a new token of `name` (made, with the role on the tenant, if new)."""
    access = world.tenancy.access
    if role is not None:
        access.create_principal(name, name, by="test")
        access.grant(name, role.value, SLUG, "", by="test")
    client = create_app(world.settings, world.tenancy, ApiSettings()).test_client()
    token = access.issue_token(name, by="test").token
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_the_standing_body_changes_the_schedule_through_the_api(world: World) -> None:
    url = f"/api/v1/tenants/{SLUG}/reminders/schedule"
    dost = api(world, "dost.officer", Role.TENANT_ADMIN)
    assert dost.get(url).get_json()["days_before"] == [30, 7, 1]
    changed = dost.patch(url, json={"days_before": [10, 2], "missing_report_days": 7})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json() == {"days_before": [10, 2], "overdue_every_days": 7,
                                  "on_return": True, "missing_report_days": 7}
    refused = dost.patch(url, json={"days_before": [0]})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]
    reporter = api(world, SYSTEM)
    assert reporter.get(url).status_code == 200
    assert reporter.patch(url, json={"on_return": False}).status_code == 403
    assert world.reminders().schedule(SLUG).days_before == (10, 2)


def test_a_principal_reads_its_own_reminders_through_the_api(world: World) -> None:
    world.reminders().run(dry_run=False)
    mine = api(world, SYSTEM).get("/api/v1/reminders").get_json()
    assert mine["unread"] == 3
    assert {i["kind"] for i in mine["items"]} == {"due_soon", "report_missing"}
    assert all(i["link"].startswith("/t/quang-nam/tasks/") for i in mine["items"])
    english = api(world, SYSTEM).get("/api/v1/reminders",
                                     headers={"Accept-Language": "en"}).get_json()
    assert any("is due in 7 days" in i["text"] for i in english["items"])


def test_readiness_names_failing_email_but_stays_ready(world: World) -> None:
    client = api(world, SYSTEM)
    assert client.get("/readyz").get_json() == {"status": "ok"}
    world.reminders(free_port()).run()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["mail"]["waiting"] == 2 and body["mail"]["failing"] == 2
    assert "ConnectionRefusedError" in body["mail"]["last_error"]


def test_the_scheduler_beside_the_web_workers_sends_each_digest_once(world: World) -> None:
    settings = replace(world.settings, mail=world.mail(), reminders_every_seconds=0.2,
                       reminders_digest_hour=0)
    assert start_scheduler(replace(settings, reminders_every_seconds=0)) is None
    stop = threading.Event()
    runner = threading.Thread(target=run_scheduler, args=(settings, stop))
    runner.start()
    try:
        deadline = time.monotonic() + 30
        while len(world.smtp.inbox.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # several more runs
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()
    assert sorted(r.recipients[0] for r in world.smtp.inbox.received) == [BINH, LAN]
