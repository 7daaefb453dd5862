"""The filters of the log pages, read from the query string. A bad date is reported at its
field and ignored; it never reaches the database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from caseload import clock
from caseload.clock import ORGANISATION_TZ


def parse_day(value: str) -> date:
    """An ISO date within the years every date of the application is held to, or ValueError."""
    return clock.parse_date(value)


def parse_month(value: str) -> date:
    """'YYYY-MM' as the first day of that month, or ValueError."""
    year, sep, month = value.partition("-")
    if not (sep and len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise ValueError(value)
    return date(clock.check_year(int(year)), int(month), 1)


def local_midnight(day: date) -> datetime:
    """The start of a calendar day in Europe/Amsterdam, in UTC (what the logs store)."""
    return datetime.combine(day, time(), tzinfo=ORGANISATION_TZ).astimezone(timezone.utc)


def period_conditions(args, column) -> tuple[list, list[str]]:
    """`from` and `to` (inclusive) calendar days in Europe/Amsterdam on a timestamp column."""
    conditions, errors = [], []
    for name in ("from", "to"):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        try:
            day = parse_day(value)
        except ValueError:
            errors.append(name)
            continue
        if name == "from":
            conditions.append(column >= local_midnight(day))
        else:
            conditions.append(column < local_midnight(day + timedelta(days=1)))
    return conditions, errors


def summary(args, names) -> str:
    """The filters used, for the access-log entry that records reading a log."""
    return " ".join(f"{name}={args.get(name)}" for name in names if args.get(name))[:200]
