"""The scheduled jobs' records: the last successful run of each job (what catch-up reads) and a
log of every run (what the administrators' Jobs page and the operators read)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseload.models.base import Base, check_in

JOB_RUN_STATUSES = ("running", "ok", "failed")
# schedule: at its time; catch_up: missed while no scheduler ran; start: the outbox sender's
# first run at start; cli: `flask jobs run` by hand.
JOB_RUN_TRIGGERS = ("schedule", "catch_up", "start", "cli")
JOB_LOG_DAYS = 90  # runs older than this are pruned from the log


class JobRun(Base):
    """The last successful scheduled run of each job, so runs missed while no scheduler ran are
    caught up once. Written with an upsert: two schedulers recording the same job at once
    never collide on the key."""

    __tablename__ = "job_run"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column()
    last_as_of: Mapped[date] = mapped_column(Date)


class JobRunLog(Base):
    """One run of a scheduled job: when, for which day, how long, what it did, what went wrong,
    and which process ran it. A run that never finished (the process died) stays 'running'."""

    __tablename__ = "job_run_log"
    __table_args__ = (
        Index("ix_job_run_log_job_started_at", "job", "started_at"),
        CheckConstraint(check_in("status", JOB_RUN_STATUSES), name="status_known"),
        CheckConstraint(check_in("trigger", JOB_RUN_TRIGGERS), name="trigger_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    trigger: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="running")
    summary: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    runner: Mapped[str] = mapped_column(String(120), default="")  # host:pid

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
