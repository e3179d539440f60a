"""In headless Chromium: the centre's monitor signs in, follows the header to the national
view, reads the provinces side by side, and drills down into a province replicated from its
own deployment, whose pages say where they come from and how far behind they are. Each page
at 1400 px and 390 px, screenshots kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
from service.replication import Replicator, add_replica
from tests.conftest import SEED
from tests.integration.replication_source import served_source
from tests.web.browser import (
    after_navigation,
    at_width,
    body_text,
    chromium,
    fits_sideways,
    look_at_widths,
    screenshot,
    serving,
    sign_in_with_token,
)
from tests.web.conftest import OTHER, TENANT, seed_tenant

WIDTHS = (1400, 390)
HUE = "hue"


@dataclass
class Site:
    base: str
    driver: WebDriver
    monitor: str

    def sign_in(self) -> str:
        self.driver.delete_all_cookies()
        self.driver.get(self.base + "/sign-in")
        return sign_in_with_token(self.driver, self.monitor)

    def look(self, name: str) -> None:
        look_at_widths(self.driver, f"national/{name}", WIDTHS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser-national")
    settings = Settings(database_url=f"sqlite:///{folder / 'hub'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    with served_source(folder / "province", SEED) as source:
        add_replica(tenancy, HUE, source.url, source.token, source_tenant="quang-nam",
                    display_name="Thừa Thiên Huế", admin_code="46")
        Replicator(tenancy).sync(HUE)
        access = tenancy.access
        access.create_principal("bkhcn.giamsat", "Giám sát Bộ KH&CN", "setup")
        for slug in (TENANT, OTHER, HUE):
            access.grant("bkhcn.giamsat", "national_monitor", slug, "", "setup")
        monitor = access.issue_token("bkhcn.giamsat", "setup").token
        with serving(create_app(settings, tenancy, ApiSettings())) as base, \
                chromium(folder / "profile") as driver:
            yield Site(base, driver, monitor)
    tenancy.close()


def test_the_monitor_compares_the_provinces_and_drills_into_a_replica(site: Site) -> None:
    site.sign_in()
    page = after_navigation(site.driver, site.driver.find_element(
        By.LINK_TEXT, "Toàn quốc").click)
    assert "Tình hình thực hiện Nghị quyết 57 của các tỉnh, thành phố" in page
    for name in ("Quảng Nam", "Đà Nẵng", "Thừa Thiên Huế", "Cả nước"):
        assert name in page
    site.driver.get(site.base + "/quoc-gia?on=30/09/2025&from=01/07/2025&to=30/09/2025")
    site.look("toan-quoc")

    replica = after_navigation(site.driver, site.driver.find_element(
        By.CSS_SELECTOR, "table.national th.province a[href^='/t/hue/']").click)
    assert "Bản sao chỉ đọc" in replica
    assert "Đã cập nhật theo nguồn" in replica and "Tổng quan thực hiện kế hoạch" in replica
    site.look("ban-sao-tong-quan")
    assert "Nhập kế hoạch" not in body_text(site.driver)


# What a reader sees of the chart: the picture's and the rows' display, and each row's name
# as shown, the size of its type in px and the counts written under its bar.
CHART = """
const box = document.querySelector('#bieu-do').parentElement;
const shown = el => getComputedStyle(el).display !== 'none';
return {
  picture: shown(box.querySelector('svg.chart')),
  rows: shown(box.querySelector('ol.chart-rows')),
  items: [...box.querySelectorAll('ol.chart-rows > li')].filter(shown).map(li => ({
    name: li.querySelector('.chart-row-head a').innerText,
    type: parseFloat(getComputedStyle(li.querySelector('.chart-row-head')).fontSize),
    width: li.getBoundingClientRect().width,
    counts: li.querySelector('.chart-row-counts').innerText,
  })),
};
"""


def test_on_a_phone_the_provinces_chart_becomes_one_readable_row_per_province(
    site: Site,
) -> None:
    site.sign_in()
    site.driver.get(site.base + "/quoc-gia?on=30/09/2025")
    wide = site.driver.execute_script(CHART)
    assert wide["picture"] and not wide["rows"]

    at_width(site.driver, 390)
    try:
        phone = site.driver.execute_script(CHART)
        assert fits_sideways(site.driver)
        screenshot(site.driver, "national/bieu-do-390")
    finally:
        at_width(site.driver, None)
    assert not phone["picture"] and phone["rows"]
    assert sorted(i["name"] for i in phone["items"]) == ["Quảng Nam", "Thừa Thiên Huế",
                                                         "Đà Nẵng"]
    for item in phone["items"]:
        assert item["type"] >= 14 and item["width"] <= 390
        assert "42" in item["counts"] and "18" in item["counts"]  # overdue, not started
