"""Principals, grants and tokens over HTTP, and the declarations every route must make."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from api import app as factory
from api.config import ApiSettings
from api.guard import UndeclaredAccess
from api.routing import ApiBlueprint
from domain.access import Role
from domain.policy import Action
from tests.api.conftest import assert_problem
from tests.api.principals import login, token


def test_the_system_administrator_makes_a_principal_grants_a_role_and_issues_a_token(
    app: Flask, admin_client: FlaskClient, seeded: str
) -> None:
    created = admin_client.post("/api/v1/principals", json={"name": "syt.lan",
                                                            "display_name": "Chị Lan"})
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/v1/principals/syt.lan"
    granted = admin_client.post("/api/v1/principals/syt.lan/grants", json={
        "role": "agency_reporter", "tenant": "quang-nam", "agency": "Sở Y tế"})
    assert granted.get_json()["grants"] == [
        {"role": "agency_reporter", "tenant": "quang-nam", "agency": "so y te"}]
    issued = admin_client.post("/api/v1/principals/syt.lan/tokens", json={
        "expires_on": "31/12/2099"})
    assert issued.status_code == 201
    shown = issued.get_json()
    assert shown["token"].startswith(f"r57_{shown['token_id']}_")
    # The end of 31/12/2099 in Vietnam, recorded in UTC.
    assert shown["expires_at"].startswith("2099-12-31T16:59:59")
    listed = admin_client.get("/api/v1/principals").get_data(as_text=True)
    assert shown["token"].split("_", 2)[2] not in listed
    lan = app.test_client()
    lan.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {shown['token']}"
    assert lan.get("/api/v1/me").get_json()["name"] == "syt.lan"
    assert lan.get(f"{seeded}/status").status_code == 200
    revoked = admin_client.post("/api/v1/principals/syt.lan/grants/revoke", json={
        "role": "agency_reporter", "tenant": "quang-nam", "agency": "so y te"})
    assert revoked.get_json()["grants"] == []
    assert_problem(lan.get(f"{seeded}/status"), 404)  # no grant: the tenant is not there


def test_access_refusals_are_named_problems(admin_client: FlaskClient, seeded: str) -> None:
    admin_client.post("/api/v1/principals", json={"name": "x.y"})
    assert_problem(admin_client.post("/api/v1/principals", json={"name": "x.y"}), 409)
    assert_problem(admin_client.post("/api/v1/principals", json={"name": "Bad Name"}), 422)
    assert_problem(admin_client.get("/api/v1/principals/nobody"), 404)
    body = assert_problem(admin_client.post("/api/v1/principals/x.y/grants", json={
        "role": "emperor", "tenant": "quang-nam"}), 422)
    assert "role" in body["errors"]
    assert_problem(admin_client.post("/api/v1/principals/x.y/grants", json={
        "role": "auditor", "tenant": "nowhere"}), 404)
    assert_problem(admin_client.post("/api/v1/principals/x.y/grants", json={
        "role": "agency_reporter", "tenant": "quang-nam"}), 422)
    assert_problem(admin_client.post("/api/v1/principals/x.y/tokens", json={
        "expires_on": "01/01/2000"}), 422)


def test_a_principal_lists_and_revokes_its_own_tokens_but_no_one_elses(
    app: Flask, seeded: str
) -> None:
    auditor = login(app, "kt.an", (Role.AUDITOR, "quang-nam", ""))
    login(app, "kt.binh", (Role.AUDITOR, "quang-nam", ""))
    (mine,) = auditor.get("/api/v1/principals/kt.an/tokens").get_json()["items"]
    assert mine["live"] is True
    assert auditor.get("/api/v1/principals/kt.an").get_json()["name"] == "kt.an"
    assert_problem(auditor.get("/api/v1/principals/kt.binh/tokens"), 403)
    other_id = token(app, "kt.binh").split("_")[1]
    assert_problem(auditor.post(f"/api/v1/principals/kt.binh/tokens/{other_id}/revoke"), 403)
    assert_problem(auditor.post("/api/v1/principals/kt.an/tokens", json={}), 403)
    assert_problem(auditor.post("/api/v1/principals/kt.an/grants", json={
        "role": "tenant_admin", "tenant": "quang-nam"}), 403)
    done = auditor.post(f"/api/v1/principals/kt.an/tokens/{mine['id']}/revoke")
    assert done.get_json()["items"][0]["live"] is False
    assert_problem(auditor.get("/api/v1/me"), 401)


def test_auditors_read_the_history_of_grants_on_their_tenant_and_others_do_not(
    app: Flask, admin_client: FlaskClient, client: FlaskClient, seeded: str
) -> None:
    auditor = login(app, "kt.an", (Role.AUDITOR, "quang-nam", ""))
    admin_client.post("/api/v1/principals", json={"name": "syt.lan"})
    admin_client.post("/api/v1/principals/syt.lan/grants", json={
        "role": "inspector", "tenant": "quang-nam"})
    admin_client.post("/api/v1/principals/syt.lan/grants/revoke", json={
        "role": "inspector", "tenant": "quang-nam"})
    history = auditor.get(f"{seeded}/access-events").get_json()["items"]
    assert [(e["principal"], e["event"], e["role"]) for e in history][-2:] == [
        ("syt.lan", "Granted", "inspector"), ("syt.lan", "Revoked", "inspector")]
    assert history[-1]["by"] == "test.root"
    assert {e["principal"] for e in history} >= {"test.dost", "kt.an"}
    assert_problem(client.get(f"{seeded}/access-events"), 403)  # the tenant admin


def test_a_route_that_declares_no_action_stops_the_app_from_being_built(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    sneaky = Blueprint("sneaky", __name__)
    sneaky.add_url_rule("/sneaky", view_func=lambda: "an open door")
    monkeypatch.setattr(factory, "BLUEPRINTS", (*factory.BLUEPRINTS, sneaky))
    with pytest.raises(UndeclaredAccess, match="sneaky"):
        factory.create_api(tenancy=app.extensions["r57"].tenancy, api_settings=ApiSettings())


def test_an_operation_must_declare_its_action_and_an_agency_reporters_item() -> None:
    bp = ApiBlueprint("odd", __name__)
    with pytest.raises(TypeError):
        bp.operation("/x")  # type: ignore[call-arg]
    with pytest.raises(UndeclaredAccess):
        bp.operation("/x", action=None)  # type: ignore[arg-type]
    with pytest.raises(UndeclaredAccess, match="concerns"):
        bp.operation("/x", "POST", action=Action.TASK_REPORT)


def test_me_shows_ones_grants_and_tokens_but_never_a_secret(app: Flask) -> None:
    client = login(app, "m.self", (Role.SYSTEM_ADMIN, "", ""))
    me = client.get("/api/v1/me").get_json()
    assert (me["name"], me["grants"]) == (
        "m.self", [{"role": "system_admin", "tenant": "", "agency": ""}])
    secret = token(app, "m.self").split("_", 2)[2]
    assert secret not in client.get("/api/v1/me").get_data(as_text=True)
    assert secret not in client.get("/api/v1/principals").get_data(as_text=True)


def test_refusals_speak_vietnamese_too(app: Flask, client: FlaskClient, seeded: str) -> None:
    vi = {"Accept-Language": "vi"}
    anonymous = assert_problem(app.test_client().get(f"{seeded}/status", headers=vi), 401)
    assert anonymous["title"] == "Chưa xác thực"
    refused = assert_problem(client.post("/api/v1/principals", json={"name": "a.b"},
                                         headers=vi), 403)
    assert (refused["title"], refused["detail"]) == (
        "Không có quyền", "Vai trò của bạn không được phép thực hiện thao tác này tại đây.")
