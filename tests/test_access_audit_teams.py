"""Team-level records of another team (its checklist, outcomes, work-monitor export, fidelity
assessment, a member's absence), asked for by id in a URL, answer 404 as an unknown id does and
are in the access log as denied attempts (no client named), as a client record of another team
is (access.refuse); a role that may not open a page is logged as denied with its 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Absence, AccessLogEntry, FidelityAssessment
from tests.conftest import TODAY, csrf_token, login


@pytest.fixture
def world(build):
    team_a, team_b = build.team("Team A"), build.team("Team B")
    a_worker = build.user(team_a, email="a-worker@example.org")
    a_coordinator = build.user(team_a, role="coordinator", email="a-coord@example.org")
    b_coordinator = build.user(team_b, role="coordinator", email="b-coord@example.org")
    b_worker = build.user(team_b, email="b-worker@example.org")
    build.client(a_worker, entry=TODAY - timedelta(days=30), code="A-ONE")
    absence = build.absence(a_worker, start=TODAY - timedelta(days=3),
                            end=TODAY - timedelta(days=2))
    assessment = FidelityAssessment(team=team_a, period_start=TODAY - timedelta(days=90),
                                    period_end=TODAY, created_by=a_coordinator)
    db.session.add(assessment)
    build.commit()
    return {"team_a": team_a, "a_worker": a_worker, "b_coordinator": b_coordinator,
            "b_worker": b_worker, "absence": absence, "assessment": assessment}


def denied(email: str) -> list[tuple]:
    db.session.expire_all()
    return list(db.session.execute(
        select(AccessLogEntry.record_type, AccessLogEntry.status, AccessLogEntry.client_id)
        .where(AccessLogEntry.outcome == "denied", AccessLogEntry.user_email == email)
        .order_by(AccessLogEntry.id)))


def test_another_teams_reports_answer_404_and_are_denied_attempts(client, world):
    team_a = world["team_a"].id
    login(client, world["b_coordinator"])
    for url in (f"/checklist/?team={team_a}", f"/outcomes/?team={team_a}",
                f"/outcomes/export.csv?team={team_a}",
                f"/outcomes/work-monitor.csv?team={team_a}",
                f"/fidelity/assessments/{world['assessment'].id}"):
        assert client.get(url).status_code == 404, url
    assert denied("b-coord@example.org") == [
        ("checklist.week", 404, None), ("outcomes.index", 404, None),
        ("outcomes.export_csv", 404, None), ("outcomes.work_monitor", 404, None),
        ("fidelity.assessment", 404, None)]


def test_another_teams_absence_cannot_be_deleted_and_the_attempt_is_logged(client, world):
    login(client, world["b_coordinator"])
    url = f"/team/absences/{world['absence'].id}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/team/absences")}
                       ).status_code == 404
    assert db.session.get(Absence, world["absence"].id) is not None
    assert denied("b-coord@example.org") == [("team.delete_absence", 404, None)]


def test_a_checklist_line_of_a_worker_of_another_team_is_refused_and_logged(client, world):
    login(client, world["b_coordinator"])
    token = csrf_token(client, "/checklist/")
    response = client.post("/checklist/review-line", data={
        "csrf_token": token, "worker_id": str(world["a_worker"].id)})
    assert response.status_code == 404
    assert denied("b-coord@example.org") == [("checklist.review_line", 404, None)]


def test_a_worker_asking_for_the_coordinators_reports_is_logged_with_its_403(client, world):
    login(client, world["b_worker"])
    for url in ("/outcomes/", "/fidelity/"):
        assert client.get(url).status_code == 403, url
    assert [row[:2] for row in denied("b-worker@example.org")] == [
        ("outcomes.index", 403), ("fidelity.index", 403)]
