"""One message never stops the others: a message that cannot be built, a server that refuses one
recipient for good or for now, a server that takes its time to accept, and a sender that dies
between the server's acceptance and "sent"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.extensions import db
from caseload.jobs.mail_jobs import send_outbox
from caseload.mail import sender as mail_sender
from caseload.mail.outbox import new_message_id
from caseload.mail.sender import backoff, claim_timeout
from caseload.models import OutboxMessage


def queued(build, address: str, subject: str = "Caseload: hello", *, kind="worker_digest",
           status="queued", claimed_at=None) -> OutboxMessage:
    """A message placed in the outbox directly, as a queueing job would have left it."""
    user = build.user(email=address)
    build.commit()
    message = OutboxMessage(
        recipient_id=user.id, recipient_email=address, kind=kind, period_key="2026-03-18",
        language="nl", subject=subject, message_id=new_message_id("caseload.example.org"),
        body_text=f"text for {address}", body_html=f"<p>html for {address}</p>",
        status=status, attempts=0, next_attempt_at=clock.utcnow() - timedelta(minutes=1),
        last_error="", claimed_at=claimed_at)
    db.session.add(message)
    db.session.commit()
    return message


def reload(message: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message.id)


def wait_for(condition, seconds: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- a message that cannot be built -----------------------------------------------------------

def test_a_poison_message_among_good_ones_fails_alone_and_the_rest_arrive(build, smtp):
    first = queued(build, "a@example.org")
    poison = queued(build, "b@example.org", "Caseload: contact with AB\nC-1 due by 19-03-2026",
                    kind="follow_along_reminder")
    last = queued(build, "c@example.org")

    result = send_outbox()

    assert (result.sent, result.failed, result.retried) == (2, 1, 0)
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["a@example.org", "c@example.org"]
    poison = reload(poison)
    assert poison.status == "failed" and poison.attempts == 1
    assert poison.last_error.startswith("ValueError: ") and "linefeed" in poison.last_error
    assert reload(first).status == reload(last).status == "sent"
    assert send_outbox(clock.utcnow() + timedelta(days=1)).sent == 0  # not retried


@pytest.mark.parametrize("field,value", [
    ("subject", "Caseload: AB\rC-1"),
    ("recipient_email", "b@example.org\nBcc: everyone@example.org"),
    ("recipient_email", ""),
])
def test_whatever_one_message_holds_the_sender_goes_on(build, smtp, field, value):
    poison = queued(build, "b@example.org")
    good = queued(build, "c@example.org")
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == poison.id)
                       .values({field: value}))
    db.session.commit()

    result = send_outbox()

    assert (result.sent, result.failed) == (1, 1)
    poison, good = reload(poison), reload(good)
    assert poison.status == "failed" and poison.last_error
    assert good.status == "sent"
    assert [m["To"] for m in smtp.inbox.messages] == ["c@example.org"]


def test_a_poison_message_whose_claim_expired_does_not_stop_later_mail(build, smtp):
    """The state the issue found: left 'sending' by a sender that died on it."""
    long_ago = clock.utcnow() - timedelta(days=1)
    poison = queued(build, "b@example.org", "bad\r\nBcc: everyone@example.org",
                    status="sending", claimed_at=long_ago)
    good = queued(build, "c@example.org")

    result = send_outbox()

    assert (result.sent, result.failed) == (1, 1)
    assert reload(poison).status == "failed" and reload(good).status == "sent"
    assert [m["To"] for m in smtp.inbox.messages] == ["c@example.org"]
    assert smtp.inbox.messages[0]["Bcc"] is None


def test_a_client_code_with_a_line_feed_still_gives_a_one_line_subject(app, build, smtp):
    """A code the importer now refuses, written straight into the database: the reminder is
    queued and sent, its subject on one line."""
    from datetime import date

    from caseload.jobs.mail_jobs import queue_reminders
    from caseload.models import Client
    from tests.conftest import TODAY

    worker = build.user(build.team(), email="wim@example.org")
    client = build.client(worker, entry=date(2026, 1, 5), code="ABC-1")
    build.placement(client, start=TODAY - timedelta(days=2))
    build.commit()
    db.session.execute(Client.__table__.update().where(Client.id == client.id)
                       .values(client_code="AB\nC-1"))
    db.session.commit()

    assert queue_reminders(TODAY) == 1
    db.session.commit()
    assert send_outbox().sent == 1

    [mail] = smtp.inbox.messages
    assert mail["Subject"] == "Caseload: contact met AB C-1 uiterlijk 19-03-2026"


# --- refusals ---------------------------------------------------------------------------------

def test_a_permanent_refusal_fails_the_message_at_the_first_attempt(build, smtp):
    smtp.inbox.rcpt_replies["gone@example.org"] = "550 5.1.1 No such user"
    gone = queued(build, "gone@example.org")
    good = queued(build, "c@example.org")

    result = send_outbox()

    assert (result.sent, result.failed, result.retried) == (1, 1, 0)
    gone = reload(gone)
    assert gone.status == "failed" and gone.attempts == 1
    assert "550" in gone.last_error and "No such user" in gone.last_error
    assert reload(good).status == "sent"


def test_a_permanent_refusal_of_the_text_fails_the_message_at_once(build, smtp):
    smtp.inbox.data_replies["big@example.org"] = "554 5.6.0 Content rejected"
    refused = queued(build, "big@example.org")

    send_outbox()

    refused = reload(refused)
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "554" in refused.last_error


def test_a_temporary_refusal_keeps_the_back_off_and_the_message_id(build, smtp):
    smtp.inbox.rcpt_replies["busy@example.org"] = "451 4.7.1 Greylisted, try again later"
    busy = queued(build, "busy@example.org")
    now = clock.utcnow()

    result = send_outbox(now)

    assert (result.sent, result.retried, result.failed) == (0, 1, 0)
    busy = reload(busy)
    assert (busy.status, busy.attempts) == ("queued", 1)
    assert busy.next_attempt_at == now + backoff(1)
    assert "451" in busy.last_error
    assert send_outbox(now + timedelta(minutes=1)).sent == 0  # still backing off

    del smtp.inbox.rcpt_replies["busy@example.org"]
    assert send_outbox(now + backoff(1)).sent == 1
    [mail] = smtp.inbox.messages
    assert mail["Message-ID"] == busy.message_id


def test_a_server_closing_the_connection_puts_the_untried_mail_back_as_it_was(build, smtp):
    smtp.inbox.rcpt_replies["b@example.org"] = "421 4.3.2 Shutting down"
    first = queued(build, "a@example.org")
    closing = queued(build, "b@example.org")
    untried = queued(build, "c@example.org")
    now = clock.utcnow()

    result = send_outbox(now)

    assert (result.sent, result.retried, result.released, result.failed) == (1, 1, 1, 0)
    assert reload(first).status == "sent"
    closing = reload(closing)
    assert (closing.status, closing.attempts) == ("queued", 1) and "421" in closing.last_error
    untried = reload(untried)
    assert (untried.status, untried.attempts, untried.last_error) == ("queued", 0, "")
    assert untried.next_attempt_at <= now  # due at once, not backed off: it was never tried
    assert send_outbox(now + timedelta(minutes=1)).sent == 1
    assert reload(untried).status == "sent"


def test_a_run_takes_no_further_message_after_its_time_budget(build, smtp, monkeypatch):
    monkeypatch.setattr(mail_sender, "BATCH_SECONDS", 0.5)
    smtp.inbox.data_delay = 0.6
    messages = [queued(build, f"{name}@example.org") for name in "abc"]

    result = send_outbox()

    assert (result.sent, result.released) == (1, 2)
    assert [reload(m).status for m in messages] == ["sent", "queued", "queued"]
    assert [reload(m).attempts for m in messages] == [1, 0, 0]


def test_a_live_sender_s_claim_outlasts_its_slowest_message(app):
    from caseload.config import mail_settings

    defaults = mail_settings()
    longest_send = mail_sender.BATCH_SECONDS + 10 * defaults["MAIL_SMTP_TIMEOUT"] + \
        defaults["MAIL_SMTP_DATA_TIMEOUT"]
    assert claim_timeout(defaults) > timedelta(seconds=longest_send)
    assert claim_timeout({**defaults, "MAIL_SMTP_DATA_TIMEOUT": 3600}) > timedelta(hours=1)


def test_a_server_that_is_down_keeps_the_back_off(build, smtp):
    message = queued(build, "a@example.org")
    smtp.stop()

    result = send_outbox()

    assert result.retried == 1
    message = reload(message)
    assert (message.status, message.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in message.last_error


# --- slow servers -----------------------------------------------------------------------------

def test_a_final_reply_after_12_seconds_is_waited_for_and_the_mail_arrives_once(app, build,
                                                                              smtp, monkeypatch):
    """RFC 5321 4.5.3.2.6: up to 10 minutes for the reply to the end of DATA. The commands'
    timeout (5 s here) is shorter than the delay, so the test fails if the sender used it."""
    monkeypatch.setitem(app.config, "MAIL_SMTP_TIMEOUT", 5)
    monkeypatch.setitem(app.config, "MAIL_SMTP_DATA_TIMEOUT", 30)
    smtp.inbox.data_delay = 12
    message = queued(build, "a@example.org")
    started = time.monotonic()

    result = send_outbox()

    assert time.monotonic() - started >= 12
    assert result.sent == 1
    assert reload(message).status == "sent"
    smtp.inbox.data_delay = 0
    assert send_outbox(clock.utcnow() + timedelta(hours=1)).sent == 0
    assert len(smtp.inbox.messages) == 1


def test_giving_up_on_the_final_reply_is_where_a_mail_can_arrive_twice(app, build, smtp,
                                                                      monkeypatch):
    """With a final-reply timeout shorter than the server's delay the sender cannot know the
    server kept the mail: it retries, and the copy carries the same Message-ID."""
    monkeypatch.setitem(app.config, "MAIL_SMTP_DATA_TIMEOUT", 0.5)
    smtp.inbox.data_delay = 2
    message = queued(build, "a@example.org")
    now = clock.utcnow()

    result = send_outbox(now)

    assert result.retried == 1
    message = reload(message)
    assert message.status == "queued" and "timed out" in message.last_error
    smtp.inbox.data_delay = 0
    wait_for(lambda: len(smtp.inbox.raw) == 1, 5, "the server to keep the first copy")
    assert send_outbox(now + backoff(1)).sent == 1
    first, second = smtp.inbox.messages
    assert first["Message-ID"] == second["Message-ID"] == message.message_id


def test_the_smtp_timeouts_are_settings_from_the_environment(monkeypatch):
    from caseload.config import mail_settings

    assert mail_settings()["MAIL_SMTP_TIMEOUT"] == 60
    assert mail_settings()["MAIL_SMTP_DATA_TIMEOUT"] == 600
    monkeypatch.setenv("MAIL_SMTP_TIMEOUT", "7.5")
    monkeypatch.setenv("MAIL_SMTP_DATA_TIMEOUT", "900")
    assert mail_settings()["MAIL_SMTP_TIMEOUT"] == 7.5
    assert mail_settings()["MAIL_SMTP_DATA_TIMEOUT"] == 900


# --- one Message-ID per message ---------------------------------------------------------------

def sender_process_env(app, smtp, tmp_path) -> dict:
    return {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "CASELOAD_INSTANCE": str(tmp_path / "instance"), "SECRET_KEY": "test-secret",
            "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": str(smtp.port),
            "MAIL_SMTP_STARTTLS": "0", "FLASK_APP": "caseload:create_app",
            "PYTHONUNBUFFERED": "1"}


def test_a_resend_after_a_crash_between_acceptance_and_sent_has_the_same_message_id(
        app, build, smtp, tmp_path):
    """A real sender process is killed after the server has the mail and before it could
    record "sent". The claim expires, the next sender sends it again: same Message-ID."""
    message = queued(build, "a@example.org")
    smtp.inbox.data_delay = 30  # the server keeps the mail, then takes its time to answer
    sender = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "run", "send_outbox"],
                              env=sender_process_env(app, smtp, tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert smtp.inbox.received.wait(30), "the sender never delivered"
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(10)
    assert reload(message).status == "sending"
    smtp.inbox.data_delay = 0

    assert send_outbox(clock.utcnow()).sent == 0  # claimed by the dead sender, not expired
    result = send_outbox(clock.utcnow() + claim_timeout(app.config) + timedelta(minutes=1))

    assert result.sent == 1
    first, second = smtp.inbox.messages
    assert first["Message-ID"] == second["Message-ID"] == reload(message).message_id
    assert reload(message).status == "sent"


def test_every_message_gets_its_own_message_id_when_queued(build):
    from caseload.jobs.mail_jobs import queue_worker_digests
    from caseload.jobs.norm_jobs import daily_evaluation
    from tests.conftest import TODAY

    team = build.team()
    for i in range(2):
        worker = build.user(team, email=f"w{i}@example.org")
        build.client(worker, entry=TODAY - timedelta(days=40))
    build.commit()
    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 2

    ids = list(db.session.scalars(select(OutboxMessage.message_id)))
    assert len(set(ids)) == 2
    assert all(i.startswith("<") and i.endswith("@localhost>") for i in ids)


@pytest.mark.parametrize("code,verdict", [(550, "permanent"), (554, "permanent"),
                                          (451, "transient"), (421, "connection")])
def test_replies_are_classified_by_their_code(code, verdict):
    import smtplib

    from caseload.mail.sender import classify
    assert classify(smtplib.SMTPDataError(code, b"x")) == verdict


def test_administrators_see_the_failed_poison_message_with_its_error(app, build, smtp):
    from tests.conftest import login

    poison = queued(build, "b@example.org", "Caseload: AB\nC-1", kind="follow_along_reminder")
    send_outbox()
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    client = app.test_client()
    login(client, admin)

    listing = client.get("/admin/outbox?status=failed").text
    detail = client.get(f"/admin/outbox/{poison.id}").text

    assert listing.count('class="status-failed"') == 1
    assert "ValueError: Header values may not contain linefeed" in listing
    assert f"&lt;{reload(poison).message_id.strip('<>')}&gt;" in detail
    assert "wordt verzonden" in client.get("/admin/outbox").text  # the filter for 'sending'
