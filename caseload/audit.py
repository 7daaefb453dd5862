"""Recording for the two logs (NEN 7513).

The access log: views name the clients they show or change (`record`), the access checks name
refused attempts (`denied`), the login views name log-ins and log-outs (`login`,
`login_failed`, `logout`). After the response, one insert writes the entries with the response
status and the user's role at that moment, in its own transaction, so reads are logged too and
a failed change still leaves its attempt in the log.

A read (a GET or HEAD whose entries were all allowed) is committed without waiting for the disk
to confirm it: on PostgreSQL its transaction runs with `synchronous_commit` off (flushed by the
WAL writer within three times `wal_writer_delay`, 0.6 s by default), on SQLite with
`synchronous=NORMAL` as long as this process synced an access-log commit less than
READ_SYNC_SECONDS ago (else it syncs this one). The row is written and committed before the
response leaves either way, and a crash of Caseload itself loses nothing; a power cut or a crash
of the machine can lose the reads of the last moment (about a second). Everything else — a
change, a refused attempt, a log-in, a job's entry, and every change of data — is on disk
before the request answers, as before. bench/page_cost.py: the sync was a third of a read
page's CPU on SQLite.

The administration log (`admin_change` and the user helpers below): rows are added to the
request's database session, so they are committed with the change they describe, or not at all.
Call them before the commit.
"""

from __future__ import annotations

import functools
import time
from datetime import date
from decimal import Decimal

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import (
    JSON,
    bindparam,
    column,
    event,
    func,
    insert,
    inspect,
    literal_column,
    select,
    true,
)
from sqlalchemy.orm import Session

from caseload import clock
from caseload.models import AccessLogEntry, AdminLogEntry

# SQLite: a read's access-log commit skips the disk sync while this process synced one less than
# this many seconds ago (module docstring).
READ_SYNC_SECONDS = 1.0
_last_synced_read = [float("-inf")]  # time.monotonic() of this process's last synced commit

# What the administration log writes instead of a password (never the password or its hash).
PASSWORD_SET = "set"


def record(client_ids, record_type: str, action: str | None = None,
           outcome: str = "allowed", detail: str = "") -> None:
    """Note access to the given clients in this request (a single id or an iterable)."""
    if isinstance(client_ids, int) or client_ids is None:
        client_ids = [client_ids]
    if action is None:
        action = "read" if request.method in ("GET", "HEAD") else "change"
    entries = g.setdefault("access_log_entries", [])
    entries.extend((None, client_id, record_type, action, outcome, detail[:200])
                   for client_id in client_ids)


def denied(client_id: int | None = None, record_type: str | None = None) -> None:
    """Note a refused attempt (another team's record, a role that may not): the page answers
    403 or 404, the log says who tried what."""
    record(client_id, record_type or request.endpoint or "unknown", outcome="denied")


# What an access-log row holds when its writer does not say otherwise.
_ENTRY_DEFAULTS = {"user_role": "", "client_id": None, "status": 200, "outcome": "allowed",
                   "detail": "", "ip": ""}
# The columns a writer fills (the id is the database's), and the texts cut to their columns.
_COLUMNS = ("at", "user_id", "user_email", "user_role", "client_id", "record_type", "action",
            "status", "outcome", "detail", "ip")
_TEXT_LENGTHS = {name: AccessLogEntry.__table__.c[name].type.length
                 for name in ("user_email", "user_role", "record_type", "action", "outcome",
                              "detail", "ip")}


def write_access_entries(rows: list[dict], *, session=None) -> None:
    """The one writer of access-log rows: each row names at least `user_id`, `user_email`,
    `record_type` and `action`; `at` defaults to now, the rest to _ENTRY_DEFAULTS, and texts
    are cut to their columns. Written in a transaction of its own (a read, or an attempt that
    fails, is still logged), or with `session` in that session's (an erasure and its entry
    together, or neither). One statement, however many rows (a daily log names ~270 clients)."""
    if not rows:
        return
    now = clock.utcnow()
    values = []
    for row in rows:
        full = {**_ENTRY_DEFAULTS, "at": now, **row}
        values.append(tuple(_cut(name, full[name]) for name in _COLUMNS))
    _write(values, session)


