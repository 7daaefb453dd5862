"""Walk every route in the URL map as users of another team: nothing of team A's clients may
be read or changed. Routes that take an id must answer 403 or 404 (400/405 where the method
or input is refused before any lookup); routes without one may answer, but must not show
team A's client."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import AccessLogEntry, Base, Signal, WeekReview
from tests.conftest import TODAY, login

SECRET_CODE = "TEAMA-SECRET-1"
SECRET_NAME = "Geheime Naam"
SECRET_NOTE = "notitie-alleen-voor-team-a"

# Routes that are not about clients: reachable by every logged-in user on purpose.
NOT_CLIENT_DATA = {
    "static", "auth.login", "auth.logout", "auth.set_language", "account.settings",
}
# Employers are shared across the organisation (an employer is no client data); their pages
# show only the contacts of the caller's own teams, which the assertions below check.
SHARED_ACROSS_TEAMS = {"employers.index", "employers.new", "employers.show"}


@pytest.fixture
def team_a(build):
    team = build.team("Team A")
    worker = build.user(team, email="a-worker@example.org")
    build.user(team, role="coordinator", email="a-coord@example.org")  # team A has one too
    client = build.client(worker, entry=TODAY - timedelta(days=45), code=SECRET_CODE)
    client.name = SECRET_NAME
    employer = build.employer("Werkgever A")
    build.contact(worker, on=TODAY - timedelta(days=2), kind="employer", employer=employer,
                  client=client, note=SECRET_NOTE)
    placement = build.placement(client, start=TODAY - timedelta(days=10), employer=employer)
    absence = build.absence(worker, start=TODAY - timedelta(days=3), end=TODAY - timedelta(days=2))
    build.commit()
    daily_evaluation(TODAY)
    signal_id = db.session.scalar(select(Signal.id).where(Signal.trajectory_id.is_not(None)))
    return {"client_id": client.id, "placement_id": placement.id, "signal_id": signal_id,
            "worker_id": worker.id, "user_id": worker.id, "employer_id": employer.id,
            "absence_id": absence.id, "team_id": team.id,
            "message_id": 1, "code": "en", "week": "2026-W11", "filename": "style.css"}


def fill(rule, ids) -> str | None:
    values = {}
    for name in rule.arguments:
        if name not in ids:
            values[name] = ids["client_id"] if "id" in name else "x"
        else:
            values[name] = ids[name]
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[a-z]+:)?%s>" % name, str(value), path)
    return path


def token_of(client) -> str:
    page = client.get("/settings")
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name not in ("access_log", "login_attempt", "week_review",
                                  "worker_week_review")}  # B may review its own team's week


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_every_route_refuses_team_a_data_to_another_team(app, build, team_a, role):
    outsider = build.user(build.team("Team B"), role=role, email=f"b-{role}@example.org")
    build.commit()
    client = app.test_client()
    login(client, outsider)
    token = token_of(client)
    before = table_counts()
    leaks = []

    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_CLIENT_DATA:
            continue
        path = fill(rule, team_a)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, "note": "x", "phase": "job_finding",
                    "changed_on": TODAY.isoformat(), "client_code": "WALK-1",
                    "worker_id": str(team_a["worker_id"])} if method == "POST" else None
            response = client.open(path, method=method, data=data)
            body = response.get_data().decode("utf-8", "replace")
            shows_secret = SECRET_CODE in body or SECRET_NAME in body or SECRET_NOTE in body
            if rule.arguments - {"filename"} and rule.endpoint not in SHARED_ACROSS_TEAMS:
                if response.status_code not in (400, 403, 404, 405):
                    leaks.append((method, path, response.status_code))
            if shows_secret:
                leaks.append((method, path, "shows team A's client"))

    assert leaks == []
    db.session.expire_all()
    assert table_counts() == before  # nothing of team A was changed (or added)
    assert db.session.scalar(select(func.count(WeekReview.id)).where(
        WeekReview.team_id == team_a["team_id"])) == 0
    reads = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.client_id == team_a["client_id"],
        AccessLogEntry.user_email == outsider.email)).all()
    # Every attempt on team A's client is on the access log, as denied; none as a read.
    assert reads and {r.outcome for r in reads} == {"denied"}
