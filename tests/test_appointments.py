"""Appointments (plan, show, done, moved, no-show) and outreach attempts: a no-show is an
attempt that satisfies no norm; done opens the daily log so that saving makes exactly one
contact; a client with attempts and no contact for 14 days shows up for the coordinator."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Appointment, Contact, OutreachAttempt
from caseload.norms import evaluate
from caseload.week.agenda import local_moment, unreached_clients
from tests.conftest import TODAY, csrf_token, login
from tests.pages import error_field_ids, input_value
from tests.test_daily_log import form_data

D = timedelta


def plan(build, worker, person, *, day=TODAY, at=time(10, 0), kind="client", location="Bieb"):
    appointment = Appointment.plan(worker=worker, client=person, today=TODAY,
                                   starts_at=local_moment(day, at), kind=kind,
                                   location=location, minutes=45)
    db.session.add(appointment)
    db.session.flush()
    return appointment


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def setting(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - D(40))
    return team, worker, person


def test_planning_an_appointment_shows_it_on_the_week_and_client_pages(client, build, setting):
    _team, worker, person = setting
    build.commit()
    login(client, worker)
    url = f"/appointments/new?client={person.id}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "client_id": person.id,
        "starts_on": (TODAY + D(1)).isoformat(), "starts_time": "14:30", "minutes": "45",
        "kind": "client", "employer": "", "mode": "face_to_face", "place": "community",
        "location": "Bibliotheek Centrum"})
    assert response.status_code == 302
    appointment = db.session.scalar(select(Appointment))
    assert appointment.starts_at == local_moment(TODAY + D(1), time(14, 30))
    assert appointment.starts_at.hour == 13  # 14:30 in Amsterdam (CET) is 13:30 UTC
    for page in (client.get("/week").text, client.get(f"/clients/{person.id}").text):
        assert f'data-appointment="{appointment.id}"' in page
        assert "14:30" in page and "Bibliotheek Centrum" in page


def test_bad_appointment_input_is_marked_at_its_field_and_kept(client, build, setting):
    _team, worker, person = setting
    build.commit()
    login(client, worker)
    response = client.post("/appointments/new", data={
        "csrf_token": csrf_token(client, "/appointments/new"), "client_id": person.id,
        "starts_on": (TODAY - D(1)).isoformat(), "starts_time": "09:00", "minutes": "45",
        "kind": "client", "mode": "face_to_face", "place": "community",
        "location": "Station"})
    assert response.status_code == 422
    assert error_field_ids(response.text) == {"starts_on"}
    assert input_value(response.text, "location") == "Station"
    response = client.post("/appointments/new", data={
        "csrf_token": csrf_token(client, "/appointments/new"), "client_id": person.id,
        "starts_on": TODAY.isoformat(), "starts_time": "", "minutes": "45", "kind": "employer",
        "mode": "face_to_face", "place": "community"})
    assert response.status_code == 422 and "starts_time" in error_field_ids(response.text)
    assert count(Appointment) == 0


def test_done_opens_the_log_filled_in_and_saving_makes_exactly_one_contact(client, build,
                                                                           setting):
    _team, worker, person = setting
    appointment = plan(build, worker, person)
    build.commit()
    login(client, worker)
    response = client.post(f"/appointments/{appointment.id}/done",
                           data={"csrf_token": csrf_token(client, "/week"), "next": "/week"})
    assert response.status_code == 302
    link = response.headers["Location"]
    args = parse_qs(urlparse(link).query)
    assert args["client"] == [str(person.id)] and args["kind"] == ["client"]
    assert args["minutes"] == ["45"] and args["date"] == [TODAY.isoformat()]
    assert count(Contact) == 0  # marking done is not the contact: the log is
    client.post(link, data=form_data(csrf_token(client, link), [
        {"client": person.client_code, "kind": "client", "minutes": "45"}]))
    assert count(Contact) == 1
    again = client.post(f"/appointments/{appointment.id}/done",
                        data={"csrf_token": csrf_token(client, "/week")})
    assert "/log" not in again.headers["Location"]  # no second contact from a second click
    assert count(Contact) == 1
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "done"


def test_a_no_show_is_an_attempt_that_satisfies_no_norm(client, build, setting):
    _team, worker, person = setting
    start = TODAY - D(4)
    build.placement(person, start=start)
    appointment = plan(build, worker, person, day=TODAY - D(4) + D(4))
    build.commit()
    login(client, worker)
    client.post(f"/appointments/{appointment.id}/no-show",
                data={"csrf_token": csrf_token(client, "/week")})
    attempt = db.session.scalar(select(OutreachAttempt))
    assert attempt.method == "no_show" and attempt.attempted_on == TODAY
    assert count(Contact) == 0
    norms = {b.norm for b in evaluate(TODAY + D(30))}
    assert {"follow_along_after_start", "rapid_job_search", "treatment_team_contact"} <= norms
    page = client.get(f"/clients/{person.id}").text
    assert 'id="attempts"' in page and "status-no_show" in page


def test_a_no_show_cannot_be_recorded_before_the_day(client, build, setting):
    _team, worker, person = setting
    appointment = plan(build, worker, person, day=TODAY + D(2))
    build.commit()
    login(client, worker)
    client.post(f"/appointments/{appointment.id}/no-show",
                data={"csrf_token": csrf_token(client, "/week")})
    assert count(OutreachAttempt) == 0


def test_moving_keeps_the_old_appointment_as_moved(client, build, setting):
    _team, worker, person = setting
    appointment = plan(build, worker, person)
    build.commit()
    login(client, worker)
    url = f"/appointments/{appointment.id}/move"
    assert input_value(client.get(url).text, "starts_time") == "10:00"
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "starts_on": (TODAY + D(7)).isoformat(),
                                      "starts_time": "11:15"})
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(Appointment, appointment.id)
    assert old.status == "moved" and old.moved_to.status == "planned"
    assert old.moved_to.starts_at == local_moment(TODAY + D(7), time(11, 15))
    assert old.moved_to.location == "Bieb"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/week"),
                                  "starts_on": TODAY.isoformat(),
                                  "starts_time": "12:00"}).status_code == 422


def test_another_teams_appointment_answers_404(client, build, setting):
    _team, worker, person = setting
    appointment = plan(build, worker, person)
    stranger = build.user(build.team())
    build.commit()
    login(client, stranger)
    token = csrf_token(client, "/week")
    for action in ("done", "no-show"):
        assert client.post(f"/appointments/{appointment.id}/{action}",
                           data={"csrf_token": token}).status_code == 404
    assert client.get(f"/appointments/{appointment.id}/move").status_code == 404
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "planned"


def test_logging_an_attempt_from_the_client_page(client, build, setting):
    _team, worker, person = setting
    build.commit()
    login(client, worker)
    url = f"/clients/{person.id}/attempts"
    token = csrf_token(client, f"/clients/{person.id}")
    response = client.post(url, data={"attempt-csrf_token": token,
                                      "attempt-attempted_on": (TODAY + D(1)).isoformat(),
                                      "attempt-method": "phone_unanswered",
                                      "attempt-note": "voicemail vol"})
    assert response.status_code == 422 and "attempt-attempted_on" in error_field_ids(response.text)
    assert input_value(response.text, "attempt-note") == "voicemail vol"
    client.post(url, data={"attempt-csrf_token": token, "attempt-attempted_on": TODAY.isoformat(),
                           "attempt-method": "phone_unanswered"})
    assert count(OutreachAttempt) == 1 and count(Contact) == 0


def test_coordinator_sees_clients_with_attempts_but_no_contact_for_14_days(client, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    reached = build.client(worker, entry=TODAY - D(60), code="REACHED")
    unreached = build.client(worker, entry=TODAY - D(60), code="UNREACHED")
    recent = build.client(worker, entry=TODAY - D(60), code="RECENT")
    for person in (reached, unreached, recent):
        build.contact(worker, on=TODAY - D(20), client=person)
    build.contact(worker, on=TODAY - D(5), client=reached)
    build.contact(worker, on=TODAY - D(13), client=recent, mode="phone")
    for person in (reached, unreached, recent):
        db.session.add(OutreachAttempt.log(client=person, worker=worker, method="message_left",
                                           attempted_on=TODAY - D(10), today=TODAY))
    other_team = build.team()
    elsewhere = build.client(build.user(other_team), entry=TODAY - D(60), code="ELSEWHERE")
    db.session.add(OutreachAttempt.log(client=elsewhere, worker=elsewhere.open_trajectory.worker,
                                       method="letter", attempted_on=TODAY - D(10), today=TODAY))
    build.commit()
    rows = unreached_clients(db.session, [team.id], TODAY)
    assert [row.client_code for row in rows] == ["UNREACHED"]
    # On day 13 without contact it is not yet shown; on day 14 it is.
    assert [r.client_code for r in unreached_clients(db.session, [team.id], TODAY - D(7))] == []
    assert [r.client_code for r in unreached_clients(db.session, [team.id], TODAY - D(6))] == [
        "REACHED", "UNREACHED"]  # REACHED's contact came later
    login(client, coordinator)
    page = client.get("/week").text
    assert 'id="unreached"' in page and "UNREACHED" in page and "ELSEWHERE" not in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/week")})
    login(client, worker)
    assert 'id="unreached"' not in client.get("/week").text


def test_appointment_model_refuses_a_client_of_another_team(build, setting):
    _team, worker, _person = setting
    stranger = build.client(build.user(build.team()))
    from caseload.models import DomainError
    with pytest.raises(DomainError):
        Appointment.plan(worker=worker, client=stranger, today=TODAY,
                         starts_at=datetime.combine(TODAY, time(12)).astimezone())


def test_erasure_clears_attempt_notes_and_appointment_places_and_export_holds_them(build,
                                                                                   setting):
    from caseload.clock import utcnow
    from caseload.privacy.erase import erase_client
    from caseload.privacy.export import client_export
    _team, worker, person = setting
    plan(build, worker, person, location="Thuis, Dorpsstraat 3")
    db.session.add(OutreachAttempt.log(client=person, worker=worker, attempted_on=TODAY,
                                       method="message_left", today=TODAY, note="Moeder gesproken"))
    db.session.flush()
    exported = client_export(db.session, person, generated_at=utcnow(), generated_by="test")
    assert exported["appointments"][0]["location"] == "Thuis, Dorpsstraat 3"
    assert exported["outreach_attempts"][0]["note"] == "Moeder gesproken"
    erase_client(db.session, person, reason="client_request", today=TODAY, now=utcnow())
    db.session.flush()
    db.session.expire_all()
    assert db.session.scalar(select(OutreachAttempt.note)) == ""
    assert db.session.scalar(select(Appointment.location)) == ""


def test_an_appointment_is_not_done_before_its_day(client, build, setting):
    _team, worker, person = setting
    appointment = plan(build, worker, person, day=TODAY + D(1))
    build.commit()
    login(client, worker)
    response = client.post(f"/appointments/{appointment.id}/done",
                           data={"csrf_token": csrf_token(client, "/week")})
    assert "/log" not in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "planned"


def test_a_general_employer_appointment_has_no_client(app, client, build, setting):
    team, worker, _person = setting
    build.commit()
    login(client, worker)
    data = {"csrf_token": csrf_token(client, "/appointments/new"), "client_id": 0,
            "starts_on": TODAY.isoformat(), "starts_time": "11:00", "minutes": "30",
            "kind": "client", "employer": "", "mode": "face_to_face", "place": "community",
            "location": "Industrieweg 4"}
    response = client.post("/appointments/new", data=data)
    assert response.status_code == 422 and error_field_ids(response.text) == {"client_id"}
    response = client.post("/appointments/new", data={**data, "kind": "employer"})
    assert response.status_code == 422 and error_field_ids(response.text) == {"employer"}
    response = client.post("/appointments/new", data={**data, "kind": "employer",
                                                       "employer": "Garage De Vries"})
    assert response.status_code == 302
    appointment = db.session.scalar(select(Appointment))
    assert appointment.client_id is None and appointment.employer.name == "Garage De Vries"
    page = client.get("/week").text
    assert f'data-appointment="{appointment.id}"' in page and "Garage De Vries" in page
    token = csrf_token(client, "/week")
    client.post(f"/appointments/{appointment.id}/no-show", data={"csrf_token": token})
    assert count(OutreachAttempt) == 0
    done = client.post(f"/appointments/{appointment.id}/done", data={"csrf_token": token})
    args = parse_qs(urlparse(done.headers["Location"]).query)
    assert "client" not in args and args["kind"] == ["employer"]
    assert args["employer"] == ["Garage De Vries"]
    colleague, stranger = build.user(team), build.user(build.team())
    build.commit()
    for user, status in ((colleague, 403), (stranger, 404)):
        other = app.test_client()
        login(other, user)
        assert other.get(f"/appointments/{appointment.id}/move").status_code == status


def test_the_client_pages_appointments_are_those_of_the_agenda_for_that_client(build, setting):
    """appointments_of_client (the client page's, scoped by the joined client) gives the rows
    appointments() gives for the client: in the window, in order, none of another client, a
    general employer appointment or another team's client, and none once the client is erased."""
    from caseload.week.agenda import appointments, appointments_of_client
    team, worker, person = setting
    other = build.client(worker, entry=TODAY - D(40))
    stranger_team = build.team()
    stranger = build.client(build.user(stranger_team), entry=TODAY - D(40))
    for day, at in ((TODAY + D(2), time(9)), (TODAY, time(23, 59)), (TODAY, time(0, 0)),
                    (TODAY + D(30), time(8)), (TODAY + D(2), time(9))):
        plan(build, worker, person, day=day, at=at)
    plan(build, worker, other, day=TODAY)
    db.session.add(Appointment.plan(worker=worker, client=None, today=TODAY, kind="employer",
                                    employer=build.employer("Garage"), minutes=30,
                                    starts_at=local_moment(TODAY, time(12))))
    build.commit()
    first, last = TODAY - D(1), TODAY + D(2)
    for client_id, team_ids in ((person.id, [team.id]), (other.id, [team.id]),
                                (stranger.id, [team.id]), (person.id, [stranger_team.id]),
                                (person.id, [team.id, stranger_team.id])):
        expected = appointments(team_ids, first=first, last=last, client_id=client_id)
        assert appointments_of_client(client_id, team_ids, first=first, last=last) == expected
    assert [a.starts_at for a in appointments_of_client(
        person.id, [team.id], first=first, last=last)] == sorted(
        [local_moment(TODAY, time(0)), local_moment(TODAY, time(23, 59))]
        + [local_moment(TODAY + D(2), time(9))] * 2)
    person.erased_at = datetime(2026, 1, 1)
    build.commit()
    assert appointments_of_client(person.id, [team.id], first=first, last=last) == []


# The attempts' list as the client page wrote it from OutreachAttempt objects (before they
# were read as plain rows with the worker's name, week/agenda.attempts_of).
OLD_ATTEMPTS_LOOP = """  <ul class="timeline">
  {% for a in attempts %}
    <li><span class="when">{{ a.attempted_on|date }}</span> <span class="what">{{ vocab.ATTEMPT_METHODS[a.method] }}</span> <span class="who">{{ a.worker.name }}</span>{% if a.note %} <span class="note">{{ a.note }}</span>{% endif %}</li>
  {% else %}<li>{{ _('No outreach attempts.') }}</li>{% endfor %}
  </ul>"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_client_pages_attempts_are_written_as_from_the_attempt_objects(client, build,
                                                                           language):
    from flask import render_template_string, session

    from caseload.clients.page import PageVocabulary

    team, other_team = build.team(), build.team()
    worker = build.user(team)
    colleague = build.user(other_team)  # in two teams: logs attempts for this team's client
    colleague.teams.append(team)
    person = build.client(worker, entry=TODAY - D(40))
    quiet = build.client(worker, entry=TODAY - D(40))  # none: the line saying so
    other = build.client(colleague, entry=TODAY - D(40))  # another client's: not listed
    for n, (who, method, note) in enumerate([
            (worker, "phone_unanswered", ""), (colleague, "home_visit", "Stond <niet> op"),
            (worker, "letter", "brief & kaart"), (colleague, "message_left", "")]):
        db.session.add(OutreachAttempt.log(client=person, worker=who, method=method,
                                           attempted_on=TODAY - D(n // 2), today=TODAY,
                                           note=note))
    db.session.add(OutreachAttempt.log(client=other, worker=colleague, method="letter",
                                       attempted_on=TODAY, today=TODAY, note="elders"))
    build.commit()
    login(client, worker)
    with client.session_transaction() as kept:
        kept["language"] = language
    for shown in (person, quiet):
        page = client.get(f"/clients/{shown.id}").text
        section = page[page.index('<section class="card" id="attempts">'):]
        written = section[section.index('  <ul class="timeline">'):section.index("</ul>") + 5]
        objects = db.session.scalars(
            select(OutreachAttempt).where(OutreachAttempt.client_id == shown.id)
            .order_by(OutreachAttempt.attempted_on.desc(), OutreachAttempt.id.desc())).all()
        with client.application.test_request_context():
            session["language"] = language
            expected = render_template_string(OLD_ATTEMPTS_LOOP, attempts=objects,
                                              vocab=PageVocabulary())
        assert written == expected
        assert ("Stond &lt;niet&gt; op" in written) == (shown is person)
        assert "elders" not in written
        label = "Letter or card sent" if shown is person else "No outreach attempts."
        assert (label in written) == (language == "en"), written


def test_minutes_that_are_no_whole_number_get_one_message_at_the_field(client, build, setting):
    _team, worker, person = setting
    build.commit()
    login(client, worker)
    response = client.post("/appointments/new", data={
        "csrf_token": csrf_token(client, "/appointments/new"), "client_id": person.id,
        "starts_on": TODAY.isoformat(), "starts_time": "09:00", "minutes": "een uur",
        "kind": "client", "mode": "face_to_face", "place": "community", "location": "Station"})
    assert response.status_code == 422
    assert error_field_ids(response.text) == {"minutes"}
    assert '<p class="error" id="minutes-error">Vul een heel getal in, bijvoorbeeld 30.</p>' \
        in response.text  # not also "Between 1 and 720 minutes."
    assert input_value(response.text, "minutes") == "een uur"
    assert input_value(response.text, "location") == "Station"
    assert count(Appointment) == 0
