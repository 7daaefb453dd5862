"""Deliver the outbox over SMTP (or to a file sink when no SMTP server is configured).

Each message is claimed before sending (status queued -> sending, in its own committed update),
so two senders never send the same message. A claim left behind by a crashed sender is released
after claim_timeout(), longer than a live sender can hold one. Every message succeeds or fails
on its own:

- it cannot be built, or the server refuses it permanently (a 5xx reply to MAIL, RCPT or
  DATA): failed at once, with the error, shown to administrators;
- the server refuses it for now (4xx), or the network fails: back to the queue with back-off;
  after MAX_ATTEMPTS it is failed;
- its recipient may no longer receive it (the account was deactivated, or it names a client
  of a team the recipient has left since it was written: mail/outbox.py out_of_reach): failed
  unsent;
- the connection broke while sending an earlier message: back to the queue as it was, for the
  next run (no attempt counted: it was never tried).

Every attempt carries the message's stored Message-ID, so a copy resent after a crash between
the server's acceptance and "sent" is recognisable as the same mail (see the README, Mail).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, select, update
from sqlalchemy.orm import selectinload

from caseload import clock
from caseload.instance_files import private_dir, write_private
from caseload.models import OutboxMessage, User

# Lines name the outbox message (id and kind) and the server's reply, never the mail's text.
log = logging.getLogger("caseload.mail")
MAX_ATTEMPTS = 6
BATCH = 200
# A run takes no further message after this long: the rest stays queued for the next run, so a
# slow server never keeps messages claimed (and away from other senders) for long.
BATCH_SECONDS = 120

PERMANENT, TRANSIENT, CONNECTION = "permanent", "transient", "connection"


def smtp_timeouts(config) -> tuple[float, float]:
    """(connection and commands, final reply to DATA), in seconds."""
    return (float(config.get("MAIL_SMTP_TIMEOUT") or 60),
            float(config.get("MAIL_SMTP_DATA_TIMEOUT") or 600))


def claim_timeout(config) -> timedelta:
    """When another sender may take over a message claimed by one that died: later than a live
    sender can still send it (the batch's time budget, then connect, greeting and commands at
    MAIL_SMTP_TIMEOUT each and the final reply), so a live sender's claim never expires under it.
    About 23 minutes with the default timeouts."""
    command, data = smtp_timeouts(config)
    return timedelta(seconds=BATCH_SECONDS + 10 * command + data + 60)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, 16, 32 minutes after the 1st..5th failure."""
    return timedelta(minutes=2 ** attempts)


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0  # put back untried after the connection broke

    def __str__(self) -> str:
        return (f"sent={self.sent} retried={self.retried} failed={self.failed} "
                f"released={self.released}")


def build_message(message: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient_email
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message.message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text)
    mail.add_alternative(message.body_html, subtype="html")
    mail["Content-Language"] = message.language  # after set_content, which drops Content-*
    bytes(mail)  # serialise now: a message that cannot be written fails here, not mid-DATA
    return mail


def _reply_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return min(codes) if codes else None
    return getattr(error, "smtp_code", None)


def classify(error: Exception) -> str:
    """What a failure while sending one message means for that message and the connection."""
    if isinstance(error, smtplib.SMTPServerDisconnected) or (
            isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)):
        return CONNECTION  # includes timeouts: the server may or may not have the mail
    code = _reply_code(error)
    if code == 421:  # the server is closing the connection
        return CONNECTION
    if code is not None and 400 <= code < 500:
        return TRANSIENT
    return PERMANENT  # 5xx, or an error that will be the same on every attempt


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{address}: {code} {reply.decode(errors='replace')}"
                         for address, (code, reply) in error.recipients.items())
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        text = f"{error.smtp_code} {reply}"
    else:
        text = str(error) or repr(error)
    # Stored as is: no NUL (PostgreSQL's text refuses it, and the record of the failure with it).
    return f"{type(error).__name__}: {text}".replace("\x00", "\\x00")[:1000]


class _SMTP(smtplib.SMTP):
    """smtplib with a separate, longer wait for the reply to the end of DATA. RFC 5321
    §4.5.3.2.6 gives a server 10 minutes for it: it may be filtering or storing the mail. A
    client that gives up earlier does not know whether the mail was accepted, and its retry
    delivers it twice."""

    def __init__(self, host: str, port: int, *, timeout: float, data_timeout: float):
        self.data_timeout = data_timeout
        self._data_replies: int | None = None
        super().__init__(host, port, timeout=timeout)

    def data(self, msg):
        self._data_replies = 0
        try:
            return super().data(msg)
        finally:
            self._data_replies = None
            if self.sock is not None:
                self.sock.settimeout(self.timeout)

    def getreply(self):
        # smtplib's data() reads two replies: 354 to DATA, then the final one after the text.
        if self._data_replies is not None:
            self._data_replies += 1
            if self._data_replies == 2 and self.sock is not None:
                self.sock.settimeout(self.data_timeout)
        return super().getreply()


