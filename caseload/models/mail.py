"""The outbox: every mail is queued here in the transaction of the event that caused it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, check_in
from caseload.models.people import User
from caseload.models.vocab import MAIL_STATUSES

MAIL_KINDS = ("worker_digest", "coordinator_digest", "follow_along_reminder", "job_loss_reminder")


class OutboxMessage(Base):
    """One mail. (recipient, kind, period) is unique, so a job that runs twice, or in two
    processes at once, queues each mail once."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "period_key", name="uq_outbox_message_key"),
        UniqueConstraint("message_id", name="uq_outbox_message_message_id"),
        CheckConstraint(check_in("kind", MAIL_KINDS), name="kind_known"),
        CheckConstraint(check_in("status", MAIL_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(30))
    period_key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(200))
    # The Message-ID header, fixed when the mail is queued and sent on every attempt: a copy
    # resent after a crash (the server had it, "sent" was never recorded) is recognisable.
    # Set by mail.outbox.queue with the sender's domain; any other way of making a message
    # still gets an id of its own.
    message_id: Mapped[str] = mapped_column(
        String(250), default=lambda: f"<{uuid.uuid4().hex}@caseload.invalid>")
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()

    recipient: Mapped[User] = relationship()
