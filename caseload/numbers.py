"""Numbers, amounts and percentages in the reader's locale, through Babel (1,0 fte and
€ 16,75 in Dutch; 1.0 and €16.75 in English). Templates use the filters; mails pass a locale."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_decimal, format_percent


def decimal(value, digits: int = 1) -> str:
    """A number with at most `digits` decimals, trailing zeros kept up to one (32,0 → 32)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(Decimal(str(value)), format=pattern)


def fixed(value, digits: int = 1) -> str:
    """Always `digits` decimals (an FTE: 1,0; 0,8)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(str(value)), format=pattern)


def money(value) -> str:
    return "—" if value is None else format_currency(Decimal(str(value)), "EUR")


def percent(value, digits: int = 0) -> str:
    """A fraction (0.341) as a percentage (34 %)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    return format_percent(value, format=pattern)


def init_app(app: Flask) -> None:
    for name, function in (("decimal", decimal), ("fixed", fixed), ("money", money),
                           ("percent", percent)):
        app.add_template_filter(function, name)
