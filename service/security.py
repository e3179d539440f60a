"""Failed sign-ins and web sessions, kept in the shared database so every worker agrees.

Failures are counted per (client address, subject), a subject being an account or a token
id: a stranger guessing from elsewhere never holds back the holder at their own address.
One address failing on many subjects is held back too (broad guessing). A subject is locked
only on evidence of an attack on it (failures from many addresses within the window), and
that lock is announced (`on_lock`: a log line and a metric).

A web session is a random id in the cookie whose hash is a row here: signing out ends the
row, so a copied cookie is worth nothing afterwards; a session also ends when idle too long
and at an absolute age, whatever the cookie says.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenants.database import Database

log = logging.getLogger("r57.security")


@dataclass(frozen=True)
class ThrottlePolicy:
    window_seconds: float = 300.0
    pair_limit: int = 5  # failures of one address on one subject
    address_limit: int = 30  # failures of one address on any subjects
    lock_addresses: int = 10  # distinct failing addresses on one subject: evidence of attack
    lock_seconds: float = 900.0


class AuthThrottle:
    """Counts failed authentications in the shared database."""

    def __init__(self, database: Database, policy: ThrottlePolicy | None = None,
                 clock: Callable[[], float] = time.time,
                 on_lock: Callable[[str, int], None] | None = None) -> None:
        self._db = database
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._on_lock = on_lock or (lambda subject, addresses: None)

    def retry_after(self, address: str, subject: str = "") -> int | None:
        """Seconds until this address may try this subject again; None: go ahead."""
        columns, params, now = self.lookup(address, subject)
        with self._db.transaction(write=False) as cursor:
            cursor.execute(f"SELECT {columns}", params)
            row = cursor.fetchone() or {}
        return self.decide(row, subject, now)

    def lookup(self, address: str, subject: str) -> tuple[str, dict[str, Any], float]:
        """What `decide` reads, as the select list of one statement (columns
        `locked_until`, `pair`, `address`), its parameters and the time it is read at:
        the subject's lock, and the failure that fills each window (the n-th latest
        within it; none while fewer than n failed)."""
        now, p = self._clock(), self.policy
        columns = (
            "(SELECT max(locked_until) FROM r57_auth_locks WHERE subject = :s"
            " AND locked_until > :now) AS locked_until,"
            " (SELECT failed_at FROM r57_auth_failures WHERE subject = :s AND address = :a"
            " AND failed_at > :since ORDER BY failed_at DESC LIMIT 1 OFFSET :pair) AS pair,"
            " (SELECT failed_at FROM r57_auth_failures WHERE address = :a"
            " AND failed_at > :since ORDER BY failed_at DESC LIMIT 1 OFFSET :address)"
            " AS address")
        params = {"s": subject, "a": address, "now": now, "since": now - p.window_seconds,
                  "pair": p.pair_limit - 1, "address": p.address_limit - 1}
        return columns, params, now

    def decide(self, row: dict[str, Any], subject: str, now: float) -> int | None:
        """The wait `retry_after` answers, from the row `lookup`'s columns read."""
        p = self.policy
        waits: list[float] = []
        if subject and row.get("locked_until") is not None:
            waits.append(float(row["locked_until"]) - now)
        if subject and row.get("pair") is not None:
            waits.append(float(row["pair"]) + p.window_seconds - now)
        if row.get("address") is not None:
            waits.append(float(row["address"]) + p.window_seconds - now)
        waits = [w for w in waits if w > 0]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, address: str, subject: str = "") -> bool:
        """Count a failure; True when it locked the subject (evidence of an attack)."""
        now, p = self._clock(), self.policy
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_auth_failures WHERE failed_at <= :old",
                           {"old": now - p.window_seconds})
            cursor.execute("DELETE FROM r57_auth_locks WHERE locked_until <= :now", {"now": now})
            cursor.execute("INSERT INTO r57_auth_failures (address, subject, failed_at) "
                           "VALUES (:a, :s, :now)", {"a": address, "s": subject, "now": now})
            if not subject:
                return False
            cursor.execute("SELECT COUNT(DISTINCT address) AS n FROM r57_auth_failures "
                           "WHERE subject = :s", {"s": subject})
            found = cursor.fetchone()
            addresses = int(found["n"]) if found else 0
            if addresses < p.lock_addresses:
                return False
            cursor.execute("SELECT 1 AS x FROM r57_auth_locks WHERE subject = :s", {"s": subject})
            if cursor.fetchone() is not None:
                return False
            cursor.execute("INSERT INTO r57_auth_locks (subject, locked_until, addresses, "
                           "locked_at) VALUES (:s, :until, :n, :now)",
                           {"s": subject, "until": now + p.lock_seconds, "n": addresses,
                            "now": now})
        log.warning("authentication locked", extra={"fields": {
            "subject": subject, "failing_addresses": addresses,
            "locked_seconds": p.lock_seconds}})
        self._on_lock(subject, addresses)
        return True

    def succeeded(self, address: str, subject: str) -> None:
        """The holder got in from this address: its own failures there are forgotten."""
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_auth_failures WHERE subject = :s AND address = :a",
                           {"s": subject, "a": address})

    def unlock(self, subject: str) -> None:
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_auth_locks WHERE subject = :s", {"s": subject})
            cursor.execute("DELETE FROM r57_auth_failures WHERE subject = :s", {"s": subject})

    def locked(self, subject: str) -> bool:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT 1 AS x FROM r57_auth_locks WHERE subject = :s AND "
                           "locked_until > :now", {"s": subject, "now": self._clock()})
            return cursor.fetchone() is not None


