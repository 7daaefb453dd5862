"""Employers: the job development log of an employer is the list of its contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, func
from sqlalchemy.orm import Mapped, mapped_column

from caseload.models.base import Base


class Employer(Base):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    sector: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<Employer {self.name}>"


def same_name(name: str):
    """SQL condition: an employer with this name, ignoring case. SQLite's lower() folds ASCII
    only, so the exact name is matched too (else "Ølstad" would not find "Ølstad")."""
    from sqlalchemy import func, or_
    return or_(Employer.name == name, func.lower(Employer.name) == name.lower())


def find_or_create_employer(session, name: str) -> Employer:
    """Match an employer by name (case and surrounding spaces ignored); create it when new."""
    from sqlalchemy import select
    clean = " ".join(name.split())
    employer = session.scalar(select(Employer).where(same_name(clean)).limit(1))
    if employer is None:
        employer = Employer(name=clean)
        session.add(employer)
    return employer
