"""Reporting periods (a quarter or any date range), their months and complete ISO weeks, shared
by the outcomes, work-monitor and fidelity pages (their team scope: access.coordinator_teams)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from caseload import clock
from caseload.translating import lazy_gettext as _l

QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])\Z")  # ASCII digits; \Z: no final newline
EARLIEST = date(2000, 1, 1)
LONGEST_DAYS = 366 * 10


class PeriodError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    quarter: str | None = None

    @property
    def label(self) -> str:
        return self.quarter or f"{self.start.isoformat()}_{self.end.isoformat()}"

    def until(self, today: date) -> date:
        """The last day with figures: the period's end, or today when the period runs on."""
        return min(self.end, today)

    def query_args(self) -> dict:
        if self.quarter:
            return {"quarter": self.quarter}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_period(label: str) -> Period:
    match = QUARTER.match(label or "")
    if not match:
        raise PeriodError(_l("Write the quarter as YYYY-Qn, e.g. 2026-Q1."))
    year, q = int(match.group(1)), int(match.group(2))
    try:
        clock.check_year(year)
    except ValueError:
        raise PeriodError(_l("Choose a quarter from the year 2000 on, up to 2100.")) from None
    start = date(year, 3 * q - 2, 1)
    end = first_of_next_month(date(year, 3 * q, 1)) - timedelta(days=1)
    return Period(start, end, label)


def parse_period(args, today: date) -> Period:
    """?quarter=2026-Q1, or ?start=&end= (ISO dates); without either, the current quarter."""
    if args.get("quarter"):
        return quarter_period(args["quarter"])
    if args.get("start") or args.get("end"):
        try:
            start = date.fromisoformat(args.get("start", ""))
            end = date.fromisoformat(args.get("end", ""))
        except ValueError:
            raise PeriodError(_l("Enter both dates as YYYY-MM-DD.")) from None
        if end < start:
            raise PeriodError(_l("The end of the period cannot be before its start."))
        if (start < EARLIEST or end.year > clock.LATEST_YEAR
                or (end - start).days > LONGEST_DAYS):
            raise PeriodError(_l("Choose a period from the year 2000 on, of at most ten years."))
        return Period(start, end)
    return quarter_period(quarter_of(today))


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months that overlap start..end, each as (first day, last day)."""
    months, first = [], date(start.year, start.month, 1)
    while first <= end:
        following = first_of_next_month(first)
        months.append((first, following - timedelta(days=1)))
        first = following
    return months


def months_first_day(start: date) -> date:
    """The first day of months_between(start, ...): its first month is whole, even when start
    is later in it (what employment_by_month counts from)."""
    return start.replace(day=1)


def figures_first_day(period_start: date, chart_since: date) -> date:
    """The first day a figure of the outcomes page is about: the period's first, or the first
    of the charts' first month (employment_by_month counts that month whole), the earlier."""
    return min(period_start, months_first_day(chart_since))


def complete_weeks(start: date, end: date) -> list[date]:
    """Mondays of the ISO weeks lying wholly within start..end (weekly norms are per week)."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = []
    while monday + timedelta(days=6) <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def chart_start(period: Period, until: date, months: int = 12) -> date:
    """Charts show at least the last `months` months up to `until` (trends need more than a
    quarter), or the whole period when it is longer, but never more than five years."""
    first = date(until.year, until.month, 1)
    for _ in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    longest = date(until.year - 5, until.month, 1)
    return max(min(period.start, first), longest)

