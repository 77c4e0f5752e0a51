"""Playwright driving Debian's Chromium (never a browser downloaded by ``playwright install``).

Without Chromium the browser tests skip with a clear message, except under ``REQUIRE_BROWSER=1``
(CI), where a missing browser is a failure.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = "未找到 Chromium（apt-get install -y chromium）"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in the test thread, which trips
    # Django's async-safety check on every ORM call the test makes (fixtures, assertions).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return chromium_path()


@pytest.fixture(scope="session")
def browser(
    chromium_executable: str,
    _allow_sync_orm_beside_playwright: None,
    django_db_setup: None,
    live_server: Any,
) -> Iterator[Browser]:
    # Set up after the test database and the live server, so torn down before the server:
    # Chromium keeps its connections to the server open until it closes, and each request
    # thread that then ends closes the database connection the server shares with the tests —
    # allowed only until the server stops (34 "DatabaseWrapper objects created in a thread"
    # errors at the end of every run before).
    with sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
    _request_threads_join()


def _request_threads_join(timeout: float = 5.0) -> None:
    """Wait for the live server's request threads (``socketserver.ThreadingMixIn`` names
    them after ``process_request_thread``) to end once the browser has hung up."""
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    browser_context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    yield opened
    opened.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Errors the page logs to the console; a Content-Security-Policy violation is one."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
