"""A `next` address is followed only within this site (login, language switch, acknowledging a
signal), and no page or download of a logged-in user may be kept in a browser or proxy cache."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Signal
from caseload.request_input import safe_next
from tests.builders import Builder
from tests.conftest import TODAY, csrf_token, login

OFF_SITE = ["https://evil.example/", "http://evil.example/caseload", "//evil.example/x",
            "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)",
            "evil.example", "https:evil.example", " //evil.example", "/%0a/evil.example\n",
            "http://localhost:80@evil.example/"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_other_sites(app, target):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target, kept", [
    ("/clients/3?tab=x", "/clients/3?tab=x"), ("/review/signals", "/review/signals"),
    ("http://localhost/clients/3", "/clients/3"),  # a full URL of this very origin
])
def test_safe_next_keeps_paths_of_this_site(app, target, kept):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next(target, "/fallback") == kept


def local(response) -> str:
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    return location.path


@pytest.fixture
def coordinator_with_signal(app, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    build.client(worker, entry=TODAY - timedelta(days=45))
    build.commit()
    daily_evaluation(TODAY)
    browser = app.test_client()
    login(browser, coordinator)
    return browser


@pytest.mark.parametrize("target", OFF_SITE[:4])
def test_acknowledging_a_signal_does_not_follow_next_off_site(coordinator_with_signal, target):
    browser = coordinator_with_signal
    signal_ids = list(db.session.scalars(select(Signal.id)))
    response = browser.post(f"/review/signals/{signal_ids[0]}/acknowledge", data={
        "csrf_token": csrf_token(browser, "/review/signals"), "note": "Besproken",
        "next": target})
    assert response.status_code == 302
    assert local(response) == "/review/signals"


def test_acknowledging_a_signal_returns_to_the_page_it_came_from(coordinator_with_signal):
    browser = coordinator_with_signal
    signal_id = db.session.scalar(select(Signal.id).limit(1))
    response = browser.post(f"/review/signals/{signal_id}/acknowledge", data={
        "csrf_token": csrf_token(browser, "/review/signals"), "note": "Besproken",
        "next": "/caseload?scope=team"})
    assert response.headers["Location"].endswith("/caseload?scope=team")


@pytest.mark.parametrize("target", OFF_SITE[:4])
def test_login_does_not_follow_next_off_site(app, build, target):
    user = build.user(build.team())
    build.commit()
    browser = app.test_client()
    response = browser.post("/login", query_string={"next": target}, data={
        "email": user.email, "password": Builder.PASSWORD,
        "csrf_token": csrf_token(browser, "/login")})
    assert response.status_code == 302
    assert local(response) == "/caseload"


@pytest.mark.parametrize("target", OFF_SITE[:4])
def test_switching_language_does_not_follow_next_off_site(app, target):
    browser = app.test_client()
    response = browser.post("/language/en", data={
        "csrf_token": csrf_token(browser, "/login"), "next": target})
    assert response.status_code == 302
    assert local(response) == "/caseload"


def test_every_page_of_a_logged_in_user_is_no_store(app, build):
    team = build.team()
    users = [build.user(team, role=role) for role in ("worker", "coordinator", "admin")]
    build.client(users[0], entry=TODAY - timedelta(days=10))
    build.commit()
    plain_pages = [rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments]
    checked = 0
    for user in users:
        browser = app.test_client()
        login(browser, user)
        for path in plain_pages:
            response = browser.get(path)
            assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)
            checked += response.status_code == 200
    assert checked > 15
    anonymous = app.test_client().get("/login")
    assert anonymous.headers["Cache-Control"] == "no-store"  # a CSRF token, and a redirect target


def test_static_files_stay_cacheable(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_every_download_is_no_store(app, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    admin = build.user(team, role="admin")
    client = build.client(worker, entry=TODAY - timedelta(days=10))
    build.commit()
    downloads = {coordinator: ["/outcomes/export.csv", "/outcomes/export.xlsx",
                               "/outcomes/work-monitor.csv",
                               f"/clients/{client.id}/privacy/export.json"],
                 admin: ["/admin/access-log.csv"]}
    for user, paths in downloads.items():
        browser = app.test_client()
        login(browser, user)
        for path in paths:
            response = browser.get(path)
            assert response.status_code == 200, path
            assert "attachment" in response.headers["Content-Disposition"]
            assert response.headers["Cache-Control"] == "no-store", path
