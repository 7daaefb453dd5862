"""Running one job: inside an app context, logged to standard output (start, end, duration,
counts, errors) and, for the scheduler's runs, recorded in the job run log. A failing job is
logged and recorded, never raised into the scheduler: one job's failure stops nothing else."""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import delete, update
from sqlalchemy.exc import StatementError

from caseload import clock
from caseload.jobs.definitions import RunContext, all_jobs, call
from caseload.unit_of_work import unit_of_work
from caseload.upsert import insert_or_update

log = logging.getLogger("caseload.jobs")


def log_to_standard_output() -> None:
    """The jobs' log lines go to standard output through the app's logging (app_logging.py),
    also where no app was made in this process's logging yet or Alembic disabled it."""
    from caseload import app_logging
    app_logging.configure()


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def summarise(result) -> str:
    """Counts as key=value pairs: 'opened=2 still_open=1 resolved=0', 'queued=3'."""
    if result is None:
        return ""
    if is_dataclass(result):
        return " ".join(f"{key}={value}" for key, value in asdict(result).items())
    if isinstance(result, int):
        return f"queued={result}"
    return str(result)


def describe_error(error: BaseException) -> str:
    """The error without the SQL parameters a database error carries (they may hold client
    data): the Jobs page and the log say what failed, not what was in the rows."""
    if isinstance(error, StatementError) and error.orig is not None:
        text = str(error.orig).strip()
    else:
        text = str(error)
    return f"{type(error).__name__}: {text}"[:2000]


def today_for(app: Flask, now: datetime) -> date:
    return clock.today() if app.config.get("CASELOAD_TODAY") else clock.local_date(now)


def run_job(app: Flask, job_id: str, now: datetime | None = None, *, trigger: str = "schedule",
            as_of: date | None = None, missed_days: tuple[date, ...] = (),
            record: bool = True, raise_errors: bool = False):
    """Run one job and log it; returns (ok, result). A scheduled or caught-up run that
    succeeds becomes the job's last run (what catch-up reads); `record=False` (the CLI) logs
    to standard output only."""
    from caseload.extensions import db
    definition = {d.id: d for d in all_jobs()}[job_id]
    log_to_standard_output()
    with app.app_context():
        now = now or clock.utcnow()
        context = RunContext(as_of=as_of or today_for(app, now), now=now, missed_days=missed_days)
        run_id = _start(db.session, job_id, trigger, context) if record else None
        log.info("job %s started: as_of=%s trigger=%s runner=%s", job_id, context.as_of,
                 trigger, runner_name())
        started = time.monotonic()
        # The run is one unit of work: a failure rolls back what the job left, and is
        # logged and recorded instead of raised into the scheduler.
        with unit_of_work(db.session, expected=Exception) as work:
            result = call(definition, context)
        if work.failed:
            error = work.error
            seconds = time.monotonic() - started
            text = describe_error(error)
            log.error("job %s failed: as_of=%s trigger=%s duration=%.2fs error=%s\n%s", job_id,
                      context.as_of, trigger, seconds, text,
                      "".join(traceback.format_tb(error.__traceback__)).rstrip())
            if record:
                _finish(db.session, job_id, run_id, now, seconds, "failed", "", text)
            if raise_errors:
                raise error
            return False, None
        seconds = time.monotonic() - started
        summary = summarise(result)
        if record:
            _finish(db.session, job_id, run_id, now, seconds, "ok", summary, "")
            if trigger in ("schedule", "catch_up"):
                _mark_done(db.session, job_id, now, context.as_of)
        log.info("job %s finished: as_of=%s trigger=%s duration=%.2fs %s", job_id,
                 context.as_of, trigger, seconds, summary)
        return True, result


def _start(session, job_id: str, trigger: str, context: RunContext) -> int:
    from caseload.models import JobRunLog
    row = JobRunLog(job=job_id, trigger=trigger, as_of=context.as_of, started_at=context.now,
                    status="running", summary="", error="", runner=runner_name())
    session.add(row)
    session.commit()
    return row.id


def _finish(session, job_id: str, run_id: int, now: datetime, seconds: float, status: str,
            summary: str, error: str) -> None:
    from caseload.models import JobRunLog
    from caseload.models.jobs import JOB_LOG_DAYS
    # The run's end is its start plus the time it took: `now` may be given (tests, catch-up).
    session.execute(update(JobRunLog).where(JobRunLog.id == run_id).values(
        finished_at=now + timedelta(seconds=seconds), status=status, summary=summary[:500],
        error=error))
    session.execute(delete(JobRunLog).where(
        JobRunLog.job == job_id, JobRunLog.started_at < now - timedelta(days=JOB_LOG_DAYS)))
    session.commit()


def _mark_done(session, job_id: str, now: datetime, as_of: date) -> None:
    """An upsert: two schedulers recording the same job on a fresh database never collide."""
    from caseload.models import JobRun
    session.execute(insert_or_update(
        session, JobRun, {"job": job_id, "last_run_at": now, "last_as_of": as_of},
        on=["job"], update=["last_run_at", "last_as_of"]))
    session.commit()
