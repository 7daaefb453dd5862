"""Settings > Your sessions: a user sees their live sessions (started, last used, address,
browser), ends one or all others; the ended session's cookie is refused at once, and each ending
is in the access log. Nobody can end or see another user's sessions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from caseload.extensions import db
from caseload.models import AccessLogEntry, UserSession
from tests.conftest import csrf_token, login

PHONE = "Mozilla/5.0 (Linux; Android 14) Firefox/133.0"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0"


def browser(app, agent: str):
    http = app.test_client()
    http.environ_base["HTTP_USER_AGENT"] = agent
    return http


def logged_in(response) -> bool:
    return response.status_code == 200


def sessions_of(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                   .order_by(UserSession.id)))


def log(action: str) -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).where(AccessLogEntry.action == action)))


@pytest.fixture
def wim(build):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    other = build.user(team, email="sara@example.org")
    build.commit()
    return worker, other


def test_the_page_lists_the_users_live_sessions_with_address_and_browser(app, wim):
    worker, other = wim
    phone, laptop, sara = browser(app, PHONE), browser(app, LAPTOP), browser(app, "Sara's")
    login(phone, worker)
    login(laptop, worker)
    login(sara, other)

    page = laptop.get("/settings/sessions")

    assert page.status_code == 200
    rows = re.findall(r'<tr data-session="(\d+)"( data-current)?>', page.text)
    mine = [s.id for s in sessions_of(worker)]
    assert sorted(int(i) for i, _current in rows) == sorted(mine)
    assert [int(i) for i, current in rows if current] == [mine[1]]     # the laptop's
    assert PHONE in page.text and LAPTOP in page.text and "Sara's" not in page.text
    assert "127.0.0.1" in page.text
    assert 'id="sessions-link"' in laptop.get("/settings").text


def test_ending_another_session_refuses_its_cookie_at_once_and_is_logged(app, wim):
    worker, _other = wim
    phone, laptop = browser(app, PHONE), browser(app, LAPTOP)
    login(phone, worker)
    login(laptop, worker)
    phone_session = sessions_of(worker)[0]
    assert logged_in(phone.get("/settings"))

    token = csrf_token(laptop, "/settings/sessions")
    done = laptop.post(f"/settings/sessions/{phone_session.id}/end", data={"csrf_token": token})

    assert done.status_code == 302
    assert phone.get("/settings").status_code == 302          # back to the login page
    assert logged_in(laptop.get("/settings"))                 # this one goes on
    [entry] = log("sess_end")
    assert entry.user_email == "wim@example.org" and entry.outcome == "allowed"
    assert f"session {phone_session.id} " in entry.detail and "ip=127.0.0.1" in entry.detail
    # Twice: nothing more happens, nothing more is logged.
    again = laptop.post(f"/settings/sessions/{phone_session.id}/end", data={"csrf_token": token})
    assert again.status_code == 302 and len(log("sess_end")) == 1
    assert "al beëindigd" in laptop.get("/settings/sessions").text
    # The access log page names the action.
    assert "Sessie beëindigd door de gebruiker" in _access_log_as_admin(app, log)


def _access_log_as_admin(app, _log) -> str:
    from tests.builders import Builder
    from tests.conftest import TODAY
    build = Builder(db.session, TODAY)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    http = app.test_client()
    login(http, admin)
    page = http.get("/admin/access-log")
    assert page.status_code == 200
    return page.text


def test_the_session_in_use_and_another_users_session_cannot_be_ended_here(app, wim):
    worker, other = wim
    mine, theirs = browser(app, LAPTOP), browser(app, PHONE)
    login(mine, worker)
    login(theirs, other)
    my_session, = sessions_of(worker)
    their_session, = sessions_of(other)
    token = csrf_token(mine, "/settings/sessions")

    assert mine.post(f"/settings/sessions/{my_session.id}/end",
                     data={"csrf_token": token}).status_code == 400
    assert mine.post(f"/settings/sessions/{their_session.id}/end",
                     data={"csrf_token": token}).status_code == 404
    assert mine.post("/settings/sessions/999999/end",
                     data={"csrf_token": token}).status_code == 404

    assert logged_in(mine.get("/settings")) and logged_in(theirs.get("/settings"))
    assert log("sess_end") == []


def test_end_all_other_sessions(app, wim):
    worker, other = wim
    first, second, third = (browser(app, f"Browser {n}") for n in range(3))
    sara = browser(app, "Sara's")
    for http in (first, second, third):
        login(http, worker)
    login(sara, other)

    token = csrf_token(third, "/settings/sessions")
    assert third.post("/settings/sessions/end-others",
                      data={"csrf_token": token}).status_code == 302

    assert first.get("/settings").status_code == 302
    assert second.get("/settings").status_code == 302
    assert logged_in(third.get("/settings")) and logged_in(sara.get("/settings"))
    [entry] = log("sess_all")
    assert entry.detail == "ended=2"
    third.post("/settings/sessions/end-others", data={"csrf_token": token})
    assert len(log("sess_all")) == 1          # nothing left to end: nothing logged
    assert 'id="end-others"' not in third.get("/settings/sessions").text


def test_sessions_past_the_idle_timeout_are_not_listed_at_the_boundary(app, wim):
    worker, _other = wim
    old, new = browser(app, PHONE), browser(app, LAPTOP)
    login(old, worker)
    login(new, worker)
    old_session = sessions_of(worker)[0]
    now = datetime(2026, 3, 18, 12, 0, tzinfo=timezone.utc)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.config["CASELOAD_NOW"] = now
    try:
        for last_seen, listed in ((now - idle + timedelta(seconds=1), True),
                                  (now - idle, False)):
            db.session.execute(update(UserSession).values(created_at=now - timedelta(hours=1),
                                                          last_seen_at=now))
            db.session.execute(update(UserSession).where(UserSession.id == old_session.id)
                               .values(last_seen_at=last_seen))
            db.session.commit()
            page = new.get("/settings/sessions").text
            assert (f'data-session="{old_session.id}"' in page) is listed, last_seen
    finally:
        app.config["CASELOAD_NOW"] = None


def test_only_a_post_with_its_csrf_token_ends_a_session(app, wim):
    worker, _other = wim
    phone, laptop = browser(app, PHONE), browser(app, LAPTOP)
    login(phone, worker)
    login(laptop, worker)
    phone_session = sessions_of(worker)[0]
    assert laptop.get(f"/settings/sessions/{phone_session.id}/end").status_code == 405
    assert laptop.post(f"/settings/sessions/{phone_session.id}/end").status_code == 400
    assert laptop.post("/settings/sessions/end-others").status_code == 400
    assert logged_in(phone.get("/settings"))
    assert app.test_client().get("/settings/sessions").status_code == 302   # not logged in
