"""What the scheduler runs, and when: one list, read by the scheduler, the catch-up, the CLI and
the administrators' Jobs page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, NamedTuple

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from caseload.clock import ORGANISATION_TZ

SEND_INTERVAL_MINUTES = 5
SEND_OUTBOX = "send_outbox"

# Jobs whose output depends on the day they were due: caught up, they run once for the last
# day they were due (Friday's digests on Saturday), not for today. The others judge all history
# whatever the day, and run for today.
DUE_DAY_JOBS = frozenset({"worker_digests", "coordinator_digests"})


@dataclass(frozen=True)
class RunContext:
    """What one run is for. `missed_days`: when catching up, the calendar days (Amsterdam) of
    the scheduled times that were missed, oldest first; empty for a run on time."""

    as_of: date
    now: datetime
    missed_days: tuple[date, ...] = field(default=())


class JobDefinition(NamedTuple):
    id: str
    function: Callable
    trigger: CronTrigger


def job_definitions() -> list[JobDefinition]:
    """The dated jobs. Early morning, in the organisation's time zone."""
    from caseload.drafts import expire_drafts
    from caseload.jobs.log_jobs import purge_access_log
    from caseload.jobs.mail_jobs import queue_coordinator_digests, queue_worker_digests
    from caseload.jobs.norm_jobs import daily_evaluation, weekly_employer_contacts
    from caseload.jobs.privacy_jobs import erase_expired_clients
    return [
        JobDefinition("daily_evaluation", daily_evaluation,
                      CronTrigger(hour=6, minute=0, timezone=ORGANISATION_TZ)),
        JobDefinition("weekly_employer_contacts", weekly_employer_contacts,
                      CronTrigger(day_of_week="mon", hour=6, minute=15, timezone=ORGANISATION_TZ)),
        JobDefinition("worker_digests", queue_worker_digests,
                      CronTrigger(day_of_week="mon-fri", hour=7, minute=0,
                                  timezone=ORGANISATION_TZ)),
        JobDefinition("coordinator_digests", queue_coordinator_digests,
                      CronTrigger(day_of_week="mon", hour=7, minute=30, timezone=ORGANISATION_TZ)),
        JobDefinition("retention_erasure", erase_expired_clients,
                      CronTrigger(hour=3, minute=0, timezone=ORGANISATION_TZ)),
        # Cleanup only: an expired form draft is never offered, whenever this runs.
        JobDefinition("expire_drafts", expire_drafts,
                      CronTrigger(hour=3, minute=30, timezone=ORGANISATION_TZ)),
        JobDefinition("access_log_retention", purge_access_log,
                      CronTrigger(hour=3, minute=30, timezone=ORGANISATION_TZ)),
    ]


def send_outbox_definition() -> JobDefinition:
    """Deliver queued mail every few minutes; never caught up (the next run is soon anyway)."""
    from caseload.jobs.mail_jobs import send_outbox
    return JobDefinition(SEND_OUTBOX, send_outbox,
                         IntervalTrigger(minutes=SEND_INTERVAL_MINUTES, timezone=ORGANISATION_TZ))


def all_jobs() -> list[JobDefinition]:
    return [*job_definitions(), send_outbox_definition()]


def call(definition: JobDefinition, context: RunContext):
    """Run a job's function with what it needs from the run's context."""
    if definition.id == SEND_OUTBOX:
        return definition.function(context.now)
    if definition.id == "daily_evaluation":
        return definition.function(context.as_of,
                                   missed_since=min(context.missed_days, default=None))
    return definition.function(context.as_of)
