"""Where reminders are kept, in the shared database: each reminder once (a unique key), the
daily digests that carry them by e-mail (claimed before sending, marked sent after, retried
with backoff when the send fails), tenants' schedules and e-mail opt-outs.

Every write is one short transaction; the store decides who wins a race (the unique keys,
and a claim written and read back in one transaction), never a read followed by a write.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.messages import Message
from domain.reminders import ReminderSchedule
from tenants.database import Database

PENDING, DIGESTED, SKIPPED = "pending", "digested", "skipped"  # a reminder's e-mail
SENDING, SENT = "sending", "sent"  # a digest's state, after PENDING
# A digest claimed this long ago and not marked sent was claimed by a process that died.
CLAIM_LEASE_SECONDS = 600.0
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 60.0, 3600.0


def retry_delay(attempts: int) -> float:
    """1, 2, 4, ... minutes after each failed attempt, then hourly: never given up."""
    delay: float = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(delay, LAST_RETRY_SECONDS)


@dataclass(frozen=True)
class NewReminder:
    tenant: str
    principal: str
    task: str  # the task's id
    kind: str
    occasion: str
    day: str  # ISO date of the run that found it due
    message: Message
    link: str  # the task's page, relative to the service's base URL

    @property
    def task_number(self) -> str:
        return str(self.message.params.get("number", ""))

    def content(self) -> str:
        return json.dumps({"message": self.message.to_json(), "link": self.link},
                          ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Reminder:
    id: int
    tenant: str
    principal: str
    task: str
    kind: str
    occasion: str
    day: str
    message: Message
    link: str
    created_at: float
    read_at: float | None
    email: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Reminder:
        content = json.loads(row["content"])
        return cls(int(row["id"]), row["tenant"], row["principal"], row["task"], row["kind"],
                   row["occasion"], row["day"], Message.from_json(content["message"]),
                   content["link"], float(row["created_at"]),
                   None if row["read_at"] is None else float(row["read_at"]), row["email"])


@dataclass(frozen=True)
class Digest:
    id: int
    tenant: str
    principal: str
    day: str
    address: str
    attempts: int
    claim: str


@dataclass(frozen=True)
class Email:
    """A digest as a run reports it: to whom, where, and how many reminders it carries."""

    tenant: str
    principal: str
    address: str
    reminders: int


@dataclass(frozen=True)
class MailBacklog:
    """Digests not yet delivered, for /readyz and the logs."""

    waiting: int
    failing: int  # of which at least one attempt failed
    last_error: str | None


_REMINDER_COLUMNS = ("id, tenant, principal, task, kind, occasion, day, content, created_at, "
                     "read_at, email")


class ReminderStore:
    def __init__(self, database: Database, clock: Callable[[], float]) -> None:
        self._db = database
        self._now = clock

    # -- reminders ---------------------------------------------------------------------------

    def known_keys(self, tenant: str) -> set[tuple[str, str, str, str]]:
        """(principal, task, kind, occasion) of the tenant's reminders: for a dry run."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT principal, task, kind, occasion FROM r57_reminders "
                           "WHERE tenant = :t", {"t": tenant})
            return {(r["principal"], r["task"], r["kind"], r["occasion"])
                    for r in cursor.fetchall()}

    def add(self, reminders: Sequence[NewReminder]) -> list[NewReminder]:
        """Record the reminders not recorded before; returns those. The unique key makes a
        repeat (another run, another scheduler) add nothing."""
        added = []
        for reminder in reminders:  # one transaction each: a race loses only its own row
            with self._db.transaction() as cursor:
                cursor.execute(
                    "INSERT INTO r57_reminders (tenant, principal, task, kind, occasion, day, "
                    "content, created_at) VALUES (:tenant, :principal, :task, :kind, :occasion, "
                    ":day, :content, :now) ON CONFLICT (tenant, principal, task, kind, occasion) "
                    "DO NOTHING RETURNING id",
                    {"tenant": reminder.tenant, "principal": reminder.principal,
                     "task": reminder.task, "kind": reminder.kind,
                     "occasion": reminder.occasion, "day": reminder.day,
                     "content": reminder.content(), "now": self._now()})
                if cursor.fetchone() is not None:
                    added.append(reminder)
        return added

    def inbox(self, principal: str, limit: int = 200) -> list[Reminder]:
        """A person's reminders, newest first."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute(f"SELECT {_REMINDER_COLUMNS} FROM r57_reminders "  # noqa: S608
                           "WHERE principal = :p ORDER BY created_at DESC, id DESC LIMIT :n",
                           {"p": principal, "n": limit})
            return [Reminder.from_row(r) for r in cursor.fetchall()]

    def unread(self, principal: str) -> int:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT COUNT(*) AS n FROM r57_reminders WHERE principal = :p "
                           "AND read_at IS NULL", {"p": principal})
            row = cursor.fetchone()
            return int(row["n"]) if row else 0

    def mark_read(self, principal: str) -> None:
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reminders SET read_at = :now WHERE principal = :p "
                           "AND read_at IS NULL", {"now": self._now(), "p": principal})

    # -- digests -----------------------------------------------------------------------------

    def awaiting_email(self, tenant: str | None = None) -> dict[tuple[str, str], int]:
        """How many reminders each (tenant, principal) has that no digest holds yet."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT tenant, principal, COUNT(*) AS n FROM r57_reminders "
                           "WHERE email = :pending AND (:t = '' OR tenant = :t) "
                           "GROUP BY tenant, principal ORDER BY tenant, principal",
                           {"pending": PENDING, "t": tenant or ""})
            return {(r["tenant"], r["principal"]): int(r["n"]) for r in cursor.fetchall()}

    def due_digest_sizes(self, tenant: str | None = None) -> list[Email]:
        """(tenant, principal, address, reminders) of the digests a run would send now."""
        due = self.due_digests(tenant)
        with self._db.transaction(write=False) as cursor:
            found = []
            for digest_id in due:
                cursor.execute("SELECT d.tenant, d.principal, d.address, COUNT(r.id) AS n "
                               "FROM r57_reminder_digests d LEFT JOIN r57_reminders r "
                               "ON r.digest_id = d.id WHERE d.id = :id "
                               "GROUP BY d.tenant, d.principal, d.address", {"id": digest_id})
                row = cursor.fetchone()
                if row is not None:
                    found.append(Email(row["tenant"], row["principal"], row["address"],
                                       int(row["n"])))
            return found

    def skip_email(self, tenant: str, principal: str) -> None:
        """No e-mail for these (no address, opted out, no mail server): the web has them."""
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reminders SET email = :skipped WHERE tenant = :t AND "
                           "principal = :p AND email = :pending",
                           {"skipped": SKIPPED, "t": tenant, "p": principal, "pending": PENDING})

    def make_digest(self, tenant: str, principal: str, day: str, address: str) -> None:
        """The person's digest for the day, holding every reminder not yet in one. Made once
        (its unique key); reminders found after it was made wait for the next day's."""
        params = {"t": tenant, "p": principal, "d": day}
        with self._db.transaction() as cursor:
            cursor.execute("INSERT INTO r57_reminder_digests (tenant, principal, day, address, "
                           "next_attempt_at, created_at) VALUES (:t, :p, :d, :a, :now, :now) "
                           "ON CONFLICT (tenant, principal, day) DO NOTHING RETURNING id",
                           {**params, "a": address, "now": self._now()})
            made = cursor.fetchone()
            if made is None:
                return
            cursor.execute("UPDATE r57_reminders SET email = :digested, digest_id = :id "
                           "WHERE tenant = :t AND principal = :p AND email = :pending",
                           {**params, "digested": DIGESTED, "id": made["id"],
                            "pending": PENDING})

    def has_digest(self, tenant: str, principal: str, day: str) -> bool:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT 1 AS x FROM r57_reminder_digests WHERE tenant = :t AND "
                           "principal = :p AND day = :d", {"t": tenant, "p": principal, "d": day})
            return cursor.fetchone() is not None

    def due_digests(self, tenant: str | None = None) -> list[int]:
        """Digests to send now: never tried, due for a retry, or claimed by a process that
        died before marking them sent."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT id FROM r57_reminder_digests WHERE (:t = '' OR tenant = :t) AND "
                "((state = :pending AND next_attempt_at <= :now) OR "
                "(state = :sending AND claimed_at <= :stale)) ORDER BY id",
                {"t": tenant or "", "pending": PENDING, "sending": SENDING,
                 "now": self._now(), "stale": self._now() - CLAIM_LEASE_SECONDS})
            return [int(r["id"]) for r in cursor.fetchall()]

    def claim(self, digest_id: int) -> Digest | None:
        """Take a digest for sending, in one transaction; None if another process has it."""
        token, now = secrets.token_hex(16), self._now()
        with self._db.transaction() as cursor:
            cursor.execute(
                "UPDATE r57_reminder_digests SET state = :sending, claim = :c, claimed_at = :now,"
                " attempts = attempts + 1 WHERE id = :id AND ((state = :pending AND "
                "next_attempt_at <= :now) OR (state = :sending AND claimed_at <= :stale))",
                {"sending": SENDING, "pending": PENDING, "c": token, "now": now, "id": digest_id,
                 "stale": now - CLAIM_LEASE_SECONDS})
            cursor.execute("SELECT id, tenant, principal, day, address, attempts FROM "
                           "r57_reminder_digests WHERE id = :id AND claim = :c",
                           {"id": digest_id, "c": token})
            row = cursor.fetchone()
        if row is None:
            return None
        return Digest(int(row["id"]), row["tenant"], row["principal"], row["day"],
                      row["address"], int(row["attempts"]), token)

    def digest_reminders(self, digest_id: int) -> list[Reminder]:
        with self._db.transaction(write=False) as cursor:
            cursor.execute(f"SELECT {_REMINDER_COLUMNS} FROM r57_reminders "  # noqa: S608
                           "WHERE digest_id = :id ORDER BY kind, id", {"id": digest_id})
            return [Reminder.from_row(r) for r in cursor.fetchall()]

    def mark_sent(self, digest: Digest) -> None:
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reminder_digests SET state = :sent, sent_at = :now, "
                           "last_error = NULL WHERE id = :id AND claim = :c",
                           {"sent": SENT, "now": self._now(), "id": digest.id,
                            "c": digest.claim})

    def mark_failed(self, digest: Digest, error: str) -> float:
        """Back to waiting, for a retry after a delay that grows with each attempt."""
        retry_at = self._now() + retry_delay(digest.attempts)
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reminder_digests SET state = :pending, claim = NULL, "
                           "next_attempt_at = :at, last_error = :e WHERE id = :id AND claim = :c",
                           {"pending": PENDING, "at": retry_at, "e": error[:500],
                            "id": digest.id, "c": digest.claim})
        return retry_at

    def skip_digest(self, digest: Digest, reason: str) -> None:
        """Not sent and not to be (the person opted out after it was made)."""
        with self._db.transaction() as cursor:
            cursor.execute("UPDATE r57_reminder_digests SET state = :skipped, last_error = :r "
                           "WHERE id = :id AND claim = :c",
                           {"skipped": SKIPPED, "r": reason, "id": digest.id, "c": digest.claim})

    def backlog(self) -> MailBacklog:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT COUNT(*) AS waiting, SUM(CASE WHEN last_error IS NULL "
                           "THEN 0 ELSE 1 END) AS failing, MAX(last_error) AS last_error "
                           "FROM r57_reminder_digests WHERE state IN (:pending, :sending)",
                           {"pending": PENDING, "sending": SENDING})
            row = cursor.fetchone() or {}
        return MailBacklog(int(row.get("waiting") or 0), int(row.get("failing") or 0),
                           row.get("last_error"))

    # -- schedules and opt-outs --------------------------------------------------------------

    def schedule(self, tenant: str) -> ReminderSchedule:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT schedule FROM r57_reminder_schedules WHERE tenant = :t",
                           {"t": tenant})
            row = cursor.fetchone()
        return ReminderSchedule.from_dict(json.loads(row["schedule"])) if row else \
            ReminderSchedule()

    def set_schedule(self, tenant: str, schedule: ReminderSchedule, by: str) -> None:
        params = {"t": tenant, "s": json.dumps(schedule.to_dict()), "by": by,
                  "now": self._now()}
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_reminder_schedules WHERE tenant = :t", params)
            cursor.execute("INSERT INTO r57_reminder_schedules (tenant, schedule, updated_by, "
                           "updated_at) VALUES (:t, :s, :by, :now)", params)

    def opted_out(self, principal: str) -> bool:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT 1 AS x FROM r57_email_opt_outs WHERE principal = :p",
                           {"p": principal})
            return cursor.fetchone() is not None

    def set_opt_out(self, principal: str, opted_out: bool) -> None:
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_email_opt_outs WHERE principal = :p",
                           {"p": principal})
            if opted_out:
                cursor.execute("INSERT INTO r57_email_opt_outs (principal, opted_out_at) "
                               "VALUES (:p, :now)", {"p": principal, "now": self._now()})
