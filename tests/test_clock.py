"""The ISO week label and the database's dates, each written once in caseload/clock.py."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseload import clock


@pytest.mark.parametrize("day,label", [
    (date(2026, 12, 1), "2026-W49"),
    (date(2025, 12, 29), "2026-W01"),   # the ISO year, not the calendar year
    (date(2027, 1, 3), "2026-W53"),
    (date(2026, 3, 9), "2026-W11"),
])
def test_week_label_and_parse_iso_week_read_each_other(day, label):
    assert clock.week_label(day) == label
    assert clock.parse_iso_week(label) == clock.monday_of(day)
    assert clock.monday_of(day).weekday() == 0 and 0 <= (day - clock.monday_of(day)).days <= 6


@pytest.mark.parametrize("value,expected", [
    (None, None),
    (date(2026, 3, 18), date(2026, 3, 18)),
    (datetime(2026, 3, 18, 23, 30), date(2026, 3, 18)),
    ("2026-03-18", date(2026, 3, 18)),              # SQLite's date()
    ("2026-03-18 00:00:00", date(2026, 3, 18)),     # SQLite's DATETIME text
])
def test_to_date_reads_what_either_database_returns(value, expected):
    assert clock.to_date(value) == expected
