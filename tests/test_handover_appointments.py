"""A handed-over client's planned appointments follow the new worker from the day the handover
takes effect (never from before today): they are on the new worker's week and gone from the old
one's. What is past, done or no-show stays with whoever had it; a client handed to nobody keeps
their appointments with the planner until someone is assigned."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from caseload.extensions import db
from caseload.models import Appointment
from caseload.week.agenda import local_moment
from tests.conftest import TODAY, login
from tests.test_appointments import plan
from tests.test_transfers import post_handover

D = timedelta


@pytest.fixture
def team(build):
    team = build.team("Team A")
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    wim = build.user(team, email="wim@example.org", name="Wim")
    sara = build.user(team, email="sara@example.org", name="Sara")
    youssef = build.user(team, email="youssef@example.org", name="Youssef")
    person = build.client(wim, entry=date(2026, 1, 5), code="WIM-1")
    other = build.client(wim, entry=date(2026, 1, 5), code="WIM-2")
    build.commit()
    return {"coordinator": coordinator, "wim": wim, "sara": sara, "youssef": youssef,
            "client": person, "other": other}


def appointments_of(build, team):
    wim, person = team["wim"], team["client"]
    rows = {
        "yesterday": Appointment.plan(worker=wim, client=person, today=TODAY - D(2),
                                      starts_at=local_moment(TODAY - D(1), time(10, 0))),
        "today_early": plan(build, wim, person, day=TODAY, at=time(0, 30)),
        "tomorrow": plan(build, wim, person, day=TODAY + D(1)),
        "next_month": plan(build, wim, person, day=TODAY + D(30)),
        "other_client": plan(build, wim, team["other"], day=TODAY + D(1)),
        "general": Appointment.plan(worker=wim, client=None, today=TODAY, kind="employer",
                                    starts_at=local_moment(
                                        TODAY + D(1), time(14, 0)),
                                    employer=build.employer("Bol")),
        "done_today": plan(build, wim, person, day=TODAY, at=time(8, 0)),
    }
    db.session.add_all([rows["general"], rows["yesterday"]])
    rows["done_today"].mark_done(today=TODAY)
    build.commit()
    return {name: a.id for name, a in rows.items()}


def worker_of(ids) -> dict[str, str]:
    db.session.expire_all()
    return {name: db.session.get(Appointment, i).worker.name for name, i in ids.items()}


def test_a_handover_from_the_client_page_moves_the_coming_appointments(app, build, team):
    ids = appointments_of(build, team)
    http = app.test_client()
    login(http, team["coordinator"])
    person = team["client"]
    response = post_handover(http, f"/clients/{person.id}/handover", f"/clients/{person.id}",
                             **{"handover-worker_id": str(team["sara"].id)})
    assert response.status_code == 302

    assert worker_of(ids) == {
        "yesterday": "Wim", "today_early": "Sara", "tomorrow": "Sara", "next_month": "Sara",
        "other_client": "Wim", "general": "Wim", "done_today": "Wim"}
    sara = app.test_client()
    login(sara, team["sara"])
    shown = set(map(int, re.findall(r'data-appointment="(\d+)"', sara.get("/week").text)))
    assert {ids["today_early"], ids["tomorrow"]} <= shown
    assert not shown & {ids["yesterday"], ids["other_client"], ids["general"]}
    wim = app.test_client()
    login(wim, team["wim"])
    shown = set(map(int, re.findall(r'data-appointment="(\d+)"', wim.get("/week").text)))
    assert ids["tomorrow"] not in shown and ids["other_client"] in shown


def test_a_backdated_handover_moves_nothing_from_before_today(build, team):
    ids = appointments_of(build, team)
    build.transfer(team["client"], team["sara"], on=TODAY - D(3), by=team["coordinator"])
    build.commit()
    moved = worker_of(ids)
    assert moved["yesterday"] == "Wim" and moved["today_early"] == "Sara"


def test_handed_to_nobody_they_stay_with_the_planner_until_someone_is_assigned(build, team):
    ids = appointments_of(build, team)
    build.transfer(team["client"], None, on=TODAY, by=team["coordinator"], note="Wim weg")
    build.commit()
    assert worker_of(ids)["tomorrow"] == "Wim"
    build.transfer(team["client"], team["youssef"], on=TODAY, by=team["coordinator"])
    build.commit()
    after = worker_of(ids)
    assert (after["tomorrow"], after["next_month"], after["yesterday"]) == (
        "Youssef", "Youssef", "Wim")


def test_moving_the_client_to_another_team_with_a_worker_moves_them_too(build, team):
    from caseload.handover import move_to_team
    ids = appointments_of(build, team)
    east = build.team("Team B")
    eva = build.user(east, email="eva@example.org", name="Eva")
    build.commit()
    move_to_team(db.session, team["client"], east, eva, on=TODAY, today=TODAY,
                 by=team["coordinator"])
    db.session.commit()
    after = worker_of(ids)
    assert (after["tomorrow"], after["other_client"]) == ("Eva", "Wim")
