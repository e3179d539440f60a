"""Liveness, readiness and metrics: for the process supervisor and Prometheus."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Response
from marshmallow import fields

from api import i18n
from api.errors import NotReady
from api.guard import public
from api.operation import PUBLIC
from api.routing import ApiBlueprint
from api.schemas.common import Strict
from api.services import services
from service.reminder_store import ReminderStore
from tenants.availability import RETRY_AFTER_SECONDS, unavailable_reason

bp = ApiBlueprint("health", __name__)
log = logging.getLogger("r57.api")


class MailBacklogSchema(Strict):
    waiting = fields.Integer(required=True, metadata={
        "description": "Reminder e-mails not yet delivered."})
    failing = fields.Integer(required=True, metadata={
        "description": "Of which the mail server refused or could not be reached; each is "
                       "retried with a growing delay and never dropped."})
    last_error = fields.String(required=True, allow_none=True)


class HealthSchema(Strict):
    status = fields.String(required=True)
    mail = fields.Nested(MailBacklogSchema, metadata={
        "description": "Present while reminder e-mails are failing: the service stays ready "
                       "(requests never wait on the mail server)."})


@bp.operation("/healthz", action=PUBLIC, response=HealthSchema())
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@bp.operation("/readyz", action=PUBLIC, response=HealthSchema())
def readyz() -> dict[str, Any]:
    """The database answers a trivial query; if not, 503 says why (`reason`). While reminder
    e-mails are failing, `mail` says how many wait and the last error."""
    try:
        with services().tenancy.storage.database.transaction() as cursor:
            cursor.execute("SELECT 1 AS one")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the store means not ready
        reason = unavailable_reason(exc) or type(exc).__name__
        log.warning("readiness check failed (%s)", reason, exc_info=True)
        raise NotReady(i18n.text("api.database_not_ready", reason=reason),
                       headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                       reason=reason) from None
    backlog = ReminderStore(services().tenancy.storage.database, time.time).backlog()
    if backlog.failing:
        return {"status": "ok", "mail": backlog}
    return {"status": "ok"}


@bp.route("/metrics")
@public
def metrics() -> Response:
    """Prometheus exposition (all gunicorn workers together), with the lag of replicas."""
    try:
        services().metrics.observe_replicas(services().tenancy.replicas.list())
    except Exception:  # metrics answer even while the database does not
        log.warning("replica lag not read for /metrics", exc_info=True)
    body, content_type = services().metrics.exposition()
    return Response(body, mimetype=None, content_type=content_type)
