"""Runs missed while no scheduler ran (machine off, scheduler stopped) are caught up once at
start: each missed job runs once, for the last day it was due where the day matters (Friday's
digests on Saturday), for today otherwise; the log says what was caught up."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from caseload import clock
from caseload.jobs.definitions import DUE_DAY_JOBS, job_definitions
from caseload.jobs.runs import log, log_to_standard_output, run_job, today_for

MAX_MISSED = 1000  # enough for years of daily runs; the count is only reported
NEVER_RAN_LOOKBACK = timedelta(days=7)


def missed_runs(app: Flask, now: datetime) -> dict[str, list[datetime]]:
    """Per job, its scheduled times after its last run and up to now, oldest first. For a job
    that never ran, the scheduled times of the last week."""
    from caseload.extensions import db
    from caseload.models import JobRun
    with app.app_context():
        last_runs = {run.job: run.last_run_at for run in db.session.query(JobRun)}
    missed = {}
    for definition in job_definitions():
        since = last_runs.get(definition.id) or (now - NEVER_RAN_LOOKBACK)
        times = []
        moment = definition.trigger.get_next_fire_time(None, since + timedelta(seconds=1))
        while moment is not None and moment <= now and len(times) < MAX_MISSED:
            times.append(moment)
            moment = definition.trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
        if times:
            missed[definition.id] = times
    return missed


def missed_jobs(app: Flask, now: datetime) -> list[str]:
    return list(missed_runs(app, now))


def catch_up(app: Flask, now: datetime | None = None) -> list[str]:
    """Run each missed job once; returns their ids. Failures are logged and recorded by
    run_job and stop nothing."""
    log_to_standard_output()
    now = now or clock.utcnow()
    missed = missed_runs(app, now)
    if not missed:
        log.info("catch-up: no scheduled run was missed")
        return []
    with app.app_context():
        today = today_for(app, now)
        fixed_date = bool(app.config.get("CASELOAD_TODAY"))
    for job_id, times in missed.items():
        days = tuple(sorted({clock.local_date(moment) for moment in times}))
        as_of = days[-1] if job_id in DUE_DAY_JOBS and not fixed_date else today
        log.info("catch-up: %s missed %d scheduled run(s) (%s); running it once for %s",
                 job_id, len(times), _listed(times), as_of)
        run_job(app, job_id, now, trigger="catch_up", as_of=as_of, missed_days=days)
    return list(missed)


def _listed(times: list[datetime]) -> str:
    shown = ", ".join(moment.astimezone(clock.ORGANISATION_TZ).strftime("%a %Y-%m-%d %H:%M")
                      for moment in times[-5:])
    return shown if len(times) <= 5 else f"..., {shown}"


__all__ = ["catch_up", "missed_jobs", "missed_runs"]
