"""The idempotency store lives in `tenants.idempotency` (a tenant's command keys are kept in
the tenant's own database); these names stay importable from here."""

from tenants.idempotency import (
    IdempotencyStore,
    KeyAlreadyRecorded,
    KeyInProgress,
    KeyReused,
    StoredResponse,
)

__all__ = ["IdempotencyStore", "KeyAlreadyRecorded", "KeyInProgress", "KeyReused",
           "StoredResponse"]
