"""The outcomes page's numbers as text in the reader's locale, each distinct value formatted
once per page: the tables and charts show ~500 numbers, mostly a few dozen repeating values,
and Babel takes ~50 µs for each (bench/README.md, "Page cost: outcomes")."""

from __future__ import annotations

from flask_babel import format_decimal

from caseload import numbers

ONE_DECIMAL = "#,##0.0"


class NumberTexts:
    """Memoised formatters for one rendering (one request, one locale). Keys carry the type, as
    1, 1.0 and True are equal keys but are shown differently."""

    def __init__(self):
        self._seen: dict[tuple, str] = {}

    def _memo(self, kind: str, value, make) -> str:
        key = (kind, type(value), value)
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = make(value)
        return text

    def cell(self, value) -> str:
        """A table cell: a dash for no value, a float with one decimal, anything else as is."""
        if value is None:
            return "—"
        if isinstance(value, float):
            return self._memo("float", value, lambda v: format_decimal(v, format=ONE_DECIMAL))
        return str(value)

    def one_decimal(self, value) -> str:
        """As the decimalformat('#,##0.0') filter writes it."""
        return self._memo("one", value, lambda v: format_decimal(v, format=ONE_DECIMAL))

    def decimal(self, value) -> str:
        """As the decimal filter writes it (caseload.numbers.decimal)."""
        return self._memo("decimal", value, numbers.decimal)
