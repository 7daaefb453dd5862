"""Single sign-on against a real OpenID provider on loopback (tests/oidc_provider.py): the
authorization-code flow with the test client on Caseload's side and real HTTP to the provider."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import AccessLogEntry, User
from tests.conftest import csrf_token

APP = "http://localhost/"


@pytest.fixture(autouse=True)
def sso_configured(app, oidc_provider, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_DISCOVERY_URL", oidc_provider.discovery_url)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", oidc_provider.client_id)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", oidc_provider.client_secret)


def _follow(http: requests.Session, response):
    """Follow the provider's redirects until one leads back to Caseload (or a page shows)."""
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(APP):
            return location
        response = http.get(location, allow_redirects=False, timeout=10)
    return response


def sign_in(client, account: str | None, *, cancel: bool = False):
    """Log in at the provider as `account` (or cancel there); return Caseload's answer."""
    start = client.get("/login/sso")
    assert start.status_code == 302, start.text
    http = requests.Session()
    page = _follow(http, http.get(start.headers["Location"], allow_redirects=False, timeout=10))
    assert not isinstance(page, str) and page.status_code == 200, page
    if cancel:
        abort = re.search(r'href="([^"]*/abort)"', page.text).group(1)
        back = _follow(http, http.get(urljoin(page.url, abort), allow_redirects=False, timeout=10))
    else:
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
        back = _follow(http, http.post(urljoin(page.url, action), allow_redirects=False,
                                       timeout=10, data={"prompt": "login", "login": account,
                                                         "password": "anything"}))
    assert isinstance(back, str), back.text[:500]
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


def logged_in(client) -> bool:
    return client.get("/caseload").status_code == 200


def test_first_login_links_the_account_by_e_mail_and_then_by_subject(app, client, build):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()

    response = sign_in(client, "sub-wim")

    assert response.status_code == 302 and response.headers["Location"] == "/caseload"
    assert logged_in(client)
    db.session.expire_all()
    linked = db.session.get(User, user.id)
    assert linked.oidc_subject == "sub-wim"
    # later the e-mail address in Caseload changes: the subject still matches
    linked.email = "w.werkmaat@example.org"
    db.session.commit()
    other = app.test_client()
    assert sign_in(other, "sub-wim").headers["Location"] == "/caseload"
    assert logged_in(other)
    entries = db.session.scalars(select(AccessLogEntry.action).where(
        AccessLogEntry.user_id == user.id, AccessLogEntry.record_type == "account")).all()
    assert entries == ["login", "login"]


def test_someone_the_provider_refuses_cannot_log_in(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    response = sign_in(client, None, cancel=True)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not logged_in(client)
    assert db.session.scalars(select(User.oidc_subject)).one() is None


def test_an_inactive_account_cannot_log_in_via_sso(client, build):
    user = build.user(build.team(), email="anna@example.org")
    user.active = False
    build.commit()
    response = sign_in(client, "sub-anna")
    assert response.headers["Location"] == "/login"
    assert not logged_in(client)


def test_a_person_without_an_account_cannot_log_in(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    assert sign_in(client, "sub-stranger").headers["Location"] == "/login"
    assert not logged_in(client)
    failed = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "login_fail")).one()
    assert failed.user_email == "stranger@example.org" and failed.user_id is None


def test_an_unverified_e_mail_does_not_link_an_account(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    assert sign_in(client, "sub-unverified").headers["Location"] == "/login"
    assert not logged_in(client)
    assert db.session.scalars(select(User.oidc_subject)).one() is None


def test_an_account_linked_to_one_subject_is_not_taken_over_by_another(app, client, build):
    user = build.user(build.team(), email="wim@example.org")
    user.oidc_subject = "sub-wim"
    build.commit()
    assert sign_in(client, "sub-new-wim").headers["Location"] == "/login"
    assert not logged_in(client)


def test_a_forged_callback_is_refused(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    client.get("/login/sso")
    response = client.get("/login/sso/callback?code=forged&state=forged")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not logged_in(client)


def test_sso_logout_ends_the_session(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    sign_in(client, "sub-wim")
    cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    client.set_cookie("session", cookie)
    assert not logged_in(client)


def test_password_login_can_be_switched_off(app, client, build, monkeypatch):
    user = build.user(build.team(), email="wim@example.org")
    build.commit()
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", False)
    page = client.get("/login")
    assert 'id="sso-login"' in page.text and 'name="password"' not in page.text
    refused = client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                          "csrf_token": csrf_token(client, "/login")})
    assert refused.status_code == 404
    assert not logged_in(client)
    sign_in(client, "sub-wim")
    assert logged_in(client)
    assert client.get("/settings/password").status_code == 404


def test_the_provider_s_own_factors_stand_in_for_the_local_second_factor(
        app, client, build, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("worker",))
    build.user(build.team(), email="wim@example.org")
    build.commit()
    assert sign_in(client, "sub-wim").headers["Location"] == "/caseload"


def test_the_settings_come_from_the_environment(monkeypatch, tmp_path):
    from caseload import config
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CASELOAD_OIDC_ISSUER", "https://login.example.org/realms/ggz/")
    monkeypatch.setenv("CASELOAD_OIDC_CLIENT_ID", "caseload")
    monkeypatch.setenv("CASELOAD_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("CASELOAD_OIDC_MATCH_CLAIM", "preferred_username")
    monkeypatch.setenv("CASELOAD_PASSWORD_LOGIN", "0")
    settings = config.from_environment()
    monkeypatch.delenv("CASELOAD_OIDC_ISSUER")
    with pytest.raises(ValueError, match="nobody can log in"):
        config.from_environment()
    assert settings["OIDC_DISCOVERY_URL"] == \
        "https://login.example.org/realms/ggz/.well-known/openid-configuration"
    assert (settings["OIDC_CLIENT_ID"], settings["OIDC_CLIENT_SECRET"],
            settings["OIDC_MATCH_CLAIM"], settings["PASSWORD_LOGIN"]) == \
        ("caseload", "s3cret", "preferred_username", False)


def test_an_unreachable_provider_gets_a_clear_message_not_a_500(app, client, monkeypatch):
    import socket
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(app.config, "OIDC_DISCOVERY_URL",
                        f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    response = client.get("/login/sso")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/login").status_code == 200


def test_with_sso_only_an_administrator_creates_a_user_without_a_password(
        app, client, build, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", False)
    build.user(role="admin", email="beheer@example.org")
    team = build.team()
    build.commit()
    admin = app.test_client()
    admin_user = db.session.scalars(select(User).where(User.email == "beheer@example.org")).one()
    admin_user.oidc_subject = "sub-anna"  # the administrator logs in via the provider too
    db.session.commit()
    sign_in(admin, "sub-anna")
    created = admin.post("/admin/users/new", data={
        "csrf_token": csrf_token(admin, "/admin/users/new"), "name": "Wim",
        "email": "wim@example.org",
        "role": "worker", "fte": "1.0", "language": "nl", "active": "y", "team_ids": [team.id]})
    assert created.status_code == 302
    assert sign_in(client, "sub-wim").headers["Location"] == "/caseload"
