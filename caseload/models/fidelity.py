"""Fidelity self-assessments: a coordinator's scoring of the 25-item IPS scale for a team and
period, each item either taken from the logged data (computed) or judged by hand with a note."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base
from caseload.models.people import Team, User

ITEM_COUNT = 25


class FidelityAssessment(Base):
    __tablename__ = "fidelity_assessment"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    team: Mapped[Team] = relationship()
    created_by: Mapped[User] = relationship()
    items: Mapped[list[FidelityItemScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan",
        order_by="FidelityItemScore.item_number")

    @property
    def total(self) -> int:
        return sum(item.score for item in self.items)


class FidelityItemScore(Base):
    __tablename__ = "fidelity_item_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_number", name="uq_fidelity_item_score_item"),
        CheckConstraint(f"item_number >= 1 AND item_number <= {ITEM_COUNT}", name="item_range"),
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("fidelity_assessment.id", ondelete="CASCADE"), index=True)
    item_number: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    # True when the score is the one computed from the logged data, False when judged by hand.
    computed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[FidelityAssessment] = relationship(back_populates="items")
