"""The WSGI entry point: `gunicorn 'server.wsgi:create_app()'`, called in each worker.

Without --preload each worker calls this after the fork, so its connection pool and
applications are its own; migrations have run before the workers started.
"""

from __future__ import annotations

from flask import Flask

from api.config import ApiSettings
from server import app
from service.config import Settings
from service.container import build_tenancy


def create_app() -> Flask:
    settings = Settings.from_env()
    return app.create_app(settings, build_tenancy(settings, migrate=False), ApiSettings.from_env())
