"""The outcomes page's numbers as text in the reader's locale: the tables and charts show ~500
numbers, mostly a few dozen repeating values, and Babel takes ~50 µs for each (bench/README.md,
"Page cost: outcomes"). Each is formatted by Babel once per process and locale and kept (a pure
function of the value, the pattern and the locale, so nothing written anywhere can make a kept
text wrong): what a page shows is drawn from a small set (shares with one decimal, counts,
medians of days), so pages of any team mostly find their numbers formatted already; the memo is
bounded. The request's locale is looked up once per page and the patterns parsed once
(Flask-Babel's format_decimal does both for every number); the text is Babel's, as the filters
write it."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal, parse_pattern
from flask_babel import get_locale

ONE_DECIMAL = "#,##0.0"
_ONE_DECIMAL = parse_pattern(ONE_DECIMAL)
# caseload.numbers.decimal(value) with its default of one digit: "#,##0.#".
_AT_MOST_ONE_DECIMAL = parse_pattern("#,##0.#")


# typed: 1, 1.0 and True are equal keys but are shown differently.
@lru_cache(maxsize=8192, typed=True)
def _formatted(kind: str, locale: str, value) -> str:
    if kind == "one":
        return format_decimal(value, format=_ONE_DECIMAL, locale=Locale.parse(locale))
    return "—" if value is None else format_decimal(
        Decimal(str(value)), format=_AT_MOST_ONE_DECIMAL, locale=Locale.parse(locale))


class NumberTexts:
    """The formatters for one rendering (one request, one locale)."""

    def __init__(self, locale=None):
        self._locale = str(locale or get_locale())

    @property
    def locale(self) -> str:
        return self._locale

    def cell(self, value) -> str:
        """A table cell: a dash for no value, a float with one decimal, anything else as is."""
        if value is None:
            return "—"
        if isinstance(value, float):
            return _formatted("one", self._locale, value)
        return str(value)

    def one_decimal(self, value) -> str:
        """As the decimalformat('#,##0.0') filter writes it."""
        return _formatted("one", self._locale, value)

    def decimal(self, value) -> str:
        """As the decimal filter writes it (caseload.numbers.decimal, one digit at most)."""
        return _formatted("decimal", self._locale, value)
