"""A person's account: how a principal signs in, as facts in the service's access log.

The log says when a password was set and by whom, when a second factor was enrolled or
reset, when a one-time link was made, when a single sign-on identity was authorised and
linked; never the secrets themselves (they are kept apart, where they can be replaced and
erased: service/accounts.py).
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError

_ACCOUNT_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:account")
PASSWORD_HOW = frozenset({"set", "changed", "reset_link"})


class Account(Aggregate):
    """One per principal who signs in as a person; its id follows from the principal."""

    @staticmethod
    def create_id(principal: str) -> UUID:
        return uuid5(_ACCOUNT_NAMESPACE, principal)

    class Opened(Aggregate.Created):
        principal: str
        email: str
        opened_by: str

    @event(Opened)
    def __init__(self, *, principal: str, email: str, opened_by: str) -> None:
        self.principal = principal
        self.email = email
        self.has_password = False
        self.second_factor = False
        self.sso: tuple[str, str] | None = None  # (issuer, subject) once linked
        self.sso_authorised = False

    # -- commands --------------------------------------------------------------------------

    def set_password(self, how: str, by: str) -> None:
        if how not in PASSWORD_HOW:
            raise DomainError("account.unknown_password_how", field="how")
        self.trigger_event(self.PasswordSet, how=how, set_by=by)

    def enrol_second_factor(self, by: str) -> None:
        if self.second_factor:
            raise DomainError("account.second_factor_enrolled", field="code")
        self.trigger_event(self.SecondFactorEnrolled, enrolled_by=by)

    def reset_second_factor(self, by: str) -> None:
        if not self.second_factor:
            raise DomainError("account.no_second_factor", field="second_factor")
        self.trigger_event(self.SecondFactorReset, reset_by=by)

    def use_recovery_code(self, left: int) -> None:
        self.trigger_event(self.RecoveryCodeUsed, codes_left=left)

    def issue_reset_link(self, expires_at: datetime, by: str) -> None:
        self.trigger_event(self.ResetLinkIssued, expires_at=expires_at, issued_by=by)

    def authorise_sso(self, by: str) -> None:
        self.trigger_event(self.SsoAuthorised, authorised_by=by)

    def link_sso(self, issuer: str, subject: str) -> None:
        if not self.sso_authorised:
            raise DomainError("account.sso_not_authorised", field="sso")
        if self.sso is not None and self.sso != (issuer, subject):
            raise DomainError("account.sso_other_identity", field="sso")
        if self.sso is None:
            self.trigger_event(self.SsoLinked, issuer=issuer, subject=subject)

    # -- events ----------------------------------------------------------------------------

    class PasswordSet(Aggregate.Event):
        how: str  # set (invitation), changed (by its holder), reset_link
        set_by: str

    @event(PasswordSet)
    def _password_set(self, how: str, set_by: str) -> None:
        self.has_password = True

    class SecondFactorEnrolled(Aggregate.Event):
        enrolled_by: str

    @event(SecondFactorEnrolled)
    def _second_factor_enrolled(self, enrolled_by: str) -> None:
        self.second_factor = True

    class SecondFactorReset(Aggregate.Event):
        reset_by: str

    @event(SecondFactorReset)
    def _second_factor_reset(self, reset_by: str) -> None:
        self.second_factor = False

    class RecoveryCodeUsed(Aggregate.Event):
        codes_left: int

    @event(RecoveryCodeUsed)
    def _recovery_code_used(self, codes_left: int) -> None:
        pass

    class ResetLinkIssued(Aggregate.Event):
        expires_at: datetime
        issued_by: str

    @event(ResetLinkIssued)
    def _reset_link_issued(self, expires_at: datetime, issued_by: str) -> None:
        pass

    class SsoAuthorised(Aggregate.Event):
        authorised_by: str

    @event(SsoAuthorised)
    def _sso_authorised(self, authorised_by: str) -> None:
        self.sso_authorised = True

    class SsoLinked(Aggregate.Event):
        issuer: str
        subject: str

    @event(SsoLinked)
    def _sso_linked(self, issuer: str, subject: str) -> None:
        self.sso = (issuer, subject)


class TenantPolicy(Aggregate):
    """How a tenant's people sign in: whether everyone needs a second factor."""

    @staticmethod
    def create_id(tenant: str) -> UUID:
        return uuid5(_ACCOUNT_NAMESPACE, f"tenant-policy:{tenant}")

    class Created(Aggregate.Created):
        tenant: str
        created_by: str

    @event(Created)
    def __init__(self, *, tenant: str, created_by: str) -> None:
        self.tenant = tenant
        self.second_factor_required = False

    def require_second_factor(self, required: bool, by: str) -> None:
        self.trigger_event(self.SecondFactorPolicySet, required=required, set_by=by)

    class SecondFactorPolicySet(Aggregate.Event):
        required: bool
        set_by: str

    @event(SecondFactorPolicySet)
    def _second_factor_policy_set(self, required: bool, set_by: str) -> None:
        self.second_factor_required = required
