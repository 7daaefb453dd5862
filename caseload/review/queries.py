"""The signals review's statements, each built once per shape and executed with the caller's
teams (and filters) bound: building them and their cache keys anew on every view cost more
than running them. The teams' signals are found through the signal's trajectory and worker
indexes (scope.signals_of_teams), not by reading every signal."""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased

from caseload.models import Client, Signal, Trajectory, User
from caseload.paging import limited
from caseload.scope import signals_of_teams


def _of_teams(signals):
    """The teams' signals of a select from Signal, as a subquery with its columns."""
    return signals_of_teams(bindparam("team_ids", expanding=True), signals).subquery()


@lru_cache(maxsize=4)
def open_signals(by_norm: bool, by_worker: bool):
    """The teams' open (unresolved, unacknowledged) signals, newest first (as
    signals.open_signals_query orders them), of a norm (`norm`) and of a worker (`worker_id`)
    if asked: their ids and anchors, what the index of open signals by trajectory holds (the
    count and the page's keys read from it for the teams' clients' signals)."""
    signals = (select(Signal.id, Signal.anchor)
               .where(Signal.resolved_at.is_(None), Signal.acknowledged_at.is_(None)))
    if by_norm:
        signals = signals.where(Signal.norm == bindparam("norm"))
    if by_worker:
        signals = signals.where(Signal.worker_id == bindparam("worker_id"))
    rows = _of_teams(signals)
    return select(rows).order_by(rows.c.anchor.desc(), rows.c.id.desc())


@lru_cache(maxsize=4)
def open_signals_page(by_norm: bool, by_worker: bool):
    """One page of open_signals (LIMIT :page_limit OFFSET :page_offset, in its order) with the
    columns a row shows and its subject: its client's id and code, its worker's name; the
    signal and its subject read for the page's rows only (the subject was a statement of its
    own per view)."""
    page = limited(open_signals(by_norm, by_worker)).subquery()
    signals = (select(Signal.id, Signal.norm, Signal.anchor, Signal.facts, Signal.worker_id)
               .select_from(page).join(Signal, Signal.id == page.c.id))
    return (_with_subject(Signal, signals)
            .order_by(page.c.anchor.desc(), page.c.id.desc()))


def _with_subject(rows, query, *columns):
    """The query of signals (`rows`: Signal, or a subquery of signals with trajectory_id and
    worker_id) with its client's id and code and its worker's name, outer-joined (a worker's
    own signal has no client; a signal without a worker, no name)."""
    columns_of = rows if rows is Signal else rows.c
    return (query.add_columns(Trajectory.client_id, Client.client_code,
                              User.name.label("worker_name"), *columns)
            .outerjoin(Trajectory, Trajectory.id == columns_of.trajectory_id)
            .outerjoin(Client, Client.id == Trajectory.client_id)
            .outerjoin(User, User.id == columns_of.worker_id))


@lru_cache(maxsize=1)
def history():
    """The teams' last 50 resolved or acknowledged signals, the latest first, with their
    subject (as open_signals_page) and the name of who acknowledged it. The two parts of
    signals_of_teams, each from its partial index of closed signals (ix_signal_closed_*), so
    the read is the teams' own closed signals: signals_of's OR read every signal backwards by
    id until the teams' 50th, a cost that grew with the organisation (at national size on
    PostgreSQL all 50,000 signals for a team with fewer than 50; bench/README.md); the names
    are read for the 50."""
    closed = (select(Signal.id)
              .where(or_(Signal.resolved_at.is_not(None), Signal.acknowledged_at.is_not(None))))
    ids = _of_teams(closed)
    last_ids = select(ids.c.id).order_by(ids.c.id.desc()).limit(50).subquery()
    last = (select(Signal.id, Signal.norm, Signal.anchor, Signal.acknowledged_at,
                   Signal.acknowledgement_note, Signal.resolved_at, Signal.resolved_on,
                   Signal.resolved_by, Signal.trajectory_id, Signal.worker_id,
                   Signal.acknowledged_by_id)
            .join(last_ids, last_ids.c.id == Signal.id)).subquery()
    acknowledger = aliased(User)
    return (_with_subject(last, select(last.c.id, last.c.norm, last.c.anchor,
                                       last.c.acknowledged_at, last.c.acknowledgement_note,
                                       last.c.resolved_at, last.c.resolved_on,
                                       last.c.resolved_by),
                          acknowledger.name.label("acknowledged_by_name"))
            .outerjoin(acknowledger, acknowledger.id == last.c.acknowledged_by_id)
            .order_by(last.c.id.desc()))


def plain(rows: list) -> list:
    """Rows (of one statement) as named tuples of the same fields, in the same order.
    SQLAlchemy's Row finds an attribute by its name through a Python __getattr__ (~0.5 us);
    the review reads some 700 of them a page (the rows' cells, the history's template, the
    access log's clients), a named tuple's field is a C-level read."""
    if not rows:
        return list(rows)
    make = _named(rows[0]._fields)._make
    return [make(row) for row in rows]


@lru_cache(maxsize=8)
def _named(fields: tuple):
    return namedtuple("Row", fields)
