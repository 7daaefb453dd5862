"""The one writer of access-log rows (audit.write_access_entries)."""

from __future__ import annotations

from sqlalchemy import select

from caseload import audit
from caseload.extensions import db
from caseload.models import AccessLogEntry


def _entries():
    db.session.rollback()
    return list(db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)))


def test_an_entry_of_its_own_stays_when_the_request_rolls_back():
    audit.write_access_entries([{"user_id": None, "user_email": "wim@example.org",
                                 "record_type": "client", "action": "read"}])
    db.session.rollback()
    [entry] = _entries()
    assert (entry.user_email, entry.user_role, entry.client_id, entry.status, entry.outcome,
            entry.detail, entry.ip) == ("wim@example.org", "", None, 200, "allowed", "", "")
    assert entry.at is not None


def test_an_entry_in_the_session_goes_with_its_transaction():
    row = {"user_id": None, "user_email": "system", "user_role": "system", "client_id": 7,
           "record_type": "privacy_erase", "action": "erase"}
    audit.write_access_entries([row], session=db.session)
    db.session.rollback()
    assert _entries() == []
    audit.write_access_entries([row], session=db.session)
    db.session.commit()
    assert [(e.client_id, e.action) for e in _entries()] == [(7, "erase")]


def test_texts_are_cut_to_their_columns_and_no_rows_write_nothing():
    audit.write_access_entries([])
    audit.write_access_entries([{"user_id": None, "user_email": "x" * 300 + "@example.org",
                                 "record_type": "account", "action": "2fa_key_removed",
                                 "detail": "d" * 300, "ip": None}])
    [entry] = _entries()
    assert (len(entry.user_email), entry.action, len(entry.detail), entry.ip) == (
        254, "2fa_key_re", 200, "")


def _stored(entries):
    return [(e.at, e.user_id, e.user_email, e.user_role, e.client_id, e.record_type, e.action,
             e.status, e.outcome, e.detail, e.ip) for e in entries]


def test_many_rows_are_stored_as_given_and_in_the_given_order(build):
    """The bulk writer stores what it was given, row for row and in the given order, with the
    defaults, the cut texts, a stated time kept (aware or naive UTC) and None as NULL."""
    from datetime import UTC, datetime
    worker = build.user(email="wim@example.org")
    db.session.commit()
    stated = datetime(2026, 3, 17, 9, 5, 6, 123456, tzinfo=UTC)
    rows = [{"user_id": worker.id, "user_email": "wim@example.org", "user_role": "worker",
             "client_id": client_id, "record_type": "daily_log", "action": "read",
             "ip": "192.0.2.7"} for client_id in range(300, 0, -1)]
    rows[5] = {"user_id": None, "user_email": "Zoë 'quote' \"dq\" \\ é@example.org",
               "record_type": "client", "action": "change", "status": 403,
               "outcome": "denied", "detail": "ünïcode, %s %(x)s ? :name " + "d" * 300,
               "at": stated}
    rows[7] = {"user_id": worker.id, "user_email": "wim@example.org", "record_type": "account",
               "action": "login", "client_id": None, "at": stated.replace(tzinfo=None)}
    audit.write_access_entries(rows)
    entries = _entries()
    assert len(entries) == 300
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    now = entries[0].at
    assert now.tzinfo is not None and all(e.at == now for i, e in enumerate(entries)
                                          if i not in (5, 7))
    expected = [(now, worker.id, "wim@example.org", "worker", client_id, "daily_log", "read",
                 200, "allowed", "", "192.0.2.7") for client_id in range(300, 0, -1)]
    expected[5] = (stated, None, "Zoë 'quote' \"dq\" \\ é@example.org", "", None, "client",
                   "change", 403, "denied", ("ünïcode, %s %(x)s ? :name " + "d" * 300)[:200], "")
    expected[7] = (stated, worker.id, "wim@example.org", "", None, "account", "login", 200,
                   "allowed", "", "")
    assert _stored(entries) == expected


def test_rows_in_the_session_are_written_in_bulk_with_its_transaction():
    rows = [{"user_id": None, "user_email": "system", "user_role": "system", "client_id": i,
             "record_type": "privacy_erase", "action": "erase"} for i in (3, 1, 2)]
    audit.write_access_entries(rows, session=db.session)
    db.session.rollback()
    assert _entries() == []
    audit.write_access_entries(rows, session=db.session)
    db.session.commit()
    assert [(e.client_id, e.user_role, e.action) for e in _entries()] == [
        (3, "system", "erase"), (1, "system", "erase"), (2, "system", "erase")]


