"""A lookup typed after the session ended says so at the field (static/app.js), in the page's
language, and says the truth: after the idle timeout saving keeps what was typed (drafts), after
a session ended otherwise it does not. Before, the 401 answer looked like "nothing found"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from caseload import clock
from caseload.extensions import db
from caseload.models import FormDraft, UserSession

pytestmark = pytest.mark.browser

KEPT_NL = "Je sessie is verlopen. Sla op om opnieuw in te loggen; wat je typte blijft bewaard."
LOST_EN = ("Your session has ended. What you typed on this page is not kept when you save "
           "now: copy it, then log in again.")


def test_after_the_idle_timeout_both_lookups_say_the_session_expired_and_saving_keeps_it(
        app, page, log_in, build):
    worker = build.user(build.team())
    build.client(worker, code="SESS-1")
    build.employer("Bakkerij Bol")
    build.commit()
    log_in(worker)
    page.goto("/log")
    page.select_option("#rows-0-client", "SESS-1")
    page.select_option("#rows-0-kind", "employer")
    page.fill("#rows-0-minutes", "20")

    app.config["SESSION_IDLE_MINUTES"] = 0  # the next request comes after the idle timeout
    try:
        with page.expect_response(lambda r: "/employers/lookup" in r.url) as answer:
            page.locator("#rows-0-employer").press_sequentially("bak", delay=30)
        assert answer.value.status == 401
        message = page.locator("#session-ended")
        expect(message).to_have_text(KEPT_NL)
        expect(page.locator(".field:has(#rows-0-employer) #session-ended")).to_have_count(1)
        expect(page.locator("#employer-suggestions")).to_be_hidden()

        with page.expect_response(lambda r: "/log/clients" in r.url) as answer:
            page.locator("#rows-1-client-filter").press_sequentially("sess", delay=30)
        assert answer.value.status == 401
        expect(page.locator(".field:has(#rows-1-client-filter) #session-ended")).to_have_text(
            KEPT_NL)
        expect(page.locator("#session-ended")).to_have_count(1)      # one message, moved

        # It is true: saving goes to the login, and what was typed is kept.
        page.click("#daily-log button[name=save]")
        page.wait_for_url("**/login**")
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30
    db.session.expire_all()
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1


def test_a_session_ended_elsewhere_says_nothing_is_kept_in_english_when_chosen(
        page, log_in, build):
    worker = build.user(build.team())
    worker.language = "en"
    build.client(worker, code="SESS-2")
    build.commit()
    log_in(worker)
    page.goto("/log")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    db.session.execute(update(UserSession).where(UserSession.user_id == worker.id)
                       .values(ended_at=clock.utcnow()))  # e.g. "end all other sessions"
    db.session.commit()
    with page.expect_response(lambda r: "/log/clients" in r.url) as answer:
        page.locator("#rows-0-client-filter").press_sequentially("sess", delay=30)

    assert answer.value.status == 401
    expect(page.locator(".field:has(#rows-0-client-filter) #session-ended")).to_have_text(
        LOST_EN)


def test_stay_logged_in_pressed_too_late_says_so_in_the_warning_and_keeps_the_page(
        app, page, log_in, build):
    """Before, the page reloaded (losing what was typed) after the keep-alive was sent on to
    the login page."""
    worker = build.user(build.team())
    build.client(worker, code="SESS-3")
    build.commit()
    log_in(worker)
    # A one-minute limit with the warning a minute ahead: it shows as soon as the page loads.
    app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_SECONDS"] = 1, 60
    try:
        page.goto("/log")
        page.fill("#rows-0-minutes", "35")
        expect(page.locator("#idle-warning")).to_be_visible()
        app.config["SESSION_IDLE_MINUTES"] = 0  # the click comes after the timeout
        with page.expect_response(lambda r: r.url.endswith("/session/keep-alive")) as ping:
            page.click("#idle-warning button")
        assert ping.value.status == 401
        expect(page.locator("#idle-warning #session-ended")).to_have_text(KEPT_NL)
        expect(page.locator("#idle-warning button")).to_be_hidden()
        expect(page.locator("#rows-0-minutes")).to_have_value("35")   # no reload
        page.click("#daily-log button[name=save]")
        page.wait_for_url("**/login**")
        expect(page.locator("body")).to_contain_text(
            "Je bent uitgelogd omdat je een tijd niet actief was.")
    finally:
        app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_SECONDS"] = 30, 120
    db.session.expire_all()
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1