def _cut(name: str, value):
    """A text cut to its column (None as ""); other values as they are."""
    length = _TEXT_LENGTHS.get(name)
    if length is None:
        return value
    value = value or ""
    return value[:length] if len(value) > length else value


def _write(values: list[tuple], session, *, synced: bool = True) -> None:
    """Rows as tuples in _COLUMNS' order, texts already cut. `synced`: the commit waits for the
    disk (False only for a read's entries: module docstring)."""
    if session is not None:
        connection = session.connection()
        _insert(connection, connection.dialect, values)
        return
    from caseload.extensions import db
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if _idle(connection):
                # One INSERT ... SELECT is a transaction by itself: in autocommit PostgreSQL
                # runs it as one (all rows or none) without the BEGIN and COMMIT round trips.
                connection.execution_options(isolation_level="AUTOCOMMIT")
                _insert(connection, connection.dialect, values, synced=synced)
            else:  # a pool that hands out one shared connection (StaticPool): as before
                # (synced: the setting would hold for the session's own transaction too)
                with connection.begin():
                    _insert(connection, connection.dialect, values)
        return
    with engine.connect() as connection:  # SQLite: one transaction around the executemany
        unsynced = not synced and time.monotonic() - _last_synced_read[0] < READ_SYNC_SECONDS
        if unsynced:
            _set_synchronous(connection, "NORMAL")
        try:
            with connection.begin():
                _insert(connection, connection.dialect, values)
        finally:
            if unsynced:
                _set_synchronous(connection, "FULL")  # the pooled connection's own setting
        if not unsynced:
            _last_synced_read[0] = time.monotonic()


def _set_synchronous(connection, level: str) -> None:
    """SQLite's sync level for this connection's next commits, set on the driver's connection
    outside any transaction (the pragma is not a statement SQLAlchemy should begin one for).
    Should setting it back fail, the connection is dropped rather than returned to the pool
    with commits that do not sync."""
    try:
        connection.connection.dbapi_connection.execute(f"PRAGMA synchronous={level}")
    except BaseException:
        if level == "FULL":
            connection.invalidate()
        raise


def _idle(connection) -> bool:
    """Whether the driver's connection is outside a transaction, so it may switch to
    autocommit (a pool of one connection shared with the request's session is not)."""
    from psycopg.pq import TransactionStatus
    info = getattr(connection.connection.dbapi_connection, "info", None)
    return getattr(info, "transaction_status", None) == TransactionStatus.IDLE


def _insert(connection, dialect, values: list[tuple], *, synced: bool = True) -> None:
    """On PostgreSQL the rows travel as one JSON parameter of one INSERT ... SELECT (psycopg's
    executemany would run the INSERT once per row on the server, and dump every value in
    Python); on SQLite, in the process itself, one executemany of the plain INSERT is cheapest
    (json_each would parse the document once per column), given as tuples to the driver:
    SQLAlchemy's own executemany builds and processes every row's parameters again (~40% of
    the writer's CPU at 270 rows). Either way each value is bound as its column's type binds
    it, the timestamp (one for the whole request, usually) processed once per distinct value.
    On PostgreSQL `synced=False` runs the statement's own transaction with synchronous_commit
    off (a setting local to that transaction: the connection's next ones sync as before)."""
    bind_at = _bind_processors(dialect)[0]
    postgresql = dialect.name == "postgresql"
    bound: dict = {}
    for at, *_rest in values:
        if at not in bound:
            value = bind_at(at) if bind_at is not None else at  # UTC; naive text on SQLite
            # For the JSON: ISO 8601 (the parameter is a document, not a timestamp).
            bound[at] = value.isoformat() if postgresql and value is not None else value
    if len(bound) == 1:
        [at] = bound.values()
        values = [(at, *row[1:]) for row in values]
    else:
        values = [(bound[row[0]], *row[1:]) for row in values]
    if not postgresql:
        sql, processors = _plain_insert(dialect)
        if processors:
            values = [tuple(process(value) if process is not None else value
                            for process, value in zip(processors, row)) for row in values]
        connection.exec_driver_sql(sql, values)
        return
    connection.execute(_json_insert(synced),
                       {"entries": [dict(zip(_COLUMNS, row)) for row in values]})


