"""Store breaches as signals: insert the new, touch the still-open, resolve the cleared.

Idempotent and safe in parallel: inserts use the database's ON CONFLICT DO NOTHING on the
signal's unique key, so two evaluations at once store each breach once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from caseload import clock
from caseload.models import Signal, Trajectory
from caseload.norms import NORMS, STATE_NORMS, WEEKLY_NORMS, Breach
from caseload.norms.worker_norms import last_complete_week


@dataclass
class RecordResult:
    opened: int = 0
    still_open: int = 0
    resolved: int = 0


def _insert(session):
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(Signal)


def record(session, as_of: date, breaches: list[Breach], norms: list[str] | None = None,
           *, commit: bool = True) -> RecordResult:
    """Bring the stored signals of the evaluated norms in line with `breaches`. Commits unless
    told not to (a job that queues mails in the same transaction commits itself)."""
    norms = list(norms or NORMS)
    result = RecordResult()
    # An erased client's trajectory ends on the day of erasure, so a run later that day still
    # sees it: no signal about an erased client is raised or re-opened (caseload/privacy/).
    from caseload.models import Client
    erased = set(session.scalars(select(Trajectory.id).join(Client).where(
        Trajectory.id.in_({b.trajectory_id for b in breaches if b.trajectory_id}),
        Client.erased_at.is_not(None))))
    breaches = [b for b in breaches if b.trajectory_id not in erased]
    open_signals = list(session.scalars(
        select(Signal).where(Signal.norm.in_(norms), Signal.resolved_at.is_(None))))
    by_key = {(s.norm, s.subject_key, s.anchor): s for s in open_signals}
    by_state = {(s.norm, s.subject_key): s for s in open_signals if s.norm in STATE_NORMS}

    seen: set[int] = set()
    new_rows = []
    for breach in breaches:
        existing = by_key.get(breach.key) or (
            by_state.get((breach.norm, breach.subject_key)) if breach.norm in STATE_NORMS else None)
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
        statement = _insert(session).on_conflict_do_nothing(
            index_elements=["norm", "subject_key", "anchor"]).returning(Signal.id)
        # RETURNING yields only the rows really inserted (a parallel run may have won a key)
        result.opened = len(session.connection().execute(statement, new_rows).all())
        if result.opened < len(new_rows):
            # A key may also belong to a signal resolved earlier whose breach is back (an
            # absence deleted, an FTE corrected): re-open it instead of losing the breach.
            fresh = {(r["norm"], r["subject_key"], r["anchor"]): r["facts"] for r in new_rows}
            for signal in session.scalars(select(Signal).where(
                    tuple_(Signal.norm, Signal.subject_key, Signal.anchor).in_(list(fresh)),
                    Signal.resolved_at.is_not(None))):
                signal.resolved_at = signal.resolved_on = signal.resolved_by = None
                signal.last_seen_on = as_of
                signal.facts = fresh[(signal.norm, signal.subject_key, signal.anchor)]
                result.opened += 1
    if seen:
        session.execute(update(Signal).where(Signal.id.in_(seen)).values(last_seen_on=as_of)
                        .execution_options(synchronize_session=False))
        for signal in open_signals:
            if signal.id in seen:
                fresh = next((b.facts for b in breaches if b.key == (
                    signal.norm, signal.subject_key, signal.anchor)), None)
                if fresh is not None and fresh != signal.facts:
                    signal.facts = fresh
    result.still_open = len(seen)

    # Open signals whose breach is gone are resolved, within the scope that was evaluated:
    # a weekly signal is only re-judged while its week is the one being evaluated.
    week_start, _ = last_complete_week(as_of)
    cleared = [s for s in open_signals if s.id not in seen
               and (s.norm not in WEEKLY_NORMS or s.anchor == week_start)]
    if cleared:
        ended = set(session.scalars(select(Trajectory.id).where(
            Trajectory.id.in_([s.trajectory_id for s in cleared if s.trajectory_id]),
            Trajectory.ended_on.is_not(None), Trajectory.ended_on < as_of)))
        now = clock.utcnow()
        for signal in cleared:
            signal.resolved_at = now
            signal.resolved_on = as_of
            signal.resolved_by = "trajectory_ended" if signal.trajectory_id in ended else "cleared"
        result.resolved = len(cleared)
    if commit:
        session.commit()
    else:
        session.flush()
    return result


def team_scope(team_ids):
    """SQL condition: signals the teams may see (caseload/scope.py)."""
    from caseload.scope import signals_of
    return signals_of(team_ids)


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
