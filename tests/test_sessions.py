"""Login sessions live on the server: logout ends them for every copy of the cookie, and they
end after SESSION_MAX_HOURS however busy they are kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.extensions import db
from caseload.models import UserSession
from tests.conftest import csrf_token, login


@pytest.fixture
def now(app, monkeypatch):
    """Set the app's clock: now(t) fixes clock.utcnow() at t."""
    start = clock.utcnow()

    def set_to(moment):
        monkeypatch.setitem(app.config, "CASELOAD_NOW", moment)
        return moment
    set_to(start)
    set_to.start = start
    return set_to


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_an_old_session_cookie_replayed_after_logout_is_refused(app, client, build):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    assert client.get("/caseload").status_code == 200
    stolen = session_cookie(client)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    response = attacker.get("/caseload")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    row = db.session.scalars(select(UserSession)).one()
    assert row.ended_at is not None


def test_a_copied_cookie_works_only_while_the_session_lives(app, client, build):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    copy = app.test_client()
    copy.set_cookie("session", session_cookie(client))
    assert copy.get("/caseload").status_code == 200  # the same session, not a new login


def test_the_cookie_carries_a_key_the_database_keeps_only_hashed(app, client, build):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    with client.session_transaction() as session:
        key = session["_user_id"]
    row = db.session.scalars(select(UserSession)).one()
    assert key and key not in (row.key_digest, str(user.id)) and len(row.key_digest) == 64


def test_a_busy_session_ends_at_its_absolute_lifetime(app, client, build, now):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    lifetime = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    assert lifetime == timedelta(hours=12)
    moment = now.start
    while moment + timedelta(minutes=20) < now.start + lifetime:  # never idle
        moment = now(moment + timedelta(minutes=20))
        assert client.get("/caseload").status_code == 200, moment
    now(now.start + lifetime - timedelta(seconds=1))
    assert client.get("/caseload").status_code == 200
    now(now.start + lifetime)
    response = client.get("/caseload")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "12" in client.get(response.headers["Location"]).text
    now(now.start + lifetime - timedelta(seconds=1))  # an ended session stays ended
    assert client.get("/caseload").status_code == 302


def test_idle_timeout_boundary(app, client, build, now):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    now(now.start + idle - timedelta(seconds=1))
    assert client.get("/caseload").status_code == 200
    now(now.start + 2 * idle - timedelta(seconds=2))
    assert client.get("/caseload").status_code == 200
    now(now.start + 3 * idle)
    assert client.get("/caseload").status_code == 302


def test_the_lifetimes_are_settings_from_the_environment(monkeypatch, tmp_path):
    from caseload import config
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path))
    assert config.from_environment()["SESSION_MAX_HOURS"] == 12
    monkeypatch.setenv("CASELOAD_SESSION_MAX_HOURS", "8")
    monkeypatch.setenv("CASELOAD_SESSION_IDLE_MINUTES", "15")
    settings = config.from_environment()
    assert (settings["SESSION_MAX_HOURS"], settings["SESSION_IDLE_MINUTES"]) == (8, 15)


def test_logout_is_on_the_access_log(client, build):
    from caseload.models import AccessLogEntry
    user = build.user(build.team())
    build.commit()
    login(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    actions = db.session.scalars(select(AccessLogEntry.action).where(
        AccessLogEntry.user_id == user.id, AccessLogEntry.record_type == "account")).all()
    assert actions == ["login", "logout"]
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)
    page = client.get("/admin/access-log")
    assert page.status_code == 200 and "logout" in page.text and user.email in page.text


def test_sessions_past_their_lifetime_are_removed_at_the_next_login(app, build, now):
    user = build.user(build.team())
    build.commit()
    login(app.test_client(), user)
    now(now.start + timedelta(hours=app.config["SESSION_MAX_HOURS"], seconds=1))
    login(app.test_client(), user)
    rows = db.session.scalars(select(UserSession)).all()
    assert len(rows) == 1 and rows[0].created_at == now.start + timedelta(
        hours=app.config["SESSION_MAX_HOURS"], seconds=1)
