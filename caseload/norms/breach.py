from __future__ import annotations

from datetime import date
from operator import itemgetter


class Breach(tuple):
    """One breach of one norm as of a date. (norm, subject_key, anchor) identifies it.

    Immutable; equal and hashed by everything but its facts. A tuple underneath, not a frozen
    dataclass: a national evaluation builds 50,000 of them, and a frozen dataclass's __init__
    (one object.__setattr__ per field) cost more than the queries of the small norms
    (bench/README.md)."""

    __slots__ = ()

    def __new__(cls, norm: str, subject_key: str, anchor: date, trajectory_id: int | None = None,
                worker_id: int | None = None, placement_id: int | None = None,
                facts: dict | None = None) -> Breach:
        return tuple.__new__(cls, (norm, subject_key, anchor, trajectory_id, worker_id,
                                   placement_id, {} if facts is None else facts))

    norm = property(itemgetter(0))
    subject_key = property(itemgetter(1))
    anchor = property(itemgetter(2))
    trajectory_id = property(itemgetter(3))
    worker_id = property(itemgetter(4))
    placement_id = property(itemgetter(5))
    facts = property(itemgetter(6))

    @property
    def key(self) -> tuple[str, str, date]:
        return self[:3]

    # Never equal to a plain tuple (as a dataclass would not be), so no NotImplemented, which
    # would let tuple's own comparison answer.
    def __eq__(self, other):
        return isinstance(other, Breach) and self[:6] == other[:6]

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self[:6])

    def __getnewargs__(self):
        return tuple(self)

    def __repr__(self):
        return ("Breach(norm={!r}, subject_key={!r}, anchor={!r}, trajectory_id={!r}, "
                "worker_id={!r}, placement_id={!r}, facts={!r})".format(*self))


def trajectory_breach(norm: str, anchor: date, trajectory_id: int, worker_id: int,
                      placement_id: int | None = None, facts: dict | None = None) -> Breach:
    """A breach about a trajectory (or one of its placements). The facts are passed as a dict,
    not as keywords: packing keywords into a new dict cost a third of building a breach
    (bench/README.md)."""
    subject = f"t{trajectory_id}p{placement_id}" if placement_id else f"t{trajectory_id}"
    return tuple.__new__(Breach, (norm, subject, anchor, trajectory_id, worker_id, placement_id,
                                  {} if facts is None else facts))


def iso_text(day) -> str | None:
    """A date as ISO text: a date-typed column read as text (norms.sql.as_text) comes back as
    the text SQLite stores, or as a date from PostgreSQL."""
    return day if day is None or day.__class__ is str else day.isoformat()
