"""Who may do what: principals, their roles and grants, and their tokens, as events.

Grants and revocations are events of the service's own access log, so the history of
access can be audited like the history of the plans.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError

_PRINCIPAL_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:principal")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"  # creates tenants and grants
    TENANT_ADMIN = "tenant_admin"  # the province's standing body: sets up and follows plans
    AGENCY_REPORTER = "agency_reporter"  # reports on its agency's tasks in its own tenant
    AUDITOR = "auditor"  # reads everything of the tenants granted; writes nothing
    INSPECTOR = "inspector"  # reads status and change logs of the tenants granted
    # The centre's monitor (the Central Steering Committee's standing agency, the Ministry of
    # Science and Technology): reads every tenant granted, local or replicated, side by side.
    NATIONAL_MONITOR = "national_monitor"


TENANT_ROLES = {Role.TENANT_ADMIN, Role.AGENCY_REPORTER, Role.AUDITOR, Role.INSPECTOR,
                Role.NATIONAL_MONITOR}


def validate_principal_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise DomainError("principal.bad_name", field="name", name=str(name))
    return name


class Principal(Aggregate):
    @staticmethod
    def create_id(name: str) -> UUID:
        return uuid5(_PRINCIPAL_NAMESPACE, name)

    class Created(Aggregate.Created):
        name: str
        display_name: str
        created_by: str

    @event(Created)
    def __init__(self, *, name: str, display_name: str, created_by: str) -> None:
        self.name = name
        self.display_name = display_name
        self.grants: set[tuple[str, str, str]] = set()  # (role, tenant, agency key)
        self.tokens: dict[str, tuple[str, datetime | None, bool]] = {}  # id -> (hash, exp, live)

    def grant(self, role: Role, tenant: str, agency: str, granted_by: str) -> None:
        if role is Role.SYSTEM_ADMIN and (tenant or agency):
            raise DomainError("grant.system_admin_not_per_tenant", field="tenant")
        if role in TENANT_ROLES and not tenant:
            raise DomainError("grant.needs_tenant", field="tenant", role=role.value)
        if (role is Role.AGENCY_REPORTER) != bool(agency):
            raise DomainError("grant.agency_for_reporters_only", field="agency")
        if (role.value, tenant, agency) in self.grants:
            raise DomainError("grant.already_held", field="role", name=self.name, role=role.value)
        self.trigger_event(self.Granted, role=role.value, tenant=tenant, agency=agency,
                           granted_by=granted_by)

    def revoke(self, role: Role, tenant: str, agency: str, revoked_by: str) -> None:
        if (role.value, tenant, agency) not in self.grants:
            raise DomainError("grant.not_held", field="role", name=self.name, role=role.value)
        self.trigger_event(self.Revoked, role=role.value, tenant=tenant, agency=agency,
                           revoked_by=revoked_by)

    def issue_token(self, token_id: str, secret_hash: str, expires_at: datetime | None,
                    issued_by: str) -> None:
        self.trigger_event(self.TokenIssued, token_id=token_id, secret_hash=secret_hash,
                           expires_at=expires_at, issued_by=issued_by)

    def revoke_token(self, token_id: str, revoked_by: str) -> None:
        if token_id not in self.tokens or not self.tokens[token_id][2]:
            raise DomainError("token.not_live", field="token", token=token_id, name=self.name)
        self.trigger_event(self.TokenRevoked, token_id=token_id, revoked_by=revoked_by)

    # -- events: each names its recorded fields; the method under it applies it ------------

    class Granted(Aggregate.Event):
        role: str
        tenant: str
        agency: str
        granted_by: str

    @event(Granted)
    def _granted(self, role: str, tenant: str, agency: str) -> None:
        self.grants.add((role, tenant, agency))

    class Revoked(Aggregate.Event):
        role: str
        tenant: str
        agency: str
        revoked_by: str

    @event(Revoked)
    def _revoked(self, role: str, tenant: str, agency: str) -> None:
        self.grants.discard((role, tenant, agency))

    class TokenIssued(Aggregate.Event):
        token_id: str
        secret_hash: str
        expires_at: datetime | None
        issued_by: str

    @event(TokenIssued)
    def _token_issued(self, token_id: str, secret_hash: str, expires_at: datetime | None) -> None:
        self.tokens[token_id] = (secret_hash, expires_at, True)

    class TokenRevoked(Aggregate.Event):
        token_id: str
        revoked_by: str

    @event(TokenRevoked)
    def _token_revoked(self, token_id: str) -> None:
        secret_hash, expires_at, _ = self.tokens[token_id]
        self.tokens[token_id] = (secret_hash, expires_at, False)
