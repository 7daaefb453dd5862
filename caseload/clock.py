"""The one definition of "today" and "days since", in the organisation's time zone.

Every norm, page and mail calls these functions, so they agree with each other, and
tests (or a demo) fix the date through the CASELOAD_TODAY setting instead of sleeping.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

ORGANISATION_TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Now, in UTC; the CASELOAD_NOW setting (an aware datetime) fixes it for a test."""
    if has_app_context():
        fixed = current_app.config.get("CASELOAD_NOW")
        if fixed:
            return fixed
    return datetime.now(timezone.utc)


def today() -> date:
    if has_app_context():
        fixed = current_app.config.get("CASELOAD_TODAY")
        if fixed:
            return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(ORGANISATION_TZ).date()


def local_date(moment: datetime) -> date:
    """The calendar date in Europe/Amsterdam of a stored (UTC) timestamp."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ORGANISATION_TZ).date()


# Dates a request or a file may name: outside these years a date is a typing error, and
# arithmetic on it (a week's Sunday, the next day) would overflow at year 9999.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def check_year(year: int) -> int:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"year {year} outside {EARLIEST_YEAR}..{LATEST_YEAR}")
    return year


def parse_date(text: str | None) -> date:
    """An ISO date (YYYY-MM-DD) in EARLIEST_YEAR..LATEST_YEAR; ValueError otherwise."""
    value = (text or "").strip()
    if len(value) != 10 or not value.isascii():
        raise ValueError(f"not an ISO date: {value!r}")
    day = date.fromisoformat(value)
    check_year(day.year)
    return day


def to_date(value) -> date | None:
    """A date as the database returns it: a date (PostgreSQL), or ISO text where SQLite has
    computed one ('2026-03-18', or '2026-03-18 00:00:00' from a DATETIME); None stays None."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(day: date) -> str:
    """The ISO week of a day, written YYYY-Www ("2026-W49"), with the ISO year (29 December
    2025 is in 2026-W01); parse_iso_week reads it back."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(label: str | None) -> date:
    """The Monday of an ISO week written YYYY-Www; ValueError when malformed or out of range."""
    value = (label or "").strip()
    year, sep, week = value.partition("-W")
    if not (sep and len(year) == 4 and year.isdigit() and week.isdigit() and len(week) <= 2
            and value.isascii()):
        raise ValueError(f"not an ISO week: {value!r}")
    return date.fromisocalendar(check_year(int(year)), int(week), 1)
