"""Accounts and hardening: password policy, throttling and lockout, sessions, headers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseload import clock
from caseload.auth import throttle
from caseload.extensions import db
from caseload.models import DomainError, User
from tests.builders import Builder
from tests.conftest import csrf_token, login


def attempt(client, email, password, ip="127.0.0.1"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


@pytest.mark.parametrize("password", ["short-pass1", "wachtwoord123", "aaaaaaaaaaaaaaaa",
                                      "my-annabel-password"])
def test_weak_passwords_are_refused(build, password):
    user = User(email="annabel@example.org", name="A", role="worker")
    with pytest.raises(DomainError):
        user.set_password(password)


def test_a_strong_password_is_stored_as_an_scrypt_hash(app, build):
    user = User(email="annabel@example.org", name="A", role="worker")
    method = app.config["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"  # the production default (config.py)
    try:
        user.set_password("paarse-fiets-op-de-dijk")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = method
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("paarse-fiets-op-de-dijk")


def test_the_default_hash_method_is_scrypt(monkeypatch, tmp_path):
    from caseload import config
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path))
    assert config.from_environment()["PASSWORD_HASH_METHOD"] == "scrypt"


def test_account_locks_after_five_failures_with_a_clear_message(client, build):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    for _ in range(throttle.ACCOUNT_FAILURES):
        assert attempt(client, "wim@example.org", "wrong password!!").status_code == 200
    locked = attempt(client, "wim@example.org", Builder.PASSWORD)  # even the right one
    assert locked.status_code == 429
    assert 'id="email-error"' in locked.text
    assert client.get("/caseload").status_code == 302  # not logged in
    assert user.id


def test_lock_ends_after_the_window(build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    for _ in range(throttle.ACCOUNT_FAILURES):
        throttle.note(db.session, "wim@example.org", "10.0.0.1", success=False)
    now = clock.utcnow()
    assert throttle.check(db.session, "wim@example.org", "x", now).account_locked_until
    later = now + throttle.WINDOW + timedelta(seconds=1)
    assert throttle.check(db.session, "wim@example.org", "x", later).account_locked_until is None


def test_many_failures_from_one_address_are_throttled(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    for n in range(throttle.ADDRESS_FAILURES):
        throttle.note(db.session, f"guess{n}@example.org", "192.0.2.7", success=False)
    blocked = attempt(client, "wim@example.org", Builder.PASSWORD, ip="192.0.2.7")
    assert blocked.status_code == 429 and 'id="address-blocked"' in blocked.text
    assert attempt(client, "wim@example.org", Builder.PASSWORD, ip="192.0.2.8").status_code == 302


def test_changing_the_password_logs_out_every_other_session(app, build):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    assert phone.get("/caseload").status_code == 200

    fresh = db.session.get(User, user.id)
    fresh.set_password("een-heel-nieuw-wachtwoord")
    db.session.commit()

    assert phone.get("/caseload").status_code == 302
    assert laptop.get("/caseload").status_code == 302


def test_session_ends_after_inactivity(app, client, build, monkeypatch):
    user = build.user(build.team())
    build.commit()
    start = clock.utcnow()
    monkeypatch.setitem(app.config, "CASELOAD_NOW", start)
    login(client, user)
    assert client.get("/caseload").status_code == 200
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    monkeypatch.setitem(app.config, "CASELOAD_NOW", start + idle)
    response = client.get("/caseload")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "niet actief" in client.get(response.headers["Location"]).text


def test_security_headers_and_cookie_flags(client, build):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    assert "Strict-Transport-Security" in client.get(
        "/login", base_url="https://localhost").headers
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_too_large_a_request_gets_a_clear_page(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Traceback" not in response.text
