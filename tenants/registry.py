"""The tenant registry: create, list, show, rename and archive provinces."""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from domain.errors import AlreadyExists, DomainError, NotFound
from domain.text import TextRefused, ascii_digits, canonical_text, nfc, sort_key
from tenants.database import UNIQUE_VIOLATIONS, Database, Row
from tenants.slugs import validate_slug

ACTIVE, ARCHIVED = "active", "archived"
_SET_NAME = "UPDATE r57_tenants SET display_name = :value, updated_at = :now WHERE slug = :slug"
_SET_STATUS = "UPDATE r57_tenants SET status = :value, updated_at = :now WHERE slug = :slug"
_ADMIN_CODE = re.compile(r"^[0-9]{2,5}$")  # official codes (QĐ 19/2025/QĐ-TTg) are digits


@dataclass(frozen=True)
class Tenant:
    slug: str
    display_name: str
    admin_code: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    simulated: bool = False  # its history is simulated for demonstration (`r57 demo`)
    merged_into: str | None = None  # archived by a merger into this tenant (its slug)
    merged_on: date | None = None  # the merger's effective date
    # A read replica of another service's tenant (it takes no commands); None: not read
    # with the record (only `get` reads it, in the same statement).
    replica: bool | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["replica"]
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        data["merged_on"] = self.merged_on.isoformat() if self.merged_on else None
        return data


def _display_name(name: str) -> str:
    try:
        cleaned = nfc(canonical_text(name))
    except TextRefused as exc:
        raise DomainError("text.refused", field="display_name", **exc.params) from None
    if not cleaned or len(cleaned) > 200:
        raise DomainError("tenant.bad_display_name", field="display_name")
    return cleaned


def _admin_code(code: str | None) -> str | None:
    if code is None or code == "":
        return None
    code = ascii_digits(code).strip()
    if not _ADMIN_CODE.fullmatch(code):
        raise DomainError("tenant.bad_admin_code", field="admin_code")
    return code


class TenantRegistry:
    def __init__(self, database: Database, clock: Callable[[], datetime] | None = None) -> None:
        self._db = database
        self._clock = clock or (lambda: datetime.now(UTC))

    def _now(self) -> Any:
        now = self._clock()
        return now.isoformat() if self._db.dialect == "sqlite" else now

    def create(self, slug: str, display_name: str, admin_code: str | None = None, *,
               simulated: bool = False) -> Tenant:
        row = {
            "slug": validate_slug(slug),
            "display_name": _display_name(display_name),
            "admin_code": _admin_code(admin_code),
            "now": self._now(),
            "simulated": simulated if self._db.dialect != "sqlite" else int(simulated),
        }
        try:
            with self._db.transaction() as cursor:
                cursor.execute(
                    "INSERT INTO r57_tenants (slug, display_name, admin_code, status,"
                    " created_at, updated_at, simulated)"
                    " VALUES (:slug, :display_name, :admin_code, 'active', :now, :now,"
                    " :simulated) RETURNING *, EXISTS (SELECT 1 FROM r57_replicas r"
                    " WHERE r.slug = :slug) AS replica",  # the row as `get` reads it
                    row,
                )
                created = cursor.fetchone()
        except UNIQUE_VIOLATIONS:
            raise AlreadyExists("tenant.exists", field="slug", tenant=slug) from None
        assert created is not None
        return tenant_from_row(created)

    def get(self, slug: str) -> Tenant:
        with self._db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT t.*, EXISTS (SELECT 1 FROM r57_replicas r WHERE r.slug = t.slug)"
                " AS replica FROM r57_tenants t WHERE t.slug = :slug",
                {"slug": validate_slug(slug)},
            )
            row = cursor.fetchone()
        if row is None:
            raise NotFound("tenant.not_found", field="tenant", tenant=slug)
        return tenant_from_row(row)

    def list(self, include_archived: bool = False) -> list[Tenant]:
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT * FROM r57_tenants")
            rows = cursor.fetchall()
        tenants = [tenant_from_row(r) for r in rows if include_archived or r["status"] == ACTIVE]
        return sorted(tenants, key=lambda t: sort_key(t.display_name))

    def slugs(self) -> set[str]:
        """Every tenant's slug, archived ones too: what follows every tenant needs no more."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT slug FROM r57_tenants")
            return {str(r["slug"]) for r in cursor.fetchall()}

    def rename(self, slug: str, display_name: str) -> Tenant:
        self._update(slug, _SET_NAME, _display_name(display_name))
        return self.get(slug)

    def archive(self, slug: str) -> Tenant:
        """An archived tenant keeps its whole history readable; it takes no new commands."""
        self._update(slug, _SET_STATUS, ARCHIVED)
        return self.get(slug)

    def mark_merged(self, slug: str, into: str, on: date) -> Tenant:
        """Archive a tenant merged into `into` from `on` (service/merger.py decides when).
        Marking it again with the same target and date changes nothing."""
        params = {"slug": validate_slug(slug), "into": validate_slug(into), "now": self._now(),
                  "on": on.isoformat() if self._db.dialect == "sqlite" else on}
        with self._db.transaction() as cursor:
            cursor.execute("SELECT * FROM r57_tenants WHERE slug = :slug", params)
            row = cursor.fetchone()
            if row is None:
                raise NotFound("tenant.not_found", field="tenant", tenant=slug)
            current = tenant_from_row(row)
            if current.merged_into == into and current.merged_on == on:
                return current
            # Only an active tenant is archived: of two mergers at once, one wins.
            cursor.execute(
                "UPDATE r57_tenants SET status = 'archived', merged_into = :into,"
                " merged_on = :on, updated_at = :now WHERE slug = :slug AND status = 'active'"
                " RETURNING slug", params)
            if cursor.fetchone() is None:
                raise DomainError("tenant.archived", field="tenant", tenant=slug)
        return self.get(slug)

    def merged_into(self, slug: str) -> builtins.list[Tenant]:
        """The tenants merged into this one (read by their column: a page of the tenant
        asks this, whatever the number of tenants)."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT * FROM r57_tenants WHERE merged_into = :slug",
                           {"slug": slug})
            return [tenant_from_row(r) for r in cursor.fetchall()]

    def exists(self, slug: str) -> bool:
        """Whether a tenant (archived or not) has this slug."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute("SELECT 1 FROM r57_tenants WHERE slug = :slug", {"slug": slug})
            return cursor.fetchone() is not None

    def _update(self, slug: str, statement: str, value: Any) -> None:
        params = {"slug": validate_slug(slug), "value": value, "now": self._now()}
        with self._db.transaction() as cursor:
            cursor.execute("SELECT slug FROM r57_tenants WHERE slug = :slug", params)
            if cursor.fetchone() is None:
                raise NotFound("tenant.not_found", field="tenant", tenant=slug)
            cursor.execute(statement, params)


def tenant_from_row(row: Row) -> Tenant:
    """A tenant from its `r57_tenants` row (with `replica` when the statement read it)."""
    def when(value: Any) -> datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)

    return Tenant(
        slug=row["slug"],
        display_name=row["display_name"],
        admin_code=row["admin_code"],
        status=row["status"],
        created_at=when(row["created_at"]),
        updated_at=when(row["updated_at"]),
        simulated=bool(row["simulated"]),
        merged_into=row["merged_into"],
        merged_on=_day(row["merged_on"]),
        replica=bool(row["replica"]) if "replica" in row else None,
    )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
