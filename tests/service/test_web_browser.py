"""The web page in a real browser: Debian's headless Chromium driven by Selenium.

A PM signs in with their key, sees a flag, opens the client, snoozes the flag with
a reason, goes back to the list and finds it gone; a session cookie saved before
signing out and put back into the browser opens nothing. The app runs under uvicorn in
a background thread, on a free port, against the scored firm of ``test_web``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from features.simulation import Simulation
from service.app import create_app
from service.web.session import SESSION_COOKIE
from tests.conftest import service_missing
from tests.service.test_web import WebFirm, open_flags, web_firm_copy

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def firm(small_simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> WebFirm:
    return web_firm_copy(small_simulation, tmp_path_factory, "web-browser-home")


@pytest.fixture(scope="module")
def base_url(firm: WebFirm) -> Iterator[str]:
    """The app served by uvicorn on a free local port (no lifespan: the page needs no
    models, and so no MLflow)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(firm.settings), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file() or not CHROMEDRIVER.is_file():
        service_missing(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    try:
        # The path given: Selenium Manager downloads nothing.
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except Exception as exc:
        service_missing(f"Chromium did not start: {exc}")
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def test_a_pm_signs_in_snoozes_a_flag_and_sees_it_gone(
    firm: WebFirm, base_url: str, browser: object
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    driver = browser
    wait = WebDriverWait(driver, 10)
    driver.get(base_url + "/")
    assert driver.current_url == base_url + "/login"
    driver.find_element(By.ID, "api_key").send_keys(firm.pm.secret)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    wait.until(ec.url_to_be(base_url + "/app/flags"))
    assert firm.pm.principal.email in driver.find_element(By.CSS_SELECTOR, "header").text

    cards = driver.find_elements(By.CSS_SELECTOR, "li.flag")
    assert cards, "the PM sees no flag"
    expected = open_flags(firm, firm.pm)
    assert [c.get_attribute("data-flag-id") for c in cards] == [f.flag_id for f in expected]
    card = cards[0]
    flag_id = card.get_attribute("data-flag-id")
    assert flag_id
    chips = card.find_elements(By.CSS_SELECTOR, "ul.chips li")
    assert [c.text for c in chips] == [r["text"] for r in expected[0].reasons]

    card.find_element(By.CSS_SELECTOR, "a.client").click()
    wait.until(ec.url_contains(f"/app/clients/{expected[0].client_id}"))
    assert driver.find_element(By.ID, "chart-spend").tag_name == "svg"
    article = driver.find_element(By.ID, f"flag-{flag_id}")
    snooze = article.find_element(By.CSS_SELECTOR, "form.snooze")
    assert snooze.find_element(By.CSS_SELECTOR, "input[name=until]").get_attribute("value")
    snooze.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys(
        "Client on holiday until the budget meeting"
    )
    snooze.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    status = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "p.flash")))
    assert "Snoozed until" in status.text
    assert "Snoozed until" in driver.find_element(By.ID, f"flag-{flag_id}").text

    driver.find_element(By.LINK_TEXT, "Flags").click()
    wait.until(ec.url_to_be(base_url + "/app/flags"))
    shown = [
        c.get_attribute("data-flag-id") for c in driver.find_elements(By.CSS_SELECTOR, "li.flag")
    ]
    assert flag_id not in shown
    assert len(shown) == len(expected) - 1


def test_a_cookie_restored_after_signing_out_opens_nothing(
    firm: WebFirm, base_url: str, browser: object
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    driver = browser
    wait = WebDriverWait(driver, 10)
    driver.get(base_url + "/login")
    driver.delete_all_cookies()  # whatever an earlier test left: sign in afresh
    driver.get(base_url + "/login")
    driver.find_element(By.ID, "api_key").send_keys(firm.pm.secret)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    wait.until(ec.url_to_be(base_url + "/app/flags"))
    saved = driver.get_cookie(SESSION_COOKIE)
    assert saved is not None

    driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button[type=submit]").click()
    wait.until(ec.url_to_be(base_url + "/login"))
    # The browser's copy is gone (the sign-in page gave it a fresh one, for its form).
    assert (driver.get_cookie(SESSION_COOKIE) or {}).get("value") != saved["value"]

    driver.add_cookie({key: saved[key] for key in ("name", "value", "path", "httpOnly")})
    driver.get(base_url + "/app/flags")
    assert driver.current_url == base_url + "/login?next=%2Fapp%2Fflags"
    assert driver.find_element(By.ID, "api_key").is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, "li.flag")
