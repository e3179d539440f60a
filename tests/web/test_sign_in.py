"""Signing in with a token, the session cookie, revocation, and CSRF refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, csrf_of, form_fields, sign_in, text


def test_a_visitor_is_sent_to_sign_in_and_then_back_to_the_page_asked_for(
    client: FlaskClient, province: Tokens
) -> None:
    asked = client.get(f"/t/{TENANT}/tasks?status=open_overdue")
    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/sign-in?next=")
    form = client.get(asked.headers["Location"])
    html = text(form)
    assert 'lang="vi"' in html and "Mã truy cập" in html
    signed = client.post("/sign-in", data={"token": province.admin, "csrf_token": csrf_of(html),
                                           "next": f"/t/{TENANT}/tasks?status=open_overdue"})
    assert signed.headers["Location"] == f"/t/{TENANT}/tasks?status=open_overdue"


def test_sign_in_never_redirects_to_another_site(client: FlaskClient, province: Tokens) -> None:
    html = text(client.get("/sign-in"))
    for target in ("https://example.org/", "//example.org/", "javascript:alert(1)"):
        signed = client.post("/sign-in", data={"token": province.admin, "next": target,
                                               "csrf_token": csrf_of(html)})
        assert signed.headers["Location"] == "/"
        html = text(client.get("/sign-in"))


def test_an_unknown_token_is_refused_with_a_message_beside_the_field(
    client: FlaskClient, province: Tokens
) -> None:
    html = text(client.get("/sign-in"))
    refused = client.post("/sign-in", data={"token": "r57_abc_wrong", "csrf_token": csrf_of(html)})
    assert refused.status_code == 422
    body = text(refused)
    assert 'id="f-token-error"' in body and "đã bị thu hồi" in body
    assert client.get(f"/t/{TENANT}/").status_code == 302


def test_the_session_cookie_is_signed_httponly_lax_and_holds_no_token_secret(
    client: FlaskClient, province: Tokens
) -> None:
    html = text(client.get("/sign-in"))
    signed = client.post("/sign-in", data={"token": province.admin, "csrf_token": csrf_of(html)})
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secret = province.admin.split("_", 2)[2]
    assert secret not in cookie
    with client.session_transaction() as session:
        assert session["principal"] == "dost.lan"
        assert session["token_id"] == province.admin.split("_", 2)[1]


def test_a_cookie_replayed_after_sign_out_reads_nothing(
    client: FlaskClient, province: Tokens, web_app: Flask
) -> None:
    sign_in(client, province.admin)
    cookie = client.get_cookie("session")
    assert cookie is not None
    page = text(client.get(f"/t/{TENANT}/"))
    assert client.post("/sign-out", data={"csrf_token": csrf_of(page)}).status_code == 303
    replay = web_app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get(f"/t/{TENANT}/").status_code == 302


def test_a_form_posted_from_another_origin_is_refused(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    fields = form_fields(text(client.get(f"/t/{TENANT}/tasks/5/deadline")))
    change = {"deadline": "6/2025", "reason": "Chờ hướng dẫn", "decision_ref": "1/QĐ-UBND",
              "effective_on": "10/03/2025", **fields}
    for origin in ("https://evil.example", "null"):
        refused = client.post(f"/t/{TENANT}/tasks/5/deadline", data=change,
                              headers={"Origin": origin})
        assert refused.status_code == 403 and "trang khác" in text(refused)
    assert tenancy.ledger(TENANT).task("5").deadline.text == "3/2025"
    same = client.post(f"/t/{TENANT}/tasks/5/deadline", data=change,
                       headers={"Origin": "http://localhost"})
    assert same.status_code == 303


def test_revoking_the_token_ends_the_session_on_the_next_request(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert client.get(f"/t/{TENANT}/").status_code == 200
    tenancy.access.revoke_token("dost.lan", province.admin.split("_", 2)[1], "setup")
    assert client.get(f"/t/{TENANT}/").status_code == 302


def test_signing_out_needs_the_csrf_token_and_ends_the_session(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    assert client.post("/sign-out").status_code == 400
    assert client.get(f"/t/{TENANT}/").status_code == 200
    page = text(client.get(f"/t/{TENANT}/"))
    assert client.post("/sign-out", data={"csrf_token": csrf_of(page)}).status_code == 303
    assert client.get(f"/t/{TENANT}/").status_code == 302


def test_a_form_posted_without_the_sessions_csrf_token_records_nothing(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    fields = form_fields(text(client.get(f"/t/{TENANT}/tasks/5/deadline")))
    change = {"deadline": "6/2025", "reason": "Chờ hướng dẫn", "decision_ref": "1/QĐ-UBND",
              "effective_on": "10/03/2025"}
    for forged in ({**fields, "csrf_token": "forged"}, {k: v for k, v in fields.items()
                                                        if k != "csrf_token"}):
        refused = client.post(f"/t/{TENANT}/tasks/5/deadline", data={**forged, **change})
        assert refused.status_code == 400
        assert "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ" in text(refused)
    assert tenancy.ledger(TENANT).task("5").deadline.text == "3/2025"


def test_repeated_failed_sign_ins_are_refused_for_a_while(
    client: FlaskClient, province: Tokens
) -> None:
    html = text(client.get("/sign-in"))
    statuses = [client.post("/sign-in", data={"token": f"r57_abc{i}_wrong",
                                              "csrf_token": csrf_of(html)}).status_code
                for i in range(26)]
    assert statuses == [422] * 25 + [429]  # one address guessing many token ids
    refused = client.post("/sign-in", data={"token": province.admin, "csrf_token": csrf_of(html)})
    assert refused.status_code == 429 and "hãy thử lại sau" in text(refused)


def test_pages_forbid_framing_and_outside_content_and_signed_in_pages_are_not_cached(
    client: FlaskClient, province: Tokens
) -> None:
    public = client.get(f"/p/{TENANT}")
    policy = public.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert public.headers.get("Cache-Control") != "no-store"
    assert ' style="' not in public.get_data(as_text=True)  # allowed by style-src 'self'
    sign_in(client, province.admin)
    assert client.get(f"/t/{TENANT}/").headers["Cache-Control"] == "no-store"


def test_behind_a_trusted_https_proxy_the_cookie_is_secure_and_origins_are_the_public_ones(
    settings: Settings, tenancy: Tenancy, province: Tokens, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    monkeypatch.setenv("R57_TRUSTED_PROXIES", "1")
    app = create_app(settings, tenancy, ApiSettings.from_env())
    client = app.test_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ledger.quangnam.gov.vn",
             "X-Forwarded-For": "198.51.100.77"}
    page = text(client.get("/sign-in", headers=proxy))
    signed = client.post("/sign-in", headers={**proxy, "Origin": "https://ledger.quangnam.gov.vn"},
                         data={"token": province.admin, "csrf_token": csrf_of(page)})
    assert signed.status_code == 303
    cookie = signed.headers["Set-Cookie"]
    assert cookie.startswith("__Host-r57-session=") and "Secure" in cookie
    with tenancy.storage.database.transaction(write=False) as cursor:
        cursor.execute("SELECT address FROM r57_sign_ins ORDER BY id DESC LIMIT 1")
        assert cursor.fetchone() == {"address": "198.51.100.77"}
    page = text(client.get(f"/t/{TENANT}/", headers=proxy))
    plain = client.post("/sign-out", headers={**proxy, "Origin": "http://ledger.quangnam.gov.vn"},
                        data={"csrf_token": csrf_of(page)})
    assert plain.status_code == 403  # the public origin is https, not http
