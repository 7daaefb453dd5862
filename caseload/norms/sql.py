"""Portable date arithmetic for the norm queries (SQLite stores dates as ISO text,
PostgreSQL as dates), and the shared pieces of the queries."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from caseload.models import PhaseChange, Trajectory


class add_days(FunctionElement):
    """date + n days, in SQL."""

    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days)
def _add_days_default(element, compiler, **kw):
    day, n = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(n, **kw)})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, n = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, ({compiler.process(n, **kw)}) || ' days')"


class days_from(FunctionElement):
    """Whole days from the first date to the second, in SQL."""

    type = Integer()
    inherit_cache = True
    name = "days_from"


@compiles(days_from)
def _days_from_default(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_from, "sqlite")
def _days_from_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"CAST(julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)}) AS INTEGER)")


class latest_of(FunctionElement):
    """The latest of the dates given (none of them NULL), in SQL: SQLite's max() of several
    arguments, PostgreSQL's GREATEST (the two differ on a NULL, hence not for nullable ones)."""

    type = Date()
    inherit_cache = True
    name = "latest_of"


@compiles(latest_of)
def _latest_of_default(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(latest_of, "sqlite")
def _latest_of_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


# The evaluated date in a norm's statement: a named bind parameter, so that the statement can be
# built once and executed for any date (built_once).
AS_OF = bindparam("as_of", type_=Date)


def built_once(build):
    """A norm's statement built once per process and settings: build(*setting values) returns a
    statement that names the date as AS_OF. Building a statement and its cache key anew for
    every evaluation cost about 0.5 ms per norm, more than the queries of the small norms
    (bench/README.md); a statement kept keeps its memoized cache key, so SQLAlchemy's compiled
    cache is hit without walking the statement again. Statements are immutable; settings take
    a handful of values in a process's life."""
    return lru_cache(maxsize=32)(build)


def execute(session, statement, as_of: date):
    """The rows of a built_once statement for a date, on the session's connection (in its
    transaction): Core rows, no ORM result processing, fetched at once (iterating a result
    fetches row by row, twice the cost per row of the small norms)."""
    return session.connection().execute(statement, {"as_of": as_of}).all()


def written(value: str) -> ColumnElement:
    """A constant written into the SQL text instead of bound as a parameter. A planner can use
    a partial index (contact's WHERE kind = 'employer' AND mode = 'face_to_face') only when the
    query names the same constants; neither SQLite nor a generic PostgreSQL plan can prove the
    index's condition from a parameter. Only for the fixed vocabularies, never for input.

    Written when the statement is compiled (a literal column), not at every execution: a
    literal_execute parameter made SQLAlchemy rewrite the compiled SQL text on every run,
    about 15 us, a twentieth of the smallest norm (bench/README.md)."""
    if not _VOCABULARY_WORD.fullmatch(value):
        raise ValueError(f"not a vocabulary word: {value!r}")
    return literal_column(f"'{value}'", String)


_VOCABULARY_WORD = re.compile(r"[a-z][a-z_]*")


def as_text(expression) -> ColumnElement:
    """A date column read without turning it into a date: SQLite's ISO text as it is stored
    (PostgreSQL's driver still returns a date; breach.iso_text makes both text). For dates a
    breach only shows."""
    return type_coerce(expression, String)


def as_date(value: date) -> ColumnElement:
    return literal(value, Date)


def open_on(as_of: date) -> ColumnElement:
    """Trajectories that had started and had not ended before as_of: ended ones raise nothing
    after their end date."""
    return and_(Trajectory.program_entry_date <= as_of,
                or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= as_of))


def latest_phase(as_of: date, trajectory_id=Trajectory.id):
    """Correlated scalar subquery: the trajectory's phase as of a date (the latest change on or
    before it; the later id on a tie), one seek per trajectory in the phase changes'
    trajectory index (migration 0028). Cheaper than a window over every phase change when
    the trajectories are already chosen (bench/README.md). `trajectory_id`: the column it is
    correlated with, Trajectory.id or a column equal to it in the query's join (an
    assignment's trajectory_id lets SQLite test the phase before it reads the trajectory)."""
    return (select(PhaseChange.phase)
            .where(PhaseChange.trajectory_id == trajectory_id, PhaseChange.changed_on <= as_of)
            .order_by(PhaseChange.changed_on.desc(), PhaseChange.id.desc())
            .limit(1).scalar_subquery())


def numbers(count: int, *, step=None, room=None):
    """A CTE of the integers 0 .. count-1 (window numbers for the follow-along norms). With
    step and room (SQL), it stops early, at the last k with k x step <= room: joining every
    placement with numbers nobody needs costs both planners more than the windows do."""
    n = select(literal(0, Integer).label("k")).cte("numbers", recursive=True)
    more = n.c.k < count - 1
    if room is not None:
        more = and_(more, (n.c.k + 1) * step <= room)
    return n.union_all(select((n.c.k + 1).label("k")).where(more))
