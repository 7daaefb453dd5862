"""Employers: the job development log of an employer is the list of its contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseload.models.base import Base
from caseload.text_match import equals
from caseload.text_match import escaped as like_text


class Employer(Base):
    __tablename__ = "employer"
    # same_name looks an employer up by lower(name): every employer line of a daily log does.
    # (text, not func.lower("name"): that indexes the constant 'name', not the column)
    __table_args__ = (Index("ix_employer_name_lower", text("lower(name)")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    sector: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    changes: Mapped[list[EmployerChange]] = relationship(
        order_by="EmployerChange.id.desc()", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Employer {self.name}>"

    EDITABLE = ("name", "sector", "place", "contact_person")

    def change(self, by, **values) -> list[EmployerChange]:
        """Set the employer's details; every changed field is kept as a change (who, when, old
        and new value), since the register is shared by every team."""
        changes = []
        for field, new in values.items():
            if field not in self.EDITABLE:
                raise ValueError(field)
            new = new or ""
            old = getattr(self, field) or ""
            if old != new:
                changes.append(EmployerChange(field=field, old_value=old, new_value=new,
                                              changed_by=by))
                setattr(self, field, new)
        self.changes.extend(changes)
        return changes


class EmployerChange(Base):
    """One changed field of an employer's details."""

    __tablename__ = "employer_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"),
                                             index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(server_default=func.now())

    changed_by = relationship("User")



def same_name(name: str):
    """SQL condition: an employer with this name, ignoring case. SQLite's lower() folds ASCII
    only, so the exact name is matched too (else "Ølstad" would not find "Ølstad")."""
    return equals(Employer.name, name)


def match_patterns(text: str) -> dict[str, str]:
    """The values of MATCHING's bind parameters for a search text. % and _ are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"match_lower": f"%{escaped.lower()}%", "match_typed": f"%{escaped}%"}


def _matching():
    from sqlalchemy import bindparam, or_
    lower, typed = bindparam("match_lower", type_=String), bindparam("match_typed", type_=String)
    return or_(*(condition for column in (Employer.name, Employer.place) for condition in (
        func.lower(column).like(lower, escape="\\"), column.like(typed, escape="\\"))))


# SQL condition: the name or the place holds the search text, ignoring case (as same_name:
# SQLite's lower() folds ASCII only, so the text as typed is tried too); its patterns bound
# (match_patterns), so that a statement using it is built once per process.
MATCHING = _matching()


def find_employer(session, name: str) -> Employer | None:
    from sqlalchemy import select
    return session.scalar(select(Employer).where(same_name(" ".join(name.split()))).limit(1))


def find_or_create_employer(session, name: str) -> Employer:
    """Match an employer by name (case and surrounding spaces ignored); create it when new."""
    from sqlalchemy import select

    from caseload.upsert import insert_or_ignore
    clean = " ".join(name.split())
    found = select(Employer).where(same_name(clean)).limit(1)
    employer = session.scalar(found)
    if employer is None:
        # Two workers may type the same new employer at once: the insert yields to the one
        # that got there first (no savepoint: pysqlite's savepoints would commit the request's
        # transaction), and both then use the same row.
        session.execute(insert_or_ignore(session, Employer, on=["name"]).values(
            name=clean, sector="", place="", contact_person=""))
        employer = session.scalar(found)
    return employer


def names_matching(session, text: str, limit: int) -> list[str]:
    """Up to `limit` employer names containing `text` (case ignored; on SQLite for ASCII
    letters only, as its lower() and LIKE), those starting with it first, then by name."""
    from sqlalchemy import case, select
    clean = " ".join(text.split()).lower()
    if not clean:
        return []
    escaped = like_text(clean)
    name = func.lower(Employer.name)
    starts = case((name.like(escaped + "%", escape="\\"), 0), else_=1)
    return list(session.scalars(
        select(Employer.name).where(name.like("%" + escaped + "%", escape="\\"))
        .order_by(starts, Employer.name).limit(limit)))
