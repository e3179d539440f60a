"""One blueprint per resource: a new resource is one line here."""

from __future__ import annotations

from api.routing import ApiBlueprint
from api.views import (
    access,
    agencies,
    feed,
    files,
    health,
    indicators,
    integrity,
    national,
    plans,
    queues,
    reminders,
    reports,
    status,
    tasks,
    tenants,
)

BLUEPRINTS: tuple[ApiBlueprint, ...] = (
    health.bp,
    tenants.bp,
    plans.bp,
    tasks.bp,
    files.bp,
    status.bp,
    reports.bp,
    queues.bp,
    reminders.bp,
    indicators.bp,
    agencies.bp,
    feed.bp,
    integrity.bp,
    national.bp,
    access.bp,
)
