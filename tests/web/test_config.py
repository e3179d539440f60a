"""The session key: configured, or made once per data directory in a 0600 file; and every
page declares who may see it."""

from __future__ import annotations

import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Blueprint, Flask

from domain.clock import Clock, fixed
from service.tenancy import Tenancy
from tests.web.conftest import Tokens, sign_in, text
from web import create_blueprint
from web.auth import UndeclaredPage, check_declared, page
from web.config import KEY_FILE, WebConfig, load_or_create_key, secret_key


def test_a_key_is_made_once_per_data_directory_readable_by_its_owner_only(
    tmp_path: Path
) -> None:
    first = load_or_create_key(tmp_path / "data")
    assert load_or_create_key(tmp_path / "data") == first and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "data" / KEY_FILE).stat().st_mode)
    assert mode == 0o600
    assert load_or_create_key(tmp_path / "elsewhere") != first


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_key(tmp_path)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and sorted(p.name for p in tmp_path.iterdir()) == [KEY_FILE]


def test_a_configured_key_wins_and_the_environment_is_read_once(tmp_path: Path) -> None:
    config = WebConfig.from_env({"R57_SECRET_KEY": "k" * 40, "R57_DATA_DIR": str(tmp_path)})
    assert secret_key(config, None) == "k" * 40
    assert not (tmp_path / KEY_FILE).exists()
    made = WebConfig.from_env({"R57_DATA_DIR": str(tmp_path)})
    assert secret_key(made, tmp_path / "store") == load_or_create_key(tmp_path / "store")


def test_a_page_that_declares_no_access_is_refused_when_the_blueprint_is_built() -> None:
    def undeclared() -> str:
        return ""

    declared = page("open")(lambda: "")
    check_declared(Blueprint("ok", __name__), [declared])
    with pytest.raises(UndeclaredPage):
        check_declared(Blueprint("bad", __name__), [undeclared])


def test_the_pages_stand_alone_on_a_bare_app_with_their_own_clock_and_key(
    tenancy: Tenancy, province: Tokens
) -> None:
    clock = fixed(datetime(2025, 3, 14, 20, 0, tzinfo=UTC))  # already 15/03 in Vietnam
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(WebConfig(secret_key="s" * 40), tenancy=tenancy,
                                            clock=clock))
    assert app.secret_key == "s" * 40
    client = app.test_client()
    assert "Số liệu tính đến ngày 15/03/2025." in text(client.get("/p/quang-nam"))
    sign_in(client, province.admin)
    assert "Tình trạng chung ngày 15/03/2025" in text(client.get("/t/quang-nam/"))


def test_a_session_ends_after_a_working_day(tenancy: Tenancy, province: Tokens) -> None:
    now = [datetime(2025, 3, 14, 1, 0, tzinfo=UTC)]
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(WebConfig(secret_key="s" * 40, session_hours=12),
                                            tenancy=tenancy,
                                            clock=Clock(source=lambda: now[0])))
    client = app.test_client()
    sign_in(client, province.admin)
    for _ in range(11 * 3):  # busy all day: a request every twenty minutes
        now[0] += timedelta(minutes=20)
        assert client.get("/t/quang-nam/").status_code == 200
    now[0] += timedelta(hours=1, minutes=10)
    assert client.get("/t/quang-nam/").status_code == 302


def test_a_session_ends_when_idle_too_long(tenancy: Tenancy, province: Tokens) -> None:
    now = [datetime(2025, 3, 14, 1, 0, tzinfo=UTC)]
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(WebConfig(secret_key="s" * 40,
                                                      session_idle_minutes=30),
                                            tenancy=tenancy, clock=Clock(source=lambda: now[0])))
    client = app.test_client()
    sign_in(client, province.admin)
    now[0] += timedelta(minutes=29)
    assert client.get("/t/quang-nam/").status_code == 200
    now[0] += timedelta(minutes=31)
    assert client.get("/t/quang-nam/").status_code == 302
    now[0] += timedelta(minutes=1)  # the ended session stays ended
    assert client.get("/t/quang-nam/").status_code == 302


def test_secure_cookies_behind_a_trusted_proxy() -> None:
    config = WebConfig.from_env({"R57_TRUSTED_PROXIES": "1"})
    assert config.secure_cookies
    assert not WebConfig.from_env({}).secure_cookies
    assert not WebConfig.from_env({"R57_TRUSTED_PROXIES": "1",
                                   "R57_SECURE_COOKIES": "0"}).secure_cookies
