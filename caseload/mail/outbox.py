"""Queue mails in the outbox, once per (recipient, kind, period)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from caseload import clock
from caseload.models import Client, OutboxMessage, User
from caseload.upsert import insert_or_ignore


@dataclass(frozen=True)
class Mail:
    recipient: User
    kind: str
    period_key: str
    subject: str
    text: str
    html: str


def mentioned_client_ids(session, message: OutboxMessage) -> list[int]:
    """The existing clients a mail is about: mails carry a link to each client they name."""
    ids = {int(n) for n in re.findall(r"/clients/(\d{1,18})\b", message.body_text or "")}
    if not ids:
        return []
    return sorted(session.scalars(select(Client.id).where(Client.id.in_(ids))))


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs: the sender address's domain."""
    address = parseaddr(current_app.config.get("MAIL_SENDER") or "")[1]
    return address.rpartition("@")[2] or "caseload.invalid"


def new_message_id(domain: str) -> str:
    """Random, so ids never repeat, not even across installations or after a restore."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue(session, mails: list[Mail]) -> int:
    """Insert the mails not queued before; returns how many were new. Does not commit: the
    caller's transaction (the event that caused the mails) commits them."""
    if not mails:
        return 0
    domain = message_id_domain()
    rows = [{
        "recipient_id": m.recipient.id, "recipient_email": m.recipient.email, "kind": m.kind,
        "period_key": m.period_key, "language": m.recipient.language, "subject": m.subject,
        "message_id": new_message_id(domain),
        "body_text": m.text, "body_html": m.html, "status": "queued", "attempts": 0,
        "next_attempt_at": clock.utcnow(), "last_error": "",
    } for m in mails]
    statement = insert_or_ignore(session, OutboxMessage, on=["recipient_id", "kind", "period_key"])
    statement = statement.returning(OutboxMessage.id)
    # RETURNING yields only the rows really inserted: a parallel run may have won a key.
    return len(session.connection().execute(statement, rows).all())
