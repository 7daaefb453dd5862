"""Signals on the pages: the worker's caseload and client page, the coordinator's review."""

from __future__ import annotations

from datetime import timedelta

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Signal
from tests.conftest import TODAY, csrf_token, login


def team_with_late_client(build):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team)
    client = build.client(worker, entry=TODAY - timedelta(days=40), code="LATE-1")
    build.commit()
    daily_evaluation(TODAY)
    return team, coordinator, worker, client


def test_worker_sees_open_signals_on_caseload_and_client_page(client, build):
    _team, _coordinator, worker, late = team_with_late_client(build)
    login(client, worker)

    caseload = client.get("/caseload")
    page = client.get(f"/clients/{late.id}")

    assert 'data-norm="rapid_job_search"' in caseload.text
    assert f'href="/clients/{late.id}"' in caseload.text
    assert 'data-norm="rapid_job_search"' in page.text


def test_coordinator_acknowledges_a_signal_with_a_note_and_it_stays_in_the_history(client, build):
    _team, coordinator, _worker, _late = team_with_late_client(build)
    signal = db.session.query(Signal).filter_by(norm="rapid_job_search").one()
    login(client, coordinator)

    token = csrf_token(client, "/review/signals")
    empty = client.post(f"/review/signals/{signal.id}/acknowledge",
                        data={"csrf_token": token, "note": ""})
    db.session.expire_all()
    # refused: the list again, the message at the row's note (tests/test_refused_notes.py)
    assert empty.status_code == 422 and db.session.get(Signal, signal.id).acknowledged_at is None
    assert f'id="note-{signal.id}-error"' in empty.text

    client.post(f"/review/signals/{signal.id}/acknowledge",
                data={"csrf_token": token, "note": "Besproken in supervisie"})
    db.session.expire_all()
    acknowledged = db.session.get(Signal, signal.id)
    assert acknowledged.acknowledged_at is not None
    assert acknowledged.acknowledged_by_id == coordinator.id
    page = client.get("/review/signals")
    assert f'data-signal="{signal.id}"' not in page.text  # no longer open
    assert "Besproken in supervisie" in page.text         # but in the history


def test_a_worker_cannot_open_the_review_or_acknowledge(client, build):
    _team, _coordinator, worker, _late = team_with_late_client(build)
    signal = db.session.query(Signal).first()
    login(client, worker)
    assert client.get("/review/signals").status_code == 403
    token = csrf_token(client, "/caseload")
    response = client.post(f"/review/signals/{signal.id}/acknowledge",
                           data={"csrf_token": token, "note": "x"})
    assert response.status_code == 403


def test_a_coordinator_of_another_team_cannot_acknowledge(client, build):
    _team, _coordinator, _worker, _late = team_with_late_client(build)
    other = build.user(build.team(), role="coordinator")
    build.commit()
    signal = db.session.query(Signal).first()
    login(client, other)
    token = csrf_token(client, "/review/signals")
    response = client.post(f"/review/signals/{signal.id}/acknowledge",
                           data={"csrf_token": token, "note": "x"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).acknowledged_at is None


def test_weekly_signal_links_to_the_week_of_the_worker(client, build):
    team = build.team()
    worker = build.user(team)
    clients = [build.client(worker, entry=TODAY - timedelta(days=60)) for _ in range(3)]
    for c in clients:
        c.open_trajectory.change_phase("job_finding", on=TODAY - timedelta(days=50), by=worker,
                                       today=TODAY)
    build.commit()
    daily_evaluation(TODAY)
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    iso = monday.isocalendar()
    week = f"{iso[0]}-W{iso[1]:02d}"
    login(client, worker)

    caseload = client.get("/caseload")
    assert f"/log/week/{worker.id}/{week}" in caseload.text
    page = client.get(f"/log/week/{worker.id}/{week}")
    assert page.status_code == 200 and 'id="week-figures"' in page.text
    other = build.user(build.team())
    build.commit()
    assert client.get(f"/log/week/{other.id}/{week}").status_code == 404
