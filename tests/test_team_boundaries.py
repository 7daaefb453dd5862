"""Team boundaries that hold when people move: a worker in two teams, a worker moved between
teams. Walk every route as team B's coordinator and worker, read every mail and export: nothing
of team A's clients may show. Access follows the client's team, never the worker."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_coordinator_digests, queue_worker_digests
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Contact, OutboxMessage, Signal, Trajectory
from tests.conftest import TODAY, csrf_token, login
from tests.test_route_walk import fill

SECRET_CODE = "TEAMA-SECRET-7"
SECRET_NAME = "Vertrouwelijke Naam"
SECRET_NOTE = "notitie-over-team-a-client"
SECRETS = (SECRET_CODE, SECRET_NAME, SECRET_NOTE)


def body_text(response) -> str:
    """The text of a page, CSV, JSON or Excel download."""
    data = response.get_data()
    if data[:2] == b"PK":  # an .xlsx workbook: read the cells, not the compressed bytes
        from openpyxl import load_workbook
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(cell) for sheet in workbook.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row
                         if cell is not None)
    return data.decode("utf-8", "replace")


@pytest.fixture
def two_teams(build):
    """Team A and team B share worker W (in both teams). W holds a team A client with a
    secret and a team B client."""
    team_a, team_b = build.team("Team A"), build.team("Team B")
    shared = build.user(team_a, email="shared@example.org", name="Gedeelde Werker")
    shared.teams = [team_a, team_b]
    build.user(team_a, role="coordinator", email="a-coord@example.org")
    b_coordinator = build.user(team_b, role="coordinator", email="b-coord@example.org")
    b_worker = build.user(team_b, email="b-worker@example.org")
    secret = build.client(shared, entry=TODAY - timedelta(days=45), code=SECRET_CODE,
                          team=team_a)
    secret.name = SECRET_NAME
    own = build.client(shared, entry=TODAY - timedelta(days=45), code="TEAMB-OWN-1", team=team_b)
    employer = build.employer("Gedeelde Werkgever")
    build.contact(shared, on=TODAY - timedelta(days=2), kind="employer", employer=employer,
                  client=secret, note=SECRET_NOTE)
    build.contact(shared, on=TODAY - timedelta(days=2), kind="client", client=secret,
                  note=SECRET_NOTE)
    build.contact(shared, on=TODAY - timedelta(days=1), kind="employer", employer=employer,
                  client=own, note="team b note")
    placement = build.placement(secret, start=TODAY - timedelta(days=10), employer=employer)
    build.commit()
    daily_evaluation(TODAY)
    return {"shared": shared, "b_coordinator": b_coordinator, "b_worker": b_worker,
            "secret": secret, "own": own, "employer": employer, "placement": placement,
            "team_a": team_a, "team_b": team_b}


def walk(app, user, ids: dict) -> list:
    """GET every route (and the query arguments that pick a worker or a team) as `user`;
    return where team A's secrets showed."""
    client = app.test_client()
    login(client, user)
    leaks = []
    extra = [f"?worker={ids['worker_id']}", f"?worker_id={ids['worker_id']}",
             f"?team={ids['team_id']}", "?worker=team", "?q=TEAMA", f"?q={SECRET_NAME[:6]}",
             "?q=Gedeelde"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout"):
            continue
        path = fill(rule, ids)
        for suffix in [""] + extra:
            response = client.get(path + suffix)
            text = body_text(response)
            if any(secret in text for secret in SECRETS):
                leaks.append((path + suffix, response.status_code))
    return leaks


def walk_ids(world) -> dict:
    return {"client_id": world["secret"].id, "worker_id": world["shared"].id,
            "user_id": world["shared"].id, "employer_id": world["employer"].id,
            "placement_id": world["placement"].id, "team_id": world["team_a"].id,
            "signal_id": db.session.scalar(select(Signal.id).where(
                Signal.trajectory_id == world["secret"].open_trajectory.id)) or 0,
            "week": "2026-W12", "message_id": 1, "code": "en", "absence_id": 1,
            "filename": "style.css"}


def mails_to(*users) -> str:
    emails = [u.email for u in users]
    return "\n".join(m.subject + m.body_text + m.body_html for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_email.in_(emails))))


