"""The composition root: settings in, services out. Nothing here runs at import time."""

from __future__ import annotations

from dataclasses import replace

from service.config import Settings
from service.queries import ReadWait
from service.tenancy import Tenancy
from tenants import faults
from tenants.files import FileLimits
from tenants.storage import Timeouts, open_storage


def build_tenancy(settings: Settings, *, migrate: bool = True) -> Tenancy:
    storage = open_storage(
        settings.database_url, settings.pool_max_connections, settings.lock_timeout_seconds,
        Timeouts(settings.pool_timeout_seconds, settings.statement_timeout_seconds),
    )
    faults.arm(settings.fault_point)
    tenancy = Tenancy(storage, clock=settings.clock())
    tenancy.file_limits = FileLimits(settings.file_max_bytes, settings.tenant_files_max_bytes)
    tenancy.key_dir = settings.key_dir
    following = settings.projector or settings.read_database_url is not None
    tenancy.read_wait = ReadWait(settings.read_wait_seconds) if following else None
    if settings.read_database_url is not None:
        tenancy.standby = build_tenancy(
            replace(settings, database_url=settings.read_database_url, read_database_url=None,
                    projector=False), migrate=False)
    if migrate:
        tenancy.migrate()  # idempotent, serialised by a lock
    return tenancy
