"""Evidence files in the tenant's own store, on both stores: stored once per content, typed
by their bytes, bounded by the configured limits, and never seen by another tenant."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tenants.files import PDF, FileLimits

CONTENT = b"%PDF-1.7\n% evidence\n%%EOF\n"


def test_a_file_is_stored_once_and_read_back_only_by_its_tenant(tenancy: Tenancy) -> None:
    for slug in ("quang-nam", "da-nang"):
        tenancy.create_tenant(slug, slug, None)
    store = tenancy.ledger("quang-nam").files
    first = store.put(CONTENT, "C:\\Users\\lan\\QĐ 12.pdf")
    again = store.put(CONTENT, "other-name.pdf")
    assert first.sha256 == again.sha256 and first.content_type == PDF
    assert first.name == "QĐ 12.pdf"
    assert store.content(first.sha256) == CONTENT
    assert store.damaged() == []
    assert tenancy.ledger("da-nang").files.describe(first.sha256) is None
    with pytest.raises(DomainError) as unknown:
        tenancy.ledger("da-nang").files.resolve((first.sha256,))
    assert unknown.value.code == "file.not_found"


def test_the_configured_limits_bound_each_file_and_each_tenant(settings: Settings) -> None:
    limited = Settings(**{**settings.__dict__, "file_max_bytes": 40,
                          "tenant_files_max_bytes": 50})
    tenancy = build_tenancy(limited)
    try:
        tenancy.create_tenant("quang-nam", "Quảng Nam", None)
        store = tenancy.ledger("quang-nam").files
        assert store.limits == FileLimits(40, 50)
        store.put(CONTENT, "a.pdf")
        with pytest.raises(DomainError) as large:
            store.put(CONTENT + b" " * 40, "b.pdf")
        assert large.value.code == "file.too_large"
        with pytest.raises(DomainError) as full:
            store.put(CONTENT + b"  ", "c.pdf")
        assert full.value.code == "file.tenant_quota"
        with pytest.raises(DomainError) as typed:
            store.put(b"<html>not a pdf</html>", "d.pdf")
        assert typed.value.code == "file.type_refused"
    finally:
        tenancy.close()
