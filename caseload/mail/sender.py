"""Deliver the outbox over SMTP (or to a file sink when no SMTP server is configured).

Each message is claimed before sending (status queued -> sending, in its own committed update),
so two senders never send the same message. A failure puts it back with back-off; after
MAX_ATTEMPTS it is marked failed and shown to admins. A claim left behind by a crashed sender
is released after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, select, update

from caseload import clock
from caseload.models import OutboxMessage

MAX_ATTEMPTS = 6
CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH = 200


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, 16, 32 minutes after the 1st..5th failure."""
    return timedelta(minutes=2 ** attempts)


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def build_message(message: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient_email
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(idstring=f"caseload-{message.id}")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text)
    mail.add_alternative(message.body_html, subtype="html")
    mail["Content-Language"] = message.language  # after set_content, which drops Content-*
    return mail


class SmtpTransport:
    def __init__(self, config: dict):
        self.host = config["MAIL_SMTP_HOST"]
        self.port = int(config.get("MAIL_SMTP_PORT") or 25)
        self.starttls = bool(config.get("MAIL_SMTP_STARTTLS"))
        self.username = config.get("MAIL_SMTP_USERNAME") or ""
        self.password = config.get("MAIL_SMTP_PASSWORD") or ""
        self.timeout = float(config.get("MAIL_SMTP_TIMEOUT") or 10)
        self.connection: smtplib.SMTP | None = None

    def __enter__(self):
        self.connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            self.connection.starttls(context=ssl.create_default_context())
        if self.username:
            self.connection.login(self.username, self.password)
        return self

    def send(self, mail: EmailMessage) -> None:
        self.connection.send_message(mail)

    def __exit__(self, *exc):
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            pass


class FileSinkTransport:
    """The embedded default: each mail becomes an .eml file under instance/mail/."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, mail: EmailMessage) -> None:
        name = mail["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(mail))

    def __exit__(self, *exc):
        return None


def transport():
    config = current_app.config
    if config.get("MAIL_SMTP_HOST"):
        return SmtpTransport(config)
    return FileSinkTransport(Path(config["INSTANCE_DIR"]) / "mail")


def _claim(session, now: datetime) -> list[OutboxMessage]:
    session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - CLAIM_TIMEOUT)
        .values(status="queued", claimed_at=None))
    due_ids = list(session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == "queued",
                                       OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(BATCH)))
    claimed = []
    for message_id in due_ids:
        won = session.execute(update(OutboxMessage).where(
            and_(OutboxMessage.id == message_id, OutboxMessage.status == "queued"))
            .values(status="sending", claimed_at=now)).rowcount
        if won:
            claimed.append(message_id)
    session.commit()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                                .order_by(OutboxMessage.id))) if claimed else []


def deliver_outbox(session, now: datetime | None = None) -> SendResult:
    now = now or clock.utcnow()
    result = SendResult()
    messages = _claim(session, now)
    if not messages:
        return result
    sender = current_app.config.get("MAIL_SENDER", "Caseload <caseload@localhost>")
    try:
        with transport() as connection:
            for message in messages:
                try:
                    connection.send(build_message(message, sender))
                except (smtplib.SMTPException, OSError) as error:
                    _failed(message, error, now, result)
                else:
                    message.status, message.sent_at = "sent", now
                    message.attempts += 1
                    result.sent += 1
                session.commit()  # one message at a time: a crash later loses no record
    except (smtplib.SMTPException, OSError) as error:  # the server is down or refused us
        for message in messages:
            if message.status == "sending":
                _failed(message, error, now, result)
        session.commit()
    return result


def _failed(message: OutboxMessage, error: Exception, now: datetime, result: SendResult) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    message.claimed_at = None
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        result.failed += 1
    else:
        message.status = "queued"
        message.next_attempt_at = now + backoff(message.attempts)
        result.retried += 1


__all__ = ["MAX_ATTEMPTS", "SendResult", "backoff", "deliver_outbox"]
