"""Placements: a client's job (or education). Not "Job": caseload/jobs/ holds scheduled jobs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, DomainError, check_in
from caseload.models.clients import Trajectory
from caseload.models.employers import Employer
from caseload.models.vocab import CONTRACTS, PLACEMENT_END_REASONS, PLACEMENT_TYPES
from caseload.translating import lazy_gettext as _l


class Placement(Base):
    __tablename__ = "placement"
    # The largest amounts the columns and their checks hold: the forms and the import say so.
    MOST_HOURS_PER_WEEK = Decimal(60)
    MOST_HOURLY_WAGE = Decimal("999.99")
    __table_args__ = (
        CheckConstraint(check_in("contract", CONTRACTS), name="contract_known"),
        CheckConstraint(check_in("placement_type", PLACEMENT_TYPES), name="type_known"),
        CheckConstraint(check_in("end_reason", PLACEMENT_END_REASONS), name="end_reason_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        # Placement.finish and .correct refuse a reason without a date; so does the database.
        CheckConstraint("end_reason IS NULL OR end_date IS NOT NULL", name="end_reason_dated"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 60", name="hours_range"),
        CheckConstraint("hourly_wage IS NULL OR (hourly_wage >= 0 AND hourly_wage < 1000)",
                        name="wage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    job_title: Mapped[str] = mapped_column(String(160))
    job_type: Mapped[str] = mapped_column(String(120), default="")
    placement_type: Mapped[str] = mapped_column(String(30), default="paid_job")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    contract: Mapped[str] = mapped_column(String(20), default="temporary_lt6m")
    competitive: Mapped[bool] = mapped_column(Boolean, default=True)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Who entered it: that worker (and the team's coordinator) may correct it.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    trajectory: Mapped[Trajectory] = relationship()
    employer: Mapped[Employer] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def start(cls, *, trajectory: Trajectory, employer: Employer, job_title: str,
              start_date: date, hours_per_week: Decimal, today: date, **details) -> Placement:
        if not trajectory.is_open:
            raise DomainError(_l("A placement can only start in an open trajectory."), "start_date")
        if start_date < trajectory.program_entry_date:
            raise DomainError(_l("A placement cannot start before program entry."), "start_date")
        # A start up to two weeks ahead may be recorded: the week before a start matters (item 23).
        if (start_date - today).days > 14:
            raise DomainError(_l("A placement can be recorded at most 14 days before it starts."),
                              "start_date")
        if not job_title.strip():
            raise DomainError(_l("Enter the job title."), "job_title")
        if details.get("placement_type") not in (None, "paid_job", "paid_job_subsidised"):
            details["competitive"] = False  # only paid jobs count as competitive (domain.md)
        return cls(trajectory=trajectory, employer=employer, job_title=job_title.strip(),
                   start_date=start_date, hours_per_week=hours_per_week, **details)

    def finish(self, *, on: date, reason: str, today: date) -> None:
        if self.end_date is not None:
            raise DomainError(_l("This placement has already ended."), "end_date")
        if reason not in PLACEMENT_END_REASONS:
            raise DomainError(_l("Choose one of the listed end reasons."), "end_reason")
        if on > today:
            raise DomainError(_l("The end date cannot be in the future."), "end_date")
        if on < self.start_date:
            raise DomainError(_l("A placement cannot end before it started."), "end_date")
        self.end_date = on
        self.end_reason = reason

    def correct(self, *, today: date, start_date: date, end_date: date | None,
                end_reason: str | None, job_title: str, **details) -> None:
        """Put right what was recorded (dates, job, end), under the rules of start and finish."""
        end_reason = end_reason or None  # the form's empty choice is no reason
        if start_date < self.trajectory.program_entry_date:
            raise DomainError(_l("A placement cannot start before program entry."), "start_date")
        if (start_date - today).days > 14:
            raise DomainError(_l("A placement can be recorded at most 14 days before it starts."),
                              "start_date")
        if not (job_title or "").strip():
            raise DomainError(_l("Enter the job title."), "job_title")
        if end_date is not None:
            if end_date > today:
                raise DomainError(_l("The end date cannot be in the future."), "end_date")
            if end_date < start_date:
                raise DomainError(_l("A placement cannot end before it started."), "end_date")
            if end_reason not in PLACEMENT_END_REASONS:
                raise DomainError(_l("Choose one of the listed end reasons."), "end_reason")
        elif end_reason:
            # A reason without the date would be dropped: the worker meant the job to end.
            raise DomainError(_l("Enter the end date when you choose an end reason."), "end_date")
        if details.get("placement_type") not in (None, "paid_job", "paid_job_subsidised"):
            details["competitive"] = False
        self.start_date, self.end_date, self.end_reason = start_date, end_date, end_reason
        self.job_title = job_title.strip()
        for name, value in details.items():
            setattr(self, name, value)


def follow_placement(trajectory: Trajectory, phase: str, *, on: date, by, today: date):
    """Move the trajectory to `phase` because a placement started (coaching) or ended (job
    finding): dated on the placement's day, but never before the last phase change nor in the
    future. Nothing happens when the client is already in that phase."""
    if not trajectory.is_open or trajectory.current_phase == phase:
        return None
    last = trajectory.phase_changes[-1].changed_on if trajectory.phase_changes else on
    return trajectory.change_phase(phase, on=min(max(on, last), today), by=by, today=today)