@pytest.mark.parametrize("who", ["b_coordinator", "b_worker"])
def test_a_worker_in_two_teams_shows_team_b_nothing_of_team_a(app, two_teams, who):
    ids = walk_ids(two_teams)
    assert walk(app, two_teams[who], ids) == []


def test_team_b_sees_its_own_part_of_the_shared_worker(app, two_teams):
    client = app.test_client()
    login(client, two_teams["b_coordinator"])
    shared = two_teams["shared"]
    caseload = client.get(f"/caseload?worker={shared.id}").text
    week = client.get(f"/log/week/{shared.id}/2026-W12").text
    employer = client.get(f"/employers/{two_teams['employer'].id}").text
    assert "TEAMB-OWN-1" in caseload and SECRET_CODE not in caseload
    assert "TEAMB-OWN-1" in week and SECRET_CODE not in week
    assert "TEAMB-OWN-1" in employer and SECRET_CODE not in employer


def test_mails_of_team_b_hold_nothing_of_team_a(app, two_teams):
    # Monday: the coordinators' weekly checklist and the workers' digest are both queued.
    monday = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=7)
    app.config["CASELOAD_TODAY"] = monday
    daily_evaluation(monday)
    queue_worker_digests(monday)
    queue_coordinator_digests(monday)
    b_mail = mails_to(two_teams["b_coordinator"], two_teams["b_worker"])
    assert b_mail, "team B's coordinator gets the weekly checklist"
    assert not any(secret in b_mail for secret in SECRETS)
    # The shared worker's own digest may name both teams' clients: they are theirs.
    assert SECRET_CODE in mails_to(two_teams["shared"])


def test_a_worker_moved_to_another_team_leaves_their_clients_behind(app, build, two_teams):
    """The administrator takes W out of team A; A's clients go to A's "to be assigned" list,
    and team B (W's team now) sees none of them."""
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    shared, team_a, team_b = two_teams["shared"], two_teams["team_a"], two_teams["team_b"]
    # W's own daily log of the day lists the contacts with the team A client, one of them
    # corrected (its earlier version, with the note, shows under it).
    own_page = app.test_client()
    login(own_page, shared)
    secret_day = f"/log?date={(TODAY - timedelta(days=2)).isoformat()}"
    contact = db.session.scalar(select(Contact).where(
        Contact.client_id == two_teams["secret"].id, Contact.kind == "client"))
    edit = f"/records/contact/{contact.id}/edit"
    corrected = own_page.post(edit, data={
        "csrf_token": csrf_token(own_page, edit), "contact_date": contact.contact_date.isoformat(),
        "kind": "client", "employer": "", "mode": "phone", "place": "office", "minutes": "15",
        "note": "verbeterd", "reason": "verkeerde vorm"})
    assert corrected.status_code == 302
    before = own_page.get(secret_day).text
    assert SECRET_CODE in before and SECRET_NOTE in before

    client = app.test_client()
    login(client, admin)
    form = {"name": shared.name, "email": shared.email, "role": "worker", "fte": "1.00",
            "team_ids": [str(team_b.id)], "language": "nl", "active": "y",
            "csrf_token": csrf_token(client, f"/admin/users/{shared.id}")}
    refused = client.post(f"/admin/users/{shared.id}", data=form)
    assert refused.status_code == 422
    assert f'id="handover_{team_a.id}"' in refused.text
    assert SECRET_CODE not in refused.text  # counts only: the admin is no member of team A
    db.session.expire_all()
    assert [t.id for t in db.session.get(type(shared), shared.id).teams] == sorted(
        [team_a.id, team_b.id])  # nothing changed yet

    saved = client.post(f"/admin/users/{shared.id}", data={**form, f"handover_{team_a.id}": "0"})
    assert saved.status_code == 302
    db.session.expire_all()
    trajectory = db.session.get(Trajectory, two_teams["secret"].open_trajectory.id)
    assert trajectory.worker_id is None
    assert [a.reason for a in trajectory.assignments] == ["start", "release"]
    assert walk(app, two_teams["b_coordinator"], walk_ids(two_teams)) == []
    page = own_page.get("/caseload").text
    assert SECRET_CODE not in page and "TEAMB-OWN-1" in page
    # Nor does W, on any page: their own past contacts with team A's client included.
    after = own_page.get(secret_day).text
    assert SECRET_CODE not in after and SECRET_NOTE not in after and "verbeterd" not in after
    assert walk(app, shared, walk_ids(two_teams)) == []


