"""Reminders on both stores, delivered to a real SMTP server running in the test process:
one Vietnamese digest per person and day with links to the tasks, each reminder once
whatever runs again, a dry run that records and sends nothing, opt-out respected, and an
unreachable server that delays the digest without losing it."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from service.commands import Context, ReportProgress, ReturnReport
from service.container import build_tenancy
from service.reminder_store import CLAIM_LEASE_SECONDS
from service.reminders import Reminders
from service.tenancy import Tenancy
from tests.reminders.conftest import BASE, BINH, DOST, LAN, MONDAY, SLUG, SYSTEM, World
from tests.reminders.smtp import SmtpServer, accept_login, free_port, self_signed, server_tls


def test_each_person_gets_one_vietnamese_digest_with_links_to_the_tasks(world: World) -> None:
    report = world.reminders().run()
    assert report.sent == 2 and report.failed == 0
    assert sorted(r.recipients[0] for r in world.smtp.inbox.received) == [BINH, LAN]
    lan = world.smtp.inbox.to(LAN)[0]
    assert lan.subject == "[Quảng Nam] Nhắc việc ngày 23/06/2025: 3 nội dung cần xử lý"
    text = lan.part("plain")
    assert "Kính gửi Nguyễn Thị Lan," in text
    assert 'Nhiệm vụ 1 “Xây dựng chương trình chuyển đổi số” còn 7 ngày đến hạn (30/06/2025).' \
        in text
    assert 'Nhiệm vụ 3 “Theo dõi, đôn đốc thực hiện” chưa có báo cáo Quý II/2025.' in text
    assert "CHƯA CÓ BÁO CÁO KỲ NÀY (2)" in text
    assert f"Xem: {BASE}/t/quang-nam/tasks/1" in text
    assert f"{BASE}/account" in text
    html = lan.part("html")
    assert f'<a href="{BASE}/t/quang-nam/tasks/3">' in html
    assert "Nhiệm vụ sắp đến hạn" in html
    binh = world.smtp.inbox.to(BINH)[0].part("plain")
    assert "đã quá hạn 54 ngày (hạn 30/04/2025)" in binh
    assert "NHIỆM VỤ QUÁ HẠN (1)" in binh


def test_people_without_an_address_see_their_reminders_in_the_web(world: World) -> None:
    world.reminders().run()
    store = world.reminders().store
    assert {r.kind for r in store.inbox(SYSTEM)} == {"due_soon", "report_missing"}
    assert store.unread(SYSTEM) == 3
    store.mark_read(SYSTEM)
    assert store.unread(SYSTEM) == 0 and store.unread(LAN) == 3


def test_nothing_is_sent_twice_by_a_second_run_or_a_second_scheduler(world: World) -> None:
    world.reminders().run()
    world.reminders().run()
    world.later(hours=2)
    world.reminders().run()
    assert len(world.smtp.inbox.received) == 2
    world.later(days=1)  # nothing new is due: the 7-day reminder was sent
    assert world.reminders().run().new == []
    assert len(world.smtp.inbox.received) == 2
    world.later(days=6)  # due today (the 1-day threshold) and overdue again a week on
    world.reminders().run()
    assert [len(world.smtp.inbox.to(a)) for a in (LAN, BINH)] == [2, 2]
    assert "đến hạn hôm nay (30/06/2025)" in world.smtp.inbox.to(LAN)[1].part("plain")


def test_a_returned_report_is_reminded_to_its_agency_once(world: World) -> None:
    ledger = world.tenancy.ledger(SLUG, for_writing=True)
    ledger.handle(ReportProgress(task="3", period="2025-Q2", percent=50, narrative="Đang làm"),
                  Context(actor=LAN, agency="Sở Khoa học và Công nghệ"))
    ledger.handle(ReturnReport(task="3", report=1, reason="Thiếu số liệu kèm theo"), DOST)
    world.reminders().run()
    text = world.smtp.inbox.to(LAN)[0].part("plain")
    assert "BÁO CÁO BỊ TRẢ LẠI (1)" in text
    assert 'Báo cáo Quý II/2025 của nhiệm vụ 3 “Theo dõi, đôn đốc thực hiện” bị trả lại: ' \
           "Thiếu số liệu kèm theo" in text
    world.later(days=1)
    world.reminders().run()
    assert len(world.smtp.inbox.to(LAN)) == 1


def test_a_dry_run_lists_what_would_be_sent_and_records_nothing(world: World) -> None:
    report = world.reminders().run(dry_run=True)
    assert {(r.principal, r.task_number) for r in report.new} == {
        (LAN, "1"), (LAN, "3"), (SYSTEM, "1"), (SYSTEM, "3"), (BINH, "2")}
    assert [(e.principal, e.reminders) for e in report.emails] == [(BINH, 2), (LAN, 3)]
    assert world.smtp.inbox.received == []
    store = world.reminders().store
    assert store.inbox(LAN) == [] and store.known_keys(SLUG) == set()
    world.reminders().run()
    assert len(world.smtp.inbox.received) == 2


def test_a_person_who_opted_out_gets_no_email_but_keeps_the_reminders(world: World) -> None:
    reminders = world.reminders()
    reminders.store.set_opt_out(LAN, True)
    assert reminders.run().sent == 1
    assert [r.recipients for r in world.smtp.inbox.received] == [[BINH]]
    assert len(reminders.store.inbox(LAN)) == 3
    reminders.store.set_opt_out(LAN, False)
    assert reminders.address(LAN) == LAN


def test_an_unreachable_server_delays_the_digest_and_loses_nothing(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there yet
    report = world.reminders(port).run()
    assert report.sent == 0 and report.failed == 2
    warned = [r.getMessage() for r in caplog.records if r.name == "r57.reminders"]
    assert any(f"reminder e-mail to {LAN} not sent (attempt 1): ConnectionRefusedError" in m
               and "retrying at 23/06/2025 08:01" in m for m in warned), warned
    backlog = world.reminders(port).store.backlog()
    assert backlog.waiting == 2 and backlog.failing == 2
    assert "ConnectionRefusedError" in (backlog.last_error or "")
    world.reminders(port).run()  # before the retry delay: not tried again
    assert world.reminders(port).store.backlog().failing == 2
    late = SmtpServer(port).start()
    try:
        world.later(minutes=1, seconds=1)
        assert world.reminders(port).run().sent == 2
        world.later(hours=1)
        world.reminders(port).run()
    finally:
        late.stop()
    assert sorted(r.recipients[0] for r in late.inbox.received) == [BINH, LAN]
    assert world.reminders(port).store.backlog().waiting == 0


def test_a_crash_between_claim_and_send_delivers_once_after_the_lease(world: World) -> None:
    script = ("import sys, datetime\n"
              "from service.config import Settings\n"
              "from service.container import build_tenancy\n"
              "from service.mail import MailSettings\n"
              "from service.reminders import Reminders\n"
              "t = build_tenancy(Settings(database_url=sys.argv[1],"
              " fault_point='reminders_after_claim'), migrate=False)\n"
              "mail = MailSettings(host='127.0.0.1', port=int(sys.argv[2]), security='none')\n"
              "Reminders(t, mail).run(on=datetime.date(2025, 6, 23))\n")
    crashed = subprocess.run([sys.executable, "-c", script, world.settings.database_url,
                              str(world.smtp.port)], capture_output=True, timeout=120,
                             check=False)
    assert crashed.returncode == 137, crashed.stderr.decode()
    assert world.smtp.inbox.received == []
    world.now[0] = datetime.now(UTC)  # the claim was taken at the real time
    day = MONDAY.date()
    world.reminders().run(on=day)
    # The digest the crashed process had claimed waits for its claim's lease to run out;
    # the other one it never reached is sent.
    assert len(world.smtp.inbox.received) == 1
    world.later(seconds=CLAIM_LEASE_SECONDS + 1)
    world.reminders().run(on=day)
    world.reminders().run(on=day)
    assert sorted(r.recipients[0] for r in world.smtp.inbox.received) == [BINH, LAN]


def test_a_tenants_schedule_can_be_changed_and_is_kept(world: World) -> None:
    reminders = world.reminders()
    assert reminders.schedule(SLUG).to_dict() == {
        "days_before": [30, 7, 1], "overdue_every_days": 7, "on_return": True,
        "missing_report_days": 14}
    reminders.set_schedule(SLUG, "dost.officer", days_before=(10, 3),
                           missing_report_days=0)
    assert world.reminders().schedule(SLUG).days_before == (10, 3)
    report = world.reminders().run(dry_run=True)
    assert {(r.kind, r.occasion) for r in report.new if r.principal == LAN} == {
        ("due_soon", "2025-06-30/10")}


def test_a_dry_run_also_lists_emails_waiting_for_their_digest_or_a_retry(world: World) -> None:
    world.reminders().run(digests=False)  # before the day's digest hour: recorded, not sent
    waiting = world.reminders().run(dry_run=True)
    assert waiting.new == [] and sorted((e.principal, e.reminders) for e in waiting.emails) == [
        (BINH, 2), (LAN, 3)]
    world.reminders(free_port()).run()  # the server is away: both wait for a retry
    world.later(minutes=2)
    retries = world.reminders().run(dry_run=True)
    assert sorted((e.principal, e.reminders) for e in retries.emails) == [(BINH, 2), (LAN, 3)]
    assert world.smtp.inbox.received == []
    assert world.reminders().run().sent == 2


@pytest.mark.parametrize("security", ["starttls", "tls"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_digest_goes_over_tls_with_a_login(world: World, tmp_path: Path,
                                               security: str) -> None:
    cert, key = self_signed(tmp_path)
    tls = server_tls(cert, key)
    options: dict[str, Any] = ({"tls_context": tls, "require_starttls": True}
                               # aiosmtpd counts only STARTTLS as TLS for AUTH; SMTPS is TLS
                               # from the first byte.
                               if security == "starttls" else {"ssl_context": tls,
                                                               "auth_require_tls": False})
    secure = SmtpServer(authenticator=accept_login("nhac-viec", "mật khẩu thư"),
                        auth_required=True, **options).start()
    try:
        mail = replace(world.mail(secure.port), security=security, user="nhac-viec",
                       password="mật khẩu thư", ca_file=str(cert))
        assert Reminders(world.tenancy, mail).run().sent == 2
        wrong = replace(mail, password="sai")
        world.later(days=7)
        assert Reminders(world.tenancy, wrong).run().failed == 2
        untrusted = replace(mail, ca_file="")
        world.later(hours=1)
        assert Reminders(world.tenancy, untrusted).run().failed == 2
        assert "CERTIFICATE_VERIFY_FAILED" in (world.reminders().store.backlog().last_error
                                               or "")
    finally:
        secure.stop()
    assert sorted(r.recipients[0] for r in secure.inbox.received) == [BINH, LAN]


def test_opting_out_after_the_digest_was_made_stops_it_too(world: World) -> None:
    world.reminders(free_port()).run()  # made, not yet sent
    world.reminders().store.set_opt_out(LAN, True)
    world.later(minutes=2)
    report = world.reminders().run()
    assert (report.sent, report.failed) == (1, 0)
    assert [r.recipients for r in world.smtp.inbox.received] == [[BINH]]
    assert world.reminders().store.backlog().waiting == 0


def test_two_schedulers_running_at_once_send_each_digest_once(world: World) -> None:
    others = [build_tenancy(world.settings, migrate=False) for _ in range(2)]
    for other in others:
        other.clock = world.tenancy.clock
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def scheduler(tenancy: Tenancy) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                Reminders(tenancy, world.mail()).run()
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=scheduler, args=(t,)) for t in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for other in others:
        other.close()
    assert failures == []
    assert sorted(r.recipients[0] for r in world.smtp.inbox.received) == [BINH, LAN]
    assert len(world.reminders().store.inbox(LAN)) == 3
