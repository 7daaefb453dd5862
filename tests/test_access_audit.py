"""An access audit by record id: another team's appointment, contact, placement, disclosure or
benefits plan, named in a URL, answers 404 (no more than an unknown id does), changes nothing
and is in the access log as a denied attempt at that client (NEN 7513), as a client page of
another team is (access.refuse). The people: a worker in team B only, team B's coordinator, and
a worker who moved from team A to team B."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import AccessLogEntry
from caseload.models.appointments import Appointment
from caseload.week.agenda import local_moment
from tests.conftest import TODAY, csrf_token, login
from tests.test_access import snapshot


@pytest.fixture
def world(build):
    team_a, team_b = build.team("Team A"), build.team("Team B")
    a_worker = build.user(team_a, email="a-worker@example.org")
    a_coordinator = build.user(team_a, role="coordinator", email="a-coord@example.org")
    b_worker = build.user(team_b, email="b-worker@example.org")
    b_coordinator = build.user(team_b, role="coordinator", email="b-coord@example.org")
    moved = build.user(team_a, email="moved@example.org")
    secret = build.client(a_worker, entry=TODAY - timedelta(days=30), code="A-SECRET")
    held_by_moved = build.client(moved, entry=TODAY - timedelta(days=30), code="A-MOVED")
    contact = build.contact(moved, on=TODAY - timedelta(days=2), client=held_by_moved,
                            note="a note")
    appointment = Appointment.plan(worker=moved, client=held_by_moved, today=TODAY,
                                   starts_at=local_moment(TODAY + timedelta(days=1), time(10)),
                                   kind="client", location="Bieb", minutes=45)
    db.session.add(appointment)
    records = {
        "contact": contact,
        "placement": build.placement(secret, start=TODAY - timedelta(days=5)),
        "disclosure": build.disclosure(secret, on=TODAY - timedelta(days=3)),
        "benefits_plan": build.benefits_plan(secret, on=TODAY - timedelta(days=3)),
    }
    build.commit()
    # The moved worker leaves team A for team B; their client goes to team A's list.
    build.transfer(held_by_moved, a_worker, on=TODAY, by=a_coordinator)
    moved.teams = [team_b]
    build.commit()
    clients = {"contact": held_by_moved.id, "placement": secret.id, "disclosure": secret.id,
               "benefits_plan": secret.id}
    return {"b_worker": b_worker, "b_coordinator": b_coordinator, "moved": moved,
            "appointment": appointment, "held_by_moved": held_by_moved,
            "records": {kind: (record.id, clients[kind]) for kind, record in records.items()}}


def denied_at(client_id: int) -> list[tuple]:
    db.session.expire_all()
    return list(db.session.execute(select(AccessLogEntry.user_email, AccessLogEntry.status)
                                   .where(AccessLogEntry.outcome == "denied",
                                          AccessLogEntry.client_id == client_id)))


PEOPLE = ["b_worker", "b_coordinator", "moved"]


@pytest.mark.parametrize("who", PEOPLE)
def test_another_teams_appointment_answers_404_changes_nothing_and_is_a_denied_attempt(
        client, world, who):
    user = world[who]
    appointment_id = world["appointment"].id
    login(client, user)
    token = csrf_token(client, "/week")
    before = snapshot()

    responses = [client.post(f"/appointments/{appointment_id}/{action}",
                             data={"csrf_token": token}) for action in ("done", "no-show")]
    responses.append(client.get(f"/appointments/{appointment_id}/move"))
    responses.append(client.post(f"/appointments/{appointment_id}/move", data={
        "csrf_token": token, "starts_on": (TODAY + timedelta(days=2)).isoformat(),
        "starts_time": "11:00"}))

    assert [r.status_code for r in responses] == [404] * 4
    assert snapshot() == before
    assert denied_at(world["held_by_moved"].id) == [(user.email, 404)] * 4


@pytest.mark.parametrize("record_type", ["contact", "placement", "disclosure", "benefits_plan"])
@pytest.mark.parametrize("who", PEOPLE)
def test_another_teams_record_to_correct_answers_404_changes_nothing_and_is_a_denied_attempt(
        client, world, who, record_type):
    user = world[who]
    record_id, client_id = world["records"][record_type]
    login(client, user)
    token = csrf_token(client, "/week")
    before = snapshot()

    responses = [
        client.get(f"/records/{record_type}/{record_id}/edit"),
        client.post(f"/records/{record_type}/{record_id}/edit",
                    data={"csrf_token": token, "reason": "x"}),
        client.post(f"/records/{record_type}/{record_id}/delete",
                    data={"csrf_token": token, "delete-reason": "x"}),
    ]

    assert [r.status_code for r in responses] == [404] * 3
    assert snapshot() == before
    assert denied_at(client_id) == [(user.email, 404)] * 3


def coordinator_posts(client_id: int, placement_id: int, worker_id: int, team_id: int) -> dict:
    """The POSTs on a client, with data its own team's coordinator could send."""
    day = TODAY.isoformat()
    c = client_id
    return {
        "phase": (f"/clients/{c}/phase", {"phase": "engagement", "changed_on": day}),
        "placements": (f"/clients/{c}/placements", {
            "employer_name": "Bakkerij", "job_title": "Bakker", "start_date": day,
            "placement_type": "paid_job", "hours_per_week": "20", "contract": "permanent"}),
        "placement_edit": (f"/clients/{c}/placements/{placement_id}/edit", {
            "job_title": "Anders", "reason": "x"}),
        "placement_end": (f"/clients/{c}/placements/{placement_id}/end", {
            f"end-placement-{placement_id}-end_date": day,
            f"end-placement-{placement_id}-end_reason": "resigned"}),
        "disclosures": (f"/clients/{c}/disclosures", {"discussed_on": day, "decision": "full"}),
        "benefits": (f"/clients/{c}/benefits", {"benefits-offered_on": day}),
        "profile": (f"/clients/{c}/profile", {"preferences": "overwritten", "version": ""}),
        "details": (f"/clients/{c}/details", {"client_code": "STOLEN", "name": "x"}),
        "attempts": (f"/clients/{c}/attempts", {"attempted_on": day, "method": "phone"}),
        "handover": (f"/clients/{c}/handover", {"worker_id": worker_id, "on": day}),
        "team": (f"/clients/{c}/team", {"move-target": f"{team_id}:{worker_id}",
                                         "move-on": day}),
        "erase": (f"/clients/{c}/privacy/erase", {"reason": "client_request",
                                                  "confirm_code": "A-SECRET"}),
        "end": (f"/clients/{c}/end", {"ended_on": day, "end_reason": "moved"}),
    }


