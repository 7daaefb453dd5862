"""The migrations build, on an empty database, exactly the schema the models describe.

Runs on a database of its own (a new SQLite file, or a new PostgreSQL database next to the test
database), never on the one the session-scoped app fixture uses."""

from __future__ import annotations

import os
import secrets

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text

from caseload import create_app
from caseload.config import normalise_database_url
from caseload.extensions import db
from tests.conftest import TODAY


@pytest.fixture
def empty_database_url(tmp_path):
    test_url = os.environ.get("CASELOAD_TEST_DATABASE_URL", "")
    if not test_url.startswith(("postgresql", "postgres:")):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    # The test role has CREATEDB; CREATE/DROP DATABASE cannot run inside a transaction.
    server = make_url(normalise_database_url(test_url))
    name = f"caseload_migrations_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def migrated_app(empty_database_url, tmp_path):
    """An app of its own on the empty database, brought to the newest revision by
    `flask db upgrade`."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": empty_database_url,
        "INSTANCE_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret",
        "CASELOAD_TODAY": TODAY,
    })
    with app.app_context():
        flask_migrate.upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


# SQLite's reflection cannot read an index on an expression (ix_employer_name_lower): it warns
# and Alembic leaves such an index out of the comparison there; the test below looks at it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_on_an_empty_database_gives_the_schema_of_the_models(migrated_app):
    assert schema_differences() == []


def _employer_name_index_definition():
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            definition = connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_employer_name_lower'"))
        else:
            definition = connection.scalar(text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' "
                "AND name = 'ix_employer_name_lower'"))
    assert definition is not None
    # PostgreSQL writes it back as lower((name)::text); an index on the constant 'name'
    # (func.lower("name") in the model) would read lower('name'::text) and fail here.
    return definition.replace('"', "").replace("(name)::text", "name").lower()


def test_migrated_database_finds_employers_by_lowercase_name_through_an_index(migrated_app):
    assert "lower(name)" in _employer_name_index_definition()


def test_database_built_from_the_models_indexes_the_employer_name_column(app):
    # The suite's and the bench's databases come from the models, not the migrations.
    with app.app_context():
        assert "lower(name)" in _employer_name_index_definition()


def test_upgrade_ends_at_the_single_newest_revision(migrated_app):
    from alembic.script import ScriptDirectory

    config = migrated_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1
    assert tuple(current) == tuple(heads)


def test_migrated_database_keeps_one_open_trajectory_per_client_by_a_partial_index(
        migrated_app):
    """compare_metadata does not compare an index's WHERE clause, so look at it directly."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            definition = connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": "uq_trajectory_one_open_per_client"})
        else:
            definition = connection.scalar(text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
                {"name": "uq_trajectory_one_open_per_client"})
    assert definition is not None
    normalised = " ".join(definition.replace("(", " ").replace(")", " ").split()).upper()
    assert "UNIQUE" in normalised
    assert "WHERE ENDED_ON IS NULL" in normalised


def test_migration_0009_gives_every_existing_trajectory_its_worker_since_program_entry(
        empty_database_url, tmp_path):
    """Trajectories made before the worker history existed get one period: their worker,
    from program entry, in the client's team."""
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url,
        "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret", "CASELOAD_TODAY": TODAY,
    })
    with app.app_context():
        flask_migrate.upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO team (id, name) VALUES (1, 'Team A')"))
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, name, role, fte, active, language, "
                "password_hash, session_token, wants_worker_digest, wants_coordinator_digest, "
                "wants_reminders, created_at) VALUES (1, 'w@example.org', 'W', 'worker', 1.0, "
                ":t, 'nl', '', 'x', :t, :t, :t, CURRENT_TIMESTAMP)"), {"t": True})
            connection.execute(text(
                "INSERT INTO client (id, client_code, name, referral_source, team_id, "
                "created_at, version) VALUES (1, 'C-1', '', '', 1, CURRENT_TIMESTAMP, 1)"))
            connection.execute(text(
                "INSERT INTO trajectory (id, client_id, worker_id, program_entry_date, "
                "trajectory_type, funder, version) VALUES (1, 1, 1, '2026-01-05', 'ips_epa', "
                "'uwv', 1)"))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT trajectory_id, worker_id, team_id, from_date, until, reason "
                "FROM trajectory_assignment")).all()
        db.session.remove()
        db.engine.dispose()
    assert [(r[0], r[1], r[2], str(r[3]), r[4], r[5]) for r in rows] == [
        (1, 1, 1, "2026-01-05", None, "start")]


def _viewers_index_columns():
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_access_log_client_viewer'"))
        return connection.scalar(text(
            "SELECT sql FROM sqlite_master WHERE type = 'index' "
            "AND name = 'ix_access_log_client_viewer'"))


def _viewers_plan() -> str:
    from caseload.clients.page import page_statements

    with db.engine.connect() as connection:
        compiled = page_statements().viewers.compile(dialect=connection.dialect)
        params = compiled.construct_params({"client_id": 1})
        if connection.dialect.name == "postgresql":
            # the empty tables would be read whole; what matters is that the index can answer
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_bitmapscan = off")
            rows = connection.exec_driver_sql("EXPLAIN " + compiled.string, params)
        else:
            rows = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + compiled.string,
                tuple(params[name] for name in compiled.positiontup))
        return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize("source", ["migrations", "models"])
def test_the_client_pages_viewers_list_is_read_from_an_index_alone(source, request):
    # Migration 0038: the client's answered reads grouped by address, from the index alone
    # (through ix_access_log_client_at every row was read from the table).
    app = request.getfixturevalue("migrated_app" if source == "migrations" else "app")
    with app.app_context():
        assert _viewers_index_columns() is not None
        # it replaced (client_id, at): no second index on client_id for every row to write
        from sqlalchemy import inspect
        names = {ix["name"] for ix in inspect(db.engine).get_indexes("access_log")}
        assert "ix_access_log_client_at" not in names, names
        plan = _viewers_plan()
        if db.engine.dialect.name == "postgresql":
            assert "Index Only Scan using ix_access_log_client_viewer" in plan, plan
        else:
            assert "COVERING INDEX ix_access_log_client_viewer" in plan, plan


def _schema_summary() -> dict:
    """The tables' indexes (name: columns) and check constraints (names), as reflected."""
    from sqlalchemy import inspect
    inspector = inspect(db.engine)
    summary = {}
    for table in ("client", "trajectory", "trajectory_assignment", "signal", "placement"):
        summary[table] = (
            {i["name"]: tuple(i["column_names"]) for i in inspector.get_indexes(table)},
            sorted(c["name"] for c in inspector.get_check_constraints(table)))
    return summary


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_newest_migrations_go_down_to_0039_and_up_again(empty_database_url, tmp_path):
    # 0040 (a check constraint; SQLite rebuilds the table) to 0043 (indexes): each downgrade
    # gives back the schema of the revision before, and the upgrade after it the models' one.
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url,
        "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret", "CASELOAD_TODAY": TODAY,
    })
    with app.app_context():
        flask_migrate.upgrade(revision="0039")
        at_0039 = _schema_summary()
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="0039")
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0039"
        assert _schema_summary() == at_0039
        flask_migrate.upgrade()
        assert schema_differences() == []
        db.session.remove()
        db.engine.dispose()
