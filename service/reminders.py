"""Reminders, end to end: find what each tenant's schedule calls for today, record each
reminder once, put each person's new reminders in their daily digest, and send the digests
that are due.

A run can be repeated at any time, by the scheduler beside the web workers or by cron, by
two of them at once: the store's unique keys record a reminder and make a digest once, and
a digest is claimed in a transaction before it is sent and marked sent after. A digest whose
send failed (the mail server unreachable, refusing) waits and is tried again with a growing
delay; one claimed by a process that died is taken up again after the claim's lease.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from domain.access import Role
from domain.errors import DomainError
from domain.reminders import ReminderSchedule
from service.digest import compose
from service.mail import Mailer, MailFailed, MailSettings, SmtpMailer
from service.reminder_plan import Reporters, due_reminders
from service.reminder_store import Digest, Email, NewReminder, ReminderStore
from service.tenancy import Tenancy
from tenants import faults
from tenants.registry import ARCHIVED

log = logging.getLogger("r57.reminders")


@dataclass
class RunReport:
    """What a run found, recorded and sent (or, dry, would have)."""

    day: date
    dry_run: bool = False
    new: list[NewReminder] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)  # sent, or (dry) that would be
    sent: int = 0
    failed: int = 0


class Reminders:
    def __init__(self, tenancy: Tenancy, mail: MailSettings,
                 mailer: Mailer | None = None) -> None:
        self.tenancy = tenancy
        self.mail = mail
        self.mailer: Mailer | None = mailer or (SmtpMailer(mail) if mail.configured else None)
        self.store = ReminderStore(tenancy.storage.database,
                                   lambda: tenancy.clock.now().timestamp())

    # -- schedules -------------------------------------------------------------------------

    def schedule(self, tenant: str) -> ReminderSchedule:
        self.tenancy.registry.get(tenant)
        return self.store.schedule(tenant)

    def set_schedule(self, tenant: str, by: str, **values: object) -> ReminderSchedule:
        """Change some of a tenant's schedule values; the others stay."""
        schedule = self.schedule(tenant).changed(**values)
        self.store.set_schedule(tenant, schedule, by)
        return schedule

    # -- a run -------------------------------------------------------------------------------

    def run(self, *, on: date | None = None, tenant: str | None = None,
            dry_run: bool = False, digests: bool = True) -> RunReport:
        """Record what is due on `on` (today), then, with `digests`, put each person's new
        reminders in their digest for the day; send every digest due (retries included)."""
        day = on or self.tenancy.clock.today()
        report = RunReport(day, dry_run)
        for slug in self._tenants(tenant):
            found = self.due(slug, day)
            if dry_run:
                known = self.store.known_keys(slug)
                report.new += [r for r in found
                               if (r.principal, r.task, r.kind, r.occasion) not in known]
            else:
                report.new += self.store.add(found)
        if dry_run:
            report.emails = self._digests_preview(report.new, day, tenant)
            return report
        if digests:
            self._make_digests(day, tenant)
        self._send_due(tenant, report)
        return report

    def _tenants(self, tenant: str | None) -> list[str]:
        if tenant is not None:
            return [self.tenancy.registry.get(tenant).slug]
        return [t.slug for t in self.tenancy.registry.list() if t.status != ARCHIVED]

    def due(self, slug: str, day: date) -> list[NewReminder]:
        state = self.tenancy.queries(slug).state()
        return due_reminders(slug, state, self.store.schedule(slug), self._reporters(slug), day)

    def _reporters(self, slug: str) -> Reporters:
        found: dict[str, list[str]] = defaultdict(list)
        for person in self.tenancy.access.principals():
            for grant in person.grants:
                if grant.role is Role.AGENCY_REPORTER and grant.tenant == slug:
                    found[grant.agency].append(person.name)
        return found

    def address(self, principal: str) -> str | None:
        """Where a person's reminders are e-mailed: their account's e-mail, unless they
        opted out (systems and people without an account have none)."""
        account = self.tenancy.access.account(principal)
        if account is None or not account.email or self.store.opted_out(principal):
            return None
        return account.email

    def _digests_preview(self, new: list[NewReminder], day: date,
                         tenant: str | None) -> list[Email]:
        """The e-mails a run would send: the digests due now (retries among them), and a
        digest for each person with reminders no digest holds yet, new ones included."""
        preview = self.store.due_digest_sizes(tenant) if self.mailer else []
        counts = defaultdict(int, self.store.awaiting_email(tenant))
        for reminder in new:
            counts[(reminder.tenant, reminder.principal)] += 1
        for (slug, principal), count in sorted(counts.items()):
            address = self.address(principal) if self.mailer else None
            if address and not self.store.has_digest(slug, principal, day.isoformat()):
                preview.append(Email(slug, principal, address, count))
        return preview

    def _make_digests(self, day: date, tenant: str | None) -> None:
        for slug, principal in self.store.awaiting_email(tenant):
            address = self.address(principal) if self.mailer else None
            if address is None:
                self.store.skip_email(slug, principal)
            else:
                self.store.make_digest(slug, principal, day.isoformat(), address)

    def _send_due(self, tenant: str | None, report: RunReport) -> None:
        if self.mailer is None:
            return
        for digest_id in self.store.due_digests(tenant):
            digest = self.store.claim(digest_id)
            if digest is None:
                continue  # another scheduler took it
            faults.reached("reminders_after_claim")
            sent = self._send(digest, report.emails)
            report.sent += sent is True
            report.failed += sent is False

    def _send(self, digest: Digest, listed: list[Email]) -> bool | None:
        """True: sent; False: failed, to be retried; None: not to be sent (opted out)."""
        assert self.mailer is not None
        if self.store.opted_out(digest.principal):
            self.store.skip_digest(digest, "opted_out")
            return None
        reminders = self.store.digest_reminders(digest.id)
        try:
            self.mailer.send(compose(
                digest, reminders, person=self._name(digest.principal),
                tenant_name=self._tenant_name(digest.tenant), settings=self.mail))
        except MailFailed as failure:
            self._failed(digest, str(failure))
            return False
        except Exception as unexpected:  # one bad digest must not hold back the others
            log.exception("reminder e-mail %d could not be made or sent", digest.id)
            self._failed(digest, f"{type(unexpected).__name__}: {unexpected}")
            return False
        self.store.mark_sent(digest)
        listed.append(Email(digest.tenant, digest.principal, digest.address, len(reminders)))
        log.info("reminder e-mail sent to %s (%d reminders)", digest.address, len(reminders))
        return True

    def _failed(self, digest: Digest, error: str) -> None:
        retry_at = datetime.fromtimestamp(self.store.mark_failed(digest, error), UTC)
        log.warning("reminder e-mail to %s not sent (attempt %d): %s; retrying at %s",
                    digest.address, digest.attempts, error,
                    self.tenancy.clock.local(retry_at).strftime("%d/%m/%Y %H:%M"))

    def _name(self, principal: str) -> str:
        try:
            return self.tenancy.access.principal(principal).display_name
        except DomainError:
            return principal

    def _tenant_name(self, slug: str) -> str:
        try:
            return self.tenancy.registry.get(slug).display_name
        except DomainError:
            return slug
