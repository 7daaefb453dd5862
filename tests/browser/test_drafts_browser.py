"""Nothing typed is lost, in a real browser: the session times out while the daily log is
being filled in; saving leads to the login page, and after logging in every row is back,
filled in; saving then stores each contact once. After logout nothing stays in the browser."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Contact, FormDraft

pytestmark = pytest.mark.browser

ROWS = [  # (client index or None, kind, employer, mode, place, minutes, note)
    (0, "client", "", "face_to_face", "community", "45", "Sollicitatiebrief geschreven"),
    (1, "client", "", "phone", "office", "15", "Gebeld over rooster"),
    (None, "employer", "Drukkerij Verlopen", "face_to_face", "community", "60", "Kennismaking"),
]


def fill(page, clients):
    for n, (who, kind, employer, mode, place, minutes, note) in enumerate(ROWS):
        row = f"#rows-{n}-"
        page.select_option(row + "kind", kind)
        page.select_option(row + "client", clients[who] if who is not None else "")
        if employer:
            page.fill(row + "employer", employer)
        page.select_option(row + "mode", mode)
        page.select_option(row + "place", place)
        page.fill(row + "minutes", minutes)
        page.fill(row + "note", note)


def assert_filled(page, clients):
    for n, (who, kind, employer, mode, place, minutes, note) in enumerate(ROWS):
        row = f"#rows-{n}-"
        assert page.input_value(row + "client") == (clients[who] if who is not None else "")
        assert page.input_value(row + "kind") == kind
        assert page.input_value(row + "employer") == employer
        assert page.input_value(row + "mode") == mode
        assert page.input_value(row + "place") == place
        assert page.input_value(row + "minutes") == minutes
        assert page.input_value(row + "note") == note


def test_a_daily_log_saved_after_the_session_expired_is_back_after_login(
        app, page, log_in, build):
    team = build.team()
    worker = build.user(team)
    clients = [build.client(worker).client_code, build.client(worker).client_code]
    build.commit()

    log_in(worker)
    page.goto("/log")
    fill(page, clients)
    app.config["SESSION_IDLE_MINUTES"] = 0  # the next request comes after the idle timeout
    try:
        page.click("#daily-log button[name=save]")
        page.wait_for_url("**/login**")
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30
    assert page.locator(".flash.info").count() >= 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1

    log_in(worker)
    assert page.url.endswith("/log"), page.url
    assert page.locator(".flash.warning").count() == 1
    assert_filled(page, clients)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Contact.id))) == 0  # nothing saved before "save"

    with page.expect_response(lambda r: r.request.method == "POST" and "/log" in r.url) as sent:
        page.click("#daily-log button[name=save]")
    assert sent.value.status == 302
    page.wait_for_load_state()
    assert page.locator("#logged .timeline li").count() == 3
    db.session.expire_all()
    notes = sorted(db.session.scalars(select(Contact.note)))
    assert notes == sorted(row[-1] for row in ROWS)          # each contact once
    assert db.session.scalar(select(func.count(FormDraft.id))) == 0

    # Logging out leaves nothing of it in the browser: no storage, and "back" shows no form.
    page.click("header form[action$='/logout'] button")
    page.wait_for_url("**/login**")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    page.go_back()
    page.wait_for_load_state()
    assert "Sollicitatiebrief" not in page.content()


def test_the_idle_warning_offers_to_stay_logged_in(app, page, log_in, build):
    team = build.team()
    worker = build.user(team)
    build.commit()
    log_in(worker)
    # A one-minute limit with the warning a minute ahead: it shows as soon as the page loads.
    app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_SECONDS"] = 1, 60
    try:
        page.goto("/log")
        page.wait_for_selector("#idle-warning:not([hidden])")
        assert page.evaluate("document.activeElement.closest('#idle-warning') !== null")
        with page.expect_response(lambda r: r.url.endswith("/session/keep-alive")) as ping:
            page.click("#idle-warning button")
        assert ping.value.status == 204
        page.reload()
        assert page.locator("header nav").count() == 1  # still logged in
    finally:
        app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_SECONDS"] = 30, 120