class SmtpTransport:
    def __init__(self, config: dict):
        self.host = config["MAIL_SMTP_HOST"]
        self.port = int(config.get("MAIL_SMTP_PORT") or 25)
        self.starttls = bool(config.get("MAIL_SMTP_STARTTLS"))
        self.username = config.get("MAIL_SMTP_USERNAME") or ""
        self.password = config.get("MAIL_SMTP_PASSWORD") or ""
        self.timeout, self.data_timeout = smtp_timeouts(config)
        self.connection: _SMTP | None = None

    def open(self) -> SmtpTransport:
        self.connection = _SMTP(self.host, self.port, timeout=self.timeout,
                                data_timeout=self.data_timeout)
        if self.starttls:
            self.connection.starttls(context=ssl.create_default_context())
        if self.username:
            self.connection.login(self.username, self.password)
        return self

    def send(self, mail: EmailMessage) -> None:
        self.connection.send_message(mail)

    def reset(self) -> None:
        """After an error outside SMTP's own replies: start a clean transaction, or raise."""
        self.connection.rset()

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()


class FileSinkTransport:
    """The embedded default for the demo: each mail becomes an .eml file under instance/mail/,
    named after its Message-ID (a resend overwrites the same file)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def open(self) -> FileSinkTransport:
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

    def reset(self) -> None:
        return None

    def close(self) -> None:
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
    expired = now - claim_timeout(current_app.config)
    session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < expired)
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
                                .options(selectinload(OutboxMessage.recipient)
                                         .selectinload(User.teams))
                                .order_by(OutboxMessage.id))) if claimed else []


class OutOfReach(Exception):
    """The recipient may not receive this message any more (mail/outbox.py out_of_reach)."""

    def __str__(self) -> str:
        return ("not sent: the recipient's account is not active, or the message names a "
                "client of a team the recipient is no longer in")


def _withhold_out_of_reach(session, pending: list[OutboxMessage],
                           result: SendResult) -> list[OutboxMessage]:
    """Fail, unsent, the messages whose recipient left since they were written (deactivated,
    or out of a team whose client they name); the rest go."""
    from caseload.mail.outbox import out_of_reach
    refused = out_of_reach(session, pending)
    for message in pending:
        if message.id in refused:
            _fail(message, OutOfReach(), result)
    if refused:
        session.commit()
    return [message for message in pending if message.id not in refused]


def deliver_outbox(session, now: datetime | None = None) -> SendResult:
    now = now or clock.utcnow()
    result = SendResult()
    pending = _withhold_out_of_reach(session, _claim(session, now), result)
    if not pending:
        return result
    sender = current_app.config.get("MAIL_SENDER", "Caseload <caseload@localhost>")
    try:
        connection = transport().open()
    except Exception as error:  # noqa: BLE001 - down, refusing us, or misconfigured: retry all
        log.warning("mail server not reachable, %d message(s) back to the queue: %s",
                    len(pending), describe(error))
        for message in pending:
            _retry(message, error, now, result)
        session.commit()
        return result
    started = time.monotonic()
    try:
        while pending and time.monotonic() - started < BATCH_SECONDS:
            message = pending.pop(0)
            verdict = _send_one(connection, message, sender, now, result)
            session.commit()  # one message at a time: a crash later loses no record
            if verdict == CONNECTION:
                break
    finally:
        connection.close()
    for message in pending:  # never tried: the connection broke, or the time budget ran out
        message.status, message.claimed_at = "queued", None
        result.released += 1
    session.commit()
    return result


def _send_one(connection, message: OutboxMessage, sender: str, now: datetime,
              result: SendResult) -> str | None:
    """Build and send one message and record the outcome on it; returns the failure's kind."""
    try:
        mail = build_message(message, sender)
    except Exception as error:  # noqa: BLE001 - whatever the message holds, it alone fails
        _fail(message, error, result)
        return PERMANENT
    try:
        connection.send(mail)
    except Exception as error:  # noqa: BLE001 - classified below; the batch goes on
        verdict = classify(error)
        if verdict == PERMANENT:
            _fail(message, error, result)
        else:
            _retry(message, error, now, result)
        if verdict == PERMANENT and not isinstance(error, smtplib.SMTPResponseException) \
                and not isinstance(error, smtplib.SMTPRecipientsRefused):
            try:  # an error outside SMTP's replies: is the connection still usable?
                connection.reset()
            except Exception:  # noqa: BLE001
                return CONNECTION
        return verdict
    message.status, message.sent_at, message.claimed_at = "sent", now, None
    message.attempts += 1
    result.sent += 1
    log.info("mail %s (%s) sent", message.id, message.kind)
    return None


def _fail(message: OutboxMessage, error: Exception, result: SendResult) -> None:
    message.attempts += 1
    message.last_error = describe(error)
    message.status, message.claimed_at = "failed", None
    result.failed += 1
    log.warning("mail %s (%s) failed: %s", message.id, message.kind, message.last_error)


def _retry(message: OutboxMessage, error: Exception, now: datetime, result: SendResult) -> None:
    message.attempts += 1
    message.last_error = describe(error)
    message.claimed_at = None
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        result.failed += 1
        log.warning("mail %s (%s) failed after %d attempts: %s", message.id, message.kind,
                    message.attempts, message.last_error)
    else:
        message.status = "queued"
        message.next_attempt_at = now + backoff(message.attempts)
        result.retried += 1
        log.info("mail %s (%s) back to the queue (attempt %d): %s", message.id, message.kind,
                 message.attempts, message.last_error)


__all__ = ["MAX_ATTEMPTS", "claim_timeout", "SendResult", "backoff", "classify",
           "deliver_outbox"]
