"""Who may see and change what: team boundaries by URL, roles for /admin, the caseload's worker
filter, the daily log's client list, and CSRF on every form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Contact, Team, User
from tests.conftest import TODAY, csrf_token, login
from tests.pages import datalist_values, field_has_error, input_value

ENTRY = TODAY - timedelta(days=60)
# Tables a request may write to without changing client data.
LOG_TABLES = {"access_log", "login_attempt"}


@pytest.fixture
def teams(build):
    """Team A (a coordinator, two workers, a client each) and team B (a worker, a client with a
    placement, and a client whose trajectory ended)."""
    team_a, team_b = build.team("Team A"), build.team("Team B")
    coordinator = build.user(team_a, role="coordinator", name="Coordinator A")
    worker_a = build.user(team_a, name="Worker A")
    colleague = build.user(team_a, name="Colleague A")
    worker_b = build.user(team_b, name="Worker B")
    client_a = build.client(worker_a, entry=ENTRY, code="A-1")
    client_a2 = build.client(colleague, entry=ENTRY, code="A-2")
    client_b = build.client(worker_b, entry=ENTRY, code="B-1")
    placement_b = build.placement(client_b, start=TODAY - timedelta(days=20))
    ended_b = build.client(worker_b, entry=ENTRY, code="B-2")
    build.end_trajectory(ended_b, on=TODAY - timedelta(days=5))
    build.commit()
    return {"team_a": team_a, "team_b": team_b, "coordinator": coordinator,
            "worker_a": worker_a, "colleague": colleague, "worker_b": worker_b,
            "client_a": client_a, "client_a2": client_a2, "client_b": client_b,
            "placement_b": placement_b, "ended_b": ended_b}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the logs, to prove a request changed nothing."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {table.name: sorted(map(tuple, connection.execute(table.select())), key=repr)
                for table in db.metadata.sorted_tables if table.name not in LOG_TABLES}


def client_posts(open_client, ended_client, placement, worker) -> dict[str, tuple[str, dict]]:
    """Each POST route under /clients/<id>/, with data a client of one's own team accepts."""
    b, ended, pid = open_client.id, ended_client.id, placement.id
    day = TODAY.isoformat()
    return {
        "phase": (f"/clients/{b}/phase", {"phase": "engagement", "changed_on": day}),
        "trajectory": (f"/clients/{ended}/trajectory", {
            "worker_id": worker.id, "program_entry_date": day,
            "trajectory_type": "ips_epa", "funder": "uwv"}),
        "placements": (f"/clients/{b}/placements", {
            "employer_name": "Bakkerij Overname", "job_title": "Bakker", "start_date": day,
            "placement_type": "paid_job", "hours_per_week": "20", "contract": "permanent"}),
        "placement_end": (f"/clients/{b}/placements/{pid}/end", {
            f"end-placement-{pid}-placement_id": pid, f"end-placement-{pid}-end_date": day,
            f"end-placement-{pid}-end_reason": "resigned"}),
        "disclosures": (f"/clients/{b}/disclosures", {"discussed_on": day, "decision": "full"}),
        "benefits": (f"/clients/{b}/benefits", {"benefits-offered_on": day, "benefits-note": "x"}),
        "profile": (f"/clients/{b}/profile", {"preferences": "overwritten", "version": ""}),
        # last: once ended, the routes that need an open trajectory have none
        "end": (f"/clients/{b}/end", {"ended_on": day, "end_reason": "moved"}),
    }


def posts_at_team_b(t) -> dict[str, tuple[str, dict]]:
    return client_posts(t["client_b"], t["ended_b"], t["placement_b"], t["worker_a"])


ROUTES = ["phase", "trajectory", "placements", "placement_end", "disclosures", "benefits",
          "profile", "end"]


# --- team boundaries by URL ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ["worker_a", "coordinator"])
def test_a_client_of_another_team_answers_404_on_its_page(client, teams, role):
    login(client, teams[role])
    assert client.get(f"/clients/{teams['client_b'].id}").status_code == 404
    assert client.get(f"/clients/{teams['ended_b'].id}").status_code == 404
    assert client.get(f"/clients/{teams['client_a'].id}").status_code == 200


@pytest.mark.parametrize("route", ROUTES)
def test_a_worker_cannot_change_a_client_of_another_team_by_url(client, teams, route):
    login(client, teams["worker_a"])
    token = csrf_token(client, f"/clients/{teams['client_a'].id}")
    url, data = posts_at_team_b(teams)[route]
    before = snapshot()

    response = client.post(url, data={"csrf_token": token, **data})

    assert response.status_code == 404
    assert snapshot() == before


