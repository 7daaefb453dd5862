"""The second factor: TOTP enrolment and login with time as an input, replay refused, one-use
recovery codes, the per-role requirement, and an administrator's reset."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select

from caseload.auth import throttle, two_factor
from caseload.extensions import db
from caseload.models import AccessLogEntry, RecoveryCode, User
from tests.builders import Builder
from tests.conftest import csrf_token, login

# In the middle of a 30-second step, so "one step later" is unambiguous.
NOW = datetime(2026, 3, 18, 9, 0, 15, tzinfo=timezone.utc)
STEP = timedelta(seconds=30)


@pytest.fixture(autouse=True)
def required_for_every_role(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("worker", "coordinator", "admin"))
    monkeypatch.setitem(app.config, "CASELOAD_NOW", NOW)


@pytest.fixture
def at(app, monkeypatch):
    def set_clock(moment):
        monkeypatch.setitem(app.config, "CASELOAD_NOW", moment)
    return set_clock


def enrolled(build, **kwargs):
    user = build.user(build.team(), **kwargs)
    secret = two_factor.new_secret()
    codes = two_factor.confirm_enrolment(db.session, user, secret,
                                         pyotp.TOTP(secret).at(NOW - 10 * STEP), at=NOW - 10 * STEP)
    build.commit()
    return user, secret, codes


def send_code(client, code):
    return client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"),
                                            "code": code})


def test_a_user_without_a_second_factor_is_led_to_enrolment_after_the_password(client, build):
    user = build.user(build.team())
    build.commit()
    response = login(client, user)
    assert response.headers["Location"] == "/login/enrol"
    assert client.get("/caseload").status_code == 302  # not logged in yet

    page = client.get("/login/enrol")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    qr = re.search(r'id="totp-qr" src="([^"]+)"', page.text).group(1)
    assert qr.startswith("data:image/svg+xml")
    assert "img-src 'self' data:" in page.headers["Content-Security-Policy"]

    wrong = client.post("/login/enrol", data={"csrf_token": csrf_token(client, "/login/enrol"),
                                              "code": "000000"})
    assert 'id="code-error"' in wrong.text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', wrong.text).group(1)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', wrong.text).group(1)  # the same one
    done = client.post("/login/enrol", data={"csrf_token": token,
                                             "code": pyotp.TOTP(secret).at(NOW)})
    codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", done.text)
    assert len(codes) == two_factor.RECOVERY_CODES and len(set(codes)) == len(codes)

    assert client.get("/login/continue").headers["Location"] == "/caseload"
    assert client.get("/caseload").status_code == 200
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert secret not in stored.totp_secret  # encrypted at rest
    assert two_factor._unseal(stored.totp_secret) == secret
    digests = set(db.session.scalars(select(RecoveryCode.code_digest)))
    assert len(digests) == 10 and not digests & {c.replace("-", "") for c in codes}


def test_login_with_a_code_and_the_same_code_replayed_in_its_window_is_refused(
        app, client, build, at):
    user, secret, _codes = enrolled(build)
    assert login(client, user).headers["Location"] == "/login/code"
    assert client.get("/caseload").status_code == 302
    code = pyotp.TOTP(secret).at(NOW)
    assert send_code(client, code).headers["Location"] == "/caseload"
    assert client.get("/caseload").status_code == 200

    again = app.test_client()
    login(again, user)
    at(NOW + timedelta(seconds=10))  # same step, the code still shows in the app
    replay = send_code(again, code)
    assert replay.status_code == 200 and 'id="code-error"' in replay.text
    assert again.get("/caseload").status_code == 302
    at(NOW + STEP)
    assert send_code(again, pyotp.TOTP(secret).at(NOW + STEP)).status_code == 302


def test_codes_one_step_either_side_count_and_older_ones_do_not(build):
    user, secret, _codes = enrolled(build)
    totp = pyotp.TOTP(secret)
    assert not two_factor.verify_code(db.session, user, totp.at(NOW - 2 * STEP), at=NOW)
    assert not two_factor.verify_code(db.session, user, totp.at(NOW + 2 * STEP), at=NOW)
    assert two_factor.verify_code(db.session, user, totp.at(NOW - STEP), at=NOW)
    assert two_factor.verify_code(db.session, user, totp.at(NOW + STEP), at=NOW)
    # a later step was used: the earlier ones are spent too
    assert not two_factor.verify_code(db.session, user, totp.at(NOW), at=NOW)
    assert not two_factor.verify_code(db.session, user, "12345", at=NOW)


def test_a_recovery_code_works_once(app, client, build):
    user, _secret, codes = enrolled(build)
    login(client, user)
    assert send_code(client, codes[3].lower().replace("-", " ")).status_code == 302
    assert client.get("/caseload").status_code == 200

    other = app.test_client()
    login(other, user)
    reused = send_code(other, codes[3])
    assert reused.status_code == 200 and 'id="code-error"' in reused.text
    assert send_code(other, codes[4]).status_code == 302
    used = db.session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 2


def test_wrong_codes_count_towards_the_lockout(client, build):
    user, secret, _codes = enrolled(build)
    login(client, user)
    for _ in range(throttle.ACCOUNT_FAILURES):
        assert send_code(client, "000000").status_code == 200
    assert send_code(client, pyotp.TOTP(secret).at(NOW)).status_code == 429
    assert client.get("/caseload").status_code == 302


def test_the_requirement_is_per_role(app, client, build, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("admin",))
    team = build.team()
    worker = build.user(team)
    admin = build.user(role="admin")
    build.commit()
    assert login(client, worker).headers["Location"] == "/caseload"
    assert login(app.test_client(), admin).headers["Location"] == "/login/enrol"


def test_an_enrolled_user_is_asked_for_a_code_even_where_not_required(
        app, client, build, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ())
    user, _secret, _codes = enrolled(build)
    assert login(client, user).headers["Location"] == "/login/code"


def test_the_setting_reads_roles_from_the_environment(monkeypatch, tmp_path):
    from caseload import config
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path))
    monkeypatch.delenv("CASELOAD_2FA_REQUIRED_ROLES", raising=False)
    assert config.from_environment()["TWO_FACTOR_REQUIRED_ROLES"] == (
        "worker", "coordinator", "admin")
    monkeypatch.setenv("CASELOAD_2FA_REQUIRED_ROLES", "coordinator, admin")
    assert config.from_environment()["TWO_FACTOR_REQUIRED_ROLES"] == ("coordinator", "admin")
    monkeypatch.setenv("CASELOAD_2FA_REQUIRED_ROLES", "none")
    assert config.from_environment()["TWO_FACTOR_REQUIRED_ROLES"] == ()
    monkeypatch.setenv("CASELOAD_2FA_REQUIRED_ROLES", "workers,admin")
    with pytest.raises(ValueError, match="workers"):
        config.from_environment()


def test_the_demo_switches_the_requirement_off_explicitly():
    from pathlib import Path
    demo = (Path(__file__).resolve().parent.parent / "scripts" / "demo").read_text()
    assert "CASELOAD_2FA_REQUIRED_ROLES=" in demo and "none" in demo


def test_an_administrator_resets_a_second_factor(app, client, build):
    user, secret, _codes = enrolled(build, email="wim@example.org")
    admin, admin_secret, _ = enrolled(build, role="admin")
    phone = app.test_client()
    login(phone, user)
    send_code(phone, pyotp.TOTP(secret).at(NOW))
    assert phone.get("/caseload").status_code == 200

    login(client, admin)
    send_code(client, pyotp.TOTP(admin_secret).at(NOW))
    page = client.get(f"/admin/users/{user.id}")
    assert 'id="second-factor-status"' in page.text
    response = client.post(f"/admin/users/{user.id}/second-factor/reset",
                           data={"csrf_token": csrf_token(client, f"/admin/users/{user.id}")})
    assert response.status_code == 302

    db.session.expire_all()
    reset = db.session.get(User, user.id)
    assert reset.totp_secret is None and reset.totp_last_step is None
    assert not db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert phone.get("/caseload").status_code == 302  # their sessions ended
    assert login(app.test_client(), reset).headers["Location"] == "/login/enrol"
    entry = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "2fa_reset")).one()
    assert (entry.user_id, entry.record_type) == (admin.id, f"account:{user.id}")


def test_only_administrators_reset_second_factors(client, build):
    user, secret, _codes = enrolled(build)
    other, other_secret, _ = enrolled(build)
    login(client, other)
    send_code(client, pyotp.TOTP(other_secret).at(NOW))
    token = csrf_token(client, "/caseload")
    assert client.post(f"/admin/users/{user.id}/second-factor/reset",
                       data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert two_factor._unseal(db.session.get(User, user.id).totp_secret) == secret


def test_enrolment_from_settings_and_new_recovery_codes(app, client, build, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ())
    user = build.user(build.team())
    build.commit()
    login(client, user)
    page = client.get("/settings/two-factor")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    done = client.post("/settings/two-factor", data={
        "csrf_token": csrf_token(client, "/settings"), "code": pyotp.TOTP(secret).at(NOW)})
    first = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", done.text)
    assert len(first) == 10
    assert 'id="two-factor-on"' in client.get("/settings/two-factor").text
    renewed = client.post("/settings/two-factor/recovery-codes",
                          data={"csrf_token": csrf_token(client, "/settings")})
    second = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", renewed.text)
    assert len(second) == 10 and not set(first) & set(second)
    db.session.expire_all()
    assert not two_factor.use_recovery_code(db.session, db.session.get(User, user.id), first[0])
    assert login(app.test_client(), user, Builder.PASSWORD).headers["Location"] == "/login/code"


def test_a_forged_security_key_answer_is_refused_without_a_500(app, client, build):
    from caseload.models import SecurityKey
    user, _secret, _codes = enrolled(build)
    db.session.add(SecurityKey(user_id=user.id, credential_id="AAAA", public_key=b"not a key",
                               sign_count=0, name="Key", created_at=NOW))
    build.commit()
    login(client, user)
    token = csrf_token(client, "/login/code")
    headers = {"X-CSRFToken": token}
    for body in ({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}},
                 {"id": "unknown"}, ["not", "an", "object"]):
        response = client.post("/login/key", json=body, headers=headers)
        assert response.status_code == 400, body
    options = client.post("/login/key/options", headers=headers)
    assert options.status_code == 200 and options.json["allowCredentials"][0]["id"] == "AAAA"
    forged = client.post("/login/key", headers=headers, json={
        "id": "AAAA", "rawId": "AAAA", "type": "public-key", "clientExtensionResults": {},
        "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"}})
    assert forged.status_code == 400
    assert client.get("/caseload").status_code == 302


def test_the_reset_removes_security_keys_too(build):
    from caseload.models import SecurityKey
    user, _secret, _codes = enrolled(build)
    db.session.add(SecurityKey(user_id=user.id, credential_id="AAAA", public_key=b"k",
                               sign_count=0, name="Key", created_at=NOW))
    build.commit()
    two_factor.reset(db.session, user)
    db.session.commit()
    assert db.session.scalars(select(SecurityKey)).all() == []


def test_the_same_code_sent_twice_at_once_is_accepted_once(app, build):
    from tests.concurrency import run_at_once
    user, secret, codes = enrolled(build)
    user_id, code = user.id, pyotp.TOTP(secret).at(NOW)

    def use(value):
        return lambda: two_factor.verify_code(db.session, db.session.get(User, user_id), value,
                                              at=NOW)
    assert sorted(run_at_once(app, use(code), times=4)) == [False, False, False, True]
    assert sorted(run_at_once(app, use(codes[0]), times=4)) == [False, False, False, True]


def test_secrets_are_unreadable_without_the_secret_key(app, build, monkeypatch):
    user, secret, codes = enrolled(build)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-key")
    assert not two_factor.verify_code(db.session, user, pyotp.TOTP(secret).at(NOW), at=NOW)
    assert two_factor.verify_code(db.session, user, codes[0], at=NOW)  # recovery codes still work


def test_a_pending_login_opens_one_session_only(app, client, build):
    """The cookie of the recovery-codes page (second factor done, session not yet opened),
    copied and replayed after the login, opens nothing."""
    user = build.user(build.team())
    build.commit()
    login(client, user)
    page = client.get("/login/enrol")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    client.post("/login/enrol", data={"csrf_token": token, "code": pyotp.TOTP(secret).at(NOW)})
    copied = client.get_cookie("session").value
    assert client.get("/login/continue").headers["Location"] == "/caseload"

    replay = app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get("/login/continue")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert replay.get("/caseload").status_code == 302
    assert client.get("/caseload").status_code == 200
