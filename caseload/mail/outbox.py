"""Queue mails in the outbox, once per (recipient, kind, period)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import literal, not_, select, union_all

from caseload import clock, scope
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
    ids = _named_ids(message)
    if not ids:
        return []
    return sorted(session.scalars(select(Client.id).where(Client.id.in_(ids))))


def _named_ids(message: OutboxMessage) -> set[int]:
    return {int(n) for n in re.findall(r"/clients/(\d{1,18})\b", message.body_text or "")}


def out_of_reach(session, messages) -> set[int]:
    """The ids of the messages that may not go (now) to their recipient: the account is not
    active, or the mail names a client the recipient may not see any more (they left the
    client's team, or the client moved to another team since it was written): access follows
    the client's team (scope.py), in mail as on the pages. (An erased client's mentions were
    taken out of queued mail at erasure, which is then sent: privacy/erase.py.) One statement
    per 100 messages that name clients."""
    refused = {m.id for m in messages if m.recipient is None or not m.recipient.active}
    named = [(m, ids) for m in messages if m.id not in refused and (ids := _named_ids(m))]
    parts = [select(literal(m.id).label("message_id")).where(
        Client.id.in_(ids), Client.erased_at.is_(None),
        not_(scope.clients_of(m.recipient.team_ids))) for m, ids in named]
    for chunk in range(0, len(parts), 100):  # SQLite's limit on a compound select is 500
        refused.update(session.scalars(union_all(*parts[chunk:chunk + 100])))
    return refused


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
