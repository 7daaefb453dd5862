"""The outcomes page's numbers as text in the reader's locale, each distinct value formatted
once per page: the tables and charts show ~500 numbers, mostly a few dozen repeating values,
and Babel takes ~50 µs for each (bench/README.md, "Page cost: outcomes"). The request's locale
is looked up once and the patterns parsed once (Flask-Babel's format_decimal does both for
every number); the text is Babel's, as the filters write it."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, parse_pattern
from flask_babel import get_locale

ONE_DECIMAL = "#,##0.0"
_ONE_DECIMAL = parse_pattern(ONE_DECIMAL)
# caseload.numbers.decimal(value) with its default of one digit: "#,##0.#".
_AT_MOST_ONE_DECIMAL = parse_pattern("#,##0.#")


class NumberTexts:
    """Memoised formatters for one rendering (one request, one locale). Keys carry the type, as
    1, 1.0 and True are equal keys but are shown differently."""

    def __init__(self, locale=None):
        self._seen: dict[tuple, str] = {}
        self._locale = locale or get_locale()

    def _memo(self, kind: str, value, make) -> str:
        key = (kind, type(value), value)
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = make(value)
        return text

    def _one(self, value) -> str:
        return format_decimal(value, format=_ONE_DECIMAL, locale=self._locale)

    def cell(self, value) -> str:
        """A table cell: a dash for no value, a float with one decimal, anything else as is."""
        if value is None:
            return "—"
        if isinstance(value, float):
            return self._memo("float", value, self._one)
        return str(value)

    def one_decimal(self, value) -> str:
        """As the decimalformat('#,##0.0') filter writes it."""
        return self._memo("one", value, self._one)

    def decimal(self, value) -> str:
        """As the decimal filter writes it (caseload.numbers.decimal, one digit at most)."""
        return self._memo("decimal", value, lambda v: "—" if v is None else format_decimal(
            Decimal(str(v)), format=_AT_MOST_ONE_DECIMAL, locale=self._locale))