@functools.cache
def _plain_insert(dialect) -> tuple[str, list | None]:
    """The INSERT of every written column in the dialect's parameter style, and the bind
    processors of the columns other than `at` (None where a column has none; no list when
    none has one, as on SQLite)."""
    table = AccessLogEntry.__table__
    sql = str(insert(table).compile(dialect=dialect, column_keys=list(_COLUMNS)))
    processors = [None, *_bind_processors(dialect)[1:]]  # `at` is bound before
    return sql, (processors if any(processors) else None)


@functools.cache
def _bind_processors(dialect) -> list:
    """What SQLAlchemy applies to each written column's value on this dialect (the
    dialect's own implementation of the type: on SQLite the timestamp becomes its text)."""
    table = AccessLogEntry.__table__
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in _COLUMNS]


@functools.cache
def _json_insert(synced: bool = True):
    table = AccessLogEntry.__table__
    entries = func.json_to_recordset(bindparam("entries", type_=JSON)).table_valued(
        *(column(name, table.c[name].type) for name in _COLUMNS)).render_derived(
        name="entry", with_types=True)
    rows = select(*(entries.c[name] for name in _COLUMNS))
    if not synced:
        # set_config(..., true) lasts until the end of the statement's transaction, whose
        # commit then returns before its WAL is flushed; one statement, one round trip.
        rows = rows.where(func.set_config(literal_column("'synchronous_commit'"),
                                          literal_column("'off'"), true()) == literal_column("'off'"))
    return insert(table).from_select(list(_COLUMNS), rows)


def init_app(app: Flask) -> None:
    @app.after_request
    def write_access_log(response):
        entries = g.pop("access_log_entries", None)
        if not entries:
            return response
        current = _acting_user()
        now, status = clock.utcnow(), response.status_code
        ip = _cut("ip", request.remote_addr)
        people: dict = {}  # who -> (id, e-mail, role) cut to their columns, once each
        texts: dict = {}  # (record type, action, outcome, detail) -> cut, once each
        values = []
        synced = request.method not in ("GET", "HEAD")
        for who, client_id, record_type, action, outcome, detail in dict.fromkeys(entries):
            synced = synced or outcome != "allowed"
            who = who or current
            if who is None:
                continue
            person = people.get(who)
            if person is None:
                person = people[who] = (who[0], _cut("user_email", who[1]),
                                        _cut("user_role", who[2]))
            key = (record_type, action, outcome, detail)
            cut = texts.get(key)
            if cut is None:
                cut = texts[key] = (_cut("record_type", record_type), _cut("action", action),
                                    _cut("outcome", outcome), _cut("detail", detail))
            values.append((now, *person, client_id, cut[0], cut[1], status, cut[2], cut[3], ip))
        if values:
            _write(values, None, synced=synced)
        return response


def _acting_user() -> tuple | None:
    """(id, e-mail, role) of the logged-in user now, or None. After a commit in the view the
    user is expired, and reading them would load them again (a checkout and a SELECT on every
    saving POST): then the values read with the login session this request are the same,
    unless this request wrote the user (an administrator editing their own account, a
    settings change), which the flush listener below notes; then they are read again, as
    before."""
    user = current_user._get_current_object()
    kept = g.get("login_identity")
    if kept is not None and kept[0] is user and not g.get("login_identity_written"):
        unloaded = inspect(user).unloaded
        if "id" in unloaded or "email" in unloaded or "role" in unloaded or "active" in unloaded:
            return kept[1]  # the login session let an active user in, in this request
    if not current_user.is_authenticated:
        return None
    return current_user.id, current_user.email, current_user.role


@event.listens_for(Session, "after_flush")
def _login_user_written(session, _flush_context) -> None:
    if not has_request_context():
        return
    kept = g.get("login_identity")
    if kept is not None and (kept[0] in session.dirty or kept[0] in session.deleted):
        g.login_identity_written = True


