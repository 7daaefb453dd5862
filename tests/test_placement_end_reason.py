"""A placement's end has a date and a reason, both or neither: a correction with an end reason
but no end date was saved with the reason dropped; now the model refuses it at the end date,
and the form shows that with what was typed. The reverse (a date without a reason) was and
stays refused at the reason, as is either half when a job ending is recorded."""

from __future__ import annotations

from datetime import timedelta

import flask_migrate
import pytest
from alembic import command as alembic_command
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from caseload import create_app
from caseload.extensions import db
from caseload.models import DomainError, Placement
from caseload.models.corrections import RecordVersion
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value, selected_value
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture)

START = TODAY - timedelta(days=20)
REASON_NEEDS_DATE = "Vul de einddatum in als je een reden van beëindiging kiest."


@pytest.fixture
def team(app, build):
    team = build.team("Team Einde")
    worker = build.user(team, email="einde-worker@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=60), code="EINDE-1")
    placement = build.placement(client, start=START)
    build.commit()
    browser = app.test_client()
    login(browser, worker)
    return {"client": client.id, "placement": placement.id, "browser": browser}


def _unchanged(placement_id):
    db.session.expire_all()
    placement = db.session.get(Placement, placement_id)
    assert (placement.end_date, placement.end_reason, placement.version) == (None, None, 1)
    assert db.session.scalar(select(func.count(RecordVersion.id))) == 0


def test_the_model_refuses_a_correction_with_an_end_reason_but_no_end_date(team):
    placement = db.session.get(Placement, team["placement"])
    with pytest.raises(DomainError) as refused:
        placement.correct(today=TODAY, start_date=START, end_date=None, end_reason="resigned",
                          job_title="Medewerker")
    assert refused.value.field == "end_date"
    assert placement.end_reason is None


def test_the_model_refuses_a_correction_with_an_end_date_but_no_reason(team):
    placement = db.session.get(Placement, team["placement"])
    with pytest.raises(DomainError) as refused:
        placement.correct(today=TODAY, start_date=START, end_date=TODAY, end_reason=None,
                          job_title="Medewerker")
    assert refused.value.field == "end_reason"
    assert placement.end_date is None


def _correct(team, **fields):
    browser = team["browser"]
    url = f"/clients/{team['client']}/placements/{team['placement']}/edit"
    page = browser.get(url).text
    return browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "version": input_value(page, "version"),
        "job_title": "Medewerker", "job_type": "", "placement_type": "paid_job",
        "hours_per_week": "16", "hourly_wage": "", "contract": "temporary_lt6m",
        "competitive": "y", "start_date": START.isoformat(), "end_date": "", "end_reason": "",
        "reason": "Einde vergeten", **fields})


def test_correcting_with_an_end_reason_but_no_end_date_is_refused_at_the_end_date(team):
    response = _correct(team, end_reason="resigned", job_title="Kok")
    assert response.status_code == 422
    assert field_has_error(response.text, "end_date")
    assert REASON_NEEDS_DATE in response.text
    assert selected_value(response.text, "end_reason") == "resigned"  # what was typed stays
    assert input_value(response.text, "job_title") == "Kok"
    _unchanged(team["placement"])


def test_correcting_with_an_end_date_but_no_reason_is_refused_at_the_reason(team):
    response = _correct(team, end_date=TODAY.isoformat())
    assert response.status_code == 422
    assert field_has_error(response.text, "end_reason")
    assert input_value(response.text, "end_date") == TODAY.isoformat()
    _unchanged(team["placement"])


def test_correcting_with_both_the_end_date_and_the_reason_ends_the_placement(team):
    response = _correct(team, end_date=TODAY.isoformat(), end_reason="resigned")
    assert response.status_code == 302, response.text
    db.session.expire_all()
    placement = db.session.get(Placement, team["placement"])
    assert (placement.end_date, placement.end_reason) == (TODAY, "resigned")


@pytest.mark.parametrize("end_date, end_reason, field", [
    ("", "resigned", "end_date"), (TODAY.isoformat(), "", "end_reason"),
])
def test_recording_a_job_ending_needs_both_the_date_and_the_reason(
        team, end_date, end_reason, field):
    browser, pid = team["browser"], team["placement"]
    url = f"/clients/{team['client']}"
    prefix = f"end-placement-{pid}-"
    response = browser.post(f"{url}/placements/{pid}/end", data={
        "csrf_token": csrf_token(browser, url), f"{prefix}placement_id": pid,
        f"{prefix}end_date": end_date, f"{prefix}end_reason": end_reason})
    assert response.status_code == 422
    assert field_has_error(response.text, prefix + field)
    _unchanged(pid)


