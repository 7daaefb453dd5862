"""Handing clients over: one client, a selection, a whole caseload; the checklist of the week
before stays as it was; the receiving worker, the client page and the access log show it; an
open breach follows the client. Cover during absence, search, and the employer register."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from caseload.checklist.queries import team_week_checklist
from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.mail.digests import worker_digests
from caseload.models import AccessLogEntry, Employer, Signal, Trajectory
from caseload.norms.settings import NormSettings
from tests.conftest import TODAY, csrf_token, login

LAST_MONDAY = date(2026, 3, 9)  # the week before TODAY (Wednesday 18 March)


@pytest.fixture
def team(build):
    team = build.team("Team A")
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    wim = build.user(team, email="wim@example.org", name="Wim")
    sara = build.user(team, email="sara@example.org", name="Sara")
    youssef = build.user(team, email="youssef@example.org", name="Youssef")
    clients = [build.client(wim, entry=date(2026, 1, 5), code=f"WIM-{n}") for n in range(3)]
    for client in clients:
        build.phase(client, "job_finding", on=date(2026, 2, 1))
    build.placement(clients[0], start=LAST_MONDAY + timedelta(days=1))
    build.commit()
    return {"team": team, "coordinator": coordinator, "wim": wim, "sara": sara,
            "youssef": youssef, "clients": clients}


def checklist_line(team, worker, monday=LAST_MONDAY):
    lines = team_week_checklist(db.session, [team.id], monday, NormSettings())
    line = next(line for line in lines if line.worker.id == worker.id)
    return (line.caseload, line.job_seekers, line.job_starts, line.new_referrals)


def post_handover(http, url, back, **fields):
    token = csrf_token(http, back)
    data = {"handover-csrf_token": token, "handover-on": TODAY.isoformat(),
            "handover-note": "Wim gaat met verlof", **fields}
    return http.post(url, data=data)


def test_one_client_handed_over_from_the_client_page(app, build, team):
    http = app.test_client()
    login(http, team["coordinator"])
    client = team["clients"][0]
    before_wim = checklist_line(team["team"], team["wim"])
    response = post_handover(http, f"/clients/{client.id}/handover", f"/clients/{client.id}",
                             **{"handover-worker_id": str(team["sara"].id)})
    assert response.status_code == 302
    db.session.expire_all()
    trajectory = db.session.get(Trajectory, client.open_trajectory.id)
    assert trajectory.worker_id == team["sara"].id
    [first, second] = trajectory.assignments
    assert (first.worker_id, first.until) == (team["wim"].id, TODAY)
    assert (second.worker_id, second.from_date, second.until) == (team["sara"].id, TODAY, None)
    assert second.note == "Wim gaat met verlof" and second.assigned_by_id == team["coordinator"].id
    # Last week's checklist is unchanged: the client was Wim's then.
    assert checklist_line(team["team"], team["wim"]) == before_wim
    assert checklist_line(team["team"], team["sara"]) == (0, 0, 0, 0)
    # The receiving worker sees the client; the client page shows the history.
    sara = app.test_client()
    login(sara, team["sara"])
    assert client.client_code in sara.get("/caseload").text
    page = sara.get(f"/clients/{client.id}").text
    assert 'id="worker-history"' in page and "Wim gaat met verlof" in page
    logged = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.client_id == client.id, AccessLogEntry.record_type == "handover")).all()
    assert [e.user_email for e in logged] == ["coord@example.org"]


def test_this_weeks_checklist_follows_the_worker_of_the_day(build, team):
    """Handed over on Wednesday: Sunday's caseload and job seekers are Sara's."""
    build.transfer(team["clients"][1], team["sara"], on=TODAY)
    build.commit()
    this_monday = TODAY - timedelta(days=TODAY.weekday())
    assert checklist_line(team["team"], team["sara"], this_monday)[:2] == (1, 1)
    assert checklist_line(team["team"], team["wim"], this_monday)[:2] == (2, 2)
    assert checklist_line(team["team"], team["wim"])[:2] == (3, 3)  # last week: all Wim's


def test_a_selection_and_a_whole_caseload(app, build, team):
    http = app.test_client()
    login(http, team["coordinator"])
    first, second, third = team["clients"]
    ticked = [str(first.open_trajectory.id), str(second.open_trajectory.id)]
    response = post_handover(http, "/caseload/handover", f"/caseload?worker={team['wim'].id}",
                             **{"handover-worker_id": str(team["youssef"].id),
                                "trajectory_id": ticked, "back_worker": str(team["wim"].id)})
    assert response.status_code == 302
    db.session.expire_all()
    holders = {c.client_code: db.session.get(Trajectory, c.open_trajectory.id).worker_id
               for c in team["clients"]}
    assert holders == {first.client_code: team["youssef"].id,
                       second.client_code: team["youssef"].id, third.client_code: team["wim"].id}
    response = post_handover(http, "/caseload/handover", f"/caseload?worker={team['wim'].id}",
                             **{"handover-worker_id": "0", "all": "1",
                                "from_worker": str(team["wim"].id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Trajectory, third.open_trajectory.id).worker_id is None
    # The coordinator's caseload shows the "to be assigned" list on top.
    page = http.get("/caseload").text
    assert 'id="to-be-assigned"' in page and third.client_code in page


def test_a_colleague_of_another_team_cannot_take_over(app, build, team):
    outsider = build.user(build.team("Team B"), email="b@example.org")
    build.commit()
    http = app.test_client()
    login(http, team["coordinator"])
    client = team["clients"][0]
    response = post_handover(http, f"/clients/{client.id}/handover", f"/clients/{client.id}",
                             **{"handover-worker_id": str(outsider.id)})
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Trajectory, client.open_trajectory.id).worker_id == team["wim"].id


def test_a_worker_cannot_hand_clients_over(app, team):
    http = app.test_client()
    login(http, team["wim"])
    client = team["clients"][0]
    response = http.post(f"/clients/{client.id}/handover", data={
        "handover-csrf_token": csrf_token(http, f"/clients/{client.id}"),
        "handover-worker_id": str(team["sara"].id), "handover-on": TODAY.isoformat()})
    assert response.status_code == 403


def test_an_open_breach_follows_the_client_to_the_new_worker(app, build, team):
    late = build.client(team["wim"], entry=TODAY - timedelta(days=40), code="LATE-1")
    build.commit()
    daily_evaluation(TODAY)
    signal = db.session.scalar(select(Signal).where(
        Signal.trajectory_id == late.open_trajectory.id, Signal.norm == "rapid_job_search"))
    assert signal.worker_id == team["wim"].id
    build.transfer(late, team["sara"], on=TODAY, by=team["coordinator"])
    build.commit()
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).worker_id == team["sara"].id
    sara = app.test_client()
    login(sara, team["sara"])
    page = sara.get("/caseload").text
    assert f'data-signal="{signal.id}"' in page or "LATE-1" in page.split('class="caseload"')[0]
    daily_evaluation(TODAY + timedelta(days=1))  # the next evaluation keeps it with Sara
    db.session.expire_all()
    assert db.session.get(Signal, signal.id).worker_id == team["sara"].id


def test_a_handover_cannot_be_dated_before_the_current_worker_took_over(build, team):
    from caseload.models import DomainError
    client = team["clients"][0]
    build.transfer(client, team["sara"], on=TODAY - timedelta(days=2))
    with pytest.raises(DomainError):
        build.transfer(client, team["youssef"], on=TODAY - timedelta(days=3))
    with pytest.raises(DomainError):
        build.transfer(client, team["youssef"], on=TODAY + timedelta(days=1))


def test_moving_a_client_to_another_team_takes_the_history_along(app, build, team):
    team_b = build.team("Team B")
    team["coordinator"].teams = [team["team"], team_b]
    b_worker = build.user(team_b, email="b-worker@example.org", name="Bea")
    a_worker_b_view = build.user(team_b, role="coordinator", email="b-coord@example.org")
    client = team["clients"][0]
    build.contact(team["wim"], on=TODAY - timedelta(days=1), client=client, note="oude notitie")
    build.commit()
    wim = app.test_client()
    login(wim, team["wim"])
    day_log = f"/log?date={(TODAY - timedelta(days=1)).isoformat()}"
    assert client.client_code in wim.get(day_log).text  # listed under the form
    http = app.test_client()
    login(http, team["coordinator"])
    response = http.post(f"/clients/{client.id}/team", data={
        "move-csrf_token": csrf_token(http, f"/clients/{client.id}"),
        "move-target": f"{team_b.id}:{b_worker.id}", "move-on": TODAY.isoformat(),
        "move-note": "verhuisd"})
    assert response.status_code == 302
    b_view = app.test_client()
    login(b_view, a_worker_b_view)
    page = b_view.get(f"/clients/{client.id}").text
    assert "oude notitie" in page and "Bea" in page and "verhuisd" in page
    assert wim.get(f"/clients/{client.id}").status_code == 404
    # Wim's own contact with the client is team A's no more: his daily log lists it no longer.
    assert client.client_code not in wim.get(day_log).text


def test_coordinator_enters_an_absence_with_cover_and_the_cover_gets_the_due_contacts(
        app, build, team):
    client = team["clients"][2]
    build.placement(client, start=TODAY - timedelta(days=1))  # 3-day contact due
    build.commit()
    http = app.test_client()
    login(http, team["coordinator"])
    response = http.post("/team/absences", data={
        "csrf_token": csrf_token(http, "/team/absences"), "user_id": str(team["wim"].id),
        "from_date": TODAY.isoformat(), "to_date": (TODAY + timedelta(days=5)).isoformat(),
        "cover_id": str(team["sara"].id)})
    assert response.status_code == 302
    digests = worker_digests(db.session, TODAY, NormSettings())
    covered = [item for item in digests[team["sara"].id].due if item.covering_for == "Wim"]
    # The due list also holds Wim's other items (caseload/due/): the 3-day contact is among them.
    assert [item.client_code for item in covered if item.kind == "follow_along_start"] == [
        client.client_code]
    assert {item.client_code for item in covered} <= {c.client_code for c in team["clients"]}
    sara = app.test_client()
    login(sara, team["sara"])
    page = sara.get("/caseload").text
    assert 'id="covering"' in page and client.client_code in page
    # A cover from another team is refused at the field.
    outsider = build.user(build.team("Team B"), email="b@example.org")
    build.commit()
    refused = http.post("/team/absences", data={
        "csrf_token": csrf_token(http, "/team/absences"), "user_id": str(team["wim"].id),
        "from_date": TODAY.isoformat(), "to_date": TODAY.isoformat(),
        "cover_id": str(outsider.id)})
    assert refused.status_code == 422


def test_search_finds_a_former_client_by_code_and_name_within_the_users_teams_only(
        app, build, team, count_queries):
    former = build.client(team["wim"], entry=date(2025, 1, 6), code="OUD-42")
    former.name = "Jansen"
    build.end_trajectory(former, on=date(2025, 9, 1))
    other = build.client(build.user(build.team("Team B")), code="OUD-43")
    other.name = "Jansen"
    build.commit()
    http = app.test_client()
    login(http, team["sara"])
    for text in ("oud-42", "jansen"):
        page = http.get(f"/search?q={text}").text
        assert "OUD-42" in page and "OUD-43" not in page
        assert f"/clients/{former.id}?start=1" in page
    logged = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.record_type == "search")).all()
    assert {e.client_id for e in logged} == {former.id}
    # A new trajectory from the result: no reason asked, program entry today.
    start = http.get(f"/clients/{former.id}?start=1")
    assert 'id="trajectory_form" open' in start.text
    response = http.post(f"/clients/{former.id}/trajectory", data={
        "csrf_token": csrf_token(http, f"/clients/{former.id}"),
        "worker_id": str(team["sara"].id), "program_entry_date": TODAY.isoformat(),
        "trajectory_type": "ips_epa", "funder": "uwv"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(former), former.id).open_trajectory.worker_id == team["sara"].id


def test_search_runs_as_many_queries_for_many_clients_as_for_few(app, build, team, count_queries):
    http = app.test_client()
    login(http, team["sara"])
    with count_queries() as few:
        http.get("/search?q=WIM")
    for n in range(30):
        build.client(team["wim"], code=f"WIM-X{n}")
    build.commit()
    with count_queries() as many:
        page = http.get("/search?q=WIM")
    assert "WIM-X29" in page.text
    assert many.count == few.count


def test_every_change_to_an_employer_is_kept_and_shown(app, build, team):
    employer = build.employer("Bakkerij Bol")
    build.commit()
    http = app.test_client()
    login(http, team["sara"])
    response = http.post(f"/employers/{employer.id}", data={
        "csrf_token": csrf_token(http, f"/employers/{employer.id}"), "name": "Bakkerij Bol",
        "sector": "Horeca", "place": "Utrecht", "contact_person": ""})
    assert response.status_code == 302
    db.session.expire_all()
    changes = db.session.get(Employer, employer.id).changes
    assert {(c.field, c.old_value, c.new_value, c.changed_by_id) for c in changes} == {
        ("sector", "", "Horeca", team["sara"].id), ("place", "", "Utrecht", team["sara"].id)}
    page = http.get(f"/employers/{employer.id}").text
    assert 'id="employer-changes"' in page and "Horeca" in page


def test_a_client_waiting_to_be_assigned_stays_in_the_work_monitor_and_the_export(build, team):
    from caseload.outcomes.monitor import work_monitor_rows
    from caseload.privacy.export import client_export
    client = team["clients"][0]
    build.transfer(client, None, on=TODAY, by=team["coordinator"], note="Wim vertrokken")
    build.commit()
    rows = work_monitor_rows(db.session, [team["team"].id], date(2026, 1, 1), date(2026, 3, 31))
    assert client.client_code in {row.values[1] for row in rows}
    from datetime import datetime, timezone
    exported = client_export(db.session, client, generated_at=datetime.now(timezone.utc),
                             generated_by="test")
    history = exported["trajectories"][0]["worker_history"]
    assert [(h["worker"], h["reason"]) for h in history] == [("Wim", "start"), (None, "transfer")]
    assert history[1]["note"] == "Wim vertrokken"


def test_a_leaver_deactivated_after_the_week_keeps_that_weeks_checklist_line(build, team):
    employer = build.employer()
    for day in range(4):
        build.contact(team["wim"], on=LAST_MONDAY + timedelta(days=day), kind="employer",
                      employer=employer)
    build.commit()
    lines = {line.worker.id: line for line in team_week_checklist(
        db.session, [team["team"].id], LAST_MONDAY, NormSettings())}
    before = (lines[team["wim"].id].caseload, lines[team["wim"].id].week.contacts)
    build.deactivate(team["wim"], on=TODAY)
    build.commit()
    lines = {line.worker.id: line for line in team_week_checklist(
        db.session, [team["team"].id], LAST_MONDAY, NormSettings())}
    assert (lines[team["wim"].id].caseload, lines[team["wim"].id].week.contacts) == before == (3, 4)
    this_monday = TODAY - timedelta(days=TODAY.weekday())
    later = {line.worker.id for line in team_week_checklist(
        db.session, [team["team"].id], this_monday + timedelta(days=7), NormSettings())}
    assert team["wim"].id not in later   # gone from the weeks after they left


def test_the_to_be_assigned_client_shows_once_on_top_of_the_team_caseload(app, build, team):
    build.transfer(team["clients"][0], None, on=TODAY)
    build.commit()
    http = app.test_client()
    login(http, team["coordinator"])
    page = http.get("/caseload?worker=team").text
    assert page.count(f'id="select-{team["clients"][0].open_trajectory.id}"') == 1
    from tests.pages import table_rows
    assert table_rows(page, "caseload")[0][0].startswith(team["clients"][0].client_code)


def test_a_leaver_page_keeps_clients_unless_told_and_refuses_a_leaver_still_holding_one(
        app, build, team):
    http = app.test_client()
    login(http, team["coordinator"])
    url = f"/team/workers/{team['wim'].id}/handover"
    first, second, third = (c.open_trajectory.id for c in team["clients"])
    token = csrf_token(http, url)
    refused = http.post(url, data={"csrf_token": token, "on": TODAY.isoformat(),
                                   "then": "deactivate", f"to_{first}": str(team["sara"].id),
                                   f"to_{second}": "-1", f"to_{third}": "0"})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Trajectory, first).worker_id == team["wim"].id   # nothing saved
    kept = http.post(url, data={"csrf_token": token, "on": TODAY.isoformat(), "then": "stay",
                                f"to_{first}": str(team["sara"].id), f"to_{second}": "-1",
                                f"to_{third}": "-1"})
    assert kept.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Trajectory, t).worker_id for t in (first, second, third)] == [
        team["sara"].id, team["wim"].id, team["wim"].id]
