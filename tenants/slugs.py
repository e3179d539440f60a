"""Tenant slugs: the one identifier that reaches file and table names, so it is strict."""

from __future__ import annotations

import re

from domain.errors import DomainError

MAX_SLUG_LENGTH = 40
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$")


def validate_slug(slug: str) -> str:
    """Lowercase ASCII letters, digits and single inner hyphens; at most 40 characters."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise DomainError("tenant.bad_slug", field="slug", slug=str(slug))
    return slug


def table_prefix(slug: str) -> str:
    """'quang-nam' -> 't_quang_nam': a valid SQL identifier, injective since '_' is refused."""
    return "t_" + validate_slug(slug).replace("-", "_")
