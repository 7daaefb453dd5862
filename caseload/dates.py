"""Dates as people read them, in the reader's language: 18-03-2026 in Dutch, 18 Mar 2026 in
English (Babel's format_date, so month names follow the language). Templates use the `date`
filter, `moment` for a timestamp (18-03-2026, 09:05 in Amsterdam time) and `week` for an ISO
week label; mails are rendered inside force_locale, so they get the recipient's language. Computing with dates and weeks is caseload/clock.py's."""

from __future__ import annotations

import functools

from babel.dates import format_date
from flask import Flask, g
from flask_babel import format_datetime, get_locale

from caseload import clock
from caseload.models.vocab import DEFAULT_LANGUAGE

# Babel (CLDR) patterns per UI language. Dutch keeps the day-month-year with dashes that the
# screens have always shown; English names the month, so 03-04 is never read as 4 March.
DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}
# A moment (a stored UTC timestamp) is shown in Europe/Amsterdam time with the same date.
MOMENT_PATTERNS = {language: f"{pattern}, HH:mm" for language, pattern in DATE_PATTERNS.items()}
EMPTY = "—"


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def _request_locale():
    """Flask-Babel's get_locale(), without its lookups once the request has chosen a locale
    (force_locale and refresh replace that choice, so they are followed)."""
    try:
        locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    except RuntimeError:  # no application context
        return None
    return locale if locale is not None else get_locale()


def day(value) -> str:
    """A date (or the ISO text the database or a JSON export holds) in the reader's language;
    a dash for none."""
    if value is None or value == "":
        return EMPTY
    value = clock.to_date(value)
    locale = _request_locale()
    if locale is None:  # no application context: Babel's own default locale, not kept
        return format_date(value, DATE_PATTERNS[DEFAULT_LANGUAGE])
    return _formatted_day(value, locale)


@functools.lru_cache(maxsize=4096)
def _formatted_day(value, locale) -> str:
    """Babel's format_date with the request's locale (Flask-Babel's wrapper looks the locale
    and its format settings up again, ~35 us a date). A pure function of the date and the
    locale (CLDR data and the patterns above never change while the process runs), so its
    results are kept: a page shows the same few dates many times, and no setting, language
    choice or write can make a kept text wrong."""
    return format_date(value, DATE_PATTERNS.get(locale.language, DATE_PATTERNS[DEFAULT_LANGUAGE]),
                       locale=locale)


def moment(value) -> str:
    """A timestamp (aware, or naive UTC) as date and time in Europe/Amsterdam; a dash for none."""
    if value is None or value == "":
        return EMPTY
    return format_datetime(value, MOMENT_PATTERNS.get(_language(),
                                                      MOMENT_PATTERNS[DEFAULT_LANGUAGE]))


def week(value) -> str:
    """The ISO week label (2026-W49) of a date; a label is shown as it is."""
    if isinstance(value, str):
        return value
    return clock.week_label(value) if value is not None else EMPTY


def init_app(app: Flask) -> None:
    app.add_template_filter(day, "date")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(week, "week")
