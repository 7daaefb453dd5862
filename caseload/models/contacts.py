"""The daily contact log: contacts with clients, employers, treatment teams and others."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base, DomainError, check_in
from caseload.models.clients import Client
from caseload.models.employers import Employer
from caseload.models.people import User
from caseload.models.vocab import CONTACT_KINDS, CONTACT_MODES, PLACES
from caseload.translating import lazy_gettext as _l

# (name, columns, condition) of the partial contact indexes; migrations 0014, 0020, 0024 and 0029
# create the same. The date comes right after the client: PostgreSQL drops a partial index's own
# condition (kind = 'client') from the index condition, so with kind and mode between client
# and date it could not seek to the date and scanned all the client's contacts for every window
# (bench/README.md, "The norm engine at national size").
PARTIAL_INDEXES = (
    ("ix_contact_client_f2f", ("client_id", "contact_date", "kind", "mode"),
     "kind = 'client' AND mode = 'face_to_face'"),
    ("ix_contact_employer_f2f_client", ("client_id", "contact_date", "kind", "mode"),
     "kind = 'employer' AND mode = 'face_to_face'"),
    ("ix_contact_employer_f2f_week", ("contact_date", "worker_id"),
     "kind IN ('employer', 'education') AND mode = 'face_to_face'"),
    # The outcomes' weekly series: a team's workers over a period (migrations 0024, 0029).
    ("ix_contact_employer_f2f_worker", ("worker_id", "contact_date", "kind", "mode"),
     "kind IN ('employer', 'education') AND mode = 'face_to_face'"),
)

# Kinds that are always about one client; employer contacts may be general (no client).
KINDS_NEEDING_CLIENT = ("client", "treatment_team", "family")


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (
        CheckConstraint(check_in("kind", CONTACT_KINDS), name="kind_known"),
        CheckConstraint(check_in("mode", CONTACT_MODES), name="mode_known"),
        CheckConstraint(check_in("place", PLACES), name="place_known"),
        CheckConstraint("minutes >= 0 AND minutes <= 720", name="minutes_range"),
        CheckConstraint("kind <> 'employer' OR employer_id IS NOT NULL", name="employer_named"),
        CheckConstraint(
            f"kind NOT IN ({', '.join(repr(k) for k in KINDS_NEEDING_CLIENT)}) "
            "OR client_id IS NOT NULL", name="client_named"),
        # The norms look contacts up by client and date, and by worker and date.
        Index("ix_contact_client_kind_date", "client_id", "kind", "contact_date"),
        # The client page's contacts, newest first, a page at a time (migration 0027).
        Index("ix_contact_client_date", "client_id", "contact_date", "id"),
        Index("ix_contact_worker_date", "worker_id", "contact_date"),
        # The contacts with an employer (5 %), by employer and date; client and worker make it
        # covering for the employer register's counts by team (migration 0027).
        Index("ix_contact_employer_date_who", "employer_id", "contact_date", "client_id",
              "worker_id", sqlite_where=text("employer_id IS NOT NULL"),
              postgresql_where=text("employer_id IS NOT NULL")),
        # Partial indexes of the contacts the norms count (bench/README.md, "Indexes"): the
        # face-to-face client contacts (follow-along), the face-to-face employer contacts per
        # client (rapid job search) and per week (the weekly employer-contact count). A
        # planner uses one only where the query names the same constants (norms.sql.written);
        # kind and mode are repeated as (trailing) columns so that SQLite, which has no
        # statistics, finds these covering and prefers them over ix_contact_client_kind_date.
        *(Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))
          for name, columns, where in PARTIAL_INDEXES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_date: Mapped[date] = mapped_column(Date)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20), default="face_to_face")
    place: Mapped[str] = mapped_column(String(20), default="community")
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    client_present: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    worker: Mapped[User] = relationship()
    client: Mapped[Client | None] = relationship()
    employer: Mapped[Employer | None] = relationship()

    @classmethod
    def log(cls, *, contact_date: date, today: date, worker: User, kind: str, mode: str,
            place: str, minutes: int, client: Client | None = None,
            employer: Employer | None = None, client_present: bool = False,
            note: str = "") -> Contact:
        """Build a contact after checking the rules a form or an import must both respect."""
        if contact_date > today:
            raise DomainError(_l("A contact cannot be logged in the future."), "contact_date")
        if kind not in CONTACT_KINDS:
            raise DomainError(_l("Unknown kind of contact."), "kind")
        if mode not in CONTACT_MODES:
            raise DomainError(_l("Unknown mode of contact."), "mode")
        if place not in PLACES:
            raise DomainError(_l("Unknown place."), "place")
        if not 0 <= minutes <= 720:
            raise DomainError(_l("Minutes must be between 0 and 720."), "minutes")
        if kind == "employer" and employer is None:
            raise DomainError(_l("Name the employer of an employer contact."), "employer")
        if kind in KINDS_NEEDING_CLIENT and client is None:
            raise DomainError(_l("Choose the client this contact was about."), "client")
        if kind == "client":
            client_present = True
        return cls(contact_date=contact_date, worker=worker, kind=kind, mode=mode, place=place,
                   minutes=minutes, client=client, employer=employer,
                   client_present=client_present, note=note or "")

    def correct(self, *, today: date, contact_date: date, kind: str, mode: str, place: str,
                minutes: int, employer: Employer | None, note: str) -> None:
        """Change what was recorded, under the same rules as logging it (the client stays:
        a contact about the wrong client is deleted and logged again)."""
        checked = Contact.log(contact_date=contact_date, today=today, worker=self.worker,
                              kind=kind, mode=mode, place=place, minutes=minutes,
                              client=self.client, employer=employer, note=note)
        for name in ("contact_date", "kind", "mode", "place", "minutes", "employer",
                     "client_present", "note"):
            setattr(self, name, getattr(checked, name))
