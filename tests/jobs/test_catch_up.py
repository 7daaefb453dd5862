"""Catching up: the scheduler was down from Thursday 06:00 until Saturday 10:00. Each missed job
runs once; the digests for Friday, the last working day they were due; the daily evaluation for
Saturday, with the reminders the missed mornings would have queued that are still due."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.scheduler import catch_up
from caseload.models import JobRun, JobRunLog, OutboxMessage
from tests.builders import Builder

AMS = ZoneInfo("Europe/Amsterdam")
WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = (date(2026, 3, d) for d in range(18, 23))
BACK = datetime(2026, 3, 21, 10, 0, tzinfo=AMS)  # Saturday 10:00


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


@pytest.fixture
def down_since_thursday_six(app, monkeypatch):
    """The last runs before the scheduler stopped on Thursday at 06:00."""
    monkeypatch.setitem(app.config, "CASELOAD_TODAY", None)  # as_of follows the clock
    last = {"daily_evaluation": at(WEDNESDAY, 6), "worker_digests": at(WEDNESDAY, 7),
            "retention_erasure": at(THURSDAY, 3),
            "weekly_employer_contacts": at(date(2026, 3, 16), 6, 15),
            "coordinator_digests": at(date(2026, 3, 16), 7, 30)}
    for job, moment in last.items():
        db.session.add(JobRun(job=job, last_run_at=moment, last_as_of=moment.date()))
    db.session.commit()


@pytest.fixture
def caseload():
    """Two workers with news; placements whose 3-day contact falls due on Friday (the missed
    Thursday's reminder: past by Saturday), Saturday and Sunday."""
    build = Builder(db.session, SATURDAY)
    team = build.team()
    workers = [build.user(team, email=f"w{i}@example.org") for i in range(2)]
    for worker in workers:
        build.client(worker, entry=WEDNESDAY - timedelta(days=40))  # past day 30: a signal
    starts = {"DUE-FRI": THURSDAY - timedelta(days=2), "DUE-SAT": WEDNESDAY,
              "DUE-SUN": THURSDAY}
    clients = {code: build.client(workers[0], entry=WEDNESDAY - timedelta(days=60), code=code)
               for code in starts}
    for code, start in starts.items():
        build.placement(clients[code], start=start)
    build.commit()
    return {"workers": workers, "clients": clients}


def outbox(kind: str) -> list[tuple[str, str]]:
    db.session.expire_all()
    return sorted(db.session.execute(select(OutboxMessage.recipient_email, OutboxMessage.period_key)
                                     .where(OutboxMessage.kind == kind)).all())


def test_fridays_digests_are_queued_once_for_friday(app, down_since_thursday_six, caseload,
                                                     caplog):
    caplog.set_level(logging.INFO, logger="caseload.jobs")

    missed = catch_up(app, BACK)

    assert missed == ["daily_evaluation", "worker_digests", "retention_erasure", "expire_drafts",
                      "access_log_retention"]
    assert outbox("worker_digest") == [("w0@example.org", "2026-03-20"),
                                       ("w1@example.org", "2026-03-20")]
    log = [record.getMessage() for record in caplog.records if record.name == "caseload.jobs"]
    assert ("catch-up: worker_digests missed 2 scheduled run(s) (Thu 2026-03-19 07:00, "
            "Fri 2026-03-20 07:00); running it once for 2026-03-20") in log
    assert ("catch-up: daily_evaluation missed 3 scheduled run(s) (Thu 2026-03-19 06:00, "
            "Fri 2026-03-20 06:00, Sat 2026-03-21 06:00); running it once for 2026-03-21") in log
    runs = {run.job: run for run in db.session.scalars(
        select(JobRunLog).where(JobRunLog.trigger == "catch_up"))}
    assert runs["worker_digests"].as_of == FRIDAY
    assert runs["daily_evaluation"].as_of == SATURDAY
    assert {run.status for run in runs.values()} == {"ok"}

    caplog.clear()
    assert catch_up(app, BACK + timedelta(minutes=5)) == []
    assert len(outbox("worker_digest")) == 2
    assert "catch-up: no scheduled run was missed" in caplog.messages


def test_the_missed_daily_runs_still_queue_the_reminders_that_are_due(app,
                                                                     down_since_thursday_six,
                                                                     caseload):
    catch_up(app, BACK)

    clients = caseload["clients"]
    assert outbox("follow_along_reminder") == sorted([
        ("w0@example.org", f"c{clients['DUE-SAT'].id}-{SATURDAY.isoformat()}"),  # Friday's
        ("w0@example.org", f"c{clients['DUE-SUN'].id}-{SUNDAY.isoformat()}"),    # Saturday's
    ])  # Thursday's reminder, due Friday, is past: the follow-along signal says it now


def test_a_run_on_time_queues_only_the_reminders_due_tomorrow(app, caseload):
    from caseload.jobs.norm_jobs import daily_evaluation

    result = daily_evaluation(SATURDAY)

    assert result.reminders_queued == 1
    assert [key for _email, key in outbox("follow_along_reminder")] == [
        f"c{caseload['clients']['DUE-SUN'].id}-{SUNDAY.isoformat()}"]


def test_a_missed_morning_of_today_only_reminds_of_tomorrow(app, caseload, monkeypatch):
    monkeypatch.setitem(app.config, "CASELOAD_TODAY", None)
    for job in ("daily_evaluation", "retention_erasure"):
        db.session.add(JobRun(job=job, last_run_at=at(FRIDAY, 6, 1), last_as_of=FRIDAY))
    db.session.commit()

    catch_up(app, at(SATURDAY, 6, 30))

    assert [key for _email, key in outbox("follow_along_reminder")] == [
        f"c{caseload['clients']['DUE-SUN'].id}-{SUNDAY.isoformat()}"]
