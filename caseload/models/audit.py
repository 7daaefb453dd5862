"""The access log (NEN 7513): who read or changed which client's data, when and from where.

Append-only for the application: no route updates or deletes it, and database triggers refuse
UPDATE and DELETE. It holds no health data: a client id (no foreign key, so the log outlives an
erased client), the kind of record and the action.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from caseload.models.base import Base

ACTIONS = ("read", "list", "change", "export", "erase")


class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_client_at", "client_id", "at"),
        Index("ix_access_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    user_email: Mapped[str] = mapped_column(String(254))
    client_id: Mapped[int | None] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(10))
    status: Mapped[int] = mapped_column(Integer, default=200)
    ip: Mapped[str] = mapped_column(String(64), default="")


APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
]

for _statement in APPEND_ONLY_SQLITE:
    event.listen(AccessLogEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(AccessLogEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
