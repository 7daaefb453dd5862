"""Form drafts: what a user sent after their session had ended, kept on the server until they
log in again (caseload/drafts.py). Health data, so never in the browser, and short-lived."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseload.models.base import Base


class FormDraft(Base):
    __tablename__ = "form_draft"
    __table_args__ = (Index("ix_form_draft_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # The endpoint the form was sent to and its URL arguments (JSON), e.g. clients.change_phase
    # with {"client_id": 5}: which form to fill in again, and where.
    endpoint: Mapped[str] = mapped_column(String(80))
    view_args: Mapped[str] = mapped_column(Text, default="{}")
    # The submitted fields as a JSON list of [name, value] pairs (repeated names kept), without
    # the CSRF token.
    fields: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @property
    def arguments(self) -> dict:
        return json.loads(self.view_args or "{}")

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [tuple(pair) for pair in json.loads(self.fields)]
