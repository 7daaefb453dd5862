"""Planned appointments, outreach attempts and the private calendar feed of a worker.

An appointment is a plan, never a contact: the norms read only contacts, so planning one, or
marking it done, satisfies nothing until the contact itself is logged (the daily log, filled in
from the appointment). A no-show becomes an outreach attempt: documented (fidelity item 25),
never a contact for any norm.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, DomainError, check_in
from caseload.models.clients import Client
from caseload.models.employers import Employer
from caseload.models.people import User
from caseload.models.vocab import (
    APPOINTMENT_KINDS,
    APPOINTMENT_STATUSES,
    ATTEMPT_METHODS,
    CONTACT_MODES,
    PLACES,
)
from caseload.translating import lazy_gettext as _l

# How far ahead an appointment may be planned.
PLAN_AHEAD_DAYS = 366


class Appointment(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint(check_in("kind", APPOINTMENT_KINDS), name="kind_known"),
        CheckConstraint(check_in("mode", CONTACT_MODES), name="mode_known"),
        CheckConstraint(check_in("place", PLACES), name="place_known"),
        CheckConstraint(check_in("status", APPOINTMENT_STATUSES), name="status_known"),
        CheckConstraint("minutes > 0 AND minutes <= 720", name="minutes_range"),
        Index("ix_appointment_worker_starts", "worker_id", "starts_at"),
        Index("ix_appointment_client_starts", "client_id", "starts_at"),
        # Only an employer appointment may be general (job development, no client).
        CheckConstraint("client_id IS NOT NULL OR kind = 'employer'", name="client_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    kind: Mapped[str] = mapped_column(String(20), default="client")
    mode: Mapped[str] = mapped_column(String(20), default="face_to_face")
    place: Mapped[str] = mapped_column(String(20), default="community")
    # Where (an address, "the library"): shown in the calendar feed, never a note.
    location: Mapped[str] = mapped_column(String(160), default="")
    starts_at: Mapped[datetime] = mapped_column()
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    # A moved appointment keeps its row (status "moved") and points to its replacement.
    moved_to_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    worker: Mapped[User] = relationship()
    client: Mapped[Client | None] = relationship()
    employer: Mapped[Employer | None] = relationship()

    @property
    def is_planned(self) -> bool:
        return self.status == "planned"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @classmethod
    def plan(cls, *, worker: User, client: Client | None, starts_at: datetime, today: date,
             kind: str = "client", mode: str = "face_to_face", place: str = "community",
             location: str = "", minutes: int = 60, employer: Employer | None = None,
             ) -> Appointment:
        from caseload.clock import local_date
        if kind not in APPOINTMENT_KINDS:
            raise DomainError(_l("Unknown kind of appointment."), "kind")
        if kind == "employer" and employer is None:
            raise DomainError(_l("Name the employer of an employer appointment."), "employer")
        if not 0 < minutes <= 720:
            raise DomainError(_l("Between 1 and 720 minutes."), "minutes")
        if client is None and kind != "employer":
            raise DomainError(_l("Choose the client of this appointment."), "client_id")
        if client is not None and client.team_id not in worker.team_ids:
            raise DomainError(_l("The worker is not a member of this client's team."), "client_id")
        day = local_date(starts_at)
        if day < today:
            raise DomainError(_l("An appointment cannot be planned in the past."), "starts_on")
        if (day - today).days > PLAN_AHEAD_DAYS:
            raise DomainError(_l("This date is too far in the future."), "starts_on")
        return cls(worker=worker, client=client, employer=employer, kind=kind, mode=mode,
                   place=place, location=(location or "").strip(), starts_at=starts_at,
                   minutes=minutes)

    def _check_planned(self) -> None:
        if not self.is_planned:
            raise DomainError(_l("This appointment is no longer planned."), "status")

    def mark_done(self, *, today: date) -> None:
        """Done: the contact itself is logged through the daily log (filled in from here)."""
        from caseload.clock import local_date
        self._check_planned()
        if local_date(self.starts_at) > today:
            raise DomainError(_l("An appointment can only be done on or after its day."),
                              "status")
        self.status = "done"

    def mark_no_show(self, *, by: User, today: date) -> OutreachAttempt:
        """The client did not come: an outreach attempt, never a contact."""
        from caseload.clock import local_date
        self._check_planned()
        if self.client is None:
            raise DomainError(_l("A general employer appointment has no client to miss it."),
                              "status")
        day = local_date(self.starts_at)
        if day > today:
            raise DomainError(_l("A no-show can only be recorded on or after the day."), "status")
        self.status = "no_show"
        return OutreachAttempt(client=self.client, worker=by, attempted_on=day,
                               method="no_show", appointment=self)

    def move(self, *, starts_at: datetime, today: date) -> Appointment:
        """A new appointment at the new time; this one stays as "moved", pointing to it."""
        self._check_planned()
        new = Appointment.plan(worker=self.worker, client=self.client, starts_at=starts_at,
                               today=today, kind=self.kind, mode=self.mode, place=self.place,
                               location=self.location, minutes=self.minutes,
                               employer=self.employer)
        self.status = "moved"
        self.moved_to = new
        return new

    moved_to: Mapped[Appointment | None] = relationship(remote_side=[id])


class OutreachAttempt(Base):
    """An attempt to reach a client that did not become a contact: a no-show, an unanswered
    call, a message left, a home visit with nobody in. Fidelity item 25 asks that they are
    documented; no norm counts them as a contact."""

    __tablename__ = "outreach_attempt"
    __table_args__ = (
        CheckConstraint(check_in("method", ATTEMPT_METHODS), name="method_known"),
        Index("ix_outreach_attempt_client_on", "client_id", "attempted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    attempted_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), unique=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    client: Mapped[Client] = relationship()
    worker: Mapped[User] = relationship()
    appointment: Mapped[Appointment | None] = relationship()

    @classmethod
    def log(cls, *, client: Client, worker: User, attempted_on: date, method: str, today: date,
            note: str = "") -> OutreachAttempt:
        if attempted_on > today:
            raise DomainError(_l("An attempt cannot be logged in the future."), "attempted_on")
        if method not in ATTEMPT_METHODS:
            raise DomainError(_l("Unknown kind of attempt."), "method")
        return cls(client=client, worker=worker, attempted_on=attempted_on, method=method,
                   note=(note or "").strip())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(Base):
    """A worker's private iCalendar feed. Only a hash of the secret is stored: the URL is shown
    once, when it is made; renewing replaces the hash, so the old URL stops working."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    user: Mapped[User] = relationship()

    def renew(self) -> str:
        """A new secret; returns it (the only time it is readable)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _digest(token)
        return token

    @staticmethod
    def hash_of(token: str) -> str:
        return _digest(token)
