"""Store breaches as signals: insert the new, touch the still-open, resolve the cleared.

Idempotent and safe in parallel: inserts use the database's ON CONFLICT DO NOTHING on the
signal's unique key, so two evaluations at once store each breach once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Integer, any_, bindparam, or_, select, text, tuple_, union, update
from sqlalchemy.dialects.postgresql import ARRAY

from caseload import clock
from caseload.models import Client, Signal, Trajectory, User
from caseload.norms import NORMS, STATE_NORMS, WEEKLY_NORMS, Breach
from caseload.norms.worker_norms import last_complete_week
from caseload.upsert import insert_or_ignore, is_postgresql


@dataclass
class RecordResult:
    opened: int = 0
    still_open: int = 0
    resolved: int = 0


# Bind parameters per statement stay well under SQLite's (32,766) and PostgreSQL's (65,535) limits.
_CHUNK = 5000


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _id_conditions(session, column, ids):
    """column IN ids, as few conditions as the database allows: one = ANY(array) on
    PostgreSQL (a single parameter; a statement with thousands of them costs the driver more
    to prepare than the server to run), IN lists of _CHUNK on SQLite."""
    ids = list(ids)
    if not ids:
        return []
    if is_postgresql(session):
        return [column == any_(bindparam(None, ids, type_=ARRAY(Integer)))]
    return [column.in_(chunk) for chunk in _chunks(ids)]


# PostgreSQL: all new signals in one statement, the columns passed as arrays.
_PG_INSERT = text(f"""
    INSERT INTO {Signal.__tablename__} (norm, subject_key, anchor, trajectory_id, worker_id,
        placement_id, facts, first_seen_on, last_seen_on, acknowledgement_note)
    SELECT u.norm, u.subject_key, u.anchor, u.trajectory_id, u.worker_id, u.placement_id,
           u.facts, :as_of, :as_of, ''
    FROM unnest(CAST(:norm AS varchar[]), CAST(:subject_key AS varchar[]),
                CAST(:anchor AS date[]), CAST(:trajectory_id AS integer[]),
                CAST(:worker_id AS integer[]), CAST(:placement_id AS integer[]),
                CAST(:facts AS json[]))
         AS u(norm, subject_key, anchor, trajectory_id, worker_id, placement_id, facts)
    ON CONFLICT (norm, subject_key, anchor) DO NOTHING
    RETURNING id""")
# PostgreSQL: the still-open signals seen again, and their changed facts (NULL: unchanged),
# in one statement, so that each signal gets one new row version a day, not two.
_PG_SEEN = text(f"""
    UPDATE {Signal.__tablename__} SET last_seen_on = :as_of,
        facts = coalesce(u.facts, {Signal.__tablename__}.facts)
    FROM unnest(CAST(:ids AS integer[]), CAST(:facts AS json[])) AS u(id, facts)
    WHERE {Signal.__tablename__}.id = u.id""")
_ROW_COLUMNS = ("norm", "subject_key", "anchor", "trajectory_id", "worker_id", "placement_id")


def _erased_trajectory_ids(session) -> set[int]:
    # An erased client's trajectory ends on the day of erasure, so a run later that day still
    # sees it: no signal about an erased client is raised or re-opened (caseload/privacy/).
    from caseload.models import Client
    return set(session.scalars(select(Trajectory.id).join(Client).where(
        Client.erased_at.is_not(None))))


def _open_signals(session, norms):
    """The open signals of the evaluated norms, as plain rows (no ORM objects to track)."""
    return session.execute(select(
        Signal.id, Signal.norm, Signal.subject_key, Signal.anchor, Signal.trajectory_id,
        Signal.facts).where(Signal.norm.in_(norms), Signal.resolved_at.is_(None))).all()


def _update_by_id(session, rows):
    """One executemany UPDATE per set of columns, keyed by primary key."""
    by_columns: dict[tuple, list[dict]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    for batch in by_columns.values():
        for chunk in _chunks(batch):
            session.execute(update(Signal), chunk)


def _set_where_id_in(session, ids, **values):
    for condition in _id_conditions(session, Signal.id, ids):
        session.execute(update(Signal).where(condition).values(**values)
                        .execution_options(synchronize_session=False))


def _touch_seen(session, as_of: date, seen: set[int], changed_facts: dict[int, dict]) -> None:
    """last_seen_on = as_of for every signal seen again; the facts where they changed."""
    if is_postgresql(session):
        ids = list(seen)
        session.execute(_PG_SEEN, {"as_of": as_of, "ids": ids, "facts": [
            json.dumps(changed_facts[i]) if i in changed_facts else None for i in ids]})
        return
    _set_where_id_in(session, seen, last_seen_on=as_of)
    _update_by_id(session, [{"id": i, "facts": f} for i, f in changed_facts.items()])


def _insert_new(session, as_of, new_rows) -> int:
    """Insert the new signals; re-open those whose key belongs to a resolved signal."""
    # RETURNING yields only the rows really inserted (a parallel run may have won a key)
    opened = 0
    if is_postgresql(session):
        values = {column: [r[column] for r in new_rows] for column in _ROW_COLUMNS}
        values["facts"] = [json.dumps(r["facts"]) for r in new_rows]
        opened = len(session.execute(_PG_INSERT, dict(values, as_of=as_of)).all())
    else:
        statement = insert_or_ignore(
            session, Signal, on=["norm", "subject_key", "anchor"]).returning(Signal.id)
        for chunk in _chunks(new_rows):
            opened += len(session.connection().execute(statement, chunk).all())
    if opened == len(new_rows):
        return opened
    # A key may also belong to a signal resolved earlier whose breach is back (an absence
    # deleted, an FTE corrected): re-open it instead of losing the breach.
    fresh = {(r["norm"], r["subject_key"], r["anchor"]): r["facts"] for r in new_rows}
    reopen = []
    for chunk in _chunks(fresh):
        for id_, norm, subject_key, anchor in session.execute(select(
                Signal.id, Signal.norm, Signal.subject_key, Signal.anchor).where(
                tuple_(Signal.norm, Signal.subject_key, Signal.anchor).in_(chunk),
                Signal.resolved_at.is_not(None))):
            reopen.append({"id": id_, "resolved_at": None, "resolved_on": None,
                           "resolved_by": None, "last_seen_on": as_of,
                           "facts": fresh[(norm, subject_key, anchor)]})
    _update_by_id(session, reopen)
    return opened + len(reopen)


def record(session, as_of: date, breaches: list[Breach], norms: list[str] | None = None,
           *, commit: bool = True) -> RecordResult:
    """Bring the stored signals of the evaluated norms in line with `breaches`. Commits unless
    told not to (a job that queues mails in the same transaction commits itself).

    Linear in breaches plus open signals: each breach is matched by its key in a dict, and the
    database is written in a fixed number of bulk statements (chunked), not one per signal."""
    norms = list(norms or NORMS)
    result = RecordResult()
    erased = _erased_trajectory_ids(session)
    breaches = [b for b in breaches if b.trajectory_id not in erased]
    open_signals = _open_signals(session, norms)
    by_key = {(s.norm, s.subject_key, s.anchor): s for s in open_signals}
    by_state = {(s.norm, s.subject_key): s for s in open_signals if s.norm in STATE_NORMS}

    seen: set[int] = set()
    fresh_facts: dict[int, dict] = {}
    new_rows = []
    for breach in breaches:
        existing = by_key.get(breach.key)
        if existing is not None:
            # The facts of an open signal are refreshed from the breach with its exact key
            # (the first, should a norm report one key twice).
            fresh_facts.setdefault(existing.id, breach.facts)
        elif breach.norm in STATE_NORMS:
            existing = by_state.get((breach.norm, breach.subject_key))
        if existing is not None:
            seen.add(existing.id)
            continue
        new_rows.append({
            "norm": breach.norm, "subject_key": breach.subject_key, "anchor": breach.anchor,
            "trajectory_id": breach.trajectory_id, "worker_id": breach.worker_id,
            "placement_id": breach.placement_id, "facts": breach.facts,
            "first_seen_on": as_of, "last_seen_on": as_of, "acknowledgement_note": "",
        })
    if new_rows:
        result.opened = _insert_new(session, as_of, new_rows)
    if seen:
        _touch_seen(session, as_of, seen, {s.id: fresh_facts[s.id] for s in open_signals
                                           if s.id in fresh_facts and fresh_facts[s.id] != s.facts})
    result.still_open = len(seen)

    # Open signals whose breach is gone are resolved, within the scope that was evaluated:
    # a weekly signal is only re-judged while its week is the one being evaluated.
    week_start, _ = last_complete_week(as_of)
    cleared = [s for s in open_signals if s.id not in seen
               and (s.norm not in WEEKLY_NORMS or s.anchor == week_start)]
    if cleared:
        ended: set[int] = set()
        for condition in _id_conditions(
                session, Trajectory.id, {s.trajectory_id for s in cleared if s.trajectory_id}):
            ended.update(session.scalars(select(Trajectory.id).where(
                condition, Trajectory.ended_on.is_not(None),
                Trajectory.ended_on < as_of)))
        now = clock.utcnow()
        for resolved_by in ("trajectory_ended", "cleared"):
            _set_where_id_in(session, [
                s.id for s in cleared if (s.trajectory_id in ended) == (
                    resolved_by == "trajectory_ended")],
                resolved_at=now, resolved_on=as_of, resolved_by=resolved_by)
        result.resolved = len(cleared)
    # The statements above bypass the identity map: signals a caller holds are read afresh.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Signal):
            session.expire(obj)
    if commit:
        session.commit()
    else:
        session.flush()
    return result


def team_scope(team_ids):
    """SQL condition: signals the teams may see (caseload/scope.py)."""
    from caseload.scope import signals_of
    return signals_of(team_ids)


def open_signal_subjects(session):
    """Every open signal as a plain row with what names its subject: norm, anchor, facts,
    subject_key, trajectory_id, the trajectory's client's code and the worker's email (the
    operator's list of `flask norms check`)."""
    return session.execute(
        select(Signal.norm, Signal.anchor, Signal.facts, Signal.subject_key,
               Signal.trajectory_id, Client.client_code, User.email.label("worker_email"))
        .outerjoin(Trajectory, Trajectory.id == Signal.trajectory_id)
        .outerjoin(Client, Client.id == Trajectory.client_id)
        .outerjoin(User, User.id == Signal.worker_id)
        .where(Signal.resolved_at.is_(None), Signal.acknowledged_at.is_(None))).all()