def account_event(action: str, *, user=None, email: str = "", subject=None,
                  detail: str = "") -> None:
    """audit: a log-in, failed log-in, log-out, password change or second-factor change, written
    at once in its own transaction (a failed log-in has no logged-in user to wait for).
    `user` is who acted (None for a failed log-in: then `email` is what was typed), `subject`
    the account acted on when that is someone else (an administrator's reset)."""
    write_access_entries([{
        "user_id": user.id if user is not None else None,
        "user_email": user.email if user is not None else email,
        "user_role": user.role if user is not None else "",
        "outcome": "failed" if action == "login_fail" else "allowed",
        "record_type": "account" if subject is None else f"account:{subject.id}",
        "action": action, "ip": request.remote_addr, "detail": detail}])


# --- the administration log -------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(sorted(_text(v) for v in value))
    return str(value)


def current_actor() -> tuple:
    """(id, e-mail, role, address) of who is acting: the logged-in user, or the system."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.email, current_user.role, request.remote_addr or ""
    return None, "system", "system", ""


def admin_change(object_type: str, object_id: int | None, label: str, changes: dict,
                 action: str = "update") -> int:
    """Add one administration-log row per changed field: changes maps a field name to
    (old, new). Fields whose old and new text are equal are skipped; returns the number of rows
    added."""
    from caseload.extensions import db
    actor_id, actor_email, actor_role, ip = current_actor()
    now = clock.utcnow()
    rows = []
    for field, (old, new) in changes.items():
        old, new = _text(old), _text(new)
        if old == new:  # unchanged, or nothing to say (no cover on a new absence)
            continue
        rows.append(AdminLogEntry(
            at=now, actor_id=actor_id, actor_email=actor_email[:254], actor_role=actor_role,
            object_type=object_type, object_id=object_id, object_label=(label or "")[:254],
            action=action, field=field, old_value=old[:500], new_value=new[:500], ip=ip[:64]))
    db.session.add_all(rows)
    return len(rows)


USER_FIELDS = ("name", "email", "role", "fte", "language", "active")


def user_fields(user) -> dict:
    """What the administration log compares of a user (teams by name)."""
    values = {name: getattr(user, name) for name in USER_FIELDS}
    values["teams"] = [team.name for team in user.teams]
    return values


def user_saved(user, before: dict | None, password_set: bool = False) -> int:
    """Log a user created (before=None) or edited by an administrator. Flushes first, so a new
    user has an id."""
    from caseload.extensions import db
    db.session.flush()
    after = user_fields(user)
    changes = {name: ((before or {}).get(name), after[name]) for name in after}
    if password_set:
        changes["password"] = ("", PASSWORD_SET)
    return admin_change("user", user.id, user.email, changes,
                        action="create" if before is None else "update")


def password_changed(user) -> int:
    """A password set or changed (the actor, the user or an administrator, is on the row):
    never the value itself."""
    return admin_change("user", user.id, user.email, {"password": ("", PASSWORD_SET)})


def two_factor_reset(user) -> int:
    """An administrator reset a user's second factor (they enrol again at the next log-in)."""
    return admin_change("user", user.id, user.email, {"two_factor": ("", "reset")})


def _absence_fields(absence) -> dict:
    cover = getattr(absence, "cover", None)
    return {"from_date": absence.from_date, "to_date": absence.to_date,
            "cover": cover.email if cover is not None else None}


def absence_added(absence) -> int:
    """An absence entered (by an administrator or the team's coordinator). Flushes first."""
    from caseload.extensions import db
    db.session.flush()
    return admin_change("absence", absence.id, absence.user.email,
                        {name: (None, value) for name, value in _absence_fields(absence).items()},
                        action="create")


def absence_removed(absence) -> int:
    """Call before deleting the absence."""
    return admin_change("absence", absence.id, absence.user.email,
                        {name: (value, None) for name, value in _absence_fields(absence).items()},
                        action="delete")
