"""APScheduler wiring. One scheduler per installation, guarded by a file lock; missed runs
(machine off over the weekend) are caught up once at start, not once per missed day."""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from caseload import clock
from caseload.clock import ORGANISATION_TZ

log = logging.getLogger(__name__)


def job_definitions():
    """(id, function, trigger). Early morning, in the organisation's time zone."""
    from caseload.jobs.mail_jobs import queue_coordinator_digests, queue_worker_digests
    from caseload.jobs.norm_jobs import daily_evaluation, weekly_employer_contacts
    from caseload.jobs.privacy_jobs import erase_expired_clients
    return [
        ("daily_evaluation", daily_evaluation,
         CronTrigger(hour=6, minute=0, timezone=ORGANISATION_TZ)),
        ("weekly_employer_contacts", weekly_employer_contacts,
         CronTrigger(day_of_week="mon", hour=6, minute=15, timezone=ORGANISATION_TZ)),
        ("worker_digests", queue_worker_digests,
         CronTrigger(day_of_week="mon-fri", hour=7, minute=0, timezone=ORGANISATION_TZ)),
        ("coordinator_digests", queue_coordinator_digests,
         CronTrigger(day_of_week="mon", hour=7, minute=30, timezone=ORGANISATION_TZ)),
        ("retention_erasure", erase_expired_clients,
         CronTrigger(hour=3, minute=0, timezone=ORGANISATION_TZ)),
    ]


SEND_INTERVAL_MINUTES = 5


def send_outbox_job(app: Flask) -> None:
    """Deliver queued mail; not recorded in JobRun (it runs every few minutes anyway)."""
    from caseload.jobs.mail_jobs import send_outbox
    with app.app_context():
        send_outbox()


def run_job(app: Flask, job_id: str, now: datetime | None = None) -> None:
    """Run one job for today (in Europe/Amsterdam) inside an app context and record the run."""
    from caseload.extensions import db
    from caseload.models import JobRun
    function = {jid: fn for jid, fn, _ in job_definitions()}[job_id]
    with app.app_context():
        now = now or clock.utcnow()
        as_of = clock.today() if app.config.get("CASELOAD_TODAY") else clock.local_date(now)
        function(as_of)
        run = db.session.get(JobRun, job_id) or JobRun(job=job_id)
        run.last_run_at = now
        run.last_as_of = as_of
        db.session.add(run)
        db.session.commit()
        log.info("job %s ran for %s", job_id, as_of)


def missed_jobs(app: Flask, now: datetime) -> list[str]:
    """Jobs with at least one scheduled time between their last run and now. A job that never
    ran counts as missed when its last week held a scheduled time."""
    from caseload.extensions import db
    from caseload.models import JobRun
    missed = []
    with app.app_context():
        last_runs = {run.job: run.last_run_at for run in db.session.query(JobRun)}
    for job_id, _fn, trigger in job_definitions():
        since = last_runs.get(job_id) or (now - timedelta(days=7))
        next_time = trigger.get_next_fire_time(None, since + timedelta(seconds=1))
        if next_time is not None and next_time <= now:
            missed.append(job_id)
    return missed


def catch_up(app: Flask, now: datetime | None = None) -> list[str]:
    """Run each missed job once (its as_of is today: the norms judge all history anyway)."""
    now = now or clock.utcnow()
    missed = missed_jobs(app, now)
    for job_id in missed:
        run_job(app, job_id, now)
    return missed


def build_scheduler(app: Flask, *, blocking: bool) -> BackgroundScheduler | BlockingScheduler:
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=ORGANISATION_TZ,
                    job_defaults={"coalesce": True, "max_instances": 1,
                                  "misfire_grace_time": 3600})
    for job_id, _fn, trigger in job_definitions():
        scheduler.add_job(run_job, trigger, args=[app, job_id], id=job_id, name=job_id,
                          replace_existing=True)
    scheduler.add_job(send_outbox_job, IntervalTrigger(minutes=SEND_INTERVAL_MINUTES),
                      args=[app], id="send_outbox", name="send_outbox", replace_existing=True)
    return scheduler


class SchedulerLock:
    """An exclusive, non-blocking file lock in the instance folder: with several web workers,
    only the one holding it runs the embedded scheduler."""

    def __init__(self, instance_dir: str):
        self.path = Path(instance_dir) / "scheduler.lock"
        self.handle = None

    def acquire(self) -> bool:
        from caseload.instance_files import open_private, private_dir
        private_dir(self.path.parent)
        handle = open_private(self.path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def start_embedded(app: Flask):
    """Start the scheduler inside the web process when this process wins the lock."""
    lock = SchedulerLock(app.config["INSTANCE_DIR"])
    if not lock.acquire():
        log.info("another process runs the scheduler")
        return None
    catch_up(app)
    send_outbox_job(app)
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start()
    app.extensions["caseload_scheduler"] = (scheduler, lock)
    return scheduler


def run_forever(app: Flask) -> None:
    """`flask scheduler`: the production scheduler, as its own process."""
    lock = SchedulerLock(app.config["INSTANCE_DIR"])
    if not lock.acquire():
        raise SystemExit("Another scheduler holds the lock " + str(lock.path))
    try:
        catch_up(app)
        send_outbox_job(app)
        build_scheduler(app, blocking=True).start()
    finally:
        lock.release()
