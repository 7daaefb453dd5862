"""Matching typed text in a column, the same way on both databases: case ignored (SQLite's
lower() folds ASCII letters only, so the text as typed is matched too), `%` and `_` taken
literally."""

from __future__ import annotations

from sqlalchemy import func, or_


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str):
    escaped = _escaped(text)
    return or_(func.lower(column).like(f"%{escaped.lower()}%", escape="\\"),
               column.like(f"%{escaped}%", escape="\\"))


def starts_with(column, text: str):
    escaped = _escaped(text)
    return or_(func.lower(column).like(f"{escaped.lower()}%", escape="\\"),
               column.like(f"{escaped}%", escape="\\"))
