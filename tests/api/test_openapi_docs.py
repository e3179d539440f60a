"""The OpenAPI document is valid and complete; the docs page works with no internet access."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from api.routing import operations


def test_the_openapi_document_validates(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert "Problem" in spec["components"]["schemas"]


def test_every_declared_operation_is_documented_with_its_schemas(
    app: Flask, client: FlaskClient
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    declared = {name.replace(".", "_") for name in operations(app.view_functions)}
    assert documented == declared
    report = spec["paths"]["/api/v1/tenants/{tenant}/tasks/{number}/reports"]["post"]
    assert {p["name"] for p in report["parameters"]} >= {
        "tenant", "number", "If-Match", "Idempotency-Key", "Accept-Language"}
    assert "X-R57-Actor" not in {p["name"] for p in report["parameters"]}
    assert report["security"] == [{"bearer": []}] and report["x-r57-action"] == "task.report"
    assert {"401", "403", "429"} <= report["responses"].keys()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert spec["paths"]["/healthz"]["get"]["security"] == []
    body = report["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ProgressReport"}
    assert spec["components"]["schemas"]["ProgressReport"]["additionalProperties"] is False
    upload = spec["paths"]["/api/v1/tenants/{tenant}/plans"]["post"]["requestBody"]
    form = upload["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert spec["components"]["schemas"][form]["properties"]["file"]["format"] == "binary"
    problem = spec["components"]["responses"]["Problem"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_the_docs_page_and_its_assets_are_served_from_here(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "//" not in re.sub(r"<!doctype[^>]*>", "", html).replace("://", "")
    assert not re.search(r"(src|href)=\"https?:", html)
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", html):
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.get_data()) > (100 if asset.endswith("init.js") else 10_000)
        assert "script-src 'self'" in served.headers["Content-Security-Policy"]
        served.close()
    assert "/api/v1/openapi.json" in html
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in html  # no inline script: the policy would refuse it


def test_only_the_docs_pages_own_assets_are_served(client: FlaskClient) -> None:
    for other in ("index.html", "swagger-initializer.js", "oauth2-redirect.html", "index.j2",
                  "swagger-ui.js.map", "../../../etc/passwd"):
        assert client.get(f"/api/v1/docs/{other}").status_code == 404, other
