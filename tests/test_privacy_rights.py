"""The client's privacy rights: export everything held, erase on request, erase after the
retention period. The erased person must be gone from every table and page, while the anonymous
figures (outcomes, workers' contact counts) stay exactly as they were."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_worker_digests
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.jobs.privacy_jobs import erase_expired_clients
from caseload.jobs.scheduler import job_definitions
from caseload.models import (
    AccessLogEntry,
    Base,
    Client,
    Contact,
    OutboxMessage,
    Placement,
    Signal,
    Trajectory,
    VocationalProfile,
    WeekReview,
)
from caseload.outcomes.queries import team_outcomes
from caseload.privacy.erase import erase_client
from tests.conftest import TODAY, csrf_token, login
from tests.sqlite_files import file_bytes

RETENTION = 2557


def make_record(build, worker, code: str, tag: str) -> dict:
    """A client with one of every kind of record, each free text marked with `tag`."""
    client = build.client(worker, entry=TODAY - timedelta(days=60), code=code)
    client.name = f"Naam {tag}"
    client.referral_source = f"Verwijzer {tag}"
    employer = build.employer()
    build.phase(client, "engagement", on=TODAY - timedelta(days=50))
    build.phase(client, "job_finding", on=TODAY - timedelta(days=40))
    notes = {
        "client_contact": build.contact(worker, on=TODAY - timedelta(days=20), client=client,
                                        note=f"gesprek {tag} over slaapproblemen"),
        "employer_contact": build.contact(worker, on=TODAY - timedelta(days=5), kind="employer",
                                          employer=employer, client=client,
                                          note=f"werkgever {tag} wil proefplaatsing"),
        "treatment_contact": build.contact(worker, on=TODAY - timedelta(days=30),
                                           kind="treatment_team", mode="phone", client=client,
                                           note=f"behandelaar {tag} meldt medicatiewissel"),
    }
    disclosure = build.disclosure(client, on=TODAY - timedelta(days=10), decision="partial")
    disclosure.note = f"openheid {tag} alleen aan leidinggevende"
    plan = build.benefits_plan(client, on=TODAY - timedelta(days=8))
    plan.note = f"uitkering {tag} Wajong-berekening"
    placement = build.placement(client, start=TODAY - timedelta(days=3), employer=employer)
    placement.job_title = f"Barista {tag}"
    client.profile = VocationalProfile(preferences=f"voorkeur {tag}", experience=f"ervaring {tag}",
                                       skills=f"vaardigheid {tag}", strengths=f"kracht {tag}",
                                       adjustments=f"aanpassing {tag}", network=f"netwerk {tag}")
    build.commit()
    return {"client": client, "employer": employer, "placement": placement,
            "texts": [client.client_code, client.name, client.referral_source,
                      disclosure.note, plan.note, placement.job_title,
                      *(c.note for c in notes.values()),
                      *(f"{field} {tag}" for field in ("voorkeur", "ervaring", "vaardigheid",
                                                       "kracht", "aanpassing", "netwerk"))]}


@pytest.fixture
def team(build):
    team = build.team("Team A")
    worker = build.user(team, email="wim@example.org")
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    other_coordinator = build.user(build.team("Team B"), role="coordinator",
                                   email="b-coord@example.org")
    build.commit()
    return {"team": team, "worker": worker, "coordinator": coordinator,
            "other_coordinator": other_coordinator}


@pytest.fixture
def two_clients(build, team):
    erased = make_record(build, team["worker"], "PRIV-SECRET-7", "zonnebloem")
    kept = make_record(build, team["worker"], "PRIV-KEEP-8", "korenbloem")
    daily_evaluation(TODAY)  # signals for both (e.g. late employer contact, treatment team)
    return erased, kept


def all_rows() -> dict[str, list[tuple]]:
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in Base.metadata.sorted_tables}


def occurrences(texts) -> list[tuple[str, str, str]]:
    """(table, column, text) wherever one of the texts occurs in any column of any table."""
    db.session.expire_all()
    found = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if not isinstance(value, (str, dict, list)):
                    continue  # numbers, dates, booleans: nothing to name a person with
                haystack = (value if isinstance(value, str) else json.dumps(value)).lower()
                found += [(table.name, column, text) for text in texts
                          if text.lower() in haystack]
    return found


def left_in_sqlite_files(texts) -> list[tuple[str, str]]:
    """(file, text) wherever one of the texts is still in the bytes of the SQLite database file
    or its write-ahead log (erased text must be in neither, not even in free space)."""
    path = Path(db.engine.url.database)
    found = []
    for file, missing_ok in ((path, False), (Path(f"{path}-wal"), True)):
        content = file_bytes(file, missing_ok=missing_ok)  # never opened here (sqlite_files.py)
        found += [(file.name, text) for text in texts if text.encode() in content]
    return found


def outcome_figures(team_id: int) -> dict:
    start = date(2025, 1, 1)
    up_to_today = team_outcomes(db.session, [team_id], start, TODAY)[team_id]
    return {
        "trajectories": db.session.scalar(select(func.count(Trajectory.id))),
        "placements_started": db.session.scalar(select(func.count(Placement.id))),
        "contacts_per_worker": dict(db.session.execute(
            select(Contact.worker_id, func.count(Contact.id)).group_by(Contact.worker_id)).all()),
        "contacts_by_kind_mode_minutes": Counter(db.session.execute(
            select(Contact.kind, Contact.mode, Contact.minutes, Contact.contact_date)).all()),
        # Up to yesterday every figure stays; up to today, the ending of the open trajectory
        # on the day of erasure is the one intended change (reason "other").
        "outcomes_to_yesterday": team_outcomes(db.session, [team_id], start,
                                               TODAY - timedelta(days=1))[team_id],
        "caseload_and_jobs": (up_to_today.caseload, up_to_today.new_referrals,
                              up_to_today.worked, up_to_today.working_at_end,
                              up_to_today.started, up_to_today.job_endings,
                              up_to_today.days_to_first_employer_contact,
                              up_to_today.days_to_first_job),
    }


def erase(http, client_id: int, code: str, reason: str = "client_request"):
    token = csrf_token(http, f"/clients/{client_id}")
    return http.post(f"/clients/{client_id}/privacy/erase",
                     data={"csrf_token": token, "confirm_code": code, "reason": reason})


# --- export ----------------------------------------------------------------------------------

def test_export_json_holds_every_kind_of_record_of_the_client_and_nothing_of_another(
        client, team, two_clients):
    record, other = two_clients
    target = record["client"]
    login(client, team["coordinator"])
    assert client.get(f"/clients/{target.id}").status_code == 200  # leaves an access-log entry

    response = client.get(f"/clients/{target.id}/privacy/export.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert data["client"]["client_code"] == "PRIV-SECRET-7"
    assert data["client"]["name"] == "Naam zonnebloem"
    assert [len(t["phase_history"]) for t in data["trajectories"]] == [3]
    assert [t["in_work_at_referral"] for t in data["trajectories"]] == [None]   # not recorded
    assert {c["kind"] for c in data["contacts"]} == {"client", "employer", "treatment_team"}
    for key in ("placements", "disclosure_discussions", "benefits_plans", "signals",
                "access_log"):
        assert data[key], key
    assert data["vocational_profile"]["preferences"] == "voorkeur zonnebloem"
    assert {s["trajectory_id"] for s in data["signals"]} == {target.trajectories[0].id}
    assert any(e["user_email"] == "coord@example.org" for e in data["access_log"])
    text = json.dumps(data, ensure_ascii=False)
    for value in record["texts"]:
        assert value in text, value
    for value in other["texts"]:
        assert value not in text, value
    exports = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.client_id == target.id, AccessLogEntry.action == "export")).all()
    assert [(e.record_type, e.user_email) for e in exports] == [
        ("privacy_export", "coord@example.org")]


def test_export_page_renders_the_record(client, team, two_clients):
    record, other = two_clients
    login(client, team["coordinator"])

    page = client.get(f"/clients/{record['client'].id}/privacy/export")

    assert page.status_code == 200
    for section in ("export-client", "export-trajectories", "export-placements",
                    "export-contacts", "export-support", "export-profile", "export-signals",
                    "export-access-log"):
        assert f'id="{section}"' in page.text
    for value in record["texts"]:
        assert value in page.text, value
    assert other["client"].client_code not in page.text
    shown = client.get(f"/clients/{record['client'].id}")
    assert 'id="privacy"' in shown.text and 'id="erase-form"' in shown.text


def test_a_worker_may_not_export_or_erase_and_sees_no_privacy_section(client, team, two_clients):
    record, _other = two_clients
    client_id = record["client"].id
    login(client, team["worker"])
    before = all_rows()

    assert client.get(f"/clients/{client_id}/privacy/export").status_code == 403
    assert client.get(f"/clients/{client_id}/privacy/export.json").status_code == 403
    assert client.get(f"/clients/{client_id}/privacy/erase").status_code == 403
    token = csrf_token(client, f"/clients/{client_id}")
    assert client.post(f"/clients/{client_id}/privacy/erase", data={
        "csrf_token": token, "confirm_code": "PRIV-SECRET-7",
        "reason": "client_request"}).status_code == 403
    assert 'id="privacy"' not in client.get(f"/clients/{client_id}").text

    after = all_rows()
    assert {k: v for k, v in after.items() if k != "access_log"} == \
        {k: v for k, v in before.items() if k != "access_log"}


def test_another_teams_coordinator_gets_404(client, team, two_clients):
    record, _other = two_clients
    client_id = record["client"].id
    login(client, team["other_coordinator"])

    for path in ("export", "export.json", "erase"):
        assert client.get(f"/clients/{client_id}/privacy/{path}").status_code == 404
    token = csrf_token(client, "/settings")
    assert client.post(f"/clients/{client_id}/privacy/erase", data={
        "csrf_token": token, "confirm_code": "PRIV-SECRET-7",
        "reason": "client_request"}).status_code == 404
    assert db.session.get(Client, client_id).erased_at is None


# --- erasure on request ----------------------------------------------------------------------

def test_erasing_removes_the_person_everywhere_and_keeps_the_figures(client, build, team,
                                                                     two_clients):
    record, other = two_clients
    target, worker = record["client"], team["worker"]
    client_id, trajectory_id = target.id, target.trajectories[0].id
    # The code written into free text elsewhere: a general note, a review, a queued mail.
    build.contact(worker, on=TODAY - timedelta(days=1), kind="employer",
                  employer=record["employer"], note="Samen met PRIV-SECRET-7 langs geweest")
    db.session.add(WeekReview(team_id=team["team"].id, week_start=TODAY - timedelta(days=9),
                              reviewed_by_id=team["coordinator"].id, reviewed_at=datetime.now(
                                  UTC), note="priv-secret-7 besproken"))
    signal = db.session.scalar(select(Signal).where(Signal.trajectory_id == trajectory_id))
    signal.acknowledgement_note = "besproken met zonnebloem-behandelaar"
    build.commit()
    assert queue_worker_digests(TODAY) == 1
    assert "PRIV-SECRET-7" in db.session.scalar(select(OutboxMessage.body_text))
    secrets = record["texts"] + ["besproken met zonnebloem-behandelaar"]
    assert occurrences(secrets)  # the scan finds them before
    figures = outcome_figures(team["team"].id)

    login(client, team["coordinator"])
    response = erase(client, client_id, "PRIV-SECRET-7")

    assert response.status_code == 302
    assert occurrences(secrets) == []
    if db.engine.dialect.name == "sqlite":
        assert left_in_sqlite_files(secrets) == []
    db.session.expire_all()
    erased = db.session.get(Client, client_id)
    assert re.fullmatch(r"ANON-[2-9A-HJ-NP-Z]{6}", erased.client_code)
    assert erased.erased_at is not None and erased.erasure_reason == "client_request"
    assert (erased.name, erased.referral_source, erased.profile) == ("", "", None)
    trajectory = db.session.get(Trajectory, trajectory_id)
    assert (trajectory.ended_on, trajectory.end_reason) == (TODAY, "other")
    assert db.session.scalars(select(Placement.employer_id).where(
        Placement.trajectory_id == trajectory_id)).all() == [record["employer"].id]
    assert {s.resolved_by for s in db.session.scalars(
        select(Signal).where(Signal.trajectory_id == trajectory_id))} == {"erased"}
    # the mentions elsewhere now carry a neutral mark, not the pseudonym
    assert db.session.scalar(select(WeekReview.note)) == "[ANON] besproken"
    assert "[ANON]" in db.session.scalar(select(OutboxMessage.body_text))
    assert occurrences([erased.client_code]) == [("client", "client_code", erased.client_code)]
    assert outcome_figures(team["team"].id) == figures
    # the other client is untouched
    assert all(occurrences([text]) for text in other["texts"])

    # no page shows the client any more, under either code
    pseudonym = erased.client_code
    assert client.get(f"/clients/{client_id}").status_code == 404
    assert client.get(f"/clients/{client_id}/privacy/export.json").status_code == 404
    daily_evaluation(TODAY)  # a later run the same day raises nothing about the erased client
    assert db.session.scalar(select(func.count(Signal.id)).where(
        Signal.trajectory_id == trajectory_id, Signal.resolved_at.is_(None))) == 0
    pages = ["/caseload", "/caseload?scope=team", f"/employers/{record['employer'].id}",
             "/review/signals", f"/log?date={(TODAY - timedelta(days=5)).isoformat()}",
             f"/log/week/{worker.id}/2026-W11"]
    for path in pages:
        body = client.get(path).text
        assert "PRIV-SECRET-7" not in body and pseudonym not in body, path
        assert "zonnebloem" not in body, path
    assert "PRIV-KEEP-8" in client.get("/caseload?scope=team").text
    client.post("/logout", data={"csrf_token": csrf_token(client, "/settings")})
    login(client, worker)
    for path in ["/caseload", "/log", f"/log?date={(TODAY - timedelta(days=5)).isoformat()}"]:
        body = client.get(path).text
        assert "PRIV-SECRET-7" not in body and pseudonym not in body, path

    log = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.client_id == client_id, AccessLogEntry.action == "erase")).all()
    assert [(e.record_type, e.user_email) for e in log] == [
        ("privacy_erase", "coord@example.org")]


def test_a_wrong_confirmation_code_refuses_at_the_field_and_changes_nothing(client, team,
                                                                          two_clients):
    record, _other = two_clients
    client_id = record["client"].id
    login(client, team["coordinator"])
    before = all_rows()

    response = erase(client, client_id, "PRIV-KEEP-8", reason="no_lawful_basis")

    assert response.status_code == 422
    assert 'id="confirm_code-error"' in response.text
    assert re.search(r'<option selected value="no_lawful_basis">|'
                     r'<option value="no_lawful_basis" selected>', response.text)
    after = all_rows()
    assert {k: v for k, v in after.items() if k != "access_log"} == \
        {k: v for k, v in before.items() if k != "access_log"}
    assert db.session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.action == "erase")) == 0
    assert client.get(f"/clients/{client_id}").status_code == 200


def test_mentions_elsewhere_are_replaced_as_whole_words_only(build, team):
    worker = team["worker"]
    target = build.client(worker, code="AB-1")
    longer = build.client(worker, code="AB-12")
    note = build.contact(worker, on=TODAY, kind="employer", employer=build.employer(),
                         note="ab-1 en AB-12 gebeld; (AB-1)")
    build.commit()

    erase_client(db.session, target, reason="other", today=TODAY, now=datetime.now(UTC))
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(Contact, note.id).note == "[ANON] en AB-12 gebeld; ([ANON])"
    assert db.session.get(Client, longer.id).client_code == "AB-12"


# --- erasure after the retention period ------------------------------------------------------

def ended_client(build, worker, code: str, *, entry_days_ago: int, ended_days_ago: int | None):
    client = build.client(worker, entry=TODAY - timedelta(days=entry_days_ago), code=code)
    build.contact(worker, on=TODAY - timedelta(days=entry_days_ago), client=client,
                  note=f"notitie {code}")
    if ended_days_ago is not None:
        build.end_trajectory(client, on=TODAY - timedelta(days=ended_days_ago))
    return client


def test_retention_erases_only_clients_whose_last_trajectory_ended_long_enough_ago(
        app, build, team):
    worker = team["worker"]
    expired = ended_client(build, worker, "OLD-1", entry_days_ago=3000,
                           ended_days_ago=RETENTION + 1)
    on_the_day = ended_client(build, worker, "EDGE-1", entry_days_ago=3000,
                              ended_days_ago=RETENTION)
    recent = ended_client(build, worker, "RECENT-1", entry_days_ago=400, ended_days_ago=100)
    still_open = ended_client(build, worker, "OPEN-1", entry_days_ago=3000, ended_days_ago=None)
    returned = ended_client(build, worker, "BACK-1", entry_days_ago=3000, ended_days_ago=2900)
    returned.start_trajectory(worker=worker, program_entry_date=TODAY - timedelta(days=300),
                              today=TODAY)
    build.end_trajectory(returned, on=TODAY - timedelta(days=50))
    build.commit()
    kept_ids = {on_the_day.id, recent.id, still_open.id, returned.id}

    result = erase_expired_clients(TODAY)

    assert result.erased == 1
    db.session.expire_all()
    old = db.session.get(Client, expired.id)
    assert old.erased_at is not None and old.erasure_reason == "retention"
    assert old.client_code.startswith("ANON-") and old.name == ""
    assert occurrences(["OLD-1", "notitie OLD-1"]) == []
    if db.engine.dialect.name == "sqlite":
        assert left_in_sqlite_files(["notitie OLD-1"]) == []
    assert all(db.session.get(Client, cid).erased_at is None for cid in kept_ids)
    assert all(occurrences([code]) for code in ("EDGE-1", "RECENT-1", "OPEN-1", "BACK-1"))
    log = db.session.scalars(select(AccessLogEntry).where(AccessLogEntry.action == "erase")).all()
    assert [(e.client_id, e.user_id, e.user_email, e.record_type) for e in log] == [
        (expired.id, None, "system", "privacy_erase")]

    before = all_rows()
    runner = app.test_cli_runner()
    outcome = runner.invoke(args=["jobs", "run", "retention_erasure", "--as-of",
                                  TODAY.isoformat()])
    assert outcome.exit_code == 0, outcome.output
    assert "0 clients erased" in outcome.output
    assert all_rows() == before  # a second run changes nothing, not even the log


def test_the_retention_job_runs_nightly_in_amsterdam(app):
    jobs = {job_id: trigger for job_id, _fn, trigger in job_definitions()}
    trigger = jobs["retention_erasure"]
    fire = trigger.get_next_fire_time(None, datetime(2026, 3, 18, 12, 0, tzinfo=UTC))
    assert (fire.hour, fire.minute, str(fire.tzinfo)) == (3, 0, "Europe/Amsterdam")
    assert app.config["CASELOAD_RETENTION_DAYS"] == RETENTION
