"""Login throttling: an account locks for a while after repeated failures, and an address
that fails very often is slowed down. Counts live in the database (LoginAttempt).

Atomic under parallel requests: an attempt is written (as a failure) and committed *before*
its password is checked, and then the failures are counted. Of n attempts sent at once, the
one committed k-th sees at least k-1 others, so no more than ACCOUNT_FAILURES passwords are
ever checked, however many requests race. A successful check turns its row into a success."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from caseload import clock
from caseload.models import LoginAttempt

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30
WINDOW = timedelta(minutes=15)
KEEP_ATTEMPTS = timedelta(days=1)


@dataclass(frozen=True)
class Verdict:
    account_locked_until: datetime | None = None
    address_blocked: bool = False
    attempt_id: int | None = None

    @property
    def refused(self) -> bool:
        return self.address_blocked or self.account_locked_until is not None


def check(session, email: str, ip: str, now: datetime | None = None,
          exclude_id: int | None = None) -> Verdict:
    now = now or clock.utcnow()
    since = now - WINDOW
    # Failures after the last success (by id: several attempts can share a timestamp).
    last_success = session.scalar(select(func.max(LoginAttempt.id)).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(True))) or 0
    failures = list(session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.email == email,
                                      LoginAttempt.success.is_(False),
                                      LoginAttempt.id != (exclude_id or -1),
                                      LoginAttempt.id > last_success,
                                      LoginAttempt.at > since)
        .order_by(LoginAttempt.at)))
    locked_until = None
    if len(failures) >= ACCOUNT_FAILURES:
        locked_until = failures[ACCOUNT_FAILURES - 1] + WINDOW
    address_failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.ip == ip, LoginAttempt.success.is_(False),
        LoginAttempt.id != (exclude_id or -1), LoginAttempt.at > since))
    return Verdict(account_locked_until=locked_until,
                   address_blocked=address_failures >= ADDRESS_FAILURES)


def begin(session, email: str, ip: str) -> Verdict:
    """Reserve an attempt, then decide. A refused attempt leaves no row (a locked account's
    lock is not extended by more tries); an allowed one must be settled by finish()."""
    now = clock.utcnow()
    # Attempts older than a day count for nothing; drop this account's (the index on email, at).
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email[:254],
                                               LoginAttempt.at < now - KEEP_ATTEMPTS))
    attempt = LoginAttempt(at=now, email=email[:254], ip=ip[:64], success=False)
    session.add(attempt)
    session.commit()
    verdict = check(session, email[:254], ip[:64], exclude_id=attempt.id)
    if verdict.refused:
        session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
        session.commit()
        return verdict
    return Verdict(attempt_id=attempt.id)


def finish(session, verdict: Verdict, success: bool) -> None:
    if success and verdict.attempt_id is not None:
        session.execute(update(LoginAttempt).where(LoginAttempt.id == verdict.attempt_id)
                        .values(success=True))
        session.commit()


def note(session, email: str, ip: str, success: bool) -> None:
    session.add(LoginAttempt(at=clock.utcnow(), email=email[:254], ip=ip[:64], success=success))
    session.commit()
