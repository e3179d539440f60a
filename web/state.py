"""What the web interface holds per Flask app: the tenancy, its settings and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from flask import current_app

from api.throttle import FailureThrottle
from service.ledger import TenantLedger
from service.queries import TenantQueries
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore
from web.config import WebConfig

EXTENSION = "r57-web"
# Vietnam keeps UTC+7 all year: "today" and printed times follow the reader's clock.
VIETNAM = timezone(timedelta(hours=7), "ICT")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class WebState:
    tenancy: Tenancy
    config: WebConfig
    forms: IdempotencyStore  # one-time form tokens, shared by every worker
    clock: Callable[[], datetime] = field(default=utc_now)
    # Failed sign-ins per client address and token id, as the API counts its own.
    throttle: FailureThrottle = field(default_factory=FailureThrottle)

    def today(self) -> date:
        return self.clock().astimezone(VIETNAM).date()


def state() -> WebState:
    found: WebState = current_app.extensions[EXTENSION]
    return found


def tenancy() -> Tenancy:
    return state().tenancy


def queries(slug: str) -> TenantQueries:
    return state().tenancy.queries(slug)


def ledger(slug: str) -> TenantLedger:
    return state().tenancy.ledger(slug, for_writing=True)


def end_of_day(day: date) -> datetime:
    """The last instant of a day in Vietnam: "as known on 01/04/2025" includes that day."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), VIETNAM) - timedelta(
        microseconds=1)
