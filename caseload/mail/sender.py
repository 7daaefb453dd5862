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
from caseload.instance_files import private_dir, write_private
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
        private_dir(self.folder)
        return self

    def send(self, mail: EmailMessage) -> None:
        name = mail["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        write_private(self.folder / f"{name}.eml", bytes(mail))

    def forget(self, patterns) -> int:
        """Delete the mails in which any of the regular expressions `patterns` is found (an
        erased client's code and name); returns how many went."""
        if not patterns or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*.eml"):
            text = _readable_mail(path.read_bytes())
            if any(pattern.search(text) for pattern in patterns):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def __exit__(self, *exc):
        return None


def _readable_mail(raw: bytes) -> str:
    """Headers and every text part decoded (quoted-printable, base64), so a name with an
    accent or a long line is found as written."""
    from email import policy
    from email.parser import BytesParser
    try:
        mail = BytesParser(policy=policy.default).parsebytes(raw)
        parts = [str(mail.get("Subject", ""))]
        for part in mail.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
        return "\n".join([raw.decode("utf-8", "replace"), *parts])
    except Exception:  # a broken file is still searched as bytes
        return raw.decode("utf-8", "replace")


def file_sink(config) -> FileSinkTransport:
    return FileSinkTransport(Path(config["INSTANCE_DIR"]) / "mail")


def transport():
    config = current_app.config
    if config.get("MAIL_SMTP_HOST"):
        return SmtpTransport(config)
    return file_sink(config)


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