def test_the_same_posts_on_a_client_of_ones_own_team_are_accepted(client, teams, build):
    """Guards the test above: its data would have changed a client the worker may see."""
    own = teams["client_a"]
    placement = build.placement(own, start=TODAY - timedelta(days=10))
    ended = build.client(teams["worker_a"], entry=ENTRY, code="A-9")
    build.end_trajectory(ended, on=TODAY - timedelta(days=5))
    build.commit()
    login(client, teams["worker_a"])
    token = csrf_token(client, f"/clients/{own.id}")
    posts = client_posts(own, ended, placement, teams["worker_a"])
    for route in ROUTES:
        url, data = posts[route]
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 302, (route, response.text)


def test_a_placement_of_another_teams_client_cannot_be_ended_through_ones_own_client(
        client, teams):
    login(client, teams["worker_a"])
    own = teams["client_a"]
    token = csrf_token(client, f"/clients/{own.id}")
    before = snapshot()

    response = client.post(f"/clients/{own.id}/placements/{teams['placement_b'].id}/end", data={
        "csrf_token": token, "end_date": TODAY.isoformat(), "end_reason": "resigned"})

    assert response.status_code == 404
    assert snapshot() == before


def test_a_coordinator_sees_the_clients_of_the_whole_team_and_no_others(client, teams):
    login(client, teams["coordinator"])

    page = client.get("/caseload")

    assert page.status_code == 200
    assert f'href="/clients/{teams["client_a"].id}"' in page.text
    assert f'href="/clients/{teams["client_a2"].id}"' in page.text
    assert f'href="/clients/{teams["client_b"].id}"' not in page.text
    assert client.get(f"/clients/{teams['client_a2'].id}").status_code == 200


def test_a_worker_can_look_at_a_colleagues_caseload_but_not_at_another_teams(client, teams):
    login(client, teams["worker_a"])

    colleague = client.get(f"/caseload?worker={teams['colleague'].id}")
    other_team = client.get(f"/caseload?worker={teams['worker_b'].id}")

    assert colleague.status_code == 200
    assert f'href="/clients/{teams["client_a2"].id}"' in colleague.text
    assert other_team.status_code == 404
    assert f'href="/clients/{teams["client_b"].id}"' not in other_team.text


def test_a_coordinator_cannot_list_the_caseload_of_another_teams_worker(client, teams, build):
    admin = build.user(role="admin")  # in no team
    build.commit()
    login(client, teams["coordinator"])
    assert client.get(f"/caseload?worker={teams['worker_b'].id}").status_code == 404
    assert client.get(f"/caseload?worker={admin.id}").status_code == 404
    assert client.get("/caseload?worker=999999").status_code == 404


# --- roles ---------------------------------------------------------------------------------------

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/teams", "/admin/norms",
               "/admin/outbox", "/admin/access-log", "/admin/access-log.csv"]


@pytest.mark.parametrize("role", ["worker_a", "coordinator"])
def test_workers_and_coordinators_cannot_reach_the_admin_pages(client, teams, role):
    login(client, teams[role])
    for url in ADMIN_PAGES + [f"/admin/users/{teams['worker_b'].id}"]:
        assert client.get(url).status_code == 403, url


def test_a_worker_cannot_create_users_or_teams_or_change_roles(client, teams):
    worker = teams["worker_a"]
    login(client, worker)
    token = csrf_token(client, "/caseload")
    before = snapshot()

    responses = [
        client.post("/admin/teams", data={"csrf_token": token, "name": "Eigen team"}),
        client.post("/admin/users/new", data={
            "csrf_token": token, "name": "X", "email": "x@example.org", "role": "admin",
            "fte": "1", "language": "nl", "password": "Lang-en-sterk-2026"}),
        client.post(f"/admin/users/{worker.id}", data={
            "csrf_token": token, "name": worker.name, "email": worker.email, "role": "admin",
            "fte": "1", "language": "nl", "team_ids": [teams["team_b"].id]}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert snapshot() == before


def test_an_administrator_creates_a_user_and_changes_fte_role_and_teams(client, teams, build):
    admin = build.user(role="admin", email="beheer@example.org")
    build.commit()
    login(client, admin)
    assert client.get("/admin/users").status_code == 200
    token = csrf_token(client, "/admin/users/new")

    created = client.post("/admin/users/new", data={
        "csrf_token": token, "name": "Nieuwe Collega", "email": "Nieuw@Example.org",
        "role": "worker", "fte": "0.6", "language": "nl", "active": "y",
        "team_ids": [teams["team_a"].id], "password": "Lang-en-sterk-2026"})

    assert created.status_code == 302
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.email == "nieuw@example.org")).one()
    assert (user.role, str(user.fte), user.team_ids) == ("worker", "0.60", [teams["team_a"].id])
    assert user.check_password("Lang-en-sterk-2026")

    edited = client.post(f"/admin/users/{user.id}", data={
        "csrf_token": token, "name": "Nieuwe Collega", "email": "nieuw@example.org",
        "role": "coordinator", "fte": "0.8", "language": "en", "active": "y",
        "team_ids": [teams["team_a"].id, teams["team_b"].id]})

    assert edited.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.role, str(user.fte), user.language) == ("coordinator", "0.80", "en")
    assert sorted(user.team_ids) == sorted([teams["team_a"].id, teams["team_b"].id])
    assert client.get("/admin/users").text.count("nieuw@example.org") == 1


