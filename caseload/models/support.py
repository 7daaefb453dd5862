"""Disclosure discussions (fidelity item 13) and benefits plans (item 12)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, check_in
from caseload.models.clients import Client
from caseload.models.people import User
from caseload.models.vocab import DISCLOSURE_DECISIONS


class DisclosureDiscussion(Base):
    __tablename__ = "disclosure_discussion"
    __table_args__ = (CheckConstraint(check_in("decision", DISCLOSURE_DECISIONS),
                                      name="decision_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    discussed_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20), default="not_yet")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    client: Mapped[Client] = relationship()
    worker: Mapped[User] = relationship()


class BenefitsPlan(Base):
    __tablename__ = "benefits_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    offered_on: Mapped[date] = mapped_column(Date)
    by_benefits_specialist: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    client: Mapped[Client] = relationship()
    offered_by: Mapped[User] = relationship()
