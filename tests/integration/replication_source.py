"""A province's own deployment served on loopback: what the hub replicates in tests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from domain.access import Role
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.api.principals import token
from tests.web.browser import serving

SLUG = "quang-nam"
DOST = Context(actor="dost")


@dataclass
class Source:
    tenancy: Tenancy
    url: str
    token: str

    def integrity(self) -> TenantIntegrity:
        return TenantIntegrity(self.tenancy.application(SLUG))

    def report(self, count: int, start: int = 0) -> None:
        ledger = self.tenancy.ledger(SLUG, for_writing=True)
        for n in range(start, start + count):
            ledger.handle(ReportProgress(task=str(n % 60 + 1), period="2025-Q1",
                                         percent=n % 100, narrative=f"Báo cáo {n}"), DOST)

    def log(self) -> list[tuple[int, str, int, str, bytes]]:
        return log_of(self.tenancy)


def log_of(tenancy: Tenancy, slug: str = SLUG) -> list[tuple[int, str, int, str, bytes]]:
    found = tenancy.application(slug).recorder.select_notifications(start=1, limit=100_000)
    return [(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
            for n in found]


@contextmanager
def served_source(data_dir: Path, seed_path: Path) -> Iterator[Source]:
    """A province's own deployment (SQLite) with the seed plan, a signed checkpoint, and a
    read-only token the hub replicates with, served until the block ends."""
    settings = Settings(database_url=f"sqlite:///{data_dir}")
    tenancy = build_tenancy(settings)
    tenancy.create_tenant(SLUG, "Quảng Nam", "49")
    sha256 = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    tenancy.ledger(SLUG, for_writing=True).handle(
        ImportPlan(document=read_plan_document(seed_path), sha256=sha256), DOST)
    TenantIntegrity(tenancy.application(SLUG)).checkpoint()
    app = create_app(settings, tenancy)
    reader = token(app, "hub.reader", (Role.AUDITOR, SLUG, ""))
    with serving(app) as url:
        yield Source(tenancy, url, reader)
    tenancy.close()
