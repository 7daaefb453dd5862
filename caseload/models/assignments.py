"""Who is a trajectory's worker, and since when: the history of its workers.

A trajectory has one responsible worker at a time, or none while it waits on its team's
"to be assigned" list (a leaver's client no colleague has taken on yet). Each period is a row
[from_date, until): the worker held the trajectory from from_date up to the day before until;
the open row (until NULL) is the current one. `Trajectory.worker_id` repeats the open row's
worker so that the pages and norms that ask "whose client now" need no join; only
`Trajectory.assign` writes either of them.

Figures about the past (the weekly checklist, the job seekers of a week, the caseload on a day)
ask `responsible_on(day)` instead, so a transfer on Wednesday does not move last week's figures.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, and_, func, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base
from caseload.models.people import Team, User


class TrajectoryAssignment(Base):
    __tablename__ = "trajectory_assignment"
    __table_args__ = (
        CheckConstraint("until IS NULL OR until >= from_date", name="period_order"),
        # At most one current (open) period per trajectory, enforced by the database.
        Index("uq_trajectory_assignment_one_current", "trajectory_id", unique=True,
              sqlite_where=text("until IS NULL"), postgresql_where=text("until IS NULL")),
        Index("ix_trajectory_assignment_trajectory_from", "trajectory_id", "from_date"),
        # A worker's periods from a date on; until and trajectory_id make it covering for the
        # periods a worker held on a day (the week's job seekers: migration 0037).
        Index("ix_trajectory_assignment_worker_from", "worker_id", "from_date", "until",
              "trajectory_id"),
        # The teams' history (outcomes per worker, the checklist): a team's periods, not
        # every worker's (migration 0029), with their worker and dates, so that the checklist's
        # periods held in a week are read from the index alone (migration 0043).
        Index("ix_trajectory_assignment_team_trajectory", "team_id", "trajectory_id",
              "worker_id", "from_date", "until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    # NULL: on the team's "to be assigned" list.
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The client's team during this period (a client moved to another team starts a new one).
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    from_date: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # Why this period began: start (program entry), transfer, team_move, release (the worker
    # left the team or the organisation), import.
    reason: Mapped[str] = mapped_column(String(20), default="transfer")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    team: Mapped[Team] = relationship()
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


def covers(day) -> object:
    """SQL condition: the assignment period includes `day` (a date or a date column)."""
    return and_(TrajectoryAssignment.from_date <= day,
                or_(TrajectoryAssignment.until.is_(None), TrajectoryAssignment.until > day))
