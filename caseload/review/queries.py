"""The signals review's statements, each built once per shape and executed with the caller's
teams (and filters) bound: building them and their cache keys anew on every view cost more
than running them. The teams' signals are found through the signal's trajectory and worker
indexes (scope.signals_of_teams), not by reading every signal (but for the history)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased

from caseload.models import Client, Signal, Trajectory, User
from caseload.scope import signals_of, signals_of_teams


def _of_teams(signals):
    """The teams' signals of a select from Signal, as a subquery with its columns."""
    return signals_of_teams(bindparam("team_ids", expanding=True), signals).subquery()


@lru_cache(maxsize=4)
def open_signals(by_norm: bool, by_worker: bool):
    """The teams' open (unresolved, unacknowledged) signals, newest first (as
    signals.open_signals_query orders them), of a norm (`norm`) and of a worker (`worker_id`)
    if asked: the columns a row shows."""
    signals = (select(Signal.id, Signal.norm, Signal.anchor, Signal.facts, Signal.worker_id)
               .where(Signal.resolved_at.is_(None), Signal.acknowledged_at.is_(None)))
    if by_norm:
        signals = signals.where(Signal.norm == bindparam("norm"))
    if by_worker:
        signals = signals.where(Signal.worker_id == bindparam("worker_id"))
    rows = _of_teams(signals)
    return select(rows).order_by(rows.c.anchor.desc(), rows.c.id.desc())


@lru_cache(maxsize=1)
def history():
    """The teams' last 50 resolved or acknowledged signals, the latest first. Here signals_of's
    OR serves better than the two parts: read backwards by id, the scan stops at the 50th
    (SQLite 0.28 ms against 0.92 ms for the parts, which visit every signal of the teams; the
    same on PostgreSQL), and resolved signals pile up with the years."""
    return (select(Signal.id, Signal.norm, Signal.anchor, Signal.acknowledged_at,
                   Signal.acknowledgement_note, Signal.resolved_at, Signal.resolved_on,
                   Signal.resolved_by)
            .where(signals_of(bindparam("team_ids", expanding=True)),
                   or_(Signal.resolved_at.is_not(None), Signal.acknowledged_at.is_not(None)))
            .order_by(Signal.id.desc()).limit(50))


@lru_cache(maxsize=1)
def shown():
    """Per signal id (`ids`): its client's id and code, the names of its worker and of who
    acknowledged it."""
    acknowledger = aliased(User)
    return (select(Signal.id, Trajectory.client_id, Client.client_code, User.name,
                   acknowledger.name)
            .outerjoin(Trajectory, Trajectory.id == Signal.trajectory_id)
            .outerjoin(Client, Client.id == Trajectory.client_id)
            .outerjoin(User, User.id == Signal.worker_id)
            .outerjoin(acknowledger, acknowledger.id == Signal.acknowledged_by_id)
            .where(Signal.id.in_(bindparam("ids", expanding=True))))
