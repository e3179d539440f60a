"""End to end in headless Chromium: a task followed from its assignment through a deadline
change to a verified report, each role through its own pages, with screenshots kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from api.config import ApiSettings
from domain.clock import Clock
from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.conftest import SEED
from tests.web.browser import (
    after_navigation,
    body_text,
    chromium,
    screenshot,
    serving,
    sign_in_with_token,
)
from tests.web.conftest import OTHER, TENANT, Tokens, issue_tokens, seed_tenant

MAIN_FORM = "main form[method=post]"


@dataclass(frozen=True)
class Site:
    base: str
    tenancy: Tenancy
    tokens: Tokens
    driver: WebDriver

    def open(self, path: str) -> str:
        self.driver.get(self.base + path)
        return body_text(self.driver)

    def sign_in(self, token: str) -> None:
        self.driver.delete_all_cookies()
        self.open("/sign-in")
        assert "Xin chào" in sign_in_with_token(self.driver, token)

    def fill(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            field = self.driver.find_element(By.ID, f"f-{name}")
            if field.tag_name == "select":
                Select(field).select_by_value(value)
            else:
                field.clear()
                field.send_keys(value)

    def submit(self, label: str = "") -> str:
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "main form button")
        chosen = next(b for b in buttons if label in b.text)
        return after_navigation(self.driver, chosen.click)

    def follow(self, link: str) -> str:
        return after_navigation(self.driver,
                                self.driver.find_element(By.LINK_TEXT, link).click)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    with serving(create_app(settings, tenancy, ApiSettings())) as base, \
            chromium(folder / "profile") as driver:
        yield Site(base, tenancy, tokens, driver)
    tenancy.close()


def test_a_task_goes_from_assignment_through_a_deadline_change_to_a_verified_report(
    site: Site
) -> None:
    # The standing body finds task 5 as it was assigned by the plan.
    site.sign_in(site.tokens.admin)
    page = site.open(f"/t/{TENANT}/tasks/5")
    assert "Giao nhiệm vụ 5: chủ trì Sở Nội vụ, thời hạn '3/2025'" in page

    # It moves the deadline; a deadline it cannot read is refused beside the field.
    site.follow("Điều chỉnh thời hạn")
    site.fill({"deadline": "sớm nhất có thể", "reason": "Chờ hướng dẫn của Bộ Nội vụ",
               "decision_ref": "123/QĐ-UBND", "effective_on": "10/03/2025"})
    refused = site.submit()
    assert "Không hiểu thời hạn 'sớm nhất có thể'" in refused
    field = site.driver.find_element(By.ID, "f-deadline")
    assert field.get_attribute("aria-invalid") == "true"
    assert "error-summary" in site.driver.switch_to.active_element.get_attribute("class")
    screenshot(site.driver, "06-loi-nhap-lieu")
    site.fill({"deadline": "6/2025"})
    moved = site.submit()
    assert "Đã điều chỉnh thời hạn của nhiệm vụ 5." in moved
    assert "Điều chỉnh thời hạn từ '3/2025' thành '6/2025'" in moved

    # The agency's reporter reports progress through the form.
    site.sign_in(site.tokens.reporter)
    site.open(f"/t/{TENANT}/tasks/5")
    site.follow("Báo cáo tiến độ")
    site.fill({"period": "2025-Q2", "percent": "60", "narrative": "Đã trình dự thảo quy định",
               "evidence": "45/SNV-TCBC ngày 20/05/2025"})
    screenshot(site.driver, "04-bao-cao-tien-do")
    reported = site.submit("Gửi báo cáo")
    assert "Đã ghi nhận báo cáo số 1 của nhiệm vụ 5." in reported
    assert "Chờ xác nhận" in reported

    # The standing body verifies it; the timeline now holds every step.
    site.sign_in(site.tokens.admin)
    site.open(f"/t/{TENANT}/tasks/5")
    site.driver.find_element(By.ID, "note-1").send_keys("Đúng tiến độ")
    verify = site.driver.find_element(By.XPATH, "//button[contains(., 'Xác nhận báo cáo 1')]")
    verified = after_navigation(site.driver, verify.click)
    assert "Đã xác nhận báo cáo số 1 của nhiệm vụ 5." in verified
    for step in ("Giao nhiệm vụ 5", "Điều chỉnh thời hạn từ '3/2025' thành '6/2025'",
                 "Lý do, ý kiến: Chờ hướng dẫn của Bộ Nội vụ", "Văn bản: 123/QĐ-UBND",
                 "Báo cáo số 1, Quý II/2025: 60%", "Báo cáo số 1 đã được xác nhận"):
        assert step in verified, step
    screenshot(site.driver, "03-nhiem-vu")
    task = site.tenancy.ledger(TENANT).task("5")
    assert task.deadline.text == "6/2025" and len(task.reports) == 1


def test_a_resubmitted_form_and_a_forged_one_record_nothing(site: Site) -> None:
    site.sign_in(site.tokens.reporter)
    site.open(f"/t/{TENANT}/tasks/4/report")
    site.fill({"period": "2025-Q2", "percent": "20", "narrative": "Đang nghiên cứu"})
    action = site.driver.execute_script(
        "const f = document.querySelector(arguments[0]);"
        "sessionStorage.setItem('again', JSON.stringify("
        "[...new FormData(f)].filter(([, v]) => !(v instanceof File))));"
        "return f.action;", MAIN_FORM)
    assert "Đã ghi nhận báo cáo số 1" in site.submit("Gửi báo cáo")
    again = after_navigation(site.driver, lambda: site.driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "for (const [k, v] of JSON.parse(sessionStorage.getItem('again'))) {"
        "  const i = document.createElement('input'); i.type = 'hidden'; i.name = k;"
        "  i.value = v; f.appendChild(i); }"
        "document.body.appendChild(f); f.submit();", action))
    assert "Biểu mẫu này đã được gửi trước đó; không ghi nhận thêm lần nữa." in again
    assert len(site.tenancy.ledger(TENANT).task("4").reports) == 1

    site.sign_in(site.tokens.admin)
    site.open(f"/t/{TENANT}/tasks/4/deadline")
    site.fill({"deadline": "12/2025", "reason": "Lùi hạn"})
    site.driver.execute_script(
        "document.querySelector(arguments[0] + ' input[name=csrf_token]').value = 'forged';",
        MAIN_FORM)
    forged = site.submit()
    assert "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ" in forged
    screenshot(site.driver, "12-tu-choi-csrf")
    assert site.tenancy.ledger(TENANT).task("4").deadline.text != "12/2025"


def counts(driver: WebDriver) -> dict[str, int]:
    return {e.get_attribute("data-status"): int(e.text)
            for e in driver.find_elements(By.CSS_SELECTOR, ".cards .count")}


def test_each_role_reads_its_pages_and_the_counts_match_the_ledger(site: Site) -> None:
    site.sign_in(site.tokens.admin)
    site.open(f"/t/{TENANT}/?on=15/03/2025")
    expected = site.tenancy.queries(TENANT).summary(date(2025, 3, 15)).overall
    assert counts(site.driver) == {k: v for k, v in expected.items() if v or k not in (
        "cancelled", "suspended")}
    screenshot(site.driver, "01-tong-quan")
    site.open(f"/t/{TENANT}/tasks?q=chuyen+doi+so&status=open_overdue")
    assert "nhiệm vụ, tình trạng tại ngày" in body_text(site.driver)
    screenshot(site.driver, "02-danh-sach-nhiem-vu")
    site.open(f"/t/{TENANT}/indicators")
    screenshot(site.driver, "07-chi-tieu")
    site.open(f"/t/{TENANT}/scorecard?year=2025")
    screenshot(site.driver, "08-xep-hang-co-quan")
    site.open(f"/t/{TENANT}/periodic-report?on=30/06/2025")
    screenshot(site.driver, "13-bao-cao-dinh-ky")
    site.open(f"/t/{TENANT}/import")
    site.driver.find_element(By.ID, "f-file").send_keys(str(SEED))
    preview = site.submit("Xem trước")
    assert "60 nhiệm vụ" in preview and "Xác nhận nhập kế hoạch" in preview
    screenshot(site.driver, "11-nhap-ke-hoach")

    # The auditor picks a day: yesterday the plan was not yet known here; today it is.
    site.sign_in(site.tokens.auditor)
    today = Clock().today()
    site.open(f"/t/{TENANT}/time-travel")
    site.fill({"on": f"{today - timedelta(days=1):%d/%m/%Y}"})
    site.submit("Xem")
    assert counts(site.driver)["total"] == 0
    site.fill({"on": f"{today:%d/%m/%Y}"})
    site.submit("Xem")
    assert counts(site.driver)["total"] == 60
    row = site.driver.find_element(By.XPATH, "//tr[td[1][normalize-space()='5']]").text
    assert "6/2025" in row
    screenshot(site.driver, "09-tra-cuu-theo-thoi-diem")
    site.open(f"/t/{TENANT}/diff?before={today - timedelta(days=1):%d/%m/%Y}")
    screenshot(site.driver, "10-so-sanh-hai-ngay")

    # The inspector reads the change log of both provinces.
    site.sign_in(site.tokens.inspector)
    log = site.open("/changes")
    assert "Điều chỉnh thời hạn" in log and "123/QĐ-UBND" in log
    screenshot(site.driver, "05-nhat-ky-thay-doi")
    assert "Tra cứu theo thời điểm" not in site.open(f"/t/{TENANT}/tasks/5")

    # Anyone reads the public page, signed in or not.
    site.driver.delete_all_cookies()
    public = site.open(f"/p/{TENANT}")
    assert "Kết quả của các cơ quan năm" in public and "Đăng nhập" in public
    screenshot(site.driver, "00-trang-cong-khai")
    assert re.search(r"\d{2}/\d{2}/\d{4}", public)