@pytest.mark.parametrize("route", list(coordinator_posts(0, 0, 0, 0)))
def test_another_teams_coordinator_changes_nothing_of_a_client_by_url(client, world, route):
    """Team B's coordinator, on team A's client (held by a worker who is in team A only):
    every POST answers 404, changes nothing and is a denied attempt at that client."""
    coordinator = world["b_coordinator"]
    secret_id = world["records"]["placement"][1]
    placement_id = world["records"]["placement"][0]
    login(client, coordinator)
    token = csrf_token(client, "/week")
    url, data = coordinator_posts(secret_id, placement_id, world["b_worker"].id,
                                  coordinator.team_ids[0])[route]
    before = snapshot()

    response = client.post(url, data={"csrf_token": token, "move-csrf_token": token, **data})

    assert response.status_code == 404
    assert snapshot() == before
    assert denied_at(secret_id) == [(coordinator.email, 404)]


def test_a_colleague_who_did_not_record_a_placement_is_refused_its_correction_as_denied(
        client, build):
    """Both ways to correct a placement (the client page's edit, the corrections route) answer
    a colleague of the same team who did not record it 403, and log the attempt as denied."""
    team = build.team()
    recorder, colleague = build.user(team), build.user(team, email="colleague@example.org")
    person = build.client(recorder, entry=TODAY - timedelta(days=30))
    placement = build.placement(person, start=TODAY - timedelta(days=5))
    placement.recorded_by_id = recorder.id
    build.commit()
    login(client, colleague)

    for url in (f"/clients/{person.id}/placements/{placement.id}/edit",
                f"/records/placement/{placement.id}/edit"):
        assert client.get(url).status_code == 403, url

    assert denied_at(person.id) == [("colleague@example.org", 403)] * 2
