"""Login attempts (throttling per account and per address), login sessions held on the server,
two-factor recovery codes and security keys. Kept in the database so every web worker sees the
same state."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from caseload.models.base import Base
from caseload.models.people import User


def digest(secret: str) -> str:
    """What the database keeps of a session key or recovery code: both are long random
    strings, so a plain SHA-256 suffices (no password-style stretching needed), and a copy of
    the database opens no session."""
    return hashlib.sha256(secret.encode()).hexdigest()


class LoginAttempt(Base):
    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)


class UserSession(Base):
    """One login. The session cookie holds only the random key (the database its digest);
    logging out, the idle timeout and the absolute lifetime end the row, so a copied cookie
    is refused afterwards. `user_token` is the user's session token at login: a password
    change elsewhere rotates that token and so ends this session too."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # The pending login (caseload/auth/steps.py) this session completed: each opens one session.
    login_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    user_token: Mapped[str] = mapped_column(String(64))
    via: Mapped[str] = mapped_column(String(10), default="password")  # password or sso
    created_at: Mapped[datetime] = mapped_column()
    last_seen_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    ip: Mapped[str] = mapped_column(String(64), default="")
    # The browser's User-Agent at login, so the user recognises the session on their sessions
    # page (Settings > Your sessions); cut to the column's length.
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A one-use code that stands in for the authenticator app (lost phone)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()


class SecurityKey(Base):
    """A WebAuthn credential (security key or passkey) that stands in for the app's code."""

    __tablename__ = "security_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)  # base64url
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(backref=backref("security_keys", order_by="SecurityKey.id",
                                                      cascade="all, delete-orphan"))
