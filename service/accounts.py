"""People's accounts: passwords (Argon2id), a TOTP second factor with recovery codes, and
one-time links to set a password.

The secrets live in the shared database (`r57_credentials`, `r57_reset_links`), where they
can be replaced and erased; every change to them is also an event of the person's account in
the service's access log (domain/accounts.py), so who changed what, and when, is audited as
grants are. A refusal raises `Refused` with a code the interfaces put into words; nothing is
changed by a refusal.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.access import Role, validate_principal_name
from domain.accounts import Account, TenantPolicy
from domain.errors import AlreadyExists, DomainError
from service.access import AccessService, AccountView
from tenants.database import Database

MIN_PASSWORD = 12
MAX_PASSWORD = 256  # hashing is slow on purpose: nobody gets to hash megabytes
RECOVERY_CODES = 10
RESET_LINK_HOURS = 72
ISSUER = "R57 Plan Ledger"
# The roles whose holders must have a second factor, whatever the tenant's policy.
SECOND_FACTOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.TENANT_ADMIN})
_HASHER = PasswordHasher()  # Argon2id, the library's current recommended parameters
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))  # an unknown login costs as much


class Refused(Exception):
    """A credential was not accepted; `code` says why (the interfaces word it)."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str  # otpauth:// for the QR code


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise Refused("password_short", "password")
    if len(password) > MAX_PASSWORD:
        raise Refused("password_long", "password")
    if email and email.split("@", 1)[0] in password.lower():
        raise Refused("password_like_login", "password")
    if len(set(password)) < 5:
        raise Refused("password_weak", "password")


