"""Users change their own password (asking for the current one); a password an administrator
set must be changed at the next login, before anything else."""

from __future__ import annotations

from sqlalchemy import select

from caseload.extensions import db
from caseload.models import AccessLogEntry, User
from tests.builders import Builder
from tests.conftest import csrf_token, login

NEW = "een-eigen-geheim-wachtwoord"


def change(client, current, new, confirm=None):
    return client.post("/settings/password", data={
        "csrf_token": csrf_token(client, "/settings/password"), "current_password": current,
        "new_password": new, "confirm": new if confirm is None else confirm})


def test_a_user_changes_their_own_password_and_other_sessions_end(app, build):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)

    response = change(laptop, Builder.PASSWORD, NEW)

    assert response.status_code == 302
    assert laptop.get("/caseload").status_code == 200  # this session continues
    assert phone.get("/caseload").status_code == 302  # the other one ended
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW)
    fresh = app.test_client()
    login(fresh, user, NEW)


def test_the_current_password_is_required(client, build):
    user = build.user(build.team())
    build.commit()
    login(client, user)
    response = change(client, "not-my-password!", NEW)
    assert response.status_code == 422 and 'id="current_password-error"' in response.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(Builder.PASSWORD)


def test_the_password_policy_applies_and_the_confirmation_must_match(client, build):
    user = build.user(build.team(), email="annabel@example.org")
    build.commit()
    login(client, user)
    assert 'id="new_password-error"' in change(client, Builder.PASSWORD, "te-kort").text
    assert 'id="new_password-error"' in change(client, Builder.PASSWORD,
                                               "mijn-annabel-wachtwoord").text
    assert 'id="confirm-error"' in change(client, Builder.PASSWORD, NEW, confirm=NEW + "x").text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(Builder.PASSWORD)
    assert client.get("/caseload").status_code == 200  # still logged in


def admin_sets_password(client, admin, user, password):
    login(client, admin)
    token = csrf_token(client, f"/admin/users/{user.id}")
    return client.post(f"/admin/users/{user.id}", data={
        "csrf_token": token, "name": user.name, "email": user.email, "role": user.role,
        "fte": "1.0", "language": "nl", "active": "y", "team_ids": user.team_ids,
        "password": password})


def test_a_password_set_by_an_administrator_must_be_changed_at_the_next_login(app, client, build):
    team = build.team()
    admin = build.user(role="admin")
    user = build.user(team, email="wim@example.org")
    build.commit()
    set_by_admin = admin_sets_password(app.test_client(), admin, user, "door-de-beheerder-gekozen")
    assert set_by_admin.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password

    response = login(client, db.session.get(User, user.id), "door-de-beheerder-gekozen")
    assert response.headers["Location"].endswith("/login/new-password")
    # nothing else opens before the change
    assert client.get("/caseload").status_code == 302
    assert client.get("/caseload").headers["Location"].startswith("/login")

    same = client.post("/login/new-password", data={
        "csrf_token": csrf_token(client, "/login/new-password"),
        "new_password": "door-de-beheerder-gekozen", "confirm": "door-de-beheerder-gekozen"})
    assert same.status_code == 422 and 'id="new_password-error"' in same.text

    done = client.post("/login/new-password", data={
        "csrf_token": csrf_token(client, "/login/new-password"), "new_password": NEW,
        "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/caseload"
    assert client.get("/caseload").status_code == 200
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed.check_password(NEW) and not changed.must_change_password
    actions = db.session.scalars(select(AccessLogEntry.action).where(
        AccessLogEntry.record_type.like("account%")).order_by(AccessLogEntry.id)).all()
    assert actions == ["login", "password", "password", "login"]


def test_a_pending_password_change_expires(app, client, build, monkeypatch):
    from datetime import timedelta

    from caseload import clock
    user = build.user(build.team())
    user.must_change_password = True
    build.commit()
    start = clock.utcnow()
    monkeypatch.setitem(app.config, "CASELOAD_NOW", start)
    login(client, user)
    monkeypatch.setitem(app.config, "CASELOAD_NOW", start + timedelta(minutes=10))
    response = client.get("/login/new-password")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
