"""The scheduler starts whatever the outbox holds, both as `flask scheduler` (its own process)
and embedded in the web process, and exactly one scheduler runs per database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from caseload import clock, create_app
from caseload.extensions import db
from caseload.jobs.locks import AdvisoryLock, FileLock, scheduler_lock
from caseload.jobs.scheduler import build_scheduler, check_lock, start_embedded, stop_embedded
from caseload.models import JobRunLog, OutboxMessage
from tests.mail.test_sender_failures import queued, wait_for

on_postgresql = pytest.mark.skipif(
    not os.environ.get("CASELOAD_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the advisory lock is PostgreSQL's")


def statuses() -> dict[str, str]:
    db.session.expire_all()
    db.session.rollback()  # see what the scheduler committed
    return dict(db.session.execute(
        select(OutboxMessage.recipient_email, OutboxMessage.status)).all())


def poison_among_good_ones(build):
    """The issue's state: a message that cannot be built, left 'sending' by a sender that died
    on it, its claim expired; good mail queued before and after it."""
    queued(build, "a@example.org")
    queued(build, "b@example.org", "Caseload: contact met AB\nC-1",
           status="sending", claimed_at=clock.utcnow() - timedelta(days=1))
    queued(build, "c@example.org")


def all_sent_but_the_poison() -> bool:
    return statuses() == {"a@example.org": "sent", "b@example.org": "failed",
                          "c@example.org": "sent"}


def scheduler_env(app, tmp_path, name: str, smtp=None) -> dict:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CASELOAD_INSTANCE": str(tmp_path / name), "SECRET_KEY": "test-secret",
           "FLASK_APP": "caseload:create_app", "PYTHONUNBUFFERED": "1",
           "CASELOAD_SCHEDULER_LOCK_CHECK_SECONDS": "0.5"}
    if smtp is not None:
        env.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=str(smtp.port),
                   MAIL_SMTP_STARTTLS="0")
    return env


def start_scheduler_process(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "scheduler", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> str:
    if process.poll() is None:
        process.send_signal(sig)
    output, _ = process.communicate(timeout=20)
    return output


def test_flask_scheduler_starts_and_delivers_the_good_mail_past_a_poison_message(
        app, build, smtp, tmp_path):
    poison_among_good_ones(build)
    process = start_scheduler_process(scheduler_env(app, tmp_path, "server-1", smtp))
    try:
        wait_for(all_sent_but_the_poison, 30, "the good mail to be sent")
        assert process.poll() is None  # still running
    finally:
        output = stop(process)
    assert "scheduler started, holding the" in output
    assert output.rstrip().endswith("INFO caseload.jobs: scheduler stopped")
    assert process.returncode == 0  # SIGTERM: a clean stop
    assert "job send_outbox finished:" in output and "sent=2" in output and "failed=1" in output
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["a@example.org", "c@example.org"]
    error = db.session.scalar(select(OutboxMessage.last_error).where(
        OutboxMessage.recipient_email == "b@example.org"))
    assert error.startswith("ValueError:")


def test_the_embedded_scheduler_starts_past_a_poison_message(app, build, smtp):
    poison_among_good_ones(build)

    scheduler = start_embedded(app)
    try:
        assert scheduler is not None and scheduler.running
        wait_for(all_sent_but_the_poison, 30, "the good mail to be sent")
        wait_for(lambda: db.session.scalar(select(JobRunLog.status).where(
            JobRunLog.job == "send_outbox", JobRunLog.trigger == "start")) == "ok", 10,
            "the first send to be recorded")
        assert start_embedded(app) is None  # a second web worker: the lock is taken
    finally:
        stop_embedded(app)


def test_two_sqlite_schedulers_with_different_instance_folders_share_one_lock(tmp_path):
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    apps = [create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "x",
                        "INSTANCE_DIR": str(tmp_path / name)}) for name in ("one", "two")]
    first, second = (scheduler_lock(a) for a in apps)
    assert isinstance(first, FileLock) and first.path == second.path
    try:
        assert first.acquire() and not second.acquire()
    finally:
        first.release()


# --- PostgreSQL: an advisory lock, whatever the number of servers -----------------------------

@on_postgresql
def test_the_advisory_lock_admits_one_scheduler_per_database(app):
    first, second = scheduler_lock(app), scheduler_lock(app)
    assert isinstance(first, AdvisoryLock)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.still_held()
        first.release()
        assert second.acquire() is True
    finally:
        first.release()
        second.release()


@on_postgresql
def test_a_scheduler_whose_lock_connection_broke_stops_when_another_took_over(app):
    first, second = scheduler_lock(app), scheduler_lock(app)
    scheduler = build_scheduler(app, blocking=False, lock=first)
    try:
        assert first.acquire()
        pid = first.connection.scalar(text("SELECT pg_backend_pid()"))
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
        assert wait_for(lambda: second.acquire(), 10, "the database to release the lock")
        scheduler.start(paused=True)

        check_lock(scheduler, first, scheduler.caseload_state)

        assert scheduler.caseload_state["lost"] is True
        assert not scheduler.running
    finally:
        first.release()
        second.release()


@on_postgresql
def test_a_scheduler_whose_lock_connection_broke_takes_the_lock_again(app):
    lock = scheduler_lock(app)
    scheduler = build_scheduler(app, blocking=False, lock=lock)
    try:
        assert lock.acquire()
        pid = lock.connection.scalar(text("SELECT pg_backend_pid()"))
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
        time.sleep(0.2)
        scheduler.start(paused=True)

        check_lock(scheduler, lock, scheduler.caseload_state)

        assert scheduler.caseload_state["lost"] is False and scheduler.running
        assert lock.still_held()
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        lock.release()


def started(runner_other_than: str | None = None):
    """The id of a scheduler's first recorded send (the end of its start), if any."""
    query = select(JobRunLog.runner).where(JobRunLog.job == "send_outbox",
                                           JobRunLog.trigger == "start", JobRunLog.status == "ok")
    if runner_other_than:
        query = query.where(JobRunLog.runner != runner_other_than)
    db.session.rollback()  # see what the other processes committed
    return db.session.scalar(query)