def test_an_administrator_of_fte_0_is_saved_as_is_and_an_empty_fte_is_refused(client, build):
    """0 FTE (an administrator, or someone with no caseload) is a value, not a missing one."""
    admin = build.user(role="admin", email="beheer@example.org", fte="0")
    build.commit()
    login(client, admin)
    url = f"/admin/users/{admin.id}"
    form = {"csrf_token": csrf_token(client, url), "name": admin.name, "email": admin.email,
            "role": "admin", "fte": "0", "language": "en", "active": "y"}
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert (str(db.session.get(User, admin.id).fte), db.session.get(User, admin.id).language) \
        == ("0.00", "en")
    refused = client.post(url, data={**form, "fte": "", "language": "nl"})
    assert refused.status_code == 422  # the form again, with the error at the field
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="fte"|<input[^>]*id="fte"[^>]*'
                     r'aria-invalid="true"', refused.text)
    db.session.expire_all()
    assert db.session.get(User, admin.id).language == "en"


def test_an_administrator_creates_a_team(client, build):
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)
    response = client.post("/admin/teams", data={
        "csrf_token": csrf_token(client, "/admin/teams"), "name": "Team Oost"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Team.name).where(Team.name == "Team Oost")).one()


# --- the daily log -------------------------------------------------------------------------------

def test_daily_log_offers_the_own_teams_clients_only(client, teams):
    login(client, teams["worker_a"])
    page = client.get("/log")
    offered = datalist_values(page.text, "client-choices")
    assert offered == [teams["client_a"].client_code]  # a colleague's is found by typing:

    def found(text):
        answer = client.get("/log/clients", query_string={"q": text},
                            headers={"Accept": "application/json"})
        assert answer.status_code == 200
        return [c["code"] for c in answer.get_json()["clients"]]

    assert found(teams["client_a2"].client_code) == [teams["client_a2"].client_code]
    assert found(teams["client_b"].client_code) == []
    assert found(teams["ended_b"].client_code) == []


def test_daily_log_refuses_a_contact_naming_another_teams_client(client, teams):
    login(client, teams["worker_a"])
    token = csrf_token(client, "/log")

    response = client.post("/log", data={
        "csrf_token": token, "contact_date": TODAY.isoformat(), "save": "1",
        "rows-0-client": teams["client_b"].client_code, "rows-0-kind": "client",
        "rows-0-mode": "face_to_face", "rows-0-place": "community", "rows-0-minutes": "30",
        "rows-0-employer": "", "rows-0-note": "",
    })

    assert response.status_code == 422
    assert field_has_error(response.text, "rows-0-client")
    assert input_value(response.text, "rows-0-client") == teams["client_b"].client_code
    db.session.expire_all()
    assert db.session.scalars(select(Contact)).all() == []


# --- CSRF ----------------------------------------------------------------------------------------

def test_a_post_without_csrf_token_is_rejected_and_changes_nothing(client, teams):
    login(client, teams["worker_a"])
    own = teams["client_a"].id
    before = snapshot()

    phase = client.post(f"/clients/{own}/phase",
                        data={"phase": "engagement", "changed_on": TODAY.isoformat()})
    log = client.post("/log", data={
        "contact_date": TODAY.isoformat(), "save": "1",
        "rows-0-client": teams["client_a"].client_code,
        "rows-0-kind": "client", "rows-0-mode": "face_to_face", "rows-0-place": "community",
        "rows-0-minutes": "30"})
    forged = client.post(f"/clients/{own}/phase", data={
        "csrf_token": "forged", "phase": "engagement", "changed_on": TODAY.isoformat()})

    assert [phase.status_code, log.status_code, forged.status_code] == [400, 400, 400]
    assert snapshot() == before


def test_a_second_team_of_the_same_name_is_refused_at_the_field_with_other_letters_too(
        client, build):
    """SQLite's lower() folds ASCII only: "Team Ærø" twice met the unique index (a 500)."""
    admin = build.user(role="admin")
    build.team("Team Ærø")
    build.commit()
    login(client, admin)
    for name in ("Team Ærø", "team ærø" if db.engine.dialect.name != "sqlite" else " Team Ærø "):
        response = client.post("/admin/teams", data={
            "csrf_token": csrf_token(client, "/admin/teams"), "name": name})
        assert response.status_code == 422
        assert field_has_error(response.text, "name")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Team.id))) == 1
