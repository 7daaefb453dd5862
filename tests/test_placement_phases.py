"""Placements move the phase: a start moves the trajectory to coaching, an end offers job
finding again; both land in the phase history, dated by the placement."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Client, PhaseChange, Placement
from tests.conftest import TODAY, csrf_token, login


def phases(client_id: int) -> list[tuple[str, object]]:
    db.session.expire_all()
    trajectory = db.session.get(Client, client_id).open_trajectory
    return [(c.phase, c.changed_on) for c in trajectory.phase_changes]


def start_placement(client, person_id, *, start, move: bool):
    data = {"csrf_token": csrf_token(client, f"/clients/{person_id}"),
            "employer_name": "Bakkerij Fase", "job_title": "Bakker", "job_type": "",
            "placement_type": "paid_job", "start_date": start.isoformat(), "hours_per_week": "20",
            "hourly_wage": "", "contract": "permanent", "competitive": "y"}
    if move:
        data["move_to_coaching"] = "y"
    return client.post(f"/clients/{person_id}/placements", data=data)


def test_starting_a_placement_moves_the_client_to_coaching_on_the_start_date(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.phase(person, "job_finding", on=TODAY - timedelta(days=30))
    build.commit()
    login(client, worker)

    assert start_placement(client, person.id, start=TODAY - timedelta(days=2),
                           move=True).status_code == 302

    assert phases(person.id)[-2:] == [("job_finding", TODAY - timedelta(days=30)),
                                      ("coaching", TODAY - timedelta(days=2))]
    page = client.get(f"/clients/{person.id}").text
    assert 'id="summary-phase"' in page


def test_a_start_in_the_coming_days_moves_to_coaching_today_not_in_the_future(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.commit()
    login(client, worker)
    start_placement(client, person.id, start=TODAY + timedelta(days=7), move=True)
    assert phases(person.id)[-1] == ("coaching", TODAY)


def test_unticking_the_offer_leaves_the_phase_alone(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.phase(person, "job_finding", on=TODAY - timedelta(days=30))
    build.commit()
    login(client, worker)
    start_placement(client, person.id, start=TODAY, move=False)
    assert phases(person.id)[-1][0] == "job_finding"


def test_ending_the_placement_offers_job_finding_again(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.phase(person, "coaching", on=TODAY - timedelta(days=20))
    placement = build.placement(person, start=TODAY - timedelta(days=20))
    build.commit()
    login(client, worker)
    prefix = f"end-placement-{placement.id}-"
    page = client.get(f"/clients/{person.id}").text
    assert f'<input checked id="{prefix}back_to_job_finding"' in page  # offered, ticked

    response = client.post(f"/clients/{person.id}/placements/{placement.id}/end", data={
        "csrf_token": csrf_token(client, f"/clients/{person.id}"),
        f"{prefix}placement_id": placement.id, f"{prefix}end_date": (TODAY - timedelta(days=1)).isoformat(),
        f"{prefix}end_reason": "contract_ended", f"{prefix}back_to_job_finding": "y"})

    assert response.status_code == 302
    assert phases(person.id)[-1] == ("job_finding", TODAY - timedelta(days=1))
    db.session.expire_all()
    assert db.session.scalar(select(Placement.end_reason)) == "contract_ended"
    assert db.session.scalar(select(PhaseChange.changed_by_id).order_by(PhaseChange.id.desc())
                             .limit(1)) == worker.id


def test_an_empty_optional_wage_as_a_browser_sends_it_is_no_error(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.commit()
    login(client, worker)
    response = start_placement(client, person.id, start=TODAY, move=False)  # hourly_wage=""
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Placement.hourly_wage)) is None
