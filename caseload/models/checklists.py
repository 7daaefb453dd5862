"""The coordinator's weekly checklist reviews (fidelity item 17 scores 5 only when the
coordinator reviews each worker's employer contacts weekly)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base
from caseload.models.people import User


class WeekReview(Base):
    """A team's week marked as reviewed."""

    __tablename__ = "week_review"
    __table_args__ = (UniqueConstraint("team_id", "week_start", name="uq_week_review_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")

    reviewed_by: Mapped[User] = relationship()


class WorkerWeekReview(Base):
    """One worker's line of a week's checklist, reviewed with a note."""

    __tablename__ = "worker_week_review"
    __table_args__ = (UniqueConstraint("team_id", "week_start", "worker_id",
                                       name="uq_worker_week_review_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")

    reviewed_by: Mapped[User] = relationship(foreign_keys=[reviewed_by_id])