# --- the database's own check (migration 0040) ---

def _app_at(url, tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                       "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret",
                       "CASELOAD_TODAY": TODAY})


def _insert_placement(connection, placement_id: int, end_date, end_reason):
    connection.execute(text(
        "INSERT INTO placement (id, trajectory_id, employer_id, job_title, job_type,"
        " placement_type, start_date, end_date, end_reason, hours_per_week, contract,"
        " competitive, created_at, version) VALUES (:id, 1, 1, 'Bakker', '', 'paid_job',"
        " :start, :end, :reason, 20, 'permanent', true, CURRENT_TIMESTAMP, 1)"),
        {"id": placement_id, "start": TODAY - timedelta(days=30), "end": end_date,
         "reason": end_reason})


def _one_client_with_a_trajectory(connection):
    connection.execute(text("INSERT INTO team (id, name) VALUES (1, 'Team A')"))
    connection.execute(text(
        "INSERT INTO client (id, client_code, name, referral_source, team_id, created_at,"
        " version) VALUES (1, 'MIG-1', '', '', 1, CURRENT_TIMESTAMP, 1)"))
    connection.execute(text(
        "INSERT INTO trajectory (id, client_id, program_entry_date, trajectory_type, funder,"
        " version) VALUES (1, 1, :entry, 'ips_epa', 'uwv', 1)"), {"entry": TODAY - timedelta(days=60)})
    connection.execute(text(
        "INSERT INTO employer (id, name, sector, place, contact_person, created_at)"
        " VALUES (1, 'Bakkerij', '', '', '', CURRENT_TIMESTAMP)"))


def _at_0039_with(app, *placements):
    """The schema at 0039 holding one client with a trajectory and these placements (id, end
    date, end reason); the migration configuration to go on from there."""
    flask_migrate.upgrade(revision="0039")
    with db.engine.begin() as connection:
        _one_client_with_a_trajectory(connection)
        for placement_id, end_date, end_reason in placements:
            _insert_placement(connection, placement_id, end_date, end_reason)
    return app.extensions["migrate"].migrate.get_config()


def test_the_database_refuses_an_end_reason_without_an_end_date(app, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=40), code="DB-1")
    job = build.placement(person, start=TODAY - timedelta(days=5))
    build.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(Placement).where(Placement.id == job.id)
                           .values(end_reason="dismissed"))
        db.session.flush()
    db.session.rollback()


def test_migration_0040_names_jobs_with_a_reason_but_no_date_and_changes_nothing(
        empty_database_url, tmp_path):  # noqa: F811
    app = _app_at(empty_database_url, tmp_path)
    with app.app_context():
        config = _at_0039_with(app, (1, None, "dismissed"), (2, TODAY, "resigned"),
                               (3, None, None))
        with pytest.raises(RuntimeError) as refused:
            alembic_command.upgrade(config, "head")

        assert "placement 1 of client MIG-1" in str(refused.value)
        assert "placement 2" not in str(refused.value) and "placement 3" not in str(refused.value)
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0039"
            connection.execute(text("UPDATE placement SET end_date = :day WHERE id = 1"),
                               {"day": TODAY})
            connection.commit()
        alembic_command.upgrade(config, "head")
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text("UPDATE placement SET end_date = NULL WHERE id = 2"))
        db.session.remove()
        db.engine.dispose()


def test_migration_0040_names_a_job_whose_trajectory_is_missing_too(
        empty_database_url, tmp_path):  # noqa: F811
    """SQLite does not enforce the foreign keys here, so an old file may hold a job whose
    trajectory is gone: it is named like the others, not left to fail the table's rebuild."""
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL enforces the placement's foreign key")
    app = _app_at(empty_database_url, tmp_path)
    with app.app_context():
        config = _at_0039_with(app, (4, None, "dismissed"))
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE placement SET trajectory_id = 99 WHERE id = 4"))
        with pytest.raises(RuntimeError) as refused:
            alembic_command.upgrade(config, "head")

        assert "placement 4 of client (none found)" in str(refused.value)
        db.session.remove()
        db.engine.dispose()
