"""Login throttling: an account locks for a while after repeated failures, and an address
that fails very often is slowed down. Counts live in the database (LoginAttempt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from caseload import clock
from caseload.models import LoginAttempt

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Verdict:
    account_locked_until: datetime | None = None
    address_blocked: bool = False


def check(session, email: str, ip: str, now: datetime | None = None) -> Verdict:
    now = now or clock.utcnow()
    since = now - WINDOW
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(True))) or since
    failures = list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.email == email,
                                      LoginAttempt.success.is_(False),
                                      LoginAttempt.at > max(since, last_success))
        .order_by(LoginAttempt.at)))
    locked_until = None
    if len(failures) >= ACCOUNT_FAILURES:
        locked_until = failures[ACCOUNT_FAILURES - 1] + WINDOW
    address_failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.at > since))
    return Verdict(account_locked_until=locked_until,
                   address_blocked=address_failures >= ADDRESS_FAILURES)


def note(session, email: str, ip: str, success: bool) -> None:
    session.add(LoginAttempt(at=clock.utcnow(), email=email[:254], ip=ip[:64], success=success))
    session.commit()
