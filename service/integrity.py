"""A tenant's tamper evidence, wired to its ledger: the chain follower run after each
append, checkpoints (on demand and periodic), proofs, export and live verification.

The chain is filled by an exactly-once follower right after each committed append, not in
the append's transaction: see integrity/README.md for why, and for the window this leaves.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import PersistenceError

from domain.errors import DomainError, NotFound
from domain.messages import Message, message
from i18n import render
from integrity.audit import HeldCopy
from integrity.bundle import write_bundle
from integrity.canonical import ChainHead, Entry, Link
from integrity.chain import extend_chain
from integrity.checkpoints import (
    Checkpoint,
    MalformedCheckpoint,
    TreeHead,
    parse,
    signature_problem,
)
from integrity.evidence import cited_files, file_problems
from integrity.findings import Finding, FindingsStore
from integrity.keys import Keyring, PublicKey
from integrity.proofs import check_document, consistency_document, inclusion_document
from integrity.signer import RefusedToSign, heads_at, issue_checkpoint
from integrity.store import IntegrityStore
from integrity.verify import LogChecker, Report, pair_up
from service.application import LedgerApplication
from service.replicas import ReplicaStore
from service.tenancy import Tenancy
from tenants.files import FileStore
from tenants.registry import TenantRegistry
from tenants.storage import SQLiteStorage, TenantStorage

log = logging.getLogger(__name__)
PAGE = 1000


class IntegrityRefused(DomainError):
    """The log contradicts a signed checkpoint, or no signing key is configured."""


class LogTampered(IntegrityRefused):
    """Live verification failed: the command would act on a log changed behind the service."""


def default_key_dir(storage: TenantStorage) -> Path | None:
    """`<data dir>/keys` for the embedded store. On PostgreSQL there is no data directory:
    the key directory is always given explicitly (`--key-dir`), away from the database."""
    return storage.data_dir / "keys" if isinstance(storage, SQLiteStorage) else None


class TenantIntegrity:
    def __init__(self, app: LedgerApplication, key_dir: Path | None = None) -> None:
        self.app = app
        self.store = IntegrityStore(app.storage.tenant_database(app.slug), app.slug)
        self.findings = FindingsStore(self.store.db, app.slug)
        self.files = FileStore(self.store.db, app.slug)
        directory = key_dir or default_key_dir(app.storage)
        self.keyring = Keyring(directory) if directory is not None else None
        # A replica's checkpoints are its source's, signed with the keys pinned when the
        # replica was added; it signs none of its own.
        replica = ReplicaStore(app.storage.database).find(app.slug)
        self.source_keys = replica.public_keys if replica is not None else None

    def _signing_keyring(self) -> Keyring:
        if self.source_keys is not None:
            raise IntegrityRefused("integrity.replica_not_signed", field="tenant",
                                   tenant=self.app.slug)
        if self.keyring is None:
            raise IntegrityRefused("integrity.no_key_dir", field="key_dir")
        return self.keyring

    def entries_after(self, after: int) -> Iterator[Entry]:
        """The stored events after a position, exactly as stored, in log order."""
        start = after + 1
        while True:
            page = self.app.recorder.select_notifications(start=start, limit=PAGE)
            for n in page:
                yield Entry(n.id, UUID(str(n.originator_id)), n.originator_version, n.topic,
                            n.state)
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def _links(self, upto: int) -> Iterator[Link]:
        after = 0
        while links := self.store.links_after(after, upto):
            yield from links
            after = links[-1].position

    def chain(self) -> ChainHead:
        return extend_chain(self.store, self.entries_after)

    def checkpoint(self, now: datetime | None = None, *, despite_tampering: bool = False,
                   actor: str = "system") -> Checkpoint:
        """Bind the latest entries, verify the log, then sign the tree head."""
        self.chain()
        self.require_intact("checkpoint", despite_tampering=despite_tampering, actor=actor)
        return self._sign(now)

    def _sign(self, now: datetime | None = None) -> Checkpoint:
        try:
            return issue_checkpoint(self.store, self._signing_keyring(),
                                    now or datetime.now(UTC))
        except RefusedToSign as exc:
            raise IntegrityRefused("integrity.sign_refused", field="tenant",
                                   reason=exc.message) from None

    def final_head(self, actor: str = "system") -> tuple[TreeHead, Checkpoint | None]:
        """The head of the whole log, verified, for a tenant about to be archived by a
        merger: signed (a checkpoint, the same one again if that head was signed already)
        when a key directory is configured, else only computed. The log is not changed."""
        if self.keyring is not None and self.source_keys is None:
            checkpoint = self.checkpoint(actor=actor)
            return checkpoint.head, checkpoint
        head = self.chain()
        self.require_intact("merge", actor=actor)
        root, chain = heads_at(self._leaves(), ())[head.tree_size]
        return TreeHead(self.app.slug, head.tree_size, head.position, root, chain), None

    def public_keys(self) -> dict[str, PublicKey]:
        if self.source_keys is not None:
            return dict(self.source_keys)
        return self.keyring.public_keys() if self.keyring else {}

    def verify(self, extra_keys: Mapping[str, PublicKey] | None = None,
               held: HeldCopy | None = None) -> Report:
        """Check the stored log against its chain and checkpoints; read-only, so entries
        after the chain's head are counted as pending rather than bound here."""
        head = self.store.head()
        keys = self.public_keys() | dict(extra_keys or {})
        checkpoints = self.store.checkpoints()
        if held is not None:
            keys |= held.keys
            checkpoints += held.checkpoints
        checker = LogChecker(self.app.slug, checkpoints, keys, held.leaves if held else None)
        pending, cited = 0, dict[str, int]()
        for entry, link in pair_up(self.entries_after(0), self._links(head.position)):
            if entry is not None:
                for digest in cited_files(entry.state):
                    cited.setdefault(digest, entry.position)
            if link is None and entry is not None and entry.position > head.position:
                pending += 1
                continue
            checker.step(entry, link)
        for position, reason in file_problems(cited, self.files.content, "the file store"):
            checker.fail(position, reason)
        report = checker.finish()
        report.pending, report.files_checked = pending, len(cited)
        return report

    def verify_live(self, now: datetime | None = None) -> Report:
        """Verify the stored log and record what was found: reads of the tenant warn while
        the latest finding is a failure."""
        self.chain()
        report = self.verify()
        self.findings.record(Finding.of(report, now or datetime.now(UTC)))
        if not report.ok:
            log.error("tenant %s fails live verification: %d failures, first at %s",
                      self.app.slug, len(report.failures),
                      report.first.position if report.first else None)
        return report

    def require_intact(self, action: str, *, despite_tampering: bool = False,
                       actor: str = "system") -> Report:
        """Refuse `action` on a log that fails verification, unless told to go on despite
        it; going on is recorded (integrity_overrides) and logged."""
        report = self.verify_live()
        if report.ok:
            return report
        finding = Finding.of(report, datetime.now(UTC))
        where = (f"position {finding.first_position}" if finding.first_position is not None
                 else "the checkpoints")
        if not despite_tampering:
            at = (message("integrity.at_position", position=finding.first_position)
                  if finding.first_position is not None else message("integrity.at_checkpoints"))
            raise LogTampered("integrity.log_tampered", field="tenant", action=action,
                              tenant=self.app.slug, where=at, failures=finding.failures)
        self.findings.record_override(action, actor, finding)
        log.warning("%s of tenant %s by %s despite a failed verification at %s",
                    action, self.app.slug, actor, where)
        return report

    def export(self, path: Path, *, sign: bool = True, despite_tampering: bool = False,
               actor: str = "system", with_files: bool = True) -> dict[str, Any]:
        """Write a bundle of the whole chained log, signing its head first unless told not,
        with the evidence files its entries cite unless told not. A log that fails
        verification is exported only despite it, unsigned, and the bundle says so."""
        report = self.require_intact("export", despite_tampering=despite_tampering,
                                     actor=actor)
        if sign and report.ok and self.source_keys is None:  # a replica carries its source's
            self._sign()
        upto = self.chain().position
        return write_bundle(
            path, self.app.slug,
            ((e, k) for e, k in pair_up(self.entries_after(0), self._links(upto))
             if e is not None and e.position <= upto),
            self.store.checkpoints(), self.public_keys().values(),
            datetime.now(UTC).isoformat(timespec="seconds"),
            self._notes(report),
            evidence=self.files.content if with_files else None)

    def simulated(self) -> bool:
        """Whether the registry flags the tenant's history as simulated (`r57 demo`)."""
        try:
            return TenantRegistry(self.app.storage.database).get(self.app.slug).simulated
        except NotFound:  # a log the registry does not list (an application built alone)
            return False

    def _notes(self, report: Report) -> dict[str, Any] | None:
        """What the manifest says beyond the log: a simulated tenant's bundle says so (it can
        never pass for real data), a bundle of a log failing verification says that."""
        notes: dict[str, Any] = {}
        if self.simulated():
            notes["simulated"] = True
        if not report.ok:
            notes["exported_despite_failed_verification"] = Finding.of(
                report, datetime.now(UTC)).to_dict()
        return notes or None

    # -- proofs --------------------------------------------------------------------------

    def genuine_checkpoints(self) -> list[Checkpoint]:
        keys, genuine = self.public_keys(), []
        for body, signature in self.store.checkpoints():
            try:
                checkpoint = parse(body, signature)
            except MalformedCheckpoint:
                continue  # proofs rest on genuine checkpoints only; `verify` reports the rest
            if signature_problem(checkpoint, keys) is None:
                genuine.append(checkpoint)
        return genuine

    def _checkpoint_of(self, size: int | None) -> Checkpoint:
        found = [c for c in self.genuine_checkpoints() if size in (None, c.tree_size)]
        if not found:
            what = (message("integrity.of_entries", size=size) if size is not None
                    else message("integrity.at_all"))
            raise NotFound("integrity.no_checkpoint", field="tree_size", what=what,
                           tenant=self.app.slug)
        return found[-1]

    def _leaves(self) -> list[bytes]:
        with self.store.db.transaction() as cursor:
            return self.store.leaf_hashes(cursor)

    def _proved(self, doc: dict[str, Any]) -> dict[str, Any]:
        problems = check_document(doc, self.public_keys())
        if problems:
            raise IntegrityRefused("integrity.proof_unsupported", field="tenant",
                                   problems="; ".join(problems))
        return doc

    def inclusion(self, position: int, tree_size: int | None = None) -> dict[str, Any]:
        """Proof that the event at `position` is in a signed checkpoint (the latest one
        unless a tree size is given)."""
        checkpoint = self._checkpoint_of(tree_size)
        link = self.store.link_at(position)
        entry = next(self.entries_after(position - 1), None)
        if link is None or entry is None or entry.position != position:
            raise NotFound("integrity.no_chained_event", field="position", position=position)
        if link.leaf_index >= checkpoint.tree_size:
            raise NotFound("integrity.position_after_checkpoint", field="position",
                           position=position, checkpoint=checkpoint.described())
        return self._proved(inclusion_document(self._leaves(), entry, link.leaf_index,
                                               checkpoint))

    def consistency(self, first: int, second: int) -> dict[str, Any]:
        """Proof that the log signed at `second` entries extends the one signed at `first`."""
        older, newer = self._checkpoint_of(first), self._checkpoint_of(second)
        if older.tree_size > newer.tree_size:
            older, newer = newer, older
        return self._proved(consistency_document(self._leaves(), older, newer))


