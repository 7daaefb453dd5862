"""Cells for CSV and Excel downloads that cannot harm the person who opens them.

A spreadsheet reads a cell that starts with = + - @ (or a tab or carriage return, which some
programs skip before such a sign) as a formula: a team name '=HYPERLINK("https://evil", "x")'
or a client code "+SUM(1+1)" would become live in Excel or LibreOffice. Every text cell of every
export goes through `safe_cell`, which puts an apostrophe in front (OWASP's advice: the cell is
shown as text, with its value intact); numbers, dates and empty cells are left as they are, so
numbers stay numeric cells.

Usage: `writer.writerow(safe_row(values))` for CSV, `sheet.append(sheet_row(values))` for openpyxl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters that XML 1.0 (and so an .xlsx file) cannot hold; openpyxl refuses them.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """The value, neutralised when it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str):
        text = value
        if text.startswith(FORMULA_START) or text.lstrip(" \u00a0").startswith(FORMULA_START):
            return "'" + text
        return text
    if value is not None and not isinstance(value, (int, float)) and _is_text_like(value):
        return safe_cell(str(value))  # lazy translations and other str-like objects
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def sheet_row(values: Iterable) -> list:
    """A row for openpyxl: safe cells, and no characters the file format cannot hold."""
    row = []
    for value in safe_row(values):
        if isinstance(value, str):
            value = _NOT_IN_XML.sub("", value)
        row.append(value)
    return row


def _is_text_like(value) -> bool:
    from datetime import date, datetime, time
    from decimal import Decimal
    return not isinstance(value, (Decimal, date, datetime, time, bool))
