"""Matching typed text in a column, the same way on both databases: case ignored (SQLite's
lower() folds ASCII letters only, so the text as typed is matched too), `%` and `_` taken
literally."""

from __future__ import annotations

from sqlalchemy import func, or_


def escaped(text: str) -> str:
    """`text` for a LIKE pattern with escape character `\\`: `%`, `_` and `\\` literal."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def equals(column, text: str):
    return or_(column == text, func.lower(column) == text.lower())


def contains(column, text: str):
    escaped_text = escaped(text)
    return or_(func.lower(column).like(f"%{escaped_text.lower()}%", escape="\\"),
               column.like(f"%{escaped_text}%", escape="\\"))


def starts_with(column, text: str):
    escaped_text = escaped(text)
    return or_(func.lower(column).like(f"{escaped_text.lower()}%", escape="\\"),
               column.like(f"{escaped_text}%", escape="\\"))
