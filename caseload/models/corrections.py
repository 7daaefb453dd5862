"""Corrections with history: every edit or deletion of a recorded contact, placement,
disclosure discussion or benefits plan keeps the version before it, who changed it, when and
why. The records themselves hold the current truth (the norms read only them); this table is
what the client page shows as earlier versions and deleted records."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, check_in
from caseload.models.people import User

RECORD_TYPES = ("contact", "placement", "disclosure", "benefits_plan")
CORRECTION_ACTIONS = ("edit", "delete")


class RecordVersion(Base):
    __tablename__ = "record_version"
    __table_args__ = (
        CheckConstraint(check_in("record_type", RECORD_TYPES), name="record_type_known"),
        CheckConstraint(check_in("action", CORRECTION_ACTIONS), name="action_known"),
        Index("ix_record_version_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(20))
    # No foreign key: a deleted record's history outlives it.
    record_id: Mapped[int] = mapped_column(Integer)
    # NULL for a general employer contact (no client); the history then goes with the worker.
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True)
    # The values before the change, as JSON (dates as ISO text, ids as numbers).
    data: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column()

    changed_by: Mapped[User | None] = relationship()

    @property
    def values(self) -> dict:
        return json.loads(self.data)
