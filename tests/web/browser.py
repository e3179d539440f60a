"""Headless Chromium driving the real server: the Debian browser and its driver, a werkzeug
server in a thread on 127.0.0.1, and full-page screenshots kept as test artefacts."""

from __future__ import annotations

import base64
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("R57_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("R57_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--lang=vi", "--window-size=1280,900")
MAX_SHOT_HEIGHT = 6000


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, in a thread, for as long as the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def chromium(profile: Path) -> Iterator[WebDriver]:
    """Headless Chromium with a fresh profile. Missing, it fails the run: browser tests are
    never skipped (CI installs the browser with scripts/install-browser.sh)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"Headless Chromium is needed for the web tests but {', '.join(missing)} "
                    "is missing: run scripts/install-browser.sh (as root).", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: WebDriver, name: str) -> Path:
    """The whole page, not only the window, as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"],
            "height": min(size["height"], MAX_SHOT_HEIGHT), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": clip})
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def after_navigation(driver: WebDriver, act: Callable[[], object]) -> str:
    """Do something that loads a new page, wait for that page, and return its text. The
    old page is marked, so the wait ends only once a new document has fully loaded."""
    driver.execute_script("window.r57OldPage = true;")
    act()
    # While the page changes the driver may answer with transient errors: retry them.
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return !window.r57OldPage && document.readyState === 'complete';"))
    return body_text(driver)


def body_text(driver: WebDriver) -> str:
    text: str = driver.find_element(By.TAG_NAME, "body").text
    return text


def sign_in_with_token(driver: WebDriver, token: str) -> str:
    """On the sign-in page: sign in with an API token; the text of the page it leads to."""
    driver.find_element(By.CSS_SELECTOR, "details.tokens summary").click()
    driver.find_element(By.ID, "f-token").send_keys(token)
    return after_navigation(driver, driver.find_element(By.ID, "token-submit").click)


def at_width(driver: WebDriver, width: int | None) -> None:
    """Emulate a screen `width` px wide (a phone below 640 px) and reload the page; None
    goes back to the browser's own window."""
    if width is None:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 640})
    driver.refresh()


def fits_sideways(driver: WebDriver) -> bool:
    """Whether the page needs no sideways scrolling."""
    fits: bool = driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1;")
    return fits


def look_at_widths(driver: WebDriver, name: str, widths: tuple[int, ...]) -> None:
    """The page at each width, emulated as a phone below 640 px: no sideways scrolling, and a
    screenshot to look at (test-artifacts/screenshots/<name>-<width>.png)."""
    for width in widths:
        at_width(driver, width)
        assert fits_sideways(driver), f"{name} scrolls sideways at {width} px"
        screenshot(driver, f"{name}-{width}")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
