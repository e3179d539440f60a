"""One blueprint per resource. A new resource (the reports to come) is one line here."""

from __future__ import annotations

from api.routing import ApiBlueprint
from api.views import agencies, feed, health, indicators, plans, status, tasks, tenants

BLUEPRINTS: tuple[ApiBlueprint, ...] = (
    health.bp,
    tenants.bp,
    plans.bp,
    tasks.bp,
    status.bp,
    indicators.bp,
    agencies.bp,
    feed.bp,
)