class AccountService:
    def __init__(self, access: AccessService, database: Database,
                 clock: Callable[[], float] = time.time) -> None:
        self.access = access
        self._db = database
        self._clock = clock

    def _tenant_policy(self, slug: str) -> bool:
        return self.access.tenant_requires_second_factor(slug)

    def require_second_factor(self, slug: str, required: bool, by: str) -> None:
        """The tenant's policy: a second factor for everyone holding a grant there (it is
        always required of administrators)."""
        policy_id = TenantPolicy.create_id(slug)
        try:
            found: Any = self.access.app.repository.get(policy_id)
        except AggregateNotFoundError:
            found = TenantPolicy(tenant=slug, created_by=by)
        assert isinstance(found, TenantPolicy)
        if found.second_factor_required != required:
            found.require_second_factor(required, by)
        self._save(found)

    # -- the account and its events ---------------------------------------------------------

    def _load(self, principal: str) -> Account:
        try:
            found: Any = self.access.app.repository.get(Account.create_id(principal))
        except AggregateNotFoundError:
            raise Refused("no_account", "login") from None
        assert isinstance(found, Account)
        return found

    def _save(self, account: Account | TenantPolicy) -> None:
        try:
            self.access.app.save(account)
        except IntegrityError:
            raise AlreadyExists("account.changed", field="login") from None

    def open(self, email: str, display_name: str, by: str) -> AccountView:
        """A person's principal (named by their e-mail) and account, with no password yet:
        they set one through a one-time link, or sign in through single sign-on."""
        email = normalise_email(email)
        validate_principal_name(email)
        if "@" not in email:
            raise DomainError("account.login_is_email", field="email")
        if self.access.account(email) is not None:
            raise AlreadyExists("account.exists", field="email")
        try:
            self.access.principal(email)
        except DomainError:
            self.access.create_principal(email, display_name, by)
        self._save(Account(principal=email, email=email, opened_by=by))
        found = self.access.account(email)
        assert found is not None
        return found

    def view(self, principal: str) -> AccountView | None:
        return self.access.account(principal)

    # -- passwords --------------------------------------------------------------------------

    def _credentials(self, principal: str) -> dict[str, Any] | None:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT password_hash, totp_secret, totp_last_step, recovery_hashes "
                           "FROM r57_credentials WHERE principal = :p", {"p": principal})
            row: dict[str, Any] | None = cursor.fetchone()
            return row

    def _store(self, principal: str, **values: Any) -> None:
        assigns = ", ".join(f"{k} = :{k}" for k in values)
        with self._db.transaction() as cursor:
            cursor.execute("SELECT 1 AS x FROM r57_credentials WHERE principal = :p",
                           {"p": principal})
            if cursor.fetchone() is None:
                cursor.execute("INSERT INTO r57_credentials (principal, updated_at) "
                               "VALUES (:p, :now)", {"p": principal, "now": self._clock()})
            cursor.execute(f"UPDATE r57_credentials SET {assigns}, updated_at = :now "  # noqa: S608 (keys are ours)
                           "WHERE principal = :p", {**values, "p": principal,
                                                     "now": self._clock()})

    def set_password(self, principal: str, password: str, how: str, by: str) -> None:
        check_password_strength(password, principal)
        account = self._load(principal)
        account.set_password(how, by)
        self._save(account)
        self._store(principal, password_hash=_HASHER.hash(password))

    def check_password(self, login: str, password: str) -> str:
        """The principal whose password this is; Refused("bad_password") otherwise, and as
        slowly for an unknown login as for a known one."""
        principal = normalise_email(login)
        found = self._credentials(principal) if 0 < len(password) <= MAX_PASSWORD else None
        stored = found["password_hash"] if found else None
        try:
            _HASHER.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise Refused("bad_password", "password") from None
        if not stored:
            raise Refused("bad_password", "password")
        if _HASHER.check_needs_rehash(stored):
            self._store(principal, password_hash=_HASHER.hash(password))
        return principal

    def change_password(self, principal: str, current: str, new: str) -> None:
        self.check_password(principal, current)
        if new == current:
            raise Refused("password_same", "new_password")
        self.set_password(principal, new, "changed", principal)

    # -- second factor ----------------------------------------------------------------------

    def second_factor_required(self, principal: str) -> bool:
        try:
            grants = self.access.principal(principal).grants
        except DomainError:
            return False
        return any(g.role in SECOND_FACTOR_ROLES or (g.tenant and self._tenant_policy(g.tenant))
                   for g in grants)

    def has_second_factor(self, principal: str) -> bool:
        found = self.access.account(principal)
        return bool(found and found.second_factor)

    @staticmethod
    def begin_enrolment(principal: str, secret: str | None = None) -> Enrolment:
        secret = secret or pyotp.random_base32()
        uri = pyotp.TOTP(secret).provisioning_uri(name=principal, issuer_name=ISSUER)
        return Enrolment(secret, uri)

    def enrol(self, principal: str, secret: str, code: str) -> list[str]:
        """Confirm the authenticator with a code it shows; returns the recovery codes,
        shown once (only their hashes are kept)."""
        step = self._matching_step(secret, code, last=0)
        if step is None:
            raise Refused("bad_code", "code")
        account = self._load(principal)
        account.enrol_second_factor(principal)
        self._save(account)
        codes = [f"{secrets.randbelow(10**5):05d}-{secrets.randbelow(10**5):05d}"
                 for _ in range(RECOVERY_CODES)]
        self._store(principal, totp_secret=secret, totp_last_step=step,
                    recovery_hashes=json.dumps([_digest(c) for c in codes]))
        return codes

    def _matching_step(self, secret: str, code: str, last: int) -> int | None:
        """The time step whose code this is (this one or its neighbours), if after `last`."""
        code = code.strip().replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            return None
        totp = pyotp.TOTP(secret)
        now = self._clock()
        for offset in (0, -1, 1):
            step = int(now // totp.interval) + offset
            if hmac.compare_digest(totp.generate_otp(step), code):
                if step <= last:
                    raise Refused("replayed_code", "code")
                return step
        return None

    def verify_second_factor(self, principal: str, code: str) -> str:
        """"totp" or "recovery_code" when accepted; Refused otherwise. A TOTP code is
        accepted once: a replay, even within its time window, is refused."""
        found = self._credentials(principal)
        if not found or not found["totp_secret"]:
            raise Refused("no_second_factor", "code")
        cleaned = code.strip()
        if "-" in cleaned:
            return self._use_recovery_code(principal, cleaned, found)
        step = self._matching_step(found["totp_secret"], cleaned, int(found["totp_last_step"]))
        if step is None:
            raise Refused("bad_code", "code")
        with self._db.transaction() as cursor:  # only one use of a step, whatever the race
            cursor.execute("UPDATE r57_credentials SET totp_last_step = :s WHERE principal = :p "
                           "AND totp_last_step < :s", {"s": step, "p": principal})
            cursor.execute("SELECT totp_last_step FROM r57_credentials WHERE principal = :p",
                           {"p": principal})
            row = cursor.fetchone()
        if row is None or int(row["totp_last_step"]) != step:
            raise Refused("replayed_code", "code")
        return "totp"

    def _use_recovery_code(self, principal: str, code: str, found: dict[str, Any]) -> str:
        hashes: list[str] = json.loads(found["recovery_hashes"] or "[]")
        digest = _digest(code)
        if digest not in hashes:
            raise Refused("bad_code", "code")
        left = [h for h in hashes if h != digest]
        self._store(principal, recovery_hashes=json.dumps(left))
        account = self._load(principal)
        account.use_recovery_code(len(left))
        self._save(account)
        return "recovery_code"

    def reset_second_factor(self, principal: str, by: str) -> None:
        account = self._load(principal)
        account.reset_second_factor(by)
        self._save(account)
        self._store(principal, totp_secret=None, totp_last_step=0, recovery_hashes="[]")

    # -- one-time links ---------------------------------------------------------------------

    def issue_reset_link(self, principal: str, by: str,
                         hours: int = RESET_LINK_HOURS) -> str:
        """A secret for a one-time link to set a password; shown once, only its hash kept.
        A new link replaces any earlier one that was not used."""
        account = self._load(principal)
        now = self._clock()
        expires = now + hours * 3600
        account.issue_reset_link(datetime.fromtimestamp(expires, UTC), by)
        self._save(account)
        secret = secrets.token_urlsafe(32)
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_reset_links WHERE principal = :p AND used_at IS NULL",
                           {"p": principal})
            cursor.execute("INSERT INTO r57_reset_links (id_hash, principal, created_at, "
                           "expires_at) VALUES (:h, :p, :now, :exp)",
                           {"h": _digest(secret), "p": principal, "now": now, "exp": expires})
        return secret

    def reset_link_holder(self, secret: str) -> str:
        """Whose link this is, if it is live; Refused("bad_link") otherwise."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT principal, expires_at, used_at FROM r57_reset_links "
                           "WHERE id_hash = :h", {"h": _digest(secret[:100])})
            row = cursor.fetchone()
        if row is None or row["used_at"] is not None:
            raise Refused("bad_link", "link")
        if float(row["expires_at"]) <= self._clock():
            raise Refused("expired_link", "link")
        return str(row["principal"])

    def redeem_reset_link(self, secret: str, password: str) -> str:
        principal = self.reset_link_holder(secret)
        check_password_strength(password, principal)
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reset_links SET used_at = :now WHERE id_hash = :h "
                           "AND used_at IS NULL", {"now": self._clock(), "h": _digest(secret)})
            cursor.execute("SELECT used_at FROM r57_reset_links WHERE id_hash = :h",
                           {"h": _digest(secret)})
            row = cursor.fetchone()
        if row is None or row["used_at"] is None:
            raise Refused("bad_link", "link")
        self.set_password(principal, password, "reset_link", principal)
        return principal

    # -- single sign-on ---------------------------------------------------------------------

    def authorise_sso(self, principal: str, by: str) -> None:
        account = self._load(principal)
        if not account.sso_authorised:
            account.authorise_sso(by)
            self._save(account)

    def sso_principal(self, email: str, issuer: str, subject: str) -> str:
        """The principal an identity from the provider signs in as: an account opened for
        this e-mail and authorised for single sign-on by an administrator; linked to the
        provider's subject on first use, and only to it afterwards."""
        principal = normalise_email(email)
        found = self.access.account(principal) if principal else None
        if found is None or not found.sso_authorised:
            raise Refused("not_authorised", "sso")
        if found.sso is not None and found.sso != (issuer, subject):
            raise Refused("other_identity", "sso")
        if found.sso is None:
            account = self._load(principal)
            account.link_sso(issuer, subject)
            self._save(account)
        return principal


def people_of(access: AccessService, tenant: str) -> list[Any]:
    """Principals holding any grant on a tenant, by name."""
    return [p for p in access.principals() if any(g.tenant == tenant for g in p.grants)]


def only_in(grants: Iterable[Any], tenant: str) -> bool:
    """Whether every grant is on this tenant: its administrator may then reset the person's
    password and second factor (not those of someone who also works elsewhere)."""
    return all(g.tenant == tenant for g in grants)
