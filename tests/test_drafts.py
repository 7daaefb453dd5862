"""Nothing typed is lost: a form sent after the idle timeout is kept on the server for its
user, filled in again after the next login, and saved only when they press save."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload import clock, drafts
from caseload.extensions import db
from caseload.models import Contact, FormDraft, PhaseChange
from tests.conftest import TODAY, csrf_token, login
from tests.pages import input_value, selected_value


@pytest.fixture
def worker_and_client(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=10), code="DR-1")
    build.commit()
    return worker, person


@pytest.fixture
def idle_now(app):
    """Make the next request arrive after the idle timeout (no sleeping: a zero-minute limit)."""
    def expire():
        app.config["SESSION_IDLE_MINUTES"] = 0
    yield expire
    app.config["SESSION_IDLE_MINUTES"] = 30


def log_rows(token, person):
    return {"csrf_token": token, "contact_date": TODAY.isoformat(), "save": "1",
            "rows-0-client": person.client_code, "rows-0-kind": "client", "rows-0-employer": "",
            "rows-0-mode": "phone", "rows-0-place": "office", "rows-0-minutes": "25",
            "rows-0-note": "Gebeld over sollicitatie",
            "rows-1-client": "", "rows-1-kind": "employer", "rows-1-employer": "Bakkerij Draft",
            "rows-1-mode": "face_to_face", "rows-1-place": "community", "rows-1-minutes": "40",
            "rows-1-note": "Kennismaking",
            # The browser sends every row on the page, blank ones too.
            **{f"rows-{n}-{name}": value for n in (2, 3, 4) for name, value in (
                ("client", ""), ("kind", "client"), ("employer", ""), ("mode", "face_to_face"),
                ("place", "community"), ("minutes", ""), ("note", ""))}}


def contacts():
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).order_by(Contact.id)))


def test_a_daily_log_sent_after_the_timeout_is_filled_in_again_after_login(
        app, client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows(csrf_token(client, "/log"), person)
    idle_now()

    late = client.post("/log", data=data)

    assert late.status_code == 302 and "/login" in late.headers["Location"]
    assert contacts() == []
    kept = db.session.scalars(select(FormDraft)).all()
    assert [(d.user_id, d.endpoint) for d in kept] == [(worker.id, "dailylog.daily_log")]
    assert "csrf_token" not in kept[0].fields
    app.config["SESSION_IDLE_MINUTES"] = 30

    back = login(client, worker)
    assert back.headers["Location"] == "/log"
    page = client.get("/log")
    assert page.status_code == 200
    assert 'class="flash warning"' in page.text
    assert input_value(page.text, "rows-0-client") == person.client_code
    assert selected_value(page.text, "rows-0-mode") == "phone"
    assert input_value(page.text, "rows-0-note") == "Gebeld over sollicitatie"
    assert input_value(page.text, "rows-1-employer") == "Bakkerij Draft"
    assert input_value(page.text, "rows-1-minutes") == "40"
    assert contacts() == []                                  # nothing saved before "save"
    assert db.session.scalars(select(FormDraft)).all() == []  # and no longer kept

    again = client.get("/log")                               # shown once: a reload is empty
    assert input_value(again.text, "rows-0-note") == ""
    data["csrf_token"] = csrf_token(client, "/log")
    assert client.post("/log", data=data).status_code == 302
    assert [c.note for c in contacts()] == ["Gebeld over sollicitatie", "Kennismaking"]


def test_a_client_page_form_sent_late_opens_filled_in_on_the_client_page(
        app, client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    token = csrf_token(client, f"/clients/{person.id}")
    idle_now()
    client.post(f"/clients/{person.id}/phase", data={
        "csrf_token": token, "phase": "engagement", "changed_on": TODAY.isoformat()})
    app.config["SESSION_IDLE_MINUTES"] = 30

    back = login(client, worker)
    assert back.headers["Location"] == f"/clients/{person.id}"
    page = client.get(back.headers["Location"])
    assert '<details class="action" id="phase_form" open>' in page.text
    assert selected_value(page.text, "phase") == "engagement"
    db.session.expire_all()
    assert [c.phase for c in db.session.scalars(select(PhaseChange))] == ["intake"]


def test_a_late_submission_without_a_valid_csrf_token_is_not_kept(
        client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows("forged", person)
    idle_now()
    client.post("/log", data=data)
    assert db.session.scalars(select(FormDraft)).all() == []


def test_logging_out_on_purpose_discards_kept_drafts(app, client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows(csrf_token(client, "/log"), person)
    idle_now()
    client.post("/log", data=data)
    app.config["SESSION_IDLE_MINUTES"] = 30
    login(client, worker)  # lands on /log, but does not open it
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    assert db.session.scalars(select(FormDraft)).all() == []


def test_an_unused_draft_expires(app, client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows(csrf_token(client, "/log"), person)
    idle_now()
    client.post("/log", data=data)
    app.config["SESSION_IDLE_MINUTES"] = 30
    draft = db.session.scalars(select(FormDraft)).one()
    hours = app.config["DRAFT_KEEP_HOURS"]
    assert draft.expires_at - draft.created_at == timedelta(hours=hours)

    # Past its expiry it is not offered after login, and the job deletes it.
    draft.expires_at = clock.utcnow() - timedelta(seconds=1)
    db.session.commit()
    back = login(client, worker)
    assert back.headers["Location"] != "/log"
    assert input_value(client.get("/log").text, "rows-0-note") == ""
    assert drafts.expire_drafts() == "1 expired drafts deleted"
    assert db.session.scalars(select(FormDraft)).all() == []
    assert drafts.expire_drafts() == "0 expired drafts deleted"  # idempotent


def test_keep_alive_answers_only_a_logged_in_user(client, worker_and_client):
    worker, _person = worker_and_client
    token = csrf_token(client, "/login")
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 302
    login(client, worker)
    token = csrf_token(client, "/caseload")
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 204
    assert client.post("/session/keep-alive").status_code == 400  # no CSRF token


def test_a_keep_alive_after_the_idle_timeout_answers_401_and_leaves_the_form_and_messages(
        client, worker_and_client, idle_now):
    """The idle warning's "stay logged in" pressed too late: before, it was sent on to the
    login page, whose rendering took the "logged out after inactivity" message, and the page
    reloaded, losing what was typed."""
    worker, person = worker_and_client
    login(client, worker)
    token = csrf_token(client, "/log")
    idle_now()

    answer = client.post("/session/keep-alive",
                         headers={"X-CSRFToken": token, "Accept": "application/json"})

    assert answer.status_code == 401 and answer.get_json()["kept"] is True
    response = client.post("/log", data=log_rows(token, person))   # saving after it
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1
    shown = client.get(response.headers["Location"]).text
    assert "Je bent uitgelogd omdat je een tijd niet actief was." in shown


def test_the_idle_warning_says_whether_what_was_typed_is_kept(client, worker_and_client):
    worker, _person = worker_and_client
    login(client, worker)
    assert "Wat je hebt getypt blijft hoe dan ook bewaard." in client.get("/log").text
    appointment = client.get("/appointments/new").text          # its form is not kept
    assert "hoe dan ook bewaard" not in appointment
    assert "wordt dan niet bewaard: blijf ingelogd, of sla het eerst op." in appointment


def test_only_forms_that_can_be_filled_in_again_are_kept(app, client, build, idle_now):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    build.commit()
    login(client, coordinator)
    token = csrf_token(client, "/caseload")
    idle_now()
    # The settings page answers GET too, but it fills in no kept submission: not kept.
    late = client.post("/settings", data={"csrf_token": token, "language": "en"})
    assert late.status_code == 302 and "/login" in late.headers["Location"]
    assert db.session.scalars(select(FormDraft)).all() == []


def test_a_draft_kept_by_another_session_is_filled_in_on_this_sessions_next_page(
        app, client, worker_and_client, idle_now):
    """Whether the user has drafts is read with the login session on every request, not
    remembered from the login: a draft kept later, by another browser, still shows."""
    worker, person = worker_and_client
    login(client, worker)
    assert input_value(client.get("/log").text, "rows-0-note") == ""   # none kept yet
    other = app.test_client()
    login(other, worker)
    data = log_rows(csrf_token(other, "/log"), person)
    idle_now()
    assert "/login" in other.post("/log", data=data).headers["Location"]
    app.config["SESSION_IDLE_MINUTES"] = 30

    page = client.get("/log")
    assert 'class="flash warning"' in page.text
    assert input_value(page.text, "rows-0-note") == "Gebeld over sollicitatie"
    assert db.session.scalars(select(FormDraft)).all() == []


def test_a_page_with_a_resumable_form_asks_for_drafts_only_when_the_user_has_any(
        app, client, worker_and_client, count_queries):
    worker, _person = worker_and_client
    login(client, worker)
    client.get("/log")
    with count_queries() as none_kept:
        assert client.get("/log").status_code == 200
    own = [s for s in none_kept.statements if "form_draft" in s and "user_session" not in s]
    assert own == []
    db.session.add(FormDraft(user_id=worker.id, endpoint="clients.new_client", view_args="{}",
                             fields="[]", created_at=clock.utcnow(),
                             expires_at=clock.utcnow() + timedelta(hours=1)))
    db.session.commit()
    with count_queries() as one_kept:
        assert client.get("/log").status_code == 200
    own = [s for s in one_kept.statements if "form_draft" in s and "user_session" not in s]
    assert len(own) == 1    # looked for (another form's draft: not taken here)


def test_a_lookup_sent_while_typing_after_the_timeout_does_not_lose_the_form_sent_after_it(
        app, client, worker_and_client, idle_now):
    """Back after the idle timeout, the worker types an employer's name: the page's lookup is
    the first request. It is refused, and the daily log sent after it is still kept."""
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows(csrf_token(client, "/log"), person)
    idle_now()

    lookup = client.get("/employers/lookup?q=Bak", headers={"Accept": "application/json"})
    assert lookup.status_code == 401 and "names" not in lookup.json
    late = client.post("/log", data=data)

    assert late.status_code == 302 and "/login" in late.headers["Location"]
    assert contacts() == []
    kept = db.session.scalars(select(FormDraft)).all()
    assert [(d.user_id, d.endpoint) for d in kept] == [(worker.id, "dailylog.daily_log")]
    assert client.get("/caseload").status_code == 302  # the session stays ended


def test_a_lookup_answered_after_the_form_ended_the_session_leaves_its_messages(
        app, client, worker_and_client, idle_now):
    """The page's lookup and the late form cross: the form's answer ends the session and says
    the typing is kept, and the lookup is answered after it. The lookup gets a 401 (the script
    shows no names), not the login page: a fetch follows redirects, and rendering the login
    page for it would take the message meant for the page the worker sees next, and its answer
    would write a session cookie from before the form over the form's."""
    worker, person = worker_and_client
    login(client, worker)
    data = log_rows(csrf_token(client, "/log"), person)
    before = client.get_cookie("session").value
    idle_now()

    late = client.post("/log", data=data)
    assert late.status_code == 302 and "/login" in late.headers["Location"]
    after = client.get_cookie("session").value
    for cookie in (before, after):  # sent before the form's answer came, and after it
        client.set_cookie("session", cookie)
        lookup = client.get("/employers/lookup?q=Bak", headers={"Accept": "application/json"},
                            follow_redirects=True)
        assert lookup.status_code == 401
        assert lookup.is_json and "names" not in lookup.json and lookup.json["error"]
        if cookie == before:
            assert "Set-Cookie" not in lookup.headers

    client.set_cookie("session", after)
    shown = client.get(late.headers["Location"]).text
    assert "Log opnieuw in om verder te gaan waar je was." in shown