def open_signals_query(*, worker_ids=None, trajectory_ids=None, team_ids=None):
    """Open (unresolved, unacknowledged) signals, newest first, for pages."""
    query = select(Signal).where(Signal.resolved_at.is_(None), Signal.acknowledged_at.is_(None))
    if trajectory_ids is not None:
        query = query.where(Signal.trajectory_id.in_(trajectory_ids))
    if worker_ids is not None:
        query = query.where(or_(
            Signal.worker_id.in_(worker_ids),
            Signal.trajectory_id.in_(select(Trajectory.id).where(
                Trajectory.worker_id.in_(worker_ids)))))
    if team_ids is not None:
        query = query.where(team_scope(team_ids))
    return query.order_by(Signal.anchor.desc(), Signal.id.desc())


@dataclass(frozen=True)
class SignalLine:
    """An open signal as a page lists it (signals/_list.html): plain values, with its subject,
    the client of its trajectory or else its worker."""
    id: int
    norm: str
    facts: dict
    worker_id: int | None
    trajectory_id: int | None
    client_id: int | None
    client_code: str | None
    worker_name: str | None


def open_signal_lines(session, *, worker_ids=None, team_ids) -> list[SignalLine]:
    """What open_signals_query(worker_ids=..., team_ids=...) finds, in one statement of plain
    columns with the subject joined in (no Signal, Trajectory, Client or User objects, no
    statement per relationship). The workers' signals are found through the indexes on worker
    and trajectory (a union), the teams' part on the joined client (scope.signals_of_joined),
    so the statement reads the listed signals, not every open one. The statement is built once
    (_lines_statement), the teams and workers bound at execution."""
    params = {"team_ids": list(team_ids)}
    if worker_ids is not None:
        params["worker_ids"] = list(worker_ids)
    return [SignalLine(*row) for row in session.connection().execute(
        _lines_statement(worker_ids is not None), params).all()]


@lru_cache(maxsize=2)
def _lines_statement(by_workers: bool):
    from caseload.models import Client, User
    from caseload.scope import signals_of_joined
    query = (select(Signal.id, Signal.norm, Signal.facts, Signal.worker_id, Signal.trajectory_id,
                    Trajectory.client_id, Client.client_code, User.name)
             .outerjoin(Trajectory, Trajectory.id == Signal.trajectory_id)
             .outerjoin(Client, Client.id == Trajectory.client_id)
             .outerjoin(User, User.id == Signal.worker_id)
             .where(Signal.resolved_at.is_(None), Signal.acknowledged_at.is_(None),
                    signals_of_joined(bindparam("team_ids", expanding=True)))
             .order_by(Signal.anchor.desc(), Signal.id.desc()))
    if by_workers:
        worker_ids = bindparam("worker_ids", expanding=True)
        query = query.where(Signal.id.in_(union(
            select(Signal.id).where(Signal.worker_id.in_(worker_ids)),
            select(Signal.id).join(Trajectory, Trajectory.id == Signal.trajectory_id)
            .where(Trajectory.worker_id.in_(worker_ids)))))
    return query
