"""The services one Flask app holds, kept in `app.extensions` rather than module globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from api.answers import AnswerCache
from api.config import ApiSettings
from api.metrics import Metrics
from domain.clock import Clock
from service.request_reads import RequestReader
from service.security import AuthThrottle
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore

EXTENSION = "r57"


@dataclass
class Services:
    tenancy: Tenancy
    api_settings: ApiSettings
    idempotency: IdempotencyStore
    metrics: Metrics
    throttle: AuthThrottle  # failed authentications, counted in the shared database
    reads: RequestReader  # what a request reads before its command, in one statement
    cache: dict[str, Any] = field(default_factory=dict)  # built once per app (the spec)
    answers: AnswerCache = field(default_factory=AnswerCache)  # by read-model position


def services() -> Services:
    found: Services = current_app.extensions[EXTENSION]
    return found


def clock() -> Clock:
    """The process's one clock (service/config.py): today and the end of a day in Vietnam."""
    return services().tenancy.clock