def checkpoint_all(tenancy: Tenancy,
                   key_dir: Path | None = None) -> dict[str, Checkpoint | IntegrityRefused]:
    """Chain, verify and sign the head of every active tenant: what a server or a cron job
    runs periodically. Returns, per tenant, its checkpoint or why signing was refused (a
    log failing verification is recorded as such and not signed); one tenant's refusal
    does not stop the others."""
    outcome: dict[str, Checkpoint | IntegrityRefused] = {}
    replicas = tenancy.replicas.slugs()  # signed by their source, verified by replication
    for tenant in tenancy.registry.list():
        if tenant.slug in replicas:
            continue
        try:
            outcome[tenant.slug] = TenantIntegrity(tenancy.application(tenant.slug),
                                                   key_dir).checkpoint()
        except IntegrityRefused as exc:
            shown = render(exc.as_message() or Message(exc.message), "en")
            log.error("tenant %s: %s", tenant.slug, shown)
            outcome[tenant.slug] = exc
    return outcome


class PeriodicCheckpoints:
    """Runs `checkpoint_all` every `every` seconds on a daemon thread, started once per
    process after any fork (`start()`, then `stop()` at shutdown)."""

    def __init__(self, tenancy: Tenancy, key_dir: Path | None = None,
                 every: float = 300.0) -> None:
        self.tenancy, self.key_dir, self.every = tenancy, key_dir, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="r57-checkpoints", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                checkpoint_all(self.tenancy, self.key_dir)
            except (sqlite3.Error, psycopg.Error, PersistenceError):
                log.warning("periodic checkpoints failed; retrying next period", exc_info=True)

