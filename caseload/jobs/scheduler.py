"""APScheduler wiring. One scheduler per database, whatever the number of servers (locks.py);
at start it catches up the runs missed while none ran (catch_up.py) and delivers what is
queued, in its own thread, so nothing a job or a message does can stop it from starting."""

from __future__ import annotations

import signal
import time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from caseload.clock import ORGANISATION_TZ
from caseload.jobs.catch_up import catch_up, missed_jobs  # noqa: F401 - the scheduler's API
from caseload.jobs.definitions import SEND_OUTBOX, all_jobs, job_definitions  # noqa: F401
from caseload.jobs.locks import scheduler_lock
from caseload.jobs.runs import log, log_to_standard_output, run_job


def lock_check_seconds(app: Flask) -> float:
    return float(app.config.get("SCHEDULER_LOCK_CHECK_SECONDS") or 60)


def scheduled_run(app: Flask, job_id: str, trigger: str = "schedule") -> None:
    """What APScheduler calls. run_job logs and records a failing job itself; this catches what
    is left (the database is down and not even the run can be recorded)."""
    try:
        run_job(app, job_id, trigger=trigger)
    except Exception:  # noqa: BLE001 - the scheduler goes on; the next run tries again
        log.exception("job %s could not be run or recorded", job_id)


def startup(app: Flask) -> None:
    try:
        catch_up(app)
    except Exception:  # noqa: BLE001
        log.exception("catch-up failed; the jobs run at their next scheduled time")
    scheduled_run(app, SEND_OUTBOX, trigger="start")


def check_lock(scheduler, lock, state: dict) -> None:
    """The lock lives as long as its database connection. If that broke (a database restart),
    take the lock again; if another scheduler has it by now, stop this one."""
    if lock.still_held():
        return
    log.error("scheduler lost the %s", lock.description)
    try:
        if lock.acquire():
            log.warning("scheduler holds the %s again", lock.description)
            return
    except Exception:  # noqa: BLE001 - the database may still be down: try at the next check
        log.exception("the %s cannot be taken now; trying again at the next check",
                      lock.description)
        return
    log.error("another scheduler holds the %s; this one stops", lock.description)
    state["lost"] = True
    scheduler.shutdown(wait=False)


def build_scheduler(app: Flask, *, blocking: bool, lock=None):
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=ORGANISATION_TZ,
                    job_defaults={"coalesce": True, "max_instances": 1,
                                  "misfire_grace_time": 3600})
    for definition in all_jobs():
        scheduler.add_job(scheduled_run, definition.trigger, args=[app, definition.id],
                          id=definition.id, name=definition.id, replace_existing=True)
    state = {"lost": False}
    if lock is not None:
        scheduler.add_job(check_lock, IntervalTrigger(seconds=lock_check_seconds(app)),
                          args=[scheduler, lock, state], id="lock_check", name="lock_check")
    scheduler.add_job(startup, args=[app], id="startup", name="startup")  # at once
    scheduler.caseload_state = state
    return scheduler


def start_embedded(app: Flask):
    """Start the scheduler inside the web process when this process wins the lock."""
    log_to_standard_output()
    lock = scheduler_lock(app)
    try:
        won = lock.acquire()
    except Exception:  # noqa: BLE001 - the web process starts anyway, without jobs
        log.exception("the scheduler lock cannot be taken; no scheduler in this process")
        return None
    if not won:
        log.info("another process runs the scheduler (%s)", lock.description)
        return None
    scheduler = build_scheduler(app, blocking=False, lock=lock)
    scheduler.start()
    log.info("scheduler started in the web process, holding the %s", lock.description)
    app.extensions["caseload_scheduler"] = (scheduler, lock)
    return scheduler


def stop_embedded(app: Flask) -> None:
    scheduler, lock = app.extensions.pop("caseload_scheduler", (None, None))
    if scheduler is not None:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        lock.release()


def run_forever(app: Flask, *, standby: bool = False) -> None:
    """`flask scheduler`: the production scheduler, as its own process. With `standby` it waits
    while another scheduler holds the lock and takes over when that one stops (one on each
    application server); without, it exits. Exits with status 1 when another scheduler took
    over the lock (a supervisor restarts it)."""
    log_to_standard_output()
    lock = scheduler_lock(app)
    if not lock.acquire():
        if not standby:
            raise SystemExit(f"Another scheduler holds the {lock.description}")
        log.info("standby: another scheduler holds the %s; checking every %g s",
                 lock.description, lock_check_seconds(app))
        while not lock.acquire():
            time.sleep(lock_check_seconds(app))
    scheduler = build_scheduler(app, blocking=True, lock=lock)
    # A stop (systemd, a deploy) lets running jobs finish: a sender killed between the SMTP
    # server's acceptance and "sent" would send that mail again later.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: scheduler.shutdown(wait=True))
    log.info("scheduler started, holding the %s", lock.description)
    try:
        scheduler.start()
    finally:
        lock.release()
        log.info("scheduler stopped")
    if scheduler.caseload_state["lost"]:
        raise SystemExit(1)
