"""What the administrators' Jobs page shows: per job its last run, next run and failures, and
the latest runs; a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from caseload.clock import ORGANISATION_TZ
from caseload.jobs.definitions import SEND_INTERVAL_MINUTES, SEND_OUTBOX, JobDefinition, all_jobs
from caseload.models import JobRun, JobRunLog

FAILURE_WINDOW = timedelta(days=30)


@dataclass
class JobStatus:
    definition: JobDefinition
    last_run: JobRunLog | None
    last_done: JobRun | None     # the last successful scheduled run (what catch-up reads)
    next_run: datetime | None    # None for the outbox sender: it runs every few minutes
    failures: int                # failed runs within FAILURE_WINDOW
    last_failure: JobRunLog | None

    @property
    def id(self) -> str:
        return self.definition.id


def _latest(session, *conditions) -> dict[str, JobRunLog]:
    ids = select(func.max(JobRunLog.id)).where(*conditions).group_by(JobRunLog.job)
    return {run.job: run for run in session.scalars(select(JobRunLog).where(JobRunLog.id.in_(ids)))}


def job_overview(session, now: datetime) -> list[JobStatus]:
    latest = _latest(session)
    failed = _latest(session, JobRunLog.status == "failed")
    counts = dict(session.execute(
        select(JobRunLog.job, func.count()).where(JobRunLog.status == "failed",
                                                  JobRunLog.started_at >= now - FAILURE_WINDOW)
        .group_by(JobRunLog.job)).all())
    done = {run.job: run for run in session.scalars(select(JobRun))}
    local_now = now.astimezone(ORGANISATION_TZ)
    return [JobStatus(
        definition=definition, last_run=latest.get(definition.id),
        last_done=done.get(definition.id),
        next_run=None if definition.id == SEND_OUTBOX
        else definition.trigger.get_next_fire_time(None, local_now),
        failures=counts.get(definition.id, 0), last_failure=failed.get(definition.id))
        for definition in all_jobs()]


def recent_runs(session, limit: int = 50) -> list[JobRunLog]:
    return list(session.scalars(select(JobRunLog).order_by(JobRunLog.id.desc()).limit(limit)))


def scheduler_seems_down(statuses: list[JobStatus], now: datetime) -> bool:
    """The outbox sender runs every few minutes in whichever process holds the lock: no run for
    three intervals means no scheduler is running."""
    sender = next(s for s in statuses if s.id == SEND_OUTBOX)
    return sender.last_run is None or \
        sender.last_run.started_at < now - 3 * timedelta(minutes=SEND_INTERVAL_MINUTES)
