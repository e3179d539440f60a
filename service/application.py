"""One province's event-sourced application: its log, repository and notification log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory, JSONTranscoder
from eventsourcing.utils import Environment

from service.transcodings import DOMAIN_TRANSCODINGS
from tenants.slugs import table_prefix
from tenants.storage import TenantStorage


class LedgerApplication(Application[UUID]):
    """Built per tenant on infrastructure the storage hands out (a shared pool on PostgreSQL)."""

    def __init__(self, slug: str, storage: TenantStorage) -> None:
        self.slug = slug
        self.storage = storage
        # The library derives the events table name from the application name.
        self.name = table_prefix(slug)
        super().__init__(env={"CREATE_TABLE": "n"})

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Configuration comes from the composition root, never from os.environ here.
        return Environment(name, dict(env or {}))

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return self.storage.factory(self.slug, env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in DOMAIN_TRANSCODINGS:
            transcoder.register(transcoding)

    def create_tables(self) -> None:
        """Provisioning only: web workers and commands never run DDL."""
        recorder: Any = self.recorder  # every concrete recorder can create its table
        recorder.create_table()
