"""Reads of a tenant whose log failed its latest live verification say so: a header on
every answer of that tenant's routes, and a gauge per tenant for the operators' alerts."""

from __future__ import annotations

import logging
import sqlite3

import psycopg
from eventsourcing.persistence import PersistenceError
from flask import Flask, Response

from api.scope import tenant_slug
from api.services import services

HEADER = "R57-Integrity"
log = logging.getLogger("r57.api")


def _warn(response: Response) -> Response:
    slug = tenant_slug()
    if slug is None:
        return response
    try:
        finding = services().tenancy.integrity.failed(slug)
    except (sqlite3.Error, psycopg.Error, PersistenceError):
        log.warning("could not read the integrity finding of %s", slug, exc_info=True)
        return response
    services().metrics.set_integrity_failed(slug, finding is not None)
    if finding is not None:
        where = "" if finding.first_position is None else (
            f"; first-position={finding.first_position}")
        response.headers[HEADER] = (f"verification-failed; failures={finding.failures}{where}"
                                    f"; checked-at={finding.checked_at}")
    return response


def install(app: Flask) -> None:
    app.after_request(_warn)
