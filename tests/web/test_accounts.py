"""Signing in as a person: e-mail and password, the second factor (enrolment with a QR code,
recovery codes, replayed codes refused), changing one's password, one-time links. Every
refusal is in Vietnamese, recorded in the sign-in journal, and changes nothing."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, csrf_of, form_fields, sign_in, text

OFFICER = "tran.thi.b@noivu.quangnam.gov.vn"
ADMIN = "le.van.c@skhcn.quangnam.gov.vn"
PASSWORD = "Hội An phố cổ 1999"


@pytest.fixture
def people(tenancy: Tenancy, province: Tokens) -> Tenancy:
    accounts = tenancy.accounts
    accounts.open(OFFICER, "Trần Thị B", "setup")
    tenancy.access.grant(OFFICER, "agency_reporter", TENANT, "Sở Nội vụ", "setup")
    accounts.set_password(OFFICER, PASSWORD, "set", "setup")
    accounts.open(ADMIN, "Lê Văn C", "setup")
    tenancy.access.grant(ADMIN, "tenant_admin", TENANT, "", "setup")
    accounts.set_password(ADMIN, PASSWORD, "set", "setup")
    return tenancy


def post_sign_in(client: FlaskClient, login: str, password: str, next_: str = "/") -> object:
    page = text(client.get("/sign-in"))
    return client.post("/sign-in", data={"login": login, "password": password, "next": next_,
                                         "csrf_token": csrf_of(page)})


def journal(tenancy: Tenancy, who: str) -> list[tuple[str, str]]:
    with tenancy.storage.database.transaction(write=False) as cursor:
        cursor.execute("SELECT method, outcome FROM r57_sign_ins WHERE principal = :p "
                       "ORDER BY id", {"p": who})
        return [(r["method"], r["outcome"]) for r in cursor.fetchall()]


def test_an_officer_signs_in_with_e_mail_and_password(client: FlaskClient,
                                                      people: Tenancy) -> None:
    signed = post_sign_in(client, OFFICER.upper(), PASSWORD, f"/t/{TENANT}/")
    assert signed.status_code == 303 and signed.headers["Location"] == f"/t/{TENANT}/"
    page = text(client.get(f"/t/{TENANT}/"))
    assert "Trần Thị B" in page
    assert journal(people, OFFICER) == [("password", "ok")]


def test_a_wrong_password_is_refused_in_vietnamese_and_recorded(client: FlaskClient,
                                                                people: Tenancy) -> None:
    before = people.access.account_events(OFFICER)
    refused = post_sign_in(client, OFFICER, PASSWORD + "x")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "E-mail hoặc mật khẩu không đúng." in text(refused)
    assert PASSWORD not in text(refused)
    unknown = post_sign_in(client, "ai.do@x.vn", PASSWORD)
    assert "E-mail hoặc mật khẩu không đúng." in text(unknown)  # the same words: no probing
    assert client.get(f"/t/{TENANT}/").status_code == 302
    assert journal(people, OFFICER) == [("password", "bad_password")]
    assert people.access.account_events(OFFICER) == before


def test_a_stranger_guessing_from_elsewhere_does_not_lock_out_the_officer(
    web_app: Flask, people: Tenancy
) -> None:
    stranger = web_app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "203.0.113.50"
    statuses = [post_sign_in(stranger, OFFICER, f"sai {n}").status_code  # type: ignore[attr-defined]
                for n in range(6)]
    assert statuses == [422] * 5 + [429]
    officer = web_app.test_client()
    officer.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert post_sign_in(officer, OFFICER, PASSWORD).status_code == 303  # type: ignore[attr-defined]


ENROLLED_WITH: dict[str, str] = {}  # secret -> the code that enrolled it (spent)


def _enrol(client: FlaskClient) -> tuple[str, list[str]]:
    page = text(client.get("/account/second-factor"))
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page)
    assert secret
    code = pyotp.TOTP(secret[1]).now()
    done = client.post("/account/second-factor", data={
        "csrf_token": csrf_of(page), "code": code})
    assert done.status_code == 200, text(done)
    codes = re.findall(r"<code>(\d{5}-\d{5})</code>", text(done))
    assert len(codes) == 10
    ENROLLED_WITH[secret[1]] = code
    return secret[1], codes


def test_an_administrator_must_enrol_a_second_factor_and_then_use_it(
    web_app: Flask, people: Tenancy
) -> None:
    client = web_app.test_client()
    first = post_sign_in(client, ADMIN, PASSWORD, f"/t/{TENANT}/")
    assert first.headers["Location"] == "/account/second-factor"  # type: ignore[attr-defined]
    assert client.get(f"/t/{TENANT}/").status_code == 302  # not signed in yet
    secret, codes = _enrol(client)
    assert client.get(f"/t/{TENANT}/").status_code == 200
    page = text(client.get(f"/t/{TENANT}/"))
    client.post("/sign-out", data={"csrf_token": csrf_of(page)})

    again = web_app.test_client()
    second = post_sign_in(again, ADMIN, PASSWORD, f"/t/{TENANT}/")
    assert second.headers["Location"] == "/sign-in/second-factor"  # type: ignore[attr-defined]
    form = text(again.get("/sign-in/second-factor"))
    used = ENROLLED_WITH[secret]  # the code that enrolled is spent, even in a later window
    replay = again.post("/sign-in/second-factor", data={"csrf_token": csrf_of(form),
                                                        "code": used})
    assert replay.status_code == 422 and "đã được dùng" in text(replay)
    wrong = again.post("/sign-in/second-factor", data={"csrf_token": csrf_of(form),
                                                      "code": "12345"})
    assert wrong.status_code == 422 and "Mã xác thực không đúng" in text(wrong)
    assert again.get(f"/t/{TENANT}/").status_code == 302
    ok = again.post("/sign-in/second-factor", data={"csrf_token": csrf_of(form),
                                                   "code": codes[0]})
    assert ok.status_code == 303 and ok.headers["Location"] == f"/t/{TENANT}/"
    assert again.get(f"/t/{TENANT}/").status_code == 200
    outcomes = journal(people, ADMIN)
    assert ("second_factor", "replayed_code") in outcomes
    assert ("second_factor", "bad_code") in outcomes
    assert outcomes[-1] == ("password+recovery_code", "ok")
    kinds = [type(e).__name__ for e in people.access.account_events(ADMIN)]
    assert kinds == ["Opened", "PasswordSet", "SecondFactorEnrolled", "RecoveryCodeUsed"]


def test_an_expired_code_is_refused(web_app: Flask, people: Tenancy) -> None:
    client = web_app.test_client()
    post_sign_in(client, ADMIN, PASSWORD)
    secret, _ = _enrol(client)
    page = text(client.get("/account"))
    client.post("/sign-out", data={"csrf_token": csrf_of(page)})
    post_sign_in(client, ADMIN, PASSWORD)
    form = text(client.get("/sign-in/second-factor"))
    old = pyotp.TOTP(secret).at(time.time() - 300)
    refused = client.post("/sign-in/second-factor", data={"csrf_token": csrf_of(form),
                                                          "code": old})
    assert refused.status_code == 422 and "đã hết hạn" in text(refused)


def test_a_person_changes_their_password(client: FlaskClient, people: Tenancy) -> None:
    post_sign_in(client, OFFICER, PASSWORD)
    page = text(client.get("/account"))
    assert "Đổi mật khẩu" in page and "Lần đăng nhập gần đây" in page
    new = "Sông Hàn về đêm 2026"
    wrong = client.post("/account", data={"csrf_token": csrf_of(page),
                                          "current_password": "sai",
                                          "new_password": new, "confirm_password": new})
    assert wrong.status_code == 422 and "E-mail hoặc mật khẩu không đúng." in text(wrong)
    short = client.post("/account", data={"csrf_token": csrf_of(page),
                                          "current_password": PASSWORD,
                                          "new_password": "ngắn", "confirm_password": "ngắn"})
    assert short.status_code == 422 and "ít nhất 12 ký tự" in text(short)
    done = client.post("/account", data={"csrf_token": csrf_of(page),
                                         "current_password": PASSWORD,
                                         "new_password": new, "confirm_password": new})
    assert done.status_code == 303
    assert people.accounts.check_password(OFFICER, new) == OFFICER
    kinds = [type(e).__name__ for e in people.access.account_events(OFFICER)]
    assert kinds == ["Opened", "PasswordSet", "PasswordSet"]


def test_a_one_time_link_sets_a_password_once_and_ends_old_sessions(
    web_app: Flask, people: Tenancy
) -> None:
    old = web_app.test_client()
    post_sign_in(old, OFFICER, PASSWORD)
    assert old.get(f"/t/{TENANT}/").status_code == 200
    link = people.accounts.issue_reset_link(OFFICER, "setup")
    client = web_app.test_client()
    page = text(client.get(f"/reset/{link}"))
    assert OFFICER in page
    new = "Ngũ Hành Sơn 2027 xanh"
    mismatch = client.post(f"/reset/{link}", data={"csrf_token": csrf_of(page),
                                                   "new_password": new,
                                                   "confirm_password": new + "!"})
    assert mismatch.status_code == 422 and "không khớp" in text(mismatch)
    done = client.post(f"/reset/{link}", data={"csrf_token": csrf_of(page),
                                               "new_password": new, "confirm_password": new})
    assert done.status_code == 303
    assert old.get(f"/t/{TENANT}/").status_code == 302  # sessions before the reset end
    spent = client.get(f"/reset/{link}")
    assert spent.status_code == 410 and "đã được dùng" in text(spent)
    assert post_sign_in(client, OFFICER, new).status_code == 303  # type: ignore[attr-defined]


def test_the_timeline_and_change_log_name_people_not_logins(
    client: FlaskClient, people: Tenancy, province: Tokens
) -> None:
    sign_in(client, province.admin)  # dost.lan, shown as "Dost Lan"
    fields = form_fields(text(client.get(f"/t/{TENANT}/tasks/5/deadline")))
    changed = client.post(f"/t/{TENANT}/tasks/5/deadline", data={
        **fields, "deadline": "9/2025", "reason": "Chờ Trung ương",
        "decision_ref": "20/QĐ-UBND", "effective_on": "15/05/2025"})
    assert changed.status_code == 303
    timeline = text(client.get(f"/t/{TENANT}/tasks/5"))
    assert "Dost Lan" in timeline and ">dost.lan<" not in timeline
    changes = text(client.get(f"/changes?tenant={TENANT}"))
    assert "Dost Lan" in changes and ">dost.lan<" not in changes
