"""Browser fixtures: the session `app` served on a loopback port, and Debian's chromium driven
headless through Playwright.

The server runs in a thread of the test process and shares the `app` fixture, so it sees the
fixed date (CASELOAD_TODAY) and the database of the test run. Every request runs in its own app
context and so its own database session; test data must be committed (`build.commit()`) before
the browser loads a page.

Never run `playwright install`: the tests use the system chromium (CASELOAD_CHROMIUM overrides
the path). Without it the browser tests are skipped, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CASELOAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 10_000


def launch_chromium(playwright):
    """Launch the system chromium headless (shared with scripts/screenshot.py)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port; yields the base URL without a trailing slash."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"no chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page in its own context (own cookies), with relative URLs against the server."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def log_in(page) -> Callable:
    """Log in through the login form, as a person would; ends on the page the login redirects to."""
    from tests.builders import Builder

    def log_in(user, password: str = Builder.PASSWORD):
        page.goto("/login")
        page.fill("#email", user.email)
        page.fill("#password", password)
        with page.expect_response(lambda r: r.request.method == "POST"
                                  and r.url.endswith("/login")) as response:
            page.click("main form button[type=submit]")
        assert response.value.status == 302, f"login failed ({response.value.status})"
        page.wait_for_load_state()
        assert page.locator("header nav").count() == 1, "not logged in"
        return page

    return log_in
