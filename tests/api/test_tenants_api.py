"""Tenants over HTTP: the registry's commands, and how bad slugs are answered."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem, create_tenant
from tests.api.principals import login


def test_tenants_are_created_listed_shown_renamed_and_archived(
    admin_client: FlaskClient,
) -> None:
    client = admin_client
    created = client.post("/api/v1/tenants", json={"slug": "da-nang", "display_name": "Đà Nẵng"})
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/v1/tenants/da-nang"
    assert created.get_json()["admin_code"] is None
    create_tenant(client, "quang-nam", "Quảng Nam")
    names = [t["display_name"] for t in client.get("/api/v1/tenants").get_json()["items"]]
    assert names == ["Đà Nẵng", "Quảng Nam"]
    renamed = client.post("/api/v1/tenants/da-nang/rename",
                          json={"display_name": "Thành phố Đà Nẵng"})
    assert renamed.get_json()["display_name"] == "Thành phố Đà Nẵng"
    archived = client.post("/api/v1/tenants/quang-nam/archive")
    assert archived.get_json()["status"] == "archived"
    assert [t["slug"] for t in client.get("/api/v1/tenants").get_json()["items"]] == ["da-nang"]
    everything = client.get("/api/v1/tenants?include_archived=true").get_json()["items"]
    assert len(everything) == 2
    assert client.get("/api/v1/tenants/quang-nam").get_json()["status"] == "archived"


def test_a_tenant_role_lists_and_shows_only_its_own_tenants(
    app: Flask, admin_client: FlaskClient
) -> None:
    create_tenant(admin_client, "quang-nam")
    create_tenant(admin_client, "da-nang", "Đà Nẵng")
    inspector = login(app, "insp.binh", (Role.INSPECTOR, "da-nang", ""))
    listed = inspector.get("/api/v1/tenants?include_archived=true").get_json()["items"]
    assert [t["slug"] for t in listed] == ["da-nang"]
    assert inspector.get("/api/v1/tenants/da-nang").status_code == 200
    hidden = assert_problem(inspector.get("/api/v1/tenants/quang-nam"), 404)
    missing = assert_problem(inspector.get("/api/v1/tenants/nowhere"), 404)
    assert hidden["detail"] == "No tenant 'quang-nam'."
    assert missing["detail"] == "No tenant 'nowhere'."


def test_a_slug_is_taken_once(admin_client: FlaskClient) -> None:
    create_tenant(admin_client)
    again = admin_client.post("/api/v1/tenants", json={"slug": "quang-nam", "display_name": "X"})
    assert assert_problem(again, 409)["type"].endswith("already-exists")


def test_a_slug_unfit_for_file_and_table_names_is_refused_with_its_field(
    admin_client: FlaskClient,
) -> None:
    for slug in ("Quang-Nam", "quang--nam", "a" * 41, "x'; DROP TABLE r57_tenants; --", ""):
        body = assert_problem(
            admin_client.post("/api/v1/tenants", json={"slug": slug, "display_name": "X"}), 422)
        assert "slug" in body["errors"]
    assert admin_client.get("/api/v1/tenants?include_archived=true").get_json()["items"] == []


def test_a_path_slug_that_cannot_exist_is_not_found(
    client: FlaskClient, admin_client: FlaskClient
) -> None:
    for path in ("/api/v1/tenants/Quang_Nam", "/api/v1/tenants/..%2F..%2Fetc",
                 "/api/v1/tenants/%C3%A0/status", "/api/v1/tenants/a--b/tasks/1",
                 "/api/v1/tenants/nowhere/events"):
        assert_problem(client.get(path), 404)
        assert_problem(admin_client.get(path), 404)


def test_an_archived_tenant_answers_reads_but_refuses_commands(
    client: FlaskClient, admin_client: FlaskClient, seeded: str
) -> None:
    admin_client.post("/api/v1/tenants/quang-nam/archive")
    assert client.get(f"{seeded}/tasks/3").status_code == 200
    refused = client.post(f"{seeded}/tasks/3/cancel", json={"reason": "x"})
    assert assert_problem(refused, 409)["type"].endswith("tenant-archived")


def test_bad_names_and_codes_name_their_field(admin_client: FlaskClient) -> None:
    body = assert_problem(admin_client.post("/api/v1/tenants", json={
        "slug": "ok", "display_name": "Tỉnh", "admin_code": "4x"}), 422)
    assert set(body["errors"]) == {"admin_code"}
    body = assert_problem(admin_client.post("/api/v1/tenants", json={
        "slug": "ok", "display_name": "   "}), 422)
    assert set(body["errors"]) == {"display_name"}
    assert_problem(admin_client.post("/api/v1/tenants/nowhere/rename",
                                     json={"display_name": "X"}), 404)


def test_a_system_administrator_merges_a_province_into_a_city(
    client: FlaskClient, admin_client: FlaskClient, seeded: str
) -> None:
    create_tenant(client, "da-nang", "Đà Nẵng")
    centre = "Trung tâm Phục vụ hành chính công"  # registered, named by no plan
    registered = client.post(f"{seeded}/agencies", json={"name": centre,
                                                         "effective_on": "30/06/2025"})
    assert registered.status_code == 201, registered.get_json()
    login(client.application, "trung.tam", (Role.AGENCY_REPORTER, "quang-nam", centre))
    body = {"tenants": ["quang-nam"], "into": "da-nang", "merged_on": "01/07/2025",
            "decision_ref": "Nghị quyết 1659/NQ-UBTVQH15", "grants": "move"}
    assert_problem(client.post("/api/v1/tenants/mergers", json=body), 403)
    merged = admin_client.post("/api/v1/tenants/mergers", json=body)
    assert merged.status_code == 200, merged.get_json()
    (result,) = merged.get_json()["items"]
    assert (result["old"], result["into"], result["merged_on"], result["tasks"]) == (
        "quang-nam", "da-nang", "2025-07-01", 60)
    assert result["recorded"] and result["plans"] == ["1534/KH-UBND"]
    # Da Nang does not register the centre: its reporter's grant is listed, not re-issued.
    assert result["skipped_grants"] == [{"principal": "trung.tam", "agency": centre}]
    old = admin_client.get("/api/v1/tenants/quang-nam").get_json()
    assert (old["status"], old["merged_into"], old["merged_on"]) == (
        "archived", "da-nang", "2025-07-01")
    task = client.get("/api/v1/tenants/da-nang/tasks/3").get_json()
    assert task["origin"] == {"tenant": "quang-nam", "tenant_name": "Quảng Nam",
                              "plan": "1534/KH-UBND", "number": "3",
                              "merged_on": "2025-07-01"}
    assert client.get(f"{seeded}/tasks/3").get_json()["origin"] is None
    (lineage,) = client.get("/api/v1/tenants/da-nang/lineage").get_json()["items"]
    assert (lineage["old_tenant"], lineage["merged_on"], lineage["tree_size"],
            lineage["root_hash"]) == ("quang-nam", "2025-07-01", result["tree_size"],
                                      result["root_hash"])
    again = admin_client.post("/api/v1/tenants/mergers", json=body).get_json()
    assert again["items"][0]["recorded"] is False
    refused = admin_client.post("/api/v1/tenants/mergers", json={
        **body, "tenants": ["da-nang"]})
    assert "itself" in assert_problem(refused, 422)["detail"]
