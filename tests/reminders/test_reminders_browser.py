"""The reminder pages as a reporter meets them in Chromium, on a desktop and a phone: the
header's unread count, the list of reminders, the e-mail choice on the account page."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from tests.reminders.conftest import LAN, World
from tests.web.browser import after_navigation, chromium, screenshot, serving

PASSWORD = "Hội An phố cổ 1999"
WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """One store is enough to look at pages: SQLite."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'data'}")


def test_a_reporter_sees_and_reads_her_reminders_on_a_desktop_and_a_phone(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    world.tenancy.accounts.set_password(LAN, PASSWORD, "set", "dost.officer")
    world.reminders().run()
    app = create_app(world.settings, world.tenancy, ApiSettings())
    problems = []
    with serving(app) as base, chromium(tmp_path / "profile") as driver:
        driver.get(base + "/sign-in")
        driver.find_element(By.ID, "f-login").send_keys(LAN)
        driver.find_element(By.ID, "f-password").send_keys(PASSWORD)
        home = after_navigation(driver, driver.find_element(
            By.CSS_SELECTOR, "form button[type=submit]").click)
        assert "Thông báo 3" in home
        for device, (width, height) in WIDTHS.items():
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1,
                "mobile": width < 640})
            for name, path in (("thong-bao", "/notifications"), ("tai-khoan", "/account")):
                driver.get(base + path)
                screenshot(driver, f"reminders/{device}/{name}")
                scroll = driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth")
                if scroll > 1:
                    problems.append(f"{device} {name}: scrolls sideways by {scroll} px")
        driver.get(base + "/account")
        assert "Thông báo 3" not in driver.find_element(By.TAG_NAME, "header").text
    assert not problems, "\n".join(problems)
