"""The reminder tests' world, on both stores: a tenant whose plan has a task due in a week,
one overdue and one reported continuously; two reporters with accounts (so e-mail
addresses) and one system reporter without; a real SMTP server listening in the test
process; the tenancy's clock stopped on Monday 23/06/2025 at 08:00 in Vietnam."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.clock import Clock
from domain.plan_document import PlanDocument, PlanHeader, TaskGroup, TaskRow
from service.commands import Context, ImportPlan
from service.config import Settings
from service.mail import MailSettings
from service.reminders import Reminders
from service.tenancy import Tenancy
from tests.reminders.smtp import SmtpServer

SLUG = "quang-nam"
LAN, BINH = "lan@skhcn.quangnam.gov.vn", "binh@syt.quangnam.gov.vn"
SYSTEM = "skhcn.he-thong"  # a reporter that signs in with a token only: no e-mail address
BASE = "https://r57.quangnam.gov.vn"
DOST = Context(actor="dost.officer")
# 23/06/2025: the last two weeks of Quý II/2025 have begun.
MONDAY = datetime(2025, 6, 23, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def plan() -> PlanDocument:
    return PlanDocument(
        header=PlanHeader(number="12/KH-UBND", title="Kế hoạch thử", issued_on=date(2025, 2, 27)),
        groups=(TaskGroup("I", "Nhóm một"),),
        tasks=(
            TaskRow("I", "1", "Xây dựng chương trình chuyển đổi số", "Sở Khoa học và Công nghệ",
                    "", "Chương trình", "6/2025"),
            TaskRow("I", "2", "Số hóa hồ sơ bệnh án", "Sở Y tế", "", "Cơ sở dữ liệu",
                    "4/2025"),
            TaskRow("I", "3", "Theo dõi, đôn đốc thực hiện", "Sở Khoa học và Công nghệ", "",
                    "Báo cáo", "Thường xuyên"),
        ),
        indicators=(),
    )


@dataclass
class World:
    tenancy: Tenancy
    now: list[datetime]
    smtp: SmtpServer
    settings: Settings

    def mail(self, port: int | None = None) -> MailSettings:
        return MailSettings(host="127.0.0.1", port=port or self.smtp.port, security="none",
                            sender="Sổ theo dõi NQ57 <nhac-viec@quangnam.gov.vn>",
                            timeout_seconds=2, base_url=BASE)

    def reminders(self, port: int | None = None) -> Reminders:
        return Reminders(self.tenancy, self.mail(port))

    def later(self, **delta: float) -> None:
        self.now[0] += timedelta(**delta)


@pytest.fixture
def world(tenancy: Tenancy, settings: Settings) -> Iterator[World]:
    now = [MONDAY]
    tenancy.clock = Clock(tenancy.clock.zone, lambda: now[0])
    tenancy.create_tenant(SLUG, "Quảng Nam", "49")
    tenancy.ledger(SLUG, for_writing=True).handle(ImportPlan(document=plan(), sha256="s"), DOST)
    for email, name, agency in ((LAN, "Nguyễn Thị Lan", "Sở Khoa học và Công nghệ"),
                                (BINH, "Trần Văn Bình", "Sở Y tế")):
        tenancy.accounts.open(email, name, "dost.officer")
        tenancy.access.grant(email, "agency_reporter", SLUG, agency, by="dost.officer")
    tenancy.access.create_principal(SYSTEM, "Hệ thống của Sở KH&CN", by="dost.officer")
    tenancy.access.grant(SYSTEM, "agency_reporter", SLUG, "Sở Khoa học và Công nghệ",
                         by="dost.officer")
    smtp = SmtpServer().start()
    yield World(tenancy, now, smtp, settings)
    smtp.stop()