def test_the_time_is_stored_as_the_column_type_stores_it():
    """The writer binds `at` as SQLAlchemy would (on SQLite: the DATETIME text with its
    microseconds, also when they are zero), so the stored value is the same text as an
    ordinary insert of the same entry."""
    from datetime import UTC, datetime

    from sqlalchemy import String, cast, insert
    table = AccessLogEntry.__table__
    for stated in (datetime(2026, 3, 17, 9, 5, 6, tzinfo=UTC),
                   datetime(2026, 3, 17, 9, 5, 6, 250, tzinfo=UTC)):
        audit.write_access_entries([{"user_id": None, "user_email": "a@example.org",
                                     "record_type": "by_writer", "action": "read",
                                     "at": stated}])
        with db.engine.begin() as connection:
            connection.execute(insert(table).values(
                at=stated, user_id=None, user_email="a@example.org", user_role="",
                client_id=None, record_type="by_core", action="read", status=200,
                outcome="allowed", detail="", ip=""))
    db.session.rollback()
    stored = db.session.execute(select(table.c.record_type, cast(table.c.at, String))
                                .order_by(table.c.id)).all()
    assert [kind for kind, _text in stored] == ["by_writer", "by_core"] * 2
    assert stored[0][1] == stored[1][1] and stored[2][1] == stored[3][1]
    assert stored[0][1] != stored[2][1]


def _request_as(app, user):
    """A request of `user` through a real login session (sessions.load, as every page)."""
    import secrets

    from flask_login import login_user

    from caseload.auth import sessions
    with app.test_request_context("/"):
        sessions.start(db.session, user, via="password", nonce=secrets.token_hex(8))
        key = user.get_id()
    context = app.test_request_context("/clients/1", method="POST")
    context.push()
    loaded = sessions.load(db.session, key)
    login_user(loaded)
    return context, loaded


def test_after_a_commit_the_entry_names_the_user_without_reading_them_again(
        app, build, count_queries):
    worker = build.user(build.team(), email="wim@example.org")
    build.commit()
    context, user = _request_as(app, worker)
    try:
        db.session.commit()            # a view's save: the user is expired
        audit.record(7, "client")
        with count_queries() as seen:
            app.process_response(app.response_class("x"))
    finally:
        context.pop()
    assert [s for s in seen.statements if 'FROM "user"' in s] == []
    assert [(e.user_id, e.user_email, e.user_role, e.client_id) for e in _entries()] == [
        (worker.id, "wim@example.org", "worker", 7)]


def test_a_user_the_request_changed_is_named_as_stored_after_the_change(app, build):
    admin = build.user(build.team(), email="old@example.org", role="coordinator")
    build.commit()
    context, user = _request_as(app, admin)
    try:
        user.email, user.role = "new@example.org", "admin"   # e.g. editing their own account
        db.session.commit()
        audit.record(7, "client")
        app.process_response(app.response_class("x"))
    finally:
        context.pop()
    assert [(e.user_email, e.user_role) for e in _entries()] == [("new@example.org", "admin")]


def test_the_request_hook_writes_each_entry_once_with_its_texts_cut_to_their_columns(app, build):
    worker = build.user(build.team(), email="wim@example.org")
    build.commit()
    context, _user = _request_as(app, worker)
    try:
        audit.record([3, 4, 3], "client")                 # 3 twice: one row
        audit.record(5, "x" * 70, detail="d" * 250)       # cut to 60 and 200 by the hook
        audit.denied(6, "client")
        app.process_response(app.response_class("x", status=403))
    finally:
        context.pop()
    rows = [(e.client_id, e.record_type, e.action, e.outcome, e.detail, e.status, e.user_email,
             e.user_role) for e in _entries()]
    assert rows == [
        (3, "client", "change", "allowed", "", 403, "wim@example.org", "worker"),
        (4, "client", "change", "allowed", "", 403, "wim@example.org", "worker"),
        (5, "x" * 60, "change", "allowed", "d" * 200, 403, "wim@example.org", "worker"),
        (6, "client", "change", "denied", "", 403, "wim@example.org", "worker")]
    assert len({e.at for e in _entries()}) == 1
