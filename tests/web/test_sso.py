"""Single sign-on through a real OpenID provider on loopback (oidc-provider under Node):
an identity an administrator authorised signs in; an identity nobody authorised, a tampered
state, nonce, signature or audience are each refused in Vietnamese, recorded, and sign
nobody in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from service.sso import OidcClient, OidcConfig, SsoRefused
from service.tenancy import Tenancy
from tests.oidc.loopback import CLIENT_ID, CLIENT_SECRET, provider, sign_in_at_provider
from tests.web.conftest import TENANT, Tokens, csrf_of, text

CALLBACK = "http://localhost/sso/callback"
OFFICER = "vo.thi.f@stttt.quangnam.gov.vn"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with provider(CALLBACK) as found:
        yield found


@pytest.fixture
def sso_app(settings: Settings, tenancy: Tenancy, province: Tokens, issuer: str,
            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    monkeypatch.setenv("R57_OIDC_ISSUER", issuer)
    monkeypatch.setenv("R57_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("R57_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("R57_OIDC_NAME", "Cổng đăng nhập tỉnh")
    accounts = tenancy.accounts
    accounts.open(OFFICER, "Võ Thị F", "dost.lan")
    tenancy.access.grant(OFFICER, "auditor", TENANT, "", "dost.lan")
    accounts.authorise_sso(OFFICER, "dost.lan")
    return create_app(settings, tenancy, ApiSettings())


def start(client: FlaskClient) -> str:
    page = text(client.get("/sign-in"))
    assert "Đăng nhập qua Cổng đăng nhập tỉnh" in page
    started = client.post("/sso/start", data={"csrf_token": csrf_of(page),
                                              "next": f"/t/{TENANT}/"})
    assert started.status_code == 303
    return started.headers["Location"]


def outcomes(tenancy: Tenancy) -> list[str]:
    with tenancy.storage.database.transaction(write=False) as cursor:
        cursor.execute("SELECT outcome FROM r57_sign_ins WHERE method = 'oidc' ORDER BY id")
        return [r["outcome"] for r in cursor.fetchall()]


def test_an_authorised_identity_signs_in_through_the_provider(sso_app: Flask,
                                                              tenancy: Tenancy) -> None:
    client = sso_app.test_client()
    back = sign_in_at_provider(start(client), OFFICER.upper(), CALLBACK)
    answered = client.get(back.removeprefix("http://localhost"))
    assert answered.status_code == 303 and answered.headers["Location"] == f"/t/{TENANT}/"
    assert "Võ Thị F" in text(client.get(f"/t/{TENANT}/"))
    assert outcomes(tenancy) == ["ok"]
    linked = tenancy.access.account(OFFICER)
    assert linked is not None and linked.sso is not None and linked.sso[1] == OFFICER.upper()


def test_an_identity_nobody_authorised_is_refused_and_nothing_is_created(
    sso_app: Flask, tenancy: Tenancy
) -> None:
    client = sso_app.test_client()
    before = len(tenancy.access.principals())
    back = sign_in_at_provider(start(client), "la.mat@example.org", CALLBACK)
    refused = client.get(back.removeprefix("http://localhost"))
    assert refused.status_code == 403
    assert "chưa được quản trị viên cho phép" in text(refused)
    assert client.get(f"/t/{TENANT}/").status_code == 302
    assert len(tenancy.access.principals()) == before
    assert outcomes(tenancy) == ["not_authorised"]


def test_a_tampered_state_or_nonce_is_refused(sso_app: Flask, tenancy: Tenancy) -> None:
    client = sso_app.test_client()
    back = sign_in_at_provider(start(client), OFFICER, CALLBACK)
    forged = back.replace("state=", "state=x")
    refused = client.get(forged.removeprefix("http://localhost"))
    assert refused.status_code == 422 and "(state)" in text(refused)
    other = sso_app.test_client()
    back = sign_in_at_provider(start(other), OFFICER, CALLBACK)
    with other.session_transaction() as session:
        session["sso_flow"] = {**session["sso_flow"], "nonce": "another-nonce"}
    refused = other.get(back.removeprefix("http://localhost"))
    assert refused.status_code == 422 and "(nonce)" in text(refused)
    assert other.get(f"/t/{TENANT}/").status_code == 302
    assert outcomes(tenancy) == ["sso_refused:state", "sso_refused:nonce"]
    found = tenancy.access.account(OFFICER)
    assert found is not None and found.sso is None  # nothing linked


def test_a_forged_signature_or_another_audience_is_refused(issuer: str) -> None:
    config = OidcConfig(issuer, CLIENT_ID, CLIENT_SECRET)
    client = OidcClient(config)
    started = client.start(CALLBACK)
    back = sign_in_at_provider(started.url, OFFICER, CALLBACK)
    params = dict(p.split("=", 1) for p in back.split("?", 1)[1].split("&"))
    id_token = client.exchange(CALLBACK, params, started)
    assert client.verify_id_token(id_token, started.nonce).email == OFFICER
    head, body, signature = id_token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(SsoRefused) as forged:
        client.verify_id_token(f"{head}.{body}.{flipped}", started.nonce)
    assert forged.value.code == "signature"
    with pytest.raises(SsoRefused) as unsigned:
        client.verify_id_token(f"{head}.{body}.", started.nonce)
    assert unsigned.value.code in {"signature", "malformed"}
    elsewhere = OidcClient(replace(config, client_id="another-system"))
    with pytest.raises(SsoRefused) as audience:
        elsewhere.verify_id_token(id_token, started.nonce)
    assert audience.value.code == "aud"
    with pytest.raises(SsoRefused) as late:
        client.verify_id_token(id_token, started.nonce, now=2_000_000_000)
    assert late.value.code == "expired"