@on_postgresql
def test_two_schedulers_with_different_instance_folders_run_each_job_once(app, tmp_path):
    first = start_scheduler_process(scheduler_env(app, tmp_path, "server-1"))
    standby = None
    try:
        first_runner = wait_for(started, 30, "the first scheduler's start")
        second = start_scheduler_process(scheduler_env(app, tmp_path, "server-2"))
        second_output, _ = second.communicate(timeout=30)
        assert second.returncode == 1
        assert "Another scheduler holds the PostgreSQL advisory lock" in second_output

        standby = start_scheduler_process(scheduler_env(app, tmp_path, "server-2"),
                                          "--standby")
        standby_line = standby.stdout.readline()  # blocks until it has tried the lock
        assert "standby: another scheduler holds the PostgreSQL advisory lock" in standby_line
        time.sleep(1.5)  # a few of its lock checks
        assert standby.poll() is None
        assert started(runner_other_than=first_runner) is None
    finally:
        first_output = stop(first, signal.SIGKILL)  # the server dies
    try:
        wait_for(lambda: started(runner_other_than=first_runner), 30, "the standby to take over")
    finally:
        standby_output = stop(standby)
    assert "catch-up: daily_evaluation missed" in first_output
    assert "catch-up: no scheduled run was missed" in standby_output
    caught_up = list(db.session.scalars(select(JobRunLog.job)
                                        .where(JobRunLog.trigger == "catch_up")))
    assert sorted(caught_up) == sorted(
        ["daily_evaluation", "weekly_employer_contacts", "worker_digests",
         "coordinator_digests", "retention_erasure", "expire_drafts",
         "access_log_retention"])  # each once, by the first scheduler