def test_a_page_without_a_login_goes_to_the_login_page_saying_so_in_dutch(client):
    response = client.get("/caseload?week=3")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcaseload%3Fweek%3D3"
    shown = client.get(response.headers["Location"]).text
    assert "Log in om deze pagina te zien." in shown


# --- what a page's lookup says when it finds the session ended (static/app.js) ---

def lookup(client, url="/employers/lookup?q=bak"):
    return client.get(url, headers={"Accept": "application/json"})


def test_a_lookup_after_the_idle_timeout_answers_401_saying_a_form_sent_now_is_kept(
        client, worker_and_client, idle_now):
    worker, person = worker_and_client
    login(client, worker)
    token = csrf_token(client, "/log")
    idle_now()

    answer = lookup(client)

    assert answer.status_code == 401 and answer.get_json()["kept"] is True
    # and it is: the daily log sent next is kept for after the login
    response = client.post("/log", data=log_rows(token, person))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1


def test_a_lookup_without_a_live_session_answers_401_saying_nothing_is_kept(client, worker_and_client):
    answer = lookup(client, "/log/clients?q=dr")
    assert answer.status_code == 401 and answer.get_json()["kept"] is False


def test_only_a_page_whose_form_is_kept_may_say_so(client, worker_and_client):
    worker, person = worker_and_client
    login(client, worker)

    for url in ("/log", f"/clients/{person.id}"):
        assert "data-session-kept=" in client.get(url).text, url
    appointment = client.get("/appointments/new").text      # its form is not kept
    assert "data-session-kept=" not in appointment
    assert "data-session-lost=" in appointment


