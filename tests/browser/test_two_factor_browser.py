"""Two-factor enrolment and login in a real browser: the QR code shows under the CSP, and the
codes from the app (computed here at the app's fixed time) let the user in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOW = datetime(2026, 3, 18, 9, 0, 15, tzinfo=timezone.utc)


def test_enrol_with_the_qr_code_then_log_in_with_a_code(app, page, build, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("worker",))
    monkeypatch.setitem(app.config, "CASELOAD_NOW", NOW)
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct horse battery")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/login/enrol")
    qr = page.locator("#totp-qr")
    qr.wait_for()
    assert page.evaluate("document.getElementById('totp-qr').naturalWidth") > 0
    assert not violations
    secret = page.locator("#totp-secret").inner_text()

    page.fill("#code", pyotp.TOTP(secret).at(NOW))
    page.click("main form button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)  # waits for the answer
    page.click("main a.button")  # "I have kept them; continue"
    page.wait_for_url("**/caseload")
    assert page.locator("header nav").count() == 1

    page.click("header form[action$='/logout'] button")
    page.wait_for_url("**/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct horse battery")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/login/code")
    monkeypatch.setitem(app.config, "CASELOAD_NOW", NOW + timedelta(seconds=30))
    page.fill("#code", pyotp.TOTP(secret).at(NOW + timedelta(seconds=30)))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/caseload")
    assert page.locator("header nav").count() == 1
