"""Principals, grants and tokens: recorded as events in the service's access log, and
authenticated against an in-memory view of that log brought up to date on each use."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import InfrastructureFactory, IntegrityError
from eventsourcing.utils import Environment

from domain.access import Principal, Role, validate_principal_name
from domain.accounts import Account, TenantPolicy
from domain.errors import AlreadyExists, DomainError, NotFound
from domain.policy import Grant
from domain.text import nfc
from projections.specs import UnknownEvent
from tenants.storage import TenantStorage

TOKEN_PREFIX = "r57"  # noqa: S105 (a marker, not a secret)
_TOKEN_ID = re.compile(r"^[a-z0-9]{1,32}$")


class AccessApplication(Application[UUID]):
    name = "r57_access"  # the events table on PostgreSQL: r57_access_events

    def __init__(self, storage: TenantStorage) -> None:
        self.storage = storage
        super().__init__(env={"CREATE_TABLE": "n"})

    def construct_env(self, name: str, env: Any = None) -> Environment:
        return Environment(name, dict(env or {}))

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return self.storage.access_factory(env)

    def create_tables(self) -> None:
        recorder: Any = self.recorder
        recorder.create_table()


@dataclass
class PrincipalView:
    name: str
    display_name: str
    grants: set[Grant] = field(default_factory=set)
    tokens: dict[str, tuple[str, datetime | None, bool]] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        """How events name this principal."""
        return self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "display_name": self.display_name,
            "grants": [{"role": g.role.value, "tenant": g.tenant, "agency": g.agency}
                       for g in sorted(self.grants, key=lambda g: (g.tenant, g.role, g.agency))],
            "tokens": [{"id": k, "expires_at": exp.isoformat() if exp else None, "live": live}
                       for k, (_, exp, live) in self.tokens.items()],
        }


@dataclass
class AccountView:
    principal: str
    email: str
    has_password: bool = False
    second_factor: bool = False
    sso_authorised: bool = False
    sso: tuple[str, str] | None = None


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once; only its hash is kept
    token_id: str
    principal: str
    expires_at: datetime | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessService:
    def __init__(self, app: AccessApplication, tenant_exists: Callable[[str], bool],
                 agency_key: Callable[[str, str], str],
                 clock: Callable[[], datetime] | None = None) -> None:
        self.app = app
        self._tenant_exists = tenant_exists
        self._agency_key = agency_key  # (tenant, agency name) -> key, or NotFound
        self._clock = clock or (lambda: datetime.now(UTC))
        self._views: dict[UUID, PrincipalView] = {}
        self._people = AccountViews()
        self._position = 0
        self._lock = threading.Lock()

    # -- the view --------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._lock:
            for notification in self.app.recorder.select_notifications(
                start=self._position + 1, limit=10_000
            ):
                self._apply(self.app.mapper.to_domain_event(notification))
                self._position = notification.id

    def _apply(self, e: Any) -> None:
        fold = ACCESS_FOLDS.get(type(e))
        if fold is not None:
            fold(self._views, e)
            return
        account_fold = ACCOUNT_FOLDS.get(type(e))
        if account_fold is None:
            raise UnknownEvent(f"No fold for access event {type(e).__qualname__}.")
        account_fold(self._people, e)

    def tenant_requires_second_factor(self, slug: str) -> bool:
        self.refresh()
        return self._people.second_factor_tenants.get(TenantPolicy.create_id(slug), False)

    def account(self, principal: str) -> AccountView | None:
        """How a principal signs in as a person; None for systems (tokens only)."""
        self.refresh()
        return self._people.accounts.get(Account.create_id(principal))

    def account_events(self, principal: str) -> list[Any]:
        """The account's history, oldest first (for its administrator)."""
        self.refresh()
        return list(self.app.events.get(Account.create_id(principal)))

    def principals(self) -> list[PrincipalView]:
        self.refresh()
        return sorted(self._views.values(), key=lambda p: p.name)

    def principal(self, name: str) -> PrincipalView:
        self.refresh()
        view = self._views.get(Principal.create_id(validate_principal_name(name)))
        if view is None:
            raise NotFound("principal.not_found", field="name", name=name)
        return view

    # -- commands --------------------------------------------------------------------------

    def _load(self, name: str) -> Principal:
        principal: Any
        try:
            principal = self.app.repository.get(Principal.create_id(validate_principal_name(name)))
        except AggregateNotFoundError:
            raise NotFound("principal.not_found", field="name", name=name) from None
        assert isinstance(principal, Principal)
        return principal

    def _save(self, principal: Principal) -> None:
        try:
            self.app.save(principal)
        except IntegrityError:
            raise AlreadyExists("principal.changed_or_exists", field="name",
                                name=principal.name) from None

    def create_principal(self, name: str, display_name: str, by: str) -> PrincipalView:
        principal = Principal(name=validate_principal_name(name),
                              display_name=nfc(display_name) or name, created_by=by)
        self._save(principal)
        return self.principal(name)

    def grant(self, name: str, role: str, tenant: str, agency: str, by: str) -> PrincipalView:
        if tenant and not self._tenant_exists(tenant):
            raise NotFound("tenant.not_found", field="tenant", tenant=tenant)
        principal = self._load(name)
        key = self._agency_key(tenant, agency) if agency and tenant else agency
        principal.grant(_role(role), tenant, key, by)
        self._save(principal)
        return self.principal(name)

    def revoke(self, name: str, role: str, tenant: str, agency: str, by: str) -> PrincipalView:
        principal = self._load(name)
        key = self._agency_key(tenant, agency) if agency and tenant else agency
        principal.revoke(_role(role), tenant, key, by)
        self._save(principal)
        return self.principal(name)

    def issue_token(self, name: str, by: str, expires_at: datetime | None = None,
                    secret: str | None = None, token_id: str | None = None) -> IssuedToken:
        """A new bearer token; `secret` and `token_id` are only given by the documented demo
        set-up, whose tokens must stay the same from one start to the next."""
        if expires_at is not None and expires_at <= self._clock():
            raise DomainError("token.expiry_in_past", field="expires_at")
        if token_id is not None and (not _TOKEN_ID.fullmatch(token_id)
                                     or any(token_id in v.tokens for v in self.principals())):
            raise AlreadyExists("token.id_taken", field="token", token=token_id)
        principal = self._load(name)
        token_id = token_id or secrets.token_hex(6)
        secret = secret or secrets.token_urlsafe(32)
        principal.issue_token(token_id, _hash(secret), expires_at, by)
        self._save(principal)
        return IssuedToken(f"{TOKEN_PREFIX}_{token_id}_{secret}", token_id, name, expires_at)

    def revoke_token(self, name: str, token_id: str, by: str) -> None:
        principal = self._load(name)
        principal.revoke_token(token_id, by)
        self._save(principal)

    # -- authentication ----------------------------------------------------------------------

    def authenticate(self, token: str, log_head: int | None = None) -> PrincipalView | None:
        """The principal a bearer token stands for, or None (unknown, revoked or expired).
        `log_head`: the access log's last position, read by the caller for this request:
        the view catches up only when it is behind it (None: it reads the log's news)."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        _, token_id, secret = parts
        if log_head is None or log_head > self._position:
            self.refresh()
        with self._lock:  # another thread's refresh may be adding principals
            holder = next((v for v in self._views.values() if token_id in v.tokens), None)
        if holder is None:
            return None
        secret_hash, expires_at, live = holder.tokens[token_id]
        fresh = expires_at is None or expires_at > self._clock()
        if live and fresh and hmac.compare_digest(secret_hash, _hash(secret)):
            return holder
        return None

    def grant_history(self, tenant: str) -> list[dict[str, Any]]:
        """Every grant and revocation on a tenant, in log order, for its auditors."""
        self.refresh()
        history = []
        for notification in self.app.recorder.select_notifications(start=1, limit=1_000_000):
            e: Any = self.app.mapper.to_domain_event(notification)
            if isinstance(e, Principal.Granted | Principal.Revoked) and e.tenant == tenant:
                history.append({
                    "position": notification.id, "event": type(e).__name__,
                    "principal": self._views[e.originator_id].name, "role": e.role,
                    "agency": e.agency, "recorded_at": e.timestamp,
                    "by": getattr(e, "granted_by", None) or getattr(e, "revoked_by", ""),
                })
        return history


# -- how each access event folds into the principals' views ---------------------------------

Views = dict[UUID, PrincipalView]


def _created(views: Views, e: Principal.Created) -> None:
    views[e.originator_id] = PrincipalView(e.name, e.display_name)


def _granted(views: Views, e: Principal.Granted) -> None:
    views[e.originator_id].grants.add(Grant(Role(e.role), e.tenant, e.agency))


def _revoked(views: Views, e: Principal.Revoked) -> None:
    views[e.originator_id].grants.discard(Grant(Role(e.role), e.tenant, e.agency))


def _token_issued(views: Views, e: Principal.TokenIssued) -> None:
    views[e.originator_id].tokens[e.token_id] = (e.secret_hash, e.expires_at, True)


def _token_revoked(views: Views, e: Principal.TokenRevoked) -> None:
    tokens = views[e.originator_id].tokens
    secret_hash, expires_at, _ = tokens[e.token_id]
    tokens[e.token_id] = (secret_hash, expires_at, False)


ACCESS_FOLDS: dict[type[Any], Callable[[Views, Any], None]] = {
    Principal.Created: _created,
    Principal.Granted: _granted,
    Principal.Revoked: _revoked,
    Principal.TokenIssued: _token_issued,
    Principal.TokenRevoked: _token_revoked,
}


# -- how people's accounts and tenants' sign-in policies fold ---------------------------------


@dataclass
class AccountViews:
    accounts: dict[UUID, AccountView] = field(default_factory=dict)
    second_factor_tenants: dict[UUID, bool] = field(default_factory=dict)


def _opened(views: AccountViews, e: Account.Opened) -> None:
    views.accounts[e.originator_id] = AccountView(e.principal, e.email)


def _account(change: Callable[[AccountView, Any], None]) -> Callable[[AccountViews, Any], None]:
    def fold(views: AccountViews, e: Any) -> None:
        change(views.accounts[e.originator_id], e)

    return fold


def _unchanged(view: AccountView, e: Any) -> None:
    """Recorded for the audit (a link made, a recovery code used); the view stays."""


def _policy_created(views: AccountViews, e: TenantPolicy.Created) -> None:
    views.second_factor_tenants.setdefault(e.originator_id, False)


def _policy_set(views: AccountViews, e: TenantPolicy.SecondFactorPolicySet) -> None:
    views.second_factor_tenants[e.originator_id] = e.required


ACCOUNT_FOLDS: dict[type[Any], Callable[[AccountViews, Any], None]] = {
    Account.Opened: _opened,
    Account.PasswordSet: _account(lambda v, e: setattr(v, "has_password", True)),
    Account.SecondFactorEnrolled: _account(lambda v, e: setattr(v, "second_factor", True)),
    Account.SecondFactorReset: _account(lambda v, e: setattr(v, "second_factor", False)),
    Account.RecoveryCodeUsed: _account(_unchanged),
    Account.ResetLinkIssued: _account(_unchanged),
    Account.SsoAuthorised: _account(lambda v, e: setattr(v, "sso_authorised", True)),
    Account.SsoLinked: _account(lambda v, e: setattr(v, "sso", (e.issuer, e.subject))),
    TenantPolicy.Created: _policy_created,
    TenantPolicy.SecondFactorPolicySet: _policy_set,
}
# The aggregates of the service's access log, whose events fold here (not in projections).
ACCESS_AGGREGATES = (Principal, Account, TenantPolicy)


def token_id_of(token: str) -> str | None:
    """The public id part of a token of our shape (for counting failures), else None."""
    parts = token.split("_", 2)
    if len(parts) == 3 and parts[0] == TOKEN_PREFIX and _TOKEN_ID.fullmatch(parts[1]):
        return parts[1]
    return None


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise DomainError("role.unknown", field="role", role=value,
                          known=", ".join(r.value for r in Role)) from None
