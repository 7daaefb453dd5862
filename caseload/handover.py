"""Handing clients over: to a colleague, to the team's "to be assigned" list, or to another
team. The rules live on Trajectory.assign; this module moves the open signals and the planned
appointments along with the trajectories (they follow the client, not the worker who held it)
and releases a leaver's clients."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select, update

from caseload.models import Appointment, Client, DomainError, Signal, Team, Trajectory, User


def hand_over(session, trajectories, to: User | None, *, on: date, today: date,
              by: User | None, note: str = "", reason: str = "transfer",
              skip_unchanged: bool = False) -> int:
    """Give each trajectory to `to` (None: to be assigned) and return how many moved. Raises
    DomainError on the first one that cannot go; the caller rolls back, so it is all or
    nothing. With skip_unchanged, trajectories `to` already holds are left as they are (a
    selection that includes some of the receiver's own clients)."""
    trajectories = list(trajectories)
    if skip_unchanged:
        trajectories = [t for t in trajectories if t.worker is not to]
    for trajectory in trajectories:
        try:
            trajectory.assign(to, on=on, today=today, by=by, note=note, reason=reason)
        except DomainError as error:
            if len(trajectories) == 1:
                raise
            # one of several clients cannot go: say which (the message goes to its field)
            raise DomainError(f"{trajectory.client.client_code}: {error.message}",
                              error.field) from error
    signals_follow(session, trajectories)
    appointments_follow(session, trajectories, on=on, today=today)
    return len(trajectories)


def move_to_team(session, client: Client, team: Team, worker: User | None, *, on: date,
                 today: date, by: User | None, note: str = "") -> None:
    client.move_to_team(team, worker=worker, on=on, today=today, by=by, note=note)
    if client.open_trajectory is not None:
        signals_follow(session, [client.open_trajectory])
        appointments_follow(session, [client.open_trajectory], on=on, today=today)


def release(session, user: User, *, team_ids, on: date, today: date, by: User | None,
            note: str = "") -> list[Trajectory]:
    """Put the user's open trajectories in the given teams on those teams' "to be assigned"
    lists (a worker leaving the team or the organisation with nobody named yet)."""
    held = list(session.scalars(
        select(Trajectory).join(Client, Client.id == Trajectory.client_id)
        .where(Trajectory.worker_id == user.id, Trajectory.ended_on.is_(None),
               Client.team_id.in_(list(team_ids)))))
    hand_over(session, held, None, on=on, today=today, by=by, note=note, reason="release")
    return held


def signals_follow(session, trajectories) -> None:
    """Open signals about these trajectories now name their current worker."""
    by_worker: dict[int | None, list[int]] = {}
    for trajectory in trajectories:
        worker_id = trajectory.worker.id if trajectory.worker is not None else None
        by_worker.setdefault(worker_id, []).append(trajectory.id)
    session.flush()
    for worker_id, ids in by_worker.items():
        session.execute(update(Signal).where(Signal.trajectory_id.in_(ids),
                                             Signal.resolved_at.is_(None))
                        .values(worker_id=worker_id).execution_options(synchronize_session=False))


def appointments_follow(session, trajectories, *, on: date, today: date) -> int:
    """The clients' planned appointments from the day the handover takes effect (never from
    before today: what is past stays with whoever had it, to mark done or no-show) go to the
    trajectory's new worker, so they are on that worker's week, today page and calendar feed.
    A trajectory handed to nobody (to be assigned) leaves them with their planner until
    someone is assigned; then they follow. Returns how many moved."""
    from caseload.week.agenda import local_moment
    session.flush()
    start = local_moment(max(on, today), time())
    moved = 0
    for trajectory in trajectories:
        if trajectory.worker is None:
            continue
        moved += session.execute(
            update(Appointment).where(Appointment.client_id == trajectory.client_id,
                                      Appointment.status == "planned",
                                      Appointment.starts_at >= start,
                                      Appointment.worker_id != trajectory.worker.id)
            .values(worker_id=trajectory.worker.id)
            .execution_options(synchronize_session=False)).rowcount
    if moved:
        # Loaded appointments would still name the old worker: read them again when used.
        for appointment in [obj for obj in session.identity_map.values()
                            if isinstance(obj, Appointment)]:
            session.expire(appointment, ["worker_id", "worker"])
    return moved
