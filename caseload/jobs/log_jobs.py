"""The access log's retention: entries older than CASELOAD_ACCESS_LOG_RETENTION_DAYS (default
5 years) are deleted by the nightly `access_log_retention` job.

The access log is append-only in the database; its DELETE trigger lets through only rows older
than the newest cutoff in `log_purge`. So the job first writes its purge record (cutoff, count,
retention; append-only too, so the purges themselves stay on record), then deletes, in one
transaction: nothing else in the application writes `log_purge`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError

from caseload import clock
from caseload.extensions import db
from caseload.logs.filters import local_midnight
from caseload.models import AccessLogEntry, LogPurge
from caseload.unit_of_work import unit_of_work

# A floor under the setting: a typo (5 instead of 1826) must not empty the log.
MIN_RETENTION_DAYS = 365


@dataclass
class PurgeResult:
    deleted: int = 0
    cutoff: object = None

    def __str__(self) -> str:
        return f"{self.deleted} access-log entries deleted (older than {self.cutoff})"


def access_log_cutoff(as_of: date, retention_days: int):
    """Entries before the start of this day (Europe/Amsterdam) are past retention."""
    return local_midnight(as_of - timedelta(days=retention_days))


def purge_access_log(as_of: date, retention_days: int | None = None) -> PurgeResult:
    if retention_days is None:
        retention_days = int(current_app.config["CASELOAD_ACCESS_LOG_RETENTION_DAYS"])
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"CASELOAD_ACCESS_LOG_RETENTION_DAYS is {retention_days}; "
                         f"at least {MIN_RETENTION_DAYS} days are kept")
    cutoff = access_log_cutoff(as_of, retention_days)
    for attempt in range(3):
        try:
            with unit_of_work():
                deleted = _purge_once(as_of, retention_days, cutoff)
        except (_Raced, DBAPIError):  # rolled back: try again from the count
            if attempt == 2:
                raise
            continue
        return PurgeResult(deleted=deleted, cutoff=cutoff)
    raise AssertionError("unreachable")


class _Raced(Exception):
    """Another run deleted some of the rows between our count and our delete."""


def _purge_once(as_of: date, retention_days: int, cutoff) -> int:
    """The purge record and the delete, inside the caller's unit of work."""
    count = db.session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.at < cutoff))
    if not count:  # nothing to do: no purge record either, so a second run changes nothing
        return 0
    db.session.add(LogPurge(at=clock.utcnow(), table_name="access_log", as_of=as_of,
                            retention_days=retention_days, cutoff=cutoff, deleted=count))
    db.session.flush()
    result = db.session.execute(delete(AccessLogEntry).where(AccessLogEntry.at < cutoff),
                                execution_options={"synchronize_session": False})
    if result.rowcount != count:
        raise _Raced()
    return count
