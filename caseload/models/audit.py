"""The access log (NEN 7513): who read or changed which client's data, when, from where, in
which role, and whether it was allowed; log-ins and log-outs are on it too.

Append-only for the application: no route updates or deletes it, and database triggers refuse
UPDATE and DELETE. The one exception is retention: the nightly `access_log_retention` job first
writes a `LogPurge` record (itself append-only) with a cutoff, and the DELETE trigger lets
through only rows older than the newest cutoff written for the table. It holds no health data:
a client id (no foreign key, so the log outlives an erased client), the kind of record and the
action.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Date, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from caseload.models.base import Base

ACTIONS = ("read", "list", "search", "change", "export", "erase", "login", "login_fail", "logout",
           "password", "2fa_enrol", "2fa_codes", "2fa_key", "2fa_key_rm", "2fa_reset")
# allowed: the request was answered; denied: refused (another team's record, a role that may
# not); failed: a log-in that did not succeed.
OUTCOMES = ("allowed", "denied", "failed")


class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_user_at", "user_id", "at"),
        Index("ix_access_log_at", "at"),
        # every read by client (the first column), and the client page's "who looked" list
        # (clients/page.py, viewers) from the index alone: a client's rows are scattered
        # over the table (migration 0038, which replaced (client_id, at) with it)
        Index("ix_access_log_client_viewer", "client_id", "outcome", "user_email", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    user_email: Mapped[str] = mapped_column(String(254))
    # The role at the time of the access ('system' for jobs; '' for entries from before 0011).
    user_role: Mapped[str] = mapped_column(String(20), default="", server_default="")
    client_id: Mapped[int | None] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(10))
    status: Mapped[int] = mapped_column(Integer, default=200)
    outcome: Mapped[str] = mapped_column(String(10), default="allowed", server_default="allowed")
    # A short reason or filter, e.g. why a log-in failed or what the log reader filtered on.
    detail: Mapped[str] = mapped_column(String(200), default="", server_default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


class LogPurge(Base):
    """One run of the retention job on an append-only log: the cutoff it deleted before and
    how many rows went. The access log's DELETE trigger reads the newest cutoff."""

    __tablename__ = "log_purge"
    __table_args__ = (Index("ix_log_purge_table_cutoff", "table_name", "cutoff"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    table_name: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[date] = mapped_column(Date)
    retention_days: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[datetime] = mapped_column()
    deleted: Mapped[int] = mapped_column(Integer)


class AdminLogEntry(Base):
    """The administration log: one row per changed field of a user, team, absence or norm
    setting; who, when, from where, old and new value (never a password or its hash)."""

    __tablename__ = "admin_log"
    __table_args__ = (
        Index("ix_admin_log_at", "at"),
        Index("ix_admin_log_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_email: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(20))  # user, team, absence, norm_setting
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str] = mapped_column(String(500), default="")
    new_value: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


class PrivacyReview(Base):
    """The privacy officer's review of one month of the access log (YYYY-MM), with a note."""

    __tablename__ = "privacy_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    reviewed_at: Mapped[datetime] = mapped_column()
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_by_email: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(Text)


# The access log's DELETE passes only for rows older than the newest purge cutoff.
_PURGED = ("(SELECT max(cutoff) FROM log_purge WHERE table_name = 'access_log')")
ACCESS_LOG_SQLITE = [
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
    f"CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
    f"WHEN {_PURGED} IS NULL OR OLD.at >= {_PURGED} "
    f"BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
]
ACCESS_LOG_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$ "
    "BEGIN "
    f"IF TG_OP = 'DELETE' AND OLD.at < {_PURGED} THEN RETURN OLD; END IF; "
    "RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
]
PLAIN_APPEND_ONLY_TABLES = ("admin_log", "log_purge", "privacy_review")


def plain_append_only_sqlite(table: str) -> list[str]:
    return [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"]


PLAIN_APPEND_ONLY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION caseload_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; "
    "$$ LANGUAGE plpgsql")


def plain_append_only_postgresql(table: str) -> list[str]:
    return [PLAIN_APPEND_ONLY_FUNCTION,
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION caseload_append_only()"]


def append_only_sqlite(table: str) -> list[str]:
    """The SQLite triggers of an append-only table (the test suite recreates them)."""
    return ACCESS_LOG_SQLITE if table == "access_log" else plain_append_only_sqlite(table)


APPEND_ONLY_TABLES = ("access_log",) + PLAIN_APPEND_ONLY_TABLES


def _listen(table, statements: list[str], dialect: str) -> None:
    for statement in statements:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


_listen(AccessLogEntry.__table__, ACCESS_LOG_SQLITE, "sqlite")
_listen(AccessLogEntry.__table__, ACCESS_LOG_POSTGRESQL, "postgresql")
for _model in (AdminLogEntry, LogPurge, PrivacyReview):
    _listen(_model.__table__, plain_append_only_sqlite(_model.__tablename__), "sqlite")
    _listen(_model.__table__, plain_append_only_postgresql(_model.__tablename__), "postgresql")
