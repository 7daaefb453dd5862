"""A read's access-log entries are committed without waiting for the disk; every other entry
(a change, a refused attempt) waits, as every change of data does (caseload/audit.py).

Observed in what the database is told: on SQLite the statements the driver's connection runs
(its trace callback), on PostgreSQL the statements sent and the transaction's own setting."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from caseload import audit, clock
from caseload.extensions import db
from caseload.models import AccessLogEntry
from tests.conftest import TODAY, csrf_token, login


def _setup(build):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    record = build.client(worker, entry=TODAY - timedelta(days=5), code="SY-1")
    other = build.client(build.user(build.team()), entry=TODAY - timedelta(days=5), code="SY-2")
    build.commit()
    return worker, record, other


@contextmanager
def _sqlite_statements():
    """Every statement SQLite runs on the connections checked out meanwhile."""
    statements: list[str] = []
    traced = []

    def on_checkout(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(statements.append)
        traced.append(dbapi_connection)

    event.listen(db.engine, "checkout", on_checkout)
    try:
        yield statements
    finally:
        event.remove(db.engine, "checkout", on_checkout)
        for connection in traced:
            connection.set_trace_callback(None)


@contextmanager
def _sent_statements():
    statements: list[str] = []

    def before(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _access_log_commit(statements: list[str]) -> list[str]:
    """The statements from the access-log INSERT's pragma (if any) to its commit."""
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO access_log"))
    start = insert - 2 if insert >= 2 and statements[insert - 2].startswith("PRAGMA") else insert
    end = next(i for i in range(insert, len(statements)) if statements[i] == "COMMIT")
    return statements[start:end + 2]


def _pragmas(statements):
    return [s for s in statements if s.startswith("PRAGMA synchronous")]


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's sync level")


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's synchronous_commit")


def test_sqlite_a_read_shortly_after_a_synced_one_skips_the_sync(client, build, sqlite_only):
    worker, record, _other = _setup(build)
    login(client, worker)
    audit._last_synced_read[0] = float("-inf")  # nothing synced by this process yet
    with _sqlite_statements() as first:
        assert client.get(f"/clients/{record.id}").status_code == 200
    assert _pragmas(_access_log_commit(first)) == []  # synced (the connection's FULL)

    with _sqlite_statements() as second:
        assert client.get(f"/clients/{record.id}").status_code == 200
    logged = _access_log_commit(second)
    # NORMAL for this commit only, FULL again before the connection goes back to the pool
    assert _pragmas(logged) == ["PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"]
    assert logged.index("PRAGMA synchronous=FULL") > logged.index("COMMIT")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2

    # Once the last synced commit is READ_SYNC_SECONDS old, the next read syncs again.
    audit._last_synced_read[0] = time.monotonic() - audit.READ_SYNC_SECONDS - 0.01
    with _sqlite_statements() as third:
        assert client.get(f"/clients/{record.id}").status_code == 200
    assert _pragmas(_access_log_commit(third)) == []
    assert time.monotonic() - audit._last_synced_read[0] < audit.READ_SYNC_SECONDS
    # every read was logged, whichever way it was committed
    db.session.expire_all()
    assert len(db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.client_id == record.id, AccessLogEntry.action == "read")).all()) == 3


def test_sqlite_a_change_and_a_refusal_always_sync(client, build, sqlite_only):
    worker, record, other = _setup(build)
    login(client, worker)
    token = csrf_token(client, f"/clients/{record.id}")
    audit._last_synced_read[0] = time.monotonic()  # a read would skip the sync now
    with _sqlite_statements() as change:
        client.post(f"/clients/{record.id}/phase", data={
            "csrf_token": token, "phase": "engagement", "changed_on": TODAY.isoformat()})
    assert _pragmas(_access_log_commit(change)) == []
    audit._last_synced_read[0] = time.monotonic()
    with _sqlite_statements() as refused:
        assert client.get(f"/clients/{other.id}").status_code in (403, 404)
    assert _pragmas(_access_log_commit(refused)) == []
    db.session.expire_all()
    assert db.session.scalars(select(AccessLogEntry.outcome).where(
        AccessLogEntry.client_id == other.id)).all() == ["denied"]


def test_sqlite_the_sync_level_is_restored_when_the_write_fails(app, sqlite_only):
    """A row the table refuses (no e-mail): the write fails, the connection syncs again."""
    audit._last_synced_read[0] = time.monotonic()
    with pytest.raises(Exception):
        audit._write([(None, None, None, "", None, "client", "read", 200, "allowed", "", "")],
                     None, synced=False)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_postgresql_a_read_commits_without_waiting_a_change_and_a_refusal_wait(
        client, build, postgresql_only):
    worker, record, other = _setup(build)
    login(client, worker)
    token = csrf_token(client, f"/clients/{record.id}")

    def access_log_inserts(statements):
        return [s for s in statements if s.lstrip().startswith("INSERT INTO access_log")]

    with _sent_statements() as read:
        assert client.get(f"/clients/{record.id}").status_code == 200
    [insert] = access_log_inserts(read)
    assert "set_config" in insert and "synchronous_commit" in insert
    with _sent_statements() as change:
        client.post(f"/clients/{record.id}/phase", data={
            "csrf_token": token, "phase": "engagement", "changed_on": TODAY.isoformat()})
    assert [s for s in access_log_inserts(change) if "set_config" in s] == []
    with _sent_statements() as refused:
        assert client.get(f"/clients/{other.id}").status_code in (403, 404)
    assert [s for s in access_log_inserts(refused) if "set_config" in s] == []


def test_postgresql_the_setting_holds_for_the_statements_transaction_only(
        app, build, postgresql_only):
    row = (clock.utcnow(), None, "wim@example.org", "", None, "client", "read", 200, "allowed",
           "", "")
    with db.engine.connect() as connection:
        def setting():
            return connection.exec_driver_sql("SHOW synchronous_commit").scalar()
        with connection.begin():
            audit._insert(connection, connection.dialect, [row], synced=False)
            assert setting() == "off"
        assert setting() == "on"  # the connection's next transactions wait for the disk
        connection.commit()
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        audit._insert(autocommit, autocommit.dialect, [row], synced=False)
        assert setting() == "on"
    db.session.expire_all()
    assert len(db.session.scalars(select(AccessLogEntry)).all()) == 2
