"""Declarative base with a constraint naming convention (needed to migrate constraints on SQLite)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC and come back timezone-aware on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                value = value.replace(tzinfo=timezone.utc)
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class DomainError(ValueError):
    """A rule of the domain was broken; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def length_of(attribute) -> int:
    """The most characters a String column holds (`length_of(Client.client_code)` is 40): forms
    and the importer read their limits here, so a column change is one edit."""
    return attribute.type.length


def places_of(attribute) -> int:
    """The decimal places a Numeric column holds (`places_of(Placement.hours_per_week)` is 1):
    forms and the importer refuse an amount with more, rather than let the database round it."""
    return attribute.type.scale


# 1,500: one and a half to a Dutch reader, fifteen hundred to an English one; 1.500 the other way
# round (a Dutch 2.500 is two thousand five hundred). The forms and the import refuse both rather
# than read them either way.
THOUSANDS_OR_DECIMAL = re.compile(r"[+-]?[1-9]\d{0,2}([.,])\d{3}")
# An amount as people write one, in the forms and the import alike: digits with at most one
# decimal sign, a point or a comma (16.5, 16,5, ,5), a sign in front. Nothing else that
# Python's Decimal would read: 1e3, 1_000, NaN, Infinity, digits of other scripts (١٢).
AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class NotAnAmount(ValueError):
    """Text that is no amount as AMOUNT (or WHOLE_NUMBER) writes one."""


class ThousandsOrDecimal(NotAnAmount):
    """1,500 or 1.500: a decimal sign or a thousands separator? (THOUSANDS_OR_DECIMAL);
    `sign` is the one typed."""

    def __init__(self, typed: str, sign: str):
        super().__init__(typed)
        self.sign = sign


def read_amount(typed: str) -> Decimal:
    """The amount a form field or an import cell holds (stripped text), a decimal comma read as
    a point; NotAnAmount (ThousandsOrDecimal for 1,500 and 1.500) for anything else. Ranges
    and places are the caller's."""
    ambiguous = THOUSANDS_OR_DECIMAL.fullmatch(typed)
    if ambiguous:
        raise ThousandsOrDecimal(typed, ambiguous.group(1))
    if not AMOUNT.fullmatch(typed):
        raise NotAnAmount(typed)
    return Decimal(typed.replace(",", "."))


def read_whole_number(typed: str) -> int:
    """A whole number in ASCII digits (a sign in front); NotAnAmount for anything else that
    int() would read (1_000, ١٢)."""
    if not WHOLE_NUMBER.fullmatch(typed):
        raise NotAnAmount(typed)
    try:
        return int(typed)
    except ValueError:   # more digits than int() reads from text (sys.get_int_max_str_digits)
        raise NotAnAmount(typed) from None


def decimal_places(amount: Decimal) -> int:
    """The decimal places a finite amount needs: 16.25 needs 2, 16.50 needs 1 (a trailing zero
    rounds nothing away). From the digits, not normalize(), which rounds to the context's
    precision (28 digits) and would let 1.00000000000000000000000000001 pass as 1."""
    _sign, digits, exponent = amount.as_tuple()
    if exponent >= 0 or not any(digits):
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing_zeros)


# Free text is stored in Text columns (no length in the database); these are the limits every
# form and the importer apply to it.
NOTE_LENGTH = 2000
HANDOVER_NOTE_LENGTH = 1000
PROFILE_TEXT_LENGTH = 4000


def check_in(column: str, values) -> str:
    """SQL text for a CHECK constraint that limits a column to a fixed set of tokens."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