@dataclass(frozen=True)
class SessionPolicy:
    idle_seconds: float = 30 * 60  # half an hour without a request ends a session
    absolute_seconds: float = 12 * 3600  # a working day, however busy
    touch_every_seconds: float = 60  # last_seen is written at most this often


@dataclass(frozen=True)
class SessionRecord:
    principal: str
    method: str
    address: str
    created_at: float
    last_seen: float
    ended_at: float | None
    end_reason: str | None


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    def __init__(self, database: Database, policy: SessionPolicy | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self.policy = policy or SessionPolicy()
        self._clock = clock

    def start(self, principal: str, method: str, address: str) -> str:
        """A new session; its id is returned once (for the cookie), only its hash is kept."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO r57_sessions (id_hash, principal, method, address, created_at, "
                "last_seen) VALUES (:h, :p, :m, :a, :now, :now)",
                {"h": _digest(session_id), "p": principal, "m": method, "a": address,
                 "now": now})
        return session_id

    def check(self, session_id: str) -> str | None:
        """The principal of a live session (and note it was seen), else None; an idle or
        too old session is ended here, with the reason."""
        now, p = self._clock(), self.policy
        digest = _digest(session_id)
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT principal, created_at, last_seen, ended_at FROM r57_sessions "
                           "WHERE id_hash = :h", {"h": digest})
            row = cursor.fetchone()
        if row is None or row["ended_at"] is not None:
            return None
        if now - float(row["created_at"]) > p.absolute_seconds:
            self._end(digest, "expired")
            return None
        if now - float(row["last_seen"]) > p.idle_seconds:
            self._end(digest, "idle")
            return None
        if now - float(row["last_seen"]) >= p.touch_every_seconds:
            with self._db.transaction() as cursor:
                cursor.execute("UPDATE r57_sessions SET last_seen = :now WHERE id_hash = :h "
                               "AND ended_at IS NULL", {"now": now, "h": digest})
        return str(row["principal"])

    def end(self, session_id: str, reason: str = "signed_out") -> None:
        self._end(_digest(session_id), reason)

    def _end(self, digest: str, reason: str) -> None:
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_sessions SET ended_at = :now, end_reason = :r "
                           "WHERE id_hash = :h AND ended_at IS NULL",
                           {"now": self._clock(), "r": reason, "h": digest})

    def end_all(self, principal: str, reason: str) -> int:
        """End every live session of a principal (password reset, access revoked)."""
        with self._db.transaction() as cursor:
            cursor.execute("SELECT COUNT(*) AS n FROM r57_sessions WHERE principal = :p AND "
                           "ended_at IS NULL", {"p": principal})
            found = cursor.fetchone()
            cursor.execute("UPDATE r57_sessions SET ended_at = :now, end_reason = :r "
                           "WHERE principal = :p AND ended_at IS NULL",
                           {"now": self._clock(), "r": reason, "p": principal})
        return int(found["n"]) if found else 0

    def of(self, principal: str, limit: int = 50) -> list[SessionRecord]:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT principal, method, address, created_at, last_seen, ended_at, "
                           "end_reason FROM r57_sessions WHERE principal = :p "
                           "ORDER BY created_at DESC LIMIT :n", {"p": principal, "n": limit})
            return [SessionRecord(**_record(r)) for r in cursor.fetchall()]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("principal", "method", "address", "created_at", "last_seen",
                                "ended_at", "end_reason")}


@dataclass(frozen=True)
class SignIn:
    at: float
    principal: str
    login: str
    address: str
    method: str  # password, second_factor, recovery_code, token, oidc, reset_link
    outcome: str  # ok, or the code of the refusal


class SignInJournal:
    """Every attempt to sign in, kept for the person's administrator to see."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._clock = clock

    def record(self, *, principal: str, login: str, address: str, method: str,
               outcome: str) -> None:
        with self._db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO r57_sign_ins (at, principal, login, address, method, outcome) "
                "VALUES (:at, :p, :l, :a, :m, :o)",
                {"at": self._clock(), "p": principal, "l": login[:254], "a": address[:64],
                 "m": method, "o": outcome})

    def of(self, principal: str, limit: int = 50) -> list[SignIn]:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT at, principal, login, address, method, outcome "
                           "FROM r57_sign_ins WHERE principal = :p ORDER BY id DESC LIMIT :n",
                           {"p": principal, "n": limit})
            return [SignIn(**r) for r in cursor.fetchall()]
