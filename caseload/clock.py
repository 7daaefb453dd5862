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


def days_between(start: date, end: date) -> int:
    """Calendar days from start to end: the day after program entry is day 1."""
    return (end - start).days


def iso_week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week that holds day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def local_date(moment: datetime) -> date:
    """The calendar date in Europe/Amsterdam of a stored (UTC) timestamp."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ORGANISATION_TZ).date()
