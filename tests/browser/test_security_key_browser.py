"""A security key (WebAuthn) in a real browser: Chromium's virtual authenticator (DevTools
protocol) plays the key. Added under Settings, it then stands in for the app's code."""

from __future__ import annotations

from datetime import datetime, timezone

import pyotp
import pytest
from sqlalchemy import select

from caseload.auth import two_factor
from caseload.extensions import db
from caseload.models import SecurityKey
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

NOW = datetime(2026, 3, 18, 9, 0, 15, tzinfo=timezone.utc)


@pytest.fixture
def key_page(app, browser, live_server, monkeypatch):
    """A page on http://localhost:<port> (WebAuthn needs a domain, not an IP address) with a
    virtual authenticator attached."""
    base = live_server.replace("127.0.0.1", "localhost")
    monkeypatch.setitem(app.config, "BASE_URL", base)
    context = browser.new_context(base_url=base)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})
    try:
        yield page
    finally:
        context.close()


def password_step(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", "correct horse battery")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/login/code")


def test_a_security_key_added_in_settings_logs_in_instead_of_the_code(app, key_page, build,
                                                                      monkeypatch):
    page = key_page
    monkeypatch.setitem(app.config, "CASELOAD_NOW", NOW)
    user = build.user(build.team(), email="wim@example.org")
    secret = two_factor.new_secret()
    two_factor.confirm_enrolment(db.session, user, secret, pyotp.TOTP(secret).at(NOW), at=NOW)
    user.totp_last_step -= 1  # the code of NOW is still unused
    build.commit()

    password_step(page, user)
    assert page.locator("#webauthn-login").count() == 0  # no key yet
    page.fill("#code", pyotp.TOTP(secret).at(NOW))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/caseload")

    page.goto("/settings/two-factor")
    page.fill("#key-name", "YubiKey blauw")
    page.click("#webauthn-register")
    page.wait_for_selector("#security-keys li:has-text('YubiKey blauw')")
    key = db.session.scalars(select(SecurityKey)).one()
    assert key.user_id == user.id and key.name == "YubiKey blauw"

    page.click("header form[action$='/logout'] button")
    page.wait_for_url("**/login")
    password_step(page, user)
    page.click("#webauthn-login")
    page.wait_for_url("**/caseload")
    assert page.locator("header nav").count() == 1
    db.session.expire_all()
    assert db.session.get(SecurityKey, key.id).last_used_at is not None