# Sent from the client page and not kept on purpose: logging out, the language switch, and the
# erasure, whose code the coordinator types again to confirm (an irreversible step).
NOT_KEPT_ON_PURPOSE = {"auth.logout", "auth.set_language", "privacy.erase"}


def test_every_form_the_client_page_sends_is_kept_as_the_page_says(app, build):
    """The client page says that what was typed is kept over a session timeout: every form on
    it, for a worker and a coordinator of two teams (handover, team move), is a resumable one."""
    team, other = build.team("Team Noord"), build.team("Team Zuid")
    coordinator = build.user(team, role="coordinator")
    coordinator.teams = [team, other]
    worker = build.user(team)
    build.user(other)
    person = build.client(worker, entry=TODAY - timedelta(days=40), code="WALK-1")
    build.placement(person, start=TODAY - timedelta(days=10))
    build.commit()
    adapter = app.url_map.bind("localhost")
    seen = set()
    for user in (worker, coordinator):
        browser = app.test_client()
        login(browser, user)
        page = browser.get(f"/clients/{person.id}").text
        assert "data-session-kept=" in page
        for tag in re.findall(r'<form[^>]*method="post"[^>]*>', page):
            action = html.unescape(re.search(r'action="([^"]*)"', tag).group(1))
            endpoint, _args = adapter.match(action.split("?")[0], method="POST")
            seen.add(endpoint)
    assert {"week.log_attempt", "transfers.hand_over_client", "transfers.move_client",
            "clients.start_placement"} <= seen  # the walk saw the forms it is about
    assert seen - NOT_KEPT_ON_PURPOSE - drafts.RESUMABLE == set()


def test_a_form_a_script_sends_after_the_timeout_is_kept_as_any_form(
        client, worker_and_client, idle_now):
    """Asking for JSON makes a lookup or the keep-alive a background request; a form a script
    sends (fetch with the form's data) is still a form: it ends the session and is kept."""
    worker, person = worker_and_client
    login(client, worker)
    token = csrf_token(client, "/log")
    idle_now()

    response = client.post("/log", data=log_rows(token, person),
                           headers={"Accept": "application/json"})

    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1
