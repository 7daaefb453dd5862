"""A client code is one code whatever its case: "ab123" is client AB123. Codes are stored in
upper case, a new client whose code differs from another's in case only is refused, the import
matches codes ignoring case, and the database itself refuses two codes that differ in case
only (migration 0039, which names the clashes it finds instead of failing on them)."""

from __future__ import annotations

from datetime import timedelta

import flask_migrate
import pytest
from alembic import command as alembic_command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from caseload import create_app
from caseload.extensions import db
from caseload.models import Client, PhaseChange
from tests.conftest import TODAY, csrf_token, login
from tests.test_hidden_characters import field_error
from tests.test_import import run_import
from tests.test_import_formats import DATA, write_form
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture)


@pytest.fixture
def worker(build):
    user = build.user(build.team("Team Noord"))
    build.client(user, entry=TODAY - timedelta(days=20), code="AB123")
    build.client(user, entry=TODAY - timedelta(days=20), code="CD-7")
    build.commit()
    return user


def codes() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Client.client_code).order_by(Client.client_code)))


def new_client(client, worker, code: str):
    return client.post("/clients/new", data={
        "csrf_token": csrf_token(client, "/clients/new"), "client_code": code, "name": "",
        "referral_source": "", "team_id": str(worker.team_ids[0]), "worker_id": str(worker.id),
        "program_entry_date": TODAY.isoformat(), "trajectory_type": "ips_epa", "funder": "uwv",
        "planned_end": ""})


@pytest.mark.parametrize("typed", ["ab123", "Ab123", " aB123 "])
def test_a_new_client_whose_code_differs_in_case_only_is_refused_at_the_code(
        client, worker, typed):
    login(client, worker)

    response = new_client(client, worker, typed)

    assert response.status_code in (200, 422)
    assert field_error(response.text, "client_code") == "Deze cliëntcode is al in gebruik."
    assert codes() == ["AB123", "CD-7"]


def test_a_new_code_typed_in_lower_case_is_stored_in_upper_case(client, worker):
    login(client, worker)

    assert new_client(client, worker, "ef-9.b").status_code == 302

    assert codes() == ["AB123", "CD-7", "EF-9.B"]


def test_changing_a_code_to_another_clients_in_another_case_is_refused(client, worker):
    login(client, worker)
    record = db.session.scalar(select(Client).where(Client.client_code == "CD-7"))
    page = f"/clients/{record.id}/details"

    response = client.post(page, data={
        "csrf_token": csrf_token(client, page), "version": str(record.version),
        "client_code": "ab123", "name": "", "referral_source": "",
        "in_work_at_referral": ""})

    assert field_error(response.text, "client_code") == "Deze cliëntcode is al in gebruik."
    assert codes() == ["AB123", "CD-7"]


def test_the_access_log_filter_finds_a_client_by_its_code_in_any_case(client, worker, build):
    admin = build.user(role="admin")
    build.commit()
    record = db.session.scalar(select(Client).where(Client.client_code == "AB123"))
    login(client, worker)
    assert client.get(f"/clients/{record.id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    login(client, admin)

    export = client.get("/admin/access-log.csv", query_string={"client": "ab123"})

    lines = export.text.strip().splitlines()[1:]
    assert lines and all(f",{record.id},AB123," in line for line in lines)
    assert any(worker.email in line for line in lines)


def test_the_model_stores_a_code_in_upper_case_whoever_writes_it(app, build):
    user = build.user(build.team())
    made = build.client(user, code="gh-1")
    made.client_code = "gh-2x"
    build.commit()

    assert codes() == ["GH-2X"]


def test_the_database_refuses_a_code_that_differs_in_case_only_written_round_the_model(
        app, worker):
    team_id = worker.team_ids[0]
    with pytest.raises(IntegrityError):
        db.session.execute(text(
            "INSERT INTO client (client_code, name, referral_source, team_id, created_at, "
            "version) VALUES ('ab123', '', '', :team, CURRENT_TIMESTAMP, 1)"), {"team": team_id})
        db.session.flush()
    db.session.rollback()
    assert codes() == ["AB123", "CD-7"]


def _lowercased(data):
    changed = {key: [list(row) for row in rows] for key, rows in data.items()}
    for name, rows in changed.items():
        header = rows[0]
        if "client_code" in header:
            column = header.index("client_code")
            for row in rows[1:]:
                row[column] = row[column].lower()
    return changed


def test_the_import_matches_codes_in_any_case_and_makes_no_second_client(app, tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "again").mkdir()
    first = run_import(app, write_form(tmp_path / "first", "comma"))
    assert first.exit_code == 0, first.output
    before = codes()
    phases = db.session.scalar(select(func.count(PhaseChange.id)))

    again = run_import(app, write_form(tmp_path / "again", "comma", _lowercased(DATA)))

    assert again.exit_code == 0, again.output
    assert codes() == before == ["C-001", "C-002", "C-003"]
    assert db.session.scalar(select(func.count(PhaseChange.id))) == phases


def test_a_first_import_in_lower_case_stores_the_codes_in_upper_case(app, tmp_path):
    result = run_import(app, write_form(tmp_path, "comma", _lowercased(DATA)))

    assert result.exit_code == 0, result.output
    assert codes() == ["C-001", "C-002", "C-003"]


# --- migration 0039 ---

def _app_at_0038(url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret",
                      "CASELOAD_TODAY": TODAY})
    return app


def _insert_clients(connection, codes_to_insert):
    connection.execute(text("INSERT INTO team (id, name) VALUES (1, 'Team A')"))
    for n, code in enumerate(codes_to_insert, start=1):
        connection.execute(text(
            "INSERT INTO client (id, client_code, name, referral_source, team_id, created_at, "
            "version) VALUES (:id, :code, '', '', 1, CURRENT_TIMESTAMP, 1)"),
            {"id": n, "code": code})


def _stored_codes():
    with db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT client_code FROM client ORDER BY id")))


def test_migration_0039_upper_cases_the_codes_and_then_refuses_a_case_twin(
        empty_database_url, tmp_path):  # noqa: F811
    app = _app_at_0038(empty_database_url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0038")
        with db.engine.begin() as connection:
            _insert_clients(connection, ["ab1", "Cd-2", "EF-3"])
        flask_migrate.upgrade()
        assert _stored_codes() == ["AB1", "CD-2", "EF-3"]
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO client (id, client_code, name, referral_source, team_id, "
                "created_at, version) VALUES (9, 'ef-3', '', '', 1, CURRENT_TIMESTAMP, 1)"))
        db.session.remove()
        db.engine.dispose()


def test_migration_0039_names_codes_that_differ_in_case_only_and_changes_nothing(
        empty_database_url, tmp_path):  # noqa: F811
    app = _app_at_0038(empty_database_url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0038")
        with db.engine.begin() as connection:
            _insert_clients(connection, ["ab1", "AB1", "cd-2", "Xy-3", "xY-3"])

        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError) as refused:  # flask_migrate.upgrade would exit
            alembic_command.upgrade(config, "head")

        message = str(refused.value)
        assert "differ in case only" in message
        assert "AB1 (client id 2) and ab1 (client id 1)" in message
        assert "Xy-3 (client id 4) and xY-3 (client id 5)" in message
        assert "cd-2" not in message
        assert _stored_codes() == ["ab1", "AB1", "cd-2", "Xy-3", "xY-3"]   # nothing changed
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0038"
        db.session.remove()
        db.engine.dispose()
