"""Signals (norm breaches) and the norm settings an admin edits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base
from caseload.models.clients import Trajectory
from caseload.models.people import User

_OPEN = "resolved_at IS NULL AND acknowledged_at IS NULL"
# Resolved or acknowledged: the signals review's history (review/queries.history), written as
# its statement writes it, so both planners see that the partial indexes below serve it.
_CLOSED = "resolved_at IS NOT NULL OR acknowledged_at IS NOT NULL"


class Signal(Base):
    """A breach of an IPS norm. The unique key (norm, subject, anchor) makes evaluation
    idempotent: running it twice, or in two processes at once, stores each breach once."""

    __tablename__ = "signal"
    __table_args__ = (
        UniqueConstraint("norm", "subject_key", "anchor", name="uq_signal_key"),
        # The open signals per worker and norm within a team's clients (the weekly checklist),
        # read from the index alone (migrations 0032, 0037: SQLite needs the condition's
        # columns in the index to leave the table unread, though they are NULL in all of it).
        Index("ix_signal_open_worker", "worker_id", "norm", "trajectory_id", "resolved_at",
              "acknowledged_at", sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        # The open signals of a team's clients' trajectories, newest first (the signals
        # review's count and page keys), read from the index alone; the condition's columns
        # in it, so SQLite's planner sees it covers them (migration 0034).
        Index("ix_signal_open_trajectory", "trajectory_id", "anchor", "resolved_at",
              "acknowledged_at", sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        # The closed signals of a team's clients' trajectories and of its workers, by id (the
        # review's history, its last 50): read from the indexes alone, the team's own closed
        # signals only, where a read backwards through every signal stopped at the team's 50th
        # and read the whole table for a team with fewer (migration 0042).
        Index("ix_signal_closed_trajectory", "trajectory_id", "id", "resolved_at",
              "acknowledged_at", sqlite_where=text(_CLOSED), postgresql_where=text(_CLOSED)),
        Index("ix_signal_closed_worker", "worker_id", "trajectory_id", "id", "resolved_at",
              "acknowledged_at", sqlite_where=text(_CLOSED), postgresql_where=text(_CLOSED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    norm: Mapped[str] = mapped_column(String(40), index=True)
    # "t<trajectory id>", "t<trajectory id>p<placement id>" or "w<worker id>"
    subject_key: Mapped[str] = mapped_column(String(40))
    trajectory_id: Mapped[int | None] = mapped_column(
        ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"))
    anchor: Mapped[date] = mapped_column(Date)  # the period start or the anchor date
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    first_seen_on: Mapped[date] = mapped_column(Date)
    last_seen_on: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledgement_note: Mapped[str] = mapped_column(Text, default="")

    trajectory: Mapped[Trajectory | None] = relationship()
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.acknowledged_at is None


class NormSetting(Base):
    """An admin's override of a norm threshold; absent keys use the defaults in norms/settings.py."""

    __tablename__ = "norm_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
