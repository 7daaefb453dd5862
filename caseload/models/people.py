"""Teams, users (workers, coordinators, administrators) and their absences."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Numeric,
    String,
    Table,
    false,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from caseload.models.base import Base, DomainError, check_in
from caseload.models.vocab import CASELOAD_ROLES, DEFAULT_LANGUAGE, LANGUAGES, ROLES
from caseload.text_match import equals
from caseload.translating import lazy_gettext as _l

team_members = Table(
    "team_member",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset({
    "welkom123456", "wachtwoord123", "password1234", "123456789012", "qwertyuiop12",
    "welkomwelkom", "wachtwoord12", "passwordpassword", "iloveyou1234", "abcdefghijkl",
})


def password_hash_method() -> str:
    """scrypt in production; the test suite sets a cheap method (PASSWORD_HASH_METHOD), since
    hashing test passwords with scrypt took about two-thirds of the suite's time."""
    from flask import current_app, has_app_context
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


def password_problem(password: str, email: str = ""):
    """The reason a password is refused, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("A password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > 200:
        return _l("A password can have at most 200 characters.")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 5:
        return _l("This password is too easy to guess.")
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        return _l("A password may not contain your e-mail address.")
    return None


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    members: Mapped[list[User]] = relationship(
        secondary=team_members, back_populates="teams", order_by="User.name"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"

    @staticmethod
    def named(name: str):
        """SQL condition: a team of this name, ignoring case (text_match.equals: on SQLite a
        second "Team Ærø" met the unique index)."""
        return equals(Team.name, name)


class User(UserMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(check_in("role", ROLES), name="role_known"),
        CheckConstraint("fte >= 0 AND fte <= 1.5", name="fte_range"),
        CheckConstraint(check_in("language", LANGUAGES), name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="worker")
    fte: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(2), default=DEFAULT_LANGUAGE)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    # Part of the login session's id: changing it (on a password change) logs out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16),
                                               server_default="")
    # E-mail preferences (issue: digests, not a mail per event); all on by default.
    wants_worker_digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    wants_coordinator_digest: Mapped[bool] = mapped_column(Boolean, default=True,
                                                           server_default=true())
    wants_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Set when an administrator chose the password: the next login asks for a new one first.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    # Second factor (TOTP, RFC 6238): the shared secret once enrolment is confirmed (encrypted
    # with a key derived from SECRET_KEY), and the last time step accepted, so that a code
    # cannot be used twice (caseload/auth/two_factor.py).
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Single sign-on: the identity provider's stable subject ("sub"), stored at the first match.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    teams: Mapped[list[Team]] = relationship(
        secondary=team_members, back_populates="members", order_by="Team.name"
    )
    absences: Mapped[list[Absence]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Absence.from_date",
        foreign_keys="Absence.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return bool(self.active)

    def set_password(self, password: str) -> None:
        """Password policy: at least 12 characters, not a common password, not the e-mail
        address; scrypt hashing. A new password logs the user out of every other session."""
        problem = password_problem(password, self.email or "")
        if problem is not None:
            raise DomainError(problem, "password")
        self.password_hash = generate_password_hash(password, method=password_hash_method())
        self.session_token = secrets.token_hex(16)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the key of the server-side login
        session (caseload/auth/sessions.py), set on the user when that session starts."""
        return self.__dict__.get("login_key", "")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def team_ids(self) -> list[int]:
        return [team.id for team in self.teams]

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_hold_clients(self) -> bool:
        return self.role in CASELOAD_ROLES


class Absence(Base):
    """Leave or sickness: the weekly employer-contact norm is pro rata for these days."""

    __tablename__ = "absence"
    __table_args__ = (CheckConstraint("to_date >= from_date", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    # A colleague of the same team who covers: they get the absent worker's due contacts in
    # their digest and see the absent worker's clients marked on their caseload.
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="absences", foreign_keys=[user_id])
    cover: Mapped[User | None] = relationship(foreign_keys=[cover_id])

    def __init__(self, **kwargs):
        # Checked before the user relationship is set, which would add it to the session.
        start, end = kwargs.get("from_date"), kwargs.get("to_date")
        if start and end and end < start:
            raise DomainError(_l("The last day of an absence cannot be before its first day."),
                              "to_date")
        user, cover = kwargs.get("user"), kwargs.get("cover")
        if cover is not None and user is not None:
            if cover is user:
                raise DomainError(_l("Someone cannot cover their own absence."), "cover_id")
            if not set(cover.team_ids) & set(user.team_ids):
                raise DomainError(_l("The cover must be a colleague in the same team."),
                                  "cover_id")
        super().__init__(**kwargs)

    @classmethod
    def on(cls, as_of):
        """Condition on Absence: the worker is away on the day `as_of` (may be a bind
        parameter). An absence holds its first and its last day."""
        return (cls.from_date <= as_of) & (cls.to_date >= as_of)

    @classmethod
    def covered_by(cls, cover_id, as_of):
        """Condition on Absence: covered by `cover_id` on the day `as_of`."""
        return (cls.cover_id == cover_id) & cls.on(as_of)
