"""The same request sent twice at once (a client that gave up waiting and retried while the
first was still running, as around a database outage): both look the key up before either
commits, both run the command, and the second to reach its commit finds the key recorded.
That second transaction records nothing, its events included: the command is in the log
once, and the second request answers with the first one's answer."""

from __future__ import annotations

import pytest

from server.serve import DEMO_SLUG, ensure_demo
from service.commands import Context, ReportProgress
from service.recording import IdempotentRequest, idempotent
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore, KeyAlreadyRecorded, StoredResponse

KEY, FINGERPRINT = "sent-twice-at-once", "the same request"


def _report(tenancy: Tenancy, keys: IdempotencyStore) -> None:
    """One request's run of the command, its key looked up before the other committed."""
    request = IdempotentRequest(keys, DEMO_SLUG, KEY, FINGERPRINT,
                                respond=lambda result: StoredResponse(201, "{}", {}))
    with idempotent(request):
        tenancy.ledger(DEMO_SLUG, for_writing=True).handle(
            ReportProgress(task="2", period="2025-Q2", percent=35, narrative="Đang triển khai"),
            Context("demo.dost"))


def test_the_second_of_two_runs_with_one_key_records_nothing(tenancy: Tenancy) -> None:
    ensure_demo(tenancy)
    keys = IdempotencyStore(tenancy.storage.tenant_database(DEMO_SLUG))
    app = tenancy.application(DEMO_SLUG)
    before = app.recorder.max_notification_id() or 0
    reports = len(tenancy.ledger(DEMO_SLUG).task("2").reports)
    assert keys.recorded(DEMO_SLUG, KEY, FINGERPRINT) is None  # both requests saw this

    _report(tenancy, keys)  # the first commits
    first = app.recorder.max_notification_id()
    assert first is not None and first > before
    with pytest.raises(KeyAlreadyRecorded):
        _report(tenancy, keys)  # the second finds the key in its own transaction

    assert app.recorder.max_notification_id() == first
    assert len(tenancy.ledger(DEMO_SLUG).task("2").reports) == reports + 1
    assert keys.recorded(DEMO_SLUG, KEY, FINGERPRINT) == StoredResponse(201, "{}", {})