def test_the_admin_page_cannot_deactivate_a_worker_who_holds_clients(app, build, two_teams):
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    shared = two_teams["shared"]
    client = app.test_client()
    login(client, admin)
    form = {"name": shared.name, "email": shared.email, "role": "worker", "fte": "1.00",
            "team_ids": [str(t.id) for t in shared.teams], "language": "nl",
            "csrf_token": csrf_token(client, f"/admin/users/{shared.id}")}  # active unticked
    assert client.post(f"/admin/users/{shared.id}", data=form).status_code == 422
    db.session.expire_all()
    assert db.session.get(type(shared), shared.id).active is True


def test_the_flush_guard_refuses_a_stranded_trajectory_whatever_wrote_it(build, two_teams):
    from caseload.models import DomainError
    shared = two_teams["shared"]
    shared.teams = [two_teams["team_b"]]
    with pytest.raises(DomainError):
        db.session.flush()
    db.session.rollback()
    shared = db.session.get(type(shared), shared.id)
    shared.active = False
    with pytest.raises(DomainError):
        db.session.flush()


def test_an_import_that_moves_a_worker_puts_their_clients_on_the_old_teams_list(
        app, build, two_teams, tmp_path):
    from caseload.importer import import_directory
    (tmp_path / "workers.csv").write_text(
        "email,name,role,fte,team\nshared@example.org,Gedeelde Werker,worker,1.0,Team C\n")
    outcome, _files = import_directory(tmp_path)
    assert not outcome.problems
    db.session.expire_all()
    for code in (SECRET_CODE, "TEAMB-OWN-1"):
        trajectory = db.session.scalar(select(Trajectory).join(Trajectory.client).where(
            Trajectory.ended_on.is_(None), Trajectory.client.has(client_code=code)))
        assert trajectory.worker_id is None, code
    # Outside a request the import speaks the default language (Dutch): "toe te wijzen".
    assert any("toe te wijzen" in note for note in outcome.notes)


def _handover(client, worker, then: str):
    url = f"/team/workers/{worker.id}/handover"
    return client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "on": TODAY.isoformat(), "then": then})


def test_a_coordinator_cannot_deactivate_a_worker_who_also_works_in_another_coordinators_team(
        app, build, two_teams):
    """W is in teams A and B; B's coordinator must not end W's account for team A as well, even
    with W's team B clients handed over: W can leave team B, the account stays."""
    shared, b_coordinator = two_teams["shared"], two_teams["b_coordinator"]
    build.transfer(two_teams["own"], two_teams["b_worker"], on=TODAY)
    build.commit()
    client = app.test_client()
    login(client, b_coordinator)
    page = client.get(f"/team/workers/{shared.id}/handover").text
    assert 'value="deactivate"' not in page and 'id="then-hint"' in page
    assert f'value="leave:{two_teams["team_b"].id}"' in page
    assert _handover(client, shared, "deactivate").status_code == 422
    db.session.expire_all()
    assert db.session.get(type(shared), shared.id).active is True
    assert _handover(client, shared, f"leave:{two_teams['team_b'].id}").status_code == 302
    db.session.expire_all()
    shared = db.session.get(type(shared), shared.id)
    assert shared.active is True and shared.team_ids == [two_teams["team_a"].id]


def test_a_coordinator_of_every_team_of_the_worker_may_deactivate_them(app, build, two_teams):
    shared, b_worker = two_teams["shared"], two_teams["b_worker"]
    both = build.user(two_teams["team_a"], role="coordinator", email="ab-coord@example.org")
    both.teams = [two_teams["team_a"], two_teams["team_b"]]
    build.transfer(two_teams["own"], b_worker, on=TODAY)
    build.transfer(two_teams["secret"], both, on=TODAY)
    build.commit()
    client = app.test_client()
    login(client, both)
    page = client.get(f"/team/workers/{shared.id}/handover").text
    assert 'value="deactivate"' in page and 'id="then-hint"' not in page
    assert _handover(client, shared, "deactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(type(shared), shared.id).active is False
