"""Delivery: the SMTP server goes down and comes back; retries, back-off, failure, no doubles."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from caseload import clock
from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_worker_digests, send_outbox
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.mail.sender import MAX_ATTEMPTS
from caseload.models import OutboxMessage
from tests.concurrency import run_at_once
from tests.conftest import TODAY, login


def three_workers_with_news(build):
    team = build.team()
    workers = [build.user(team, email=f"w{i}@example.org") for i in range(3)]
    for i, worker in enumerate(workers):
        build.client(worker, entry=TODAY - timedelta(days=40), code=f"LATE-{i}")
    build.commit()
    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 3
    return workers


def statuses() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(OutboxMessage.status)))


def test_mails_stay_queued_while_the_server_is_down_and_arrive_once_when_it_is_back(build, smtp):
    three_workers_with_news(build)
    smtp.stop()
    now = clock.utcnow()

    result = send_outbox(now)

    assert result.sent == 0 and result.retried == 3
    assert statuses() == ["queued"] * 3
    message = db.session.scalars(select(OutboxMessage)).first()
    assert message.attempts == 1 and "Error" in message.last_error
    assert message.next_attempt_at > now  # back-off: not retried straight away
    assert send_outbox(now).sent == 0

    smtp.start()
    later = now + timedelta(minutes=3)
    assert send_outbox(later).sent == 3
    assert send_outbox(later + timedelta(hours=1)).sent == 0

    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        "w0@example.org", "w1@example.org", "w2@example.org"]
    assert statuses() == ["sent"] * 3


def test_a_mail_that_keeps_failing_is_marked_failed_and_shown_to_admins(app, build, smtp):
    three_workers_with_news(build)
    smtp.stop()
    now = clock.utcnow()
    for attempt in range(MAX_ATTEMPTS):
        send_outbox(now)
        now += timedelta(days=1)

    assert statuses() == ["failed"] * 3
    smtp.start()
    assert send_outbox(now).sent == 0  # failed mail is not retried by itself

    admin = build.user(role="admin")
    build.commit()
    client = app.test_client()
    login(client, admin)
    page = client.get("/admin/outbox?status=failed")
    assert page.status_code == 200
    assert page.text.count('class="status-failed"') == 3


def test_two_senders_at_once_send_each_mail_once(app, build, smtp):
    three_workers_with_news(build)

    run_at_once(app, send_outbox)

    assert len(smtp.inbox.messages) == 3
    assert statuses() == ["sent"] * 3


def test_two_digest_jobs_at_once_queue_each_mail_once(app, build, smtp):
    team = build.team()
    worker = build.user(team)
    build.client(worker, entry=TODAY - timedelta(days=40))
    build.commit()
    daily_evaluation(TODAY)

    run_at_once(app, lambda: queue_worker_digests(TODAY))

    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
