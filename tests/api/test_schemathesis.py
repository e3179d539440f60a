"""Property-based runs of schemathesis against the generated OpenAPI document (SQLite).

Every operation gets schema-valid input (with random and with real path parameters) and
schema-invalid input, sent as the demo tenant's administrator; no answer may be a 5xx, and
every answer must match the document.
Bounded: a few examples per operation, so the whole run stays well under two minutes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.config import ApiSettings
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan
from service.config import Settings
from service.container import build_tenancy

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
REAL_PATH = {"tenant": "demo", "number": "3", "code": "7.1", "agency": "so y te",
             "report": 1}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('schemathesis')}")
    tenancy = build_tenancy(settings)
    tenancy.create_tenant("demo", "Quảng Nam (demo)", "49")
    seed = Path(__file__).resolve().parents[2] / "service/seed/quang-nam-1534-KH-UBND-2025.txt"
    tenancy.ledger("demo", for_writing=True).handle(ImportPlan(
        document=read_plan_document(seed),
        sha256=hashlib.sha256(seed.read_bytes()).hexdigest()), Context("schemathesis"))
    tenancy.access.create_principal("schemathesis", "Schemathesis", by="test")
    tenancy.access.grant("schemathesis", "tenant_admin", "demo", "", by="test")
    app = create_app(settings, tenancy, ApiSettings())
    app.config["BEARER"] = tenancy.access.issue_token("schemathesis", by="test").token
    yield app
    tenancy.close()


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation: Any, mode: GenerationMode, path: dict[str, Any] | None,
         token: str) -> None:
    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in (path or {}).items() if k in names} or None

    @settings(max_examples=20, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)

    check()


def test_no_valid_input_gets_a_5xx_or_an_answer_the_document_does_not_describe(
    app: Flask,
) -> None:
    for operation in _operations(app):
        _run(operation, GenerationMode.POSITIVE, None, app.config["BEARER"])
        _run(operation, GenerationMode.POSITIVE, REAL_PATH, app.config["BEARER"])


def test_no_malformed_input_gets_a_5xx_or_an_undocumented_answer(app: Flask) -> None:
    for operation in _operations(app):
        _run(operation, GenerationMode.NEGATIVE, REAL_PATH, app.config["BEARER"])
