"""What the web interface holds per Flask app: the tenancy, its settings and a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, g, has_request_context, request

from domain.clock import Clock
from domain.errors import DomainError
from service.commands import Command, Context
from service.handlers import Result
from service.queries import TenantQueries
from service.security import AuthThrottle, SessionStore, SignInJournal
from service.sso import OidcClient
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore
from tenants.registry import Tenant
from web.config import WebConfig

EXTENSION = "r57-web"


@dataclass
class WebState:
    tenancy: Tenancy
    config: WebConfig
    forms: IdempotencyStore  # one-time form tokens, shared by every worker
    clock: Clock  # the process's one clock: "today" and printed times in Vietnam
    throttle: AuthThrottle  # failed sign-ins, shared with the API and every worker
    sessions: SessionStore
    journal: SignInJournal  # every sign-in attempt
    oidc: OidcClient | None = None

    def today(self) -> date:
        return self.clock.today()


def state() -> WebState:
    found: WebState = current_app.extensions[EXTENSION]
    return found


def tenancy() -> Tenancy:
    return state().tenancy


def queries(slug: str) -> TenantQueries:
    """A tenant's reads, made once per request: however many parts of a page read the plan,
    its state is loaded once, at the one log position the first read reached (a command
    recorded through `dispatch` makes the next reads look again)."""
    made = _made_queries()
    if slug not in made:
        made[slug] = state().tenancy.queries(slug, tenant=tenant_record(slug))
        made[slug].settle = has_request_context()
    return made[slug]


def tenant_record(slug: str) -> Tenant | None:
    """The tenant's record (None: no such tenant), read once for the page's header and its
    reads. Kept per slug: an application context may outlive one request (test clients)."""
    cached = g.get("web_tenant")
    if cached is None or cached[0] != slug:
        try:
            cached = (slug, state().tenancy.registry.get(slug))
        except DomainError:  # an error page about this very tenant
            cached = (slug, None)
        g.web_tenant = cached
    found: Tenant | None = cached[1]
    return found


def _made_queries() -> dict[str, TenantQueries]:
    # Kept with the request itself: an application context (and its `g`) may serve several
    # requests (test clients), and each request looks at the log's head anew.
    if has_request_context():
        found: dict[str, TenantQueries] = request.environ.setdefault("r57.web_queries", {})
        return found
    kept: dict[str, TenantQueries] = g.setdefault("r57_web_queries", {})
    return kept


def dispatch(slug: str, command: Command, context: Context) -> Result:
    """Record a command for a tenant through the one dispatcher (as the API and CLI do)."""
    try:
        return state().tenancy.ledger(slug, for_writing=True).handle(command, context)
    finally:
        _made_queries().pop(slug, None)


def end_of_day(day: date) -> datetime:
    """The last instant of a day in Vietnam: "as known on 01/04/2025" includes that day."""
    return state().clock.end_of_day(day)


def local(instant: datetime) -> datetime:
    """A recorded instant as Vietnam's wall clock shows it."""
    return state().clock.local(instant)
