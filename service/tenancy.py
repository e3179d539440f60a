"""Routes a tenant slug to its ledger: the registry, provisioning and an application cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from domain.clock import Clock
from domain.errors import DomainError
from migrations import apply_migrations
from service.access import AccessApplication, AccessService
from service.accounts import AccountService
from service.application import LedgerApplication
from service.integrity_watch import IntegrityWatch
from service.ledger import AppendListener, TenantLedger
from service.queries import ReadWait, SharedLoads, TenantQueries
from service.replicas import ReplicaStore
from tenants.files import FileLimits
from tenants.registry import ARCHIVED, Tenant, TenantRegistry
from tenants.storage import TenantStorage


class TenantArchived(DomainError):
    """An archived tenant's history stays readable, but it records nothing new."""


class ReplicaReadOnly(TenantArchived):
    """A replica holds another deployment's log exactly as recorded there: only replication
    writes into it, and every command is refused."""


class Tenancy:
    """The one place that knows how tenants are stored. Applications are cheap on a shared
    pool (no connection of their own), so a bounded cache keeps the hot ones."""

    def __init__(self, storage: TenantStorage, cache_size: int = 256,
                 clock: Clock | None = None) -> None:
        self.storage = storage
        self.clock = clock or Clock()  # the one clock of the process (service/config.py)
        self.registry = TenantRegistry(storage.database)
        self._apps: OrderedDict[str, LedgerApplication] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.append_listeners: list[AppendListener] = []
        self._access: AccessService | None = None
        self._accounts: AccountService | None = None
        self.integrity = IntegrityWatch(storage)  # reads warn while verification failed
        self.file_limits = FileLimits()  # evidence files; the composition root sets them
        self.replicas = ReplicaStore(storage.database)  # tenants copied from elsewhere
        self.key_dir: Path | None = None  # signing keys (the composition root sets it)
        # Reads wait for the projector process when one keeps the read models (the
        # composition root sets it); None: each read catches the read models up itself.
        self.read_wait: ReadWait | None = None
        self.shared_loads = SharedLoads()  # what the process's reads share, by log position
        # Reads from a standby of the database (R57_READ_DATABASE_URL), commands here.
        self.standby: Tenancy | None = None

    @property
    def access(self) -> AccessService:
        """Principals, grants and tokens (built on first use, after any fork)."""
        with self._lock:
            if self._access is None:
                self._access = AccessService(
                    AccessApplication(self.storage), self._tenant_exists, self._agency_key
                )
            return self._access

    @property
    def accounts(self) -> AccountService:
        """People's passwords, second factors, one-time links and single sign-on."""
        access = self.access  # takes the lock itself
        with self._lock:
            if self._accounts is None:
                self._accounts = AccountService(access, self.storage.database)
            return self._accounts

    def _tenant_exists(self, slug: str) -> bool:
        return self.registry.exists(slug)

    def _agency_key(self, slug: str, agency: str) -> str:
        return self.ledger(slug).agency(agency).key

    def migrate(self) -> list[int]:
        """The shared tables, then each tenant's own (SQLite keeps one file per tenant)."""
        applied = apply_migrations(self.storage.database)
        access = AccessApplication(self.storage)
        access.create_tables()  # idempotent: CREATE TABLE IF NOT EXISTS
        access.close()
        for tenant in self.registry.list(include_archived=True):
            self._migrate_tenant(tenant.slug)
        return applied

    def _migrate_tenant(self, slug: str) -> None:
        folder = self.storage.tenant_migrations
        if folder is not None:
            apply_migrations(self.storage.tenant_database(slug), folder)
        # Tenants provisioned before snapshots existed get their snapshots table here.
        app = LedgerApplication(slug, self.storage)
        try:
            app.create_snapshots_table()  # idempotent: CREATE TABLE IF NOT EXISTS
        finally:
            app.close()

    def create_tenant(self, slug: str, display_name: str, admin_code: str | None = None, *,
                      simulated: bool = False) -> Tenant:
        tenant = self.registry.create(slug, display_name, admin_code, simulated=simulated)
        # Provisioning is the only place where a tenant's DDL runs.
        app = LedgerApplication(slug, self.storage)
        try:
            app.create_tables()  # the events and the snapshots tables
        finally:
            app.close()
        folder = self.storage.tenant_migrations
        if folder is not None:
            apply_migrations(self.storage.tenant_database(slug), folder)
        return tenant

    def application(self, slug: str) -> LedgerApplication:
        with self._lock:
            app = self._apps.pop(slug, None)
            if app is None:
                app = LedgerApplication(slug, self.storage)
            self._apps[slug] = app
            while len(self._apps) > self._cache_size:
                _, evicted = self._apps.popitem(last=False)
                evicted.close()
            return app

    def ledger(self, slug: str, *, for_writing: bool = False,
               tenant: Tenant | None = None, clock: Clock | None = None) -> TenantLedger:
        """Resolve a tenant once (or take the record the caller resolved); every use case
        below receives the scoped ledger. With `clock`, the ledger asks it for today and
        stamps what it records with its instants (a simulated history at its own dates)."""
        if tenant is None or tenant.slug != slug:
            tenant = self.registry.get(slug)
        if for_writing and tenant.status == ARCHIVED:
            raise TenantArchived("tenant.archived", field="tenant", tenant=slug)
        if for_writing and (tenant.replica if tenant.replica is not None
                            else self.replicas.find(tenant.slug) is not None):
            raise ReplicaReadOnly("tenant.replica_read_only", field="tenant", tenant=slug)
        ledger = TenantLedger(self.application(tenant.slug), today=self.clock.today,
                              after_append=self.append_listeners, records_by=clock)
        ledger.file_limits = self.file_limits
        return ledger

    def queries(self, slug: str, *, tenant: Tenant | None = None) -> TenantQueries:
        """Reads of one tenant (or of the record the caller resolved); archived tenants stay
        readable. With a standby, the reads go there and wait for it to replay the
        primary's head."""
        if tenant is None or tenant.slug != slug:
            tenant = self.registry.get(slug)
        app = self.application(tenant.slug)
        if self.standby is not None:
            return TenantQueries(self.standby.application(app.slug),
                                 self.read_wait or ReadWait(), primary=app,
                                 shared=self.shared_loads)
        return TenantQueries(app, self.read_wait, shared=self.shared_loads)

    def close(self) -> None:
        if self.standby is not None:
            self.standby.close()
        with self._lock:
            for app in self._apps.values():
                app.close()
            self._apps.clear()
            if self._access is not None:
                self._access.app.close()
        self.storage.close()
