"""Sending a failed message again, at an administrator's request (the outbox page).

The message goes back to the queue as it was (the same Message-ID, text and subject), to the
recipient's current address, and the sender delivers it like any other: claimed before it is
sent, so it is sent once. Putting it back is one conditional update (only a message that is
failed at that moment), so two clicks, two tabs or two servers put it back once, and a message
that was already put back, is being sent or was sent is never sent again from here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from caseload import audit
from caseload.mail.outbox import out_of_reach
from caseload.models import OutboxMessage


class CannotResend(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def resend(session, message: OutboxMessage, now: datetime) -> None:
    """Queue a failed message again, due now, with its attempts counted afresh (a permanent
    refusal failed it at once; the fix may have been made since). Raises CannotResend when the
    message is no longer failed (another request put it back), its recipient cannot receive
    mail, or it names a client the recipient may no longer see (moved to another team since,
    or the recipient left the client's team: access follows the client's team, scope.py).
    Logs the change in the administration log; does not commit."""
    recipient = message.recipient
    if message.status != "failed":
        raise CannotResend("not_failed")
    if recipient is None or not recipient.active:
        raise CannotResend("recipient_inactive")
    if message.id in out_of_reach(session, [message]):
        raise CannotResend("out_of_scope")
    before = {"status": message.status, "recipient_email": message.recipient_email,
              "attempts": message.attempts, "last_error": message.last_error}
    won = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=now, claimed_at=None,
                recipient_email=recipient.email, last_error="")
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        raise CannotResend("not_failed")
    session.refresh(message)
    # The error it failed with is kept in the administration log.
    audit.admin_change("outbox_message", message.id,
                       f"{message.kind} {message.period_key} {recipient.email}", {
                           "status": (before["status"], "queued"),
                           "recipient_email": (before["recipient_email"], recipient.email),
                           "attempts": (before["attempts"], 0),
                           "last_error": (before["last_error"], ""),
                       }, action="resend")
