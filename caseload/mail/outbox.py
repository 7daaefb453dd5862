"""Queue mails in the outbox, once per (recipient, kind, period)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from caseload import clock
from caseload.models import OutboxMessage, User


@dataclass(frozen=True)
class Mail:
    recipient: User
    kind: str
    period_key: str
    subject: str
    text: str
    html: str


def queue(session, mails: list[Mail]) -> int:
    """Insert the mails not queued before; returns how many were new. Does not commit: the
    caller's transaction (the event that caused the mails) commits them."""
    if not mails:
        return 0
    rows = [{
        "recipient_id": m.recipient.id, "recipient_email": m.recipient.email, "kind": m.kind,
        "period_key": m.period_key, "language": m.recipient.language, "subject": m.subject,
        "body_text": m.text, "body_html": m.html, "status": "queued", "attempts": 0,
        "next_attempt_at": clock.utcnow(), "last_error": "",
    } for m in mails]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).on_conflict_do_nothing(
        index_elements=["recipient_id", "kind", "period_key"]).returning(OutboxMessage.id)
    # RETURNING yields only the rows really inserted: a parallel run may have won a key.
    return len(session.connection().execute(statement, rows).all())
