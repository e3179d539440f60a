"""The tenant registry on both stores."""

from __future__ import annotations

import pytest

from domain.errors import AlreadyExists, DomainError, NotFound
from service.tenancy import Tenancy


def test_tenants_are_created_listed_shown_renamed_and_archived(tenancy: Tenancy) -> None:
    created = tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    assert created == tenancy.registry.get("quang-nam")  # answered as it is read back
    tenancy.create_tenant("da-nang", "Đà Nẵng", "48")
    tenancy.create_tenant("an-giang", "An Giang")
    names = [t.display_name for t in tenancy.registry.list()]
    assert names == ["An Giang", "Đà Nẵng", "Quảng Nam"]
    assert tenancy.registry.get("quang-nam").admin_code == "49"
    renamed = tenancy.registry.rename("da-nang", "Thành phố Đà Nẵng")
    assert renamed.display_name == "Thành phố Đà Nẵng"
    tenancy.registry.archive("quang-nam")
    assert [t.slug for t in tenancy.registry.list()] == ["an-giang", "da-nang"]
    assert tenancy.registry.get("quang-nam").status == "archived"
    assert len(tenancy.registry.list(include_archived=True)) == 3


def test_a_slug_is_created_once(tenancy: Tenancy) -> None:
    tenancy.create_tenant("quang-nam", "Quảng Nam")
    with pytest.raises(AlreadyExists):
        tenancy.create_tenant("quang-nam", "Quảng Nam 2")


@pytest.mark.parametrize("slug", [
    "Quang-Nam", "quang_nam", "-quang", "quang-", "quang--nam", "a" * 41, "",
    "x'; DROP TABLE r57_tenants; --", "../../etc/passwd", "quảng-nam", "a b",
])
def test_a_slug_unsafe_for_file_or_table_names_is_refused(tenancy: Tenancy, slug: str) -> None:
    with pytest.raises(DomainError) as refused:
        tenancy.create_tenant(slug, "X")
    assert refused.value.field == "slug"
    assert tenancy.registry.list(include_archived=True) == []


def test_unknown_tenants_and_bad_names_and_codes_are_refused(tenancy: Tenancy) -> None:
    with pytest.raises(NotFound):
        tenancy.registry.get("nowhere")
    with pytest.raises(DomainError) as refused:
        tenancy.create_tenant("ok", "   ")
    assert refused.value.field == "display_name"
    with pytest.raises(DomainError) as refused:
        tenancy.create_tenant("ok", "Tỉnh", "4x")
    assert refused.value.field == "admin_code"


def test_display_names_are_stored_in_nfc(tenancy: Tenancy) -> None:
    decomposed = "Qua\u0309ng Nam"  # "ả" as a plus a combining hook
    assert tenancy.create_tenant("quang-nam", decomposed).display_name == "Quảng Nam"
