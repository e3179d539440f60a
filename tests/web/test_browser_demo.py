"""In headless Chromium: the demo's dashboard as a newcomer meets it after `./dev serve`,
the standing body signed in, at 1400 px; the banner is the first thing under the header, the
charts show every kind of outcome. The screenshot is the README's first one
(docs/demo-dashboard.png)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from selenium.webdriver.common.by import By

from api.config import ApiSettings
from domain.clock import fixed
from server.app import create_app
from server.serve import demo_token, ensure_demo, ensure_demo_principals
from service.config import Settings
from service.container import build_tenancy
from tests.web.browser import after_navigation, chromium, screenshot, serving, sign_in_with_token

DOST = demo_token("demodost", "demo-only-tenant-admin")


def test_the_demo_dashboard_shows_the_story_under_its_banner(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'data'}")
    tenancy = build_tenancy(settings)
    tenancy.clock = fixed(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    ensure_demo(tenancy)
    ensure_demo_principals(tenancy)
    app = create_app(settings, tenancy, ApiSettings())
    try:
        with serving(app) as base, chromium(tmp_path / "profile") as driver:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
            driver.get(base + "/sign-in")
            sign_in_with_token(driver, DOST)
            page = after_navigation(driver, lambda: driver.get(base + "/t/demo/"))
            banner = driver.find_element(By.CSS_SELECTOR, "[data-simulated]")
            assert banner.is_displayed() and "DỮ LIỆU MÔ PHỎNG ĐỂ TRÌNH DIỄN" in banner.text
            assert banner.location["y"] < 150  # right under the header, before the content
            for words in ("Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành - quá hạn"):
                assert words in page, words
            fits = driver.execute_script(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;")
            assert fits
            shot = screenshot(driver, "demo/dashboard-1400")
            assert shot.stat().st_size > 20_000
    finally:
        tenancy.close()
