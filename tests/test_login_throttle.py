"""Logging in reveals nothing by its timing (every path checks one password hash) and the
lockout holds when the wrong passwords come in all at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from caseload.auth import passwords, throttle
from caseload.extensions import db
from caseload.models import LoginAttempt, User
from tests.builders import Builder
from tests.concurrency import run_at_once
from tests.conftest import csrf_token


@pytest.fixture
def hash_checks(monkeypatch):
    """The password hashes the login checks (werkzeug's function, watched, still doing the work)."""
    checked, lock = [], threading.Lock()
    real = passwords.check_password_hash

    def watched(pwhash, password):
        with lock:
            checked.append(pwhash)
        return real(pwhash, password)
    monkeypatch.setattr(passwords, "check_password_hash", watched)
    return checked


def post_login(client, email, password, token=None):
    token = token or csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def method_of(pwhash: str) -> str:
    return pwhash.split("$", 1)[0]


def test_unknown_inactive_and_known_accounts_each_check_one_hash_of_the_same_method(
        client, build, hash_checks):
    team = build.team()
    known = build.user(team, email="wim@example.org")
    inactive = build.user(team, email="oud@example.org")
    inactive.active = False
    no_password = build.user(team, email="import@example.org")
    no_password.password_hash = ""
    build.commit()

    for email in ("nobody@example.org", "wim@example.org", "oud@example.org",
                  "import@example.org"):
        before = len(hash_checks)
        response = post_login(client, email, "wrong password!!")
        assert response.status_code == 200 and 'id="password-error"' in response.text
        assert len(hash_checks) == before + 1, email

    unknown, wrong, for_inactive, for_no_password = hash_checks
    assert wrong == known.password_hash
    assert unknown == for_inactive == for_no_password == passwords.dummy_hash()
    assert method_of(unknown) == method_of(known.password_hash)
    # the same message whether the account exists or not
    assert post_login(client, "nobody@example.org", "x" * 12).text.count("password-error") == \
        post_login(client, "wim@example.org", "x" * 12).text.count("password-error")


def test_an_inactive_account_cannot_log_in_with_its_right_password(client, build):
    user = build.user(build.team(), email="oud@example.org")
    user.active = False
    build.commit()
    assert post_login(client, "oud@example.org", Builder.PASSWORD).status_code == 200
    assert client.get("/caseload").status_code == 302


def test_twelve_wrong_passwords_at_once_cannot_pass_the_lockout(app, build, hash_checks):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    clients = [app.test_client() for _ in range(12)]
    ready = [(c, csrf_token(c, "/login")) for c in clients]
    queue_lock = threading.Lock()

    def attack():
        with queue_lock:
            client, token = ready.pop()
        return post_login(client, "wim@example.org", "wrong password!!", token).status_code

    statuses = run_at_once(app, attack, times=12)

    checked = [h for h in hash_checks if h == user.password_hash]
    assert len(checked) <= throttle.ACCOUNT_FAILURES
    assert sorted(statuses).count(200) == len(checked)
    assert statuses.count(429) == 12 - len(checked)
    failures = db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.email == "wim@example.org", LoginAttempt.success.is_(False)))
    assert failures == len(checked)
    # Attempts refused in the race leave no failure behind (a lock is not extended by tries);
    # the failures that were checked count, and with the rest of the five the account locks:
    later = app.test_client()
    for _ in range(throttle.ACCOUNT_FAILURES - len(checked)):
        assert post_login(later, "wim@example.org", "wrong password!!").status_code == 200
    # even the right password is refused now, until the window has passed
    locked = post_login(app.test_client(), "wim@example.org", Builder.PASSWORD)
    assert locked.status_code == 429 and 'id="email-error"' in locked.text
    assert db.session.get(User, user.id).active


def test_sequential_failures_lock_at_exactly_five(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    for _ in range(throttle.ACCOUNT_FAILURES - 1):
        assert post_login(client, "wim@example.org", "wrong password!!").status_code == 200
    # the fifth failure is still checked (and fails); the sixth attempt is refused
    assert post_login(client, "wim@example.org", "wrong password!!").status_code == 200
    assert post_login(client, "wim@example.org", Builder.PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_logs_in_and_resets_the_count(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    for _ in range(throttle.ACCOUNT_FAILURES - 1):
        post_login(client, "wim@example.org", "wrong password!!")
    assert post_login(client, "wim@example.org", Builder.PASSWORD).status_code == 302
    assert throttle.check(db.session, "wim@example.org", "127.0.0.1").account_locked_until is None
