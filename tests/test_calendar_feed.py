"""The private calendar feed: parses as RFC 5545 with the `icalendar` package, holds client
codes, times and places but no names or notes, is in the access log, and a renewed feed's old
URL answers 404."""

from __future__ import annotations

import re
from datetime import time, timedelta, timezone

import icalendar
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import AccessLogEntry, Appointment, CalendarFeed
from caseload.week.agenda import local_moment
from caseload.week.ical import fold
from tests.conftest import TODAY, csrf_token, login

D = timedelta


def switch_on(client) -> str:
    page = client.post("/calendar/feed", data={"csrf_token": csrf_token(client, "/calendar")})
    assert page.status_code == 200
    url = re.search(r'id="feed-url" value="([^"]+)"', page.text).group(1)
    return url[url.index("/calendar/"):]


def setting(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - D(27), code="K-0042")
    person.name = "Jansen-Geheim"
    build.contact(worker, on=TODAY - D(1), client=person, note="NOTITIE-GEHEIM")
    appointment = Appointment.plan(worker=worker, client=person, today=TODAY,
                                   starts_at=local_moment(TODAY + D(1), time(9, 30)),
                                   location="Stationsplein 1, Utrecht", minutes=45)
    db.session.add(appointment)
    build.commit()
    return worker, person, appointment


def test_feed_parses_and_holds_codes_times_and_places_only(app, client, build):
    worker, person, appointment = setting(build)
    login(client, worker)
    path = switch_on(client)
    response = app.test_client().get(path)  # a calendar program: no login, no cookies
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    body = response.get_data(as_text=True)
    assert "Jansen-Geheim" not in body and "NOTITIE-GEHEIM" not in body
    feed = icalendar.Calendar.from_ical(response.data)
    events = [c for c in feed.walk("VEVENT")]
    timed = [e for e in events if str(e["UID"]).startswith("appointment-")]
    assert len(timed) == 1
    event = timed[0]
    assert event.decoded("DTSTART") == local_moment(TODAY + D(1), time(9, 30))
    assert event.decoded("DTSTART").astimezone(timezone.utc).hour == 8
    assert event.decoded("DTEND") - event.decoded("DTSTART") == D(minutes=45)
    assert str(event["LOCATION"]) == "Stationsplein 1, Utrecht"
    assert str(event["SUMMARY"]).startswith("K-0042")
    all_day = [e for e in events if str(e["UID"]).startswith("due-rapid_job_search-")]
    assert all_day and all_day[0].decoded("DTSTART") == TODAY + D(3)
    logged = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.record_type == "calendar_feed")).all()
    assert [(e.user_id, e.client_id, e.action) for e in logged] == [
        (worker.id, person.id, "read")]


def test_a_renewed_feeds_old_url_answers_404(client, build):
    worker, _person, _appointment = setting(build)
    login(client, worker)
    old = switch_on(client)
    assert client.get(old).status_code == 200
    new = switch_on(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post("/calendar/feed/off", data={"csrf_token": csrf_token(client, "/calendar")})
    assert client.get(new).status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None


def test_only_a_hash_of_the_secret_is_stored_and_guesses_answer_404(client, build):
    worker, _person, _appointment = setting(build)
    login(client, worker)
    path = switch_on(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.scalar(select(CalendarFeed.token_hash))
    assert token not in stored and len(token) >= 40
    assert client.get("/calendar/guess.ics").status_code == 404
    assert client.get(f"/calendar/{stored}.ics").status_code == 404


def test_an_inactive_workers_feed_answers_404(client, build):
    worker, person, _appointment = setting(build)
    login(client, worker)
    path = switch_on(client)
    build.end_trajectory(person, on=TODAY)
    worker.active = False
    build.commit()
    assert client.get(path).status_code == 404


def test_long_lines_are_folded_at_75_octets():
    line = "LOCATION:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_local_times_follow_summer_time():
    from datetime import date
    winter = local_moment(date(2026, 3, 28), time(10, 0))  # the Saturday before the change
    summer = local_moment(date(2026, 3, 30), time(10, 0))
    assert (winter.astimezone(timezone.utc).hour, summer.astimezone(timezone.utc).hour) == (9, 8)
