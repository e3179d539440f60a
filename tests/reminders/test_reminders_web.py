"""Reminders in the web: "Thông báo" in the header with the unread count, the list of one's
reminders with links to the tasks, and the e-mail opt-out on one's account page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api.config import ApiSettings
from server.app import create_app
from tests.reminders.conftest import LAN, World

PASSWORD = "Hội An phố cổ 1999"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def csrf(text: str) -> str:
    found = _CSRF.search(text)
    assert found
    return found.group(1)


@pytest.fixture
def lan(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """Lan, the reporter of Sở KH&CN, signed in with her e-mail and password."""
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    monkeypatch.delenv("R57_SECRET_KEY", raising=False)
    world.tenancy.accounts.set_password(LAN, PASSWORD, "set", "dost.officer")
    client = create_app(world.settings, world.tenancy, ApiSettings()).test_client()
    signed = client.post("/sign-in", data={"login": LAN, "password": PASSWORD, "next": "/",
                                           "csrf_token": csrf(page(client, "/sign-in"))})
    assert signed.status_code == 303
    return client


def _badge(text: str) -> str | None:
    found = re.search(r'Thông báo(?: <span class="badge unread"[^>]*>(\d+)</span>)?</a>', text)
    assert found, "no Thông báo link in the header"
    return found.group(1)


def test_the_header_counts_unread_reminders_until_the_list_is_read(world: World,
                                                                   lan: FlaskClient) -> None:
    assert _badge(page(lan, "/account")) is None
    world.reminders().run()
    assert _badge(page(lan, "/account")) == "3"
    listed = page(lan, "/notifications")
    assert listed.count('<span class="badge pending">Mới</span>') == 3
    assert 'Nhiệm vụ 1 “Xây dựng chương trình chuyển đổi số” còn 7 ngày đến hạn (30/06/2025).' \
        in listed
    assert '<a href="/t/quang-nam/tasks/3">Xem nhiệm vụ</a>' in listed
    assert "Quảng Nam · Chưa có báo cáo kỳ này" in listed
    assert _badge(page(lan, "/account")) is None
    assert "Mới</span>" not in page(lan, "/notifications")


def test_a_person_opts_out_of_email_on_the_account_page(world: World, lan: FlaskClient) -> None:
    account = page(lan, "/account")
    assert 'name="email_reminders" value="on" checked' in account and LAN in account
    saved = lan.post("/account/email-reminders", data={"csrf_token": csrf(account)})
    assert saved.status_code == 303
    account = page(lan, "/account")
    assert "không nhận thư nhắc việc qua e-mail nữa" in account
    assert 'name="email_reminders" value="on">' in account
    world.reminders().run()
    assert [r.recipients for r in world.smtp.inbox.received] == [["binh@syt.quangnam.gov.vn"]]
    lan.post("/account/email-reminders", data={"csrf_token": csrf(account),
                                               "email_reminders": "on"})
    assert world.reminders().address(LAN) == LAN
