"""Invariants that span aggregates, checked when the session flushes, whatever wrote the change
(a view, the importer, the CLI): nobody holds an open trajectory of a team they are not in, and
an inactive account holds none. Handing the trajectories over first is the caller's job
(caseload/handover.py); this is the backstop that keeps a mistake from stranding a client or
showing one team's clients to another."""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from caseload.models.base import DomainError
from caseload.translating import lazy_gettext as _l


def stranded_trajectories(session, user, *, team_ids=None, active=None):
    """Open trajectories the user holds in teams outside `team_ids` (default: the user's own),
    or all of them when the user would be inactive."""
    from caseload.models import Client, Trajectory
    team_ids = user.team_ids if team_ids is None else list(team_ids)
    active = user.active if active is None else active
    query = (select(Trajectory).join(Client, Client.id == Trajectory.client_id)
             .where(Trajectory.worker_id == user.id, Trajectory.ended_on.is_(None)))
    if active:
        query = query.where(Client.team_id.not_in(team_ids))
    return list(session.scalars(query.order_by(Client.team_id, Client.client_code)))


@event.listens_for(Session, "before_flush")
def _every_trajectory_has_a_worker_history(session, _context, _instances):
    """A trajectory made without Client.start_trajectory (demo data, a test) still starts its
    worker history: its worker since program entry."""
    from caseload.models import Trajectory, TrajectoryAssignment
    for obj in list(session.new):
        if isinstance(obj, Trajectory) and not obj.assignments:
            team = obj.client.team if obj.client is not None else None
            period = TrajectoryAssignment(worker=obj.worker, from_date=obj.program_entry_date,
                                          until=None, reason="start")
            if team is not None:
                period.team = team
            else:
                period.team_id = obj.client.team_id
            obj.assignments.append(period)


@event.listens_for(Session, "before_flush")
def _no_stranded_trajectories(session, _context, _instances):
    from caseload.models import User
    for obj in list(session.dirty):
        if not isinstance(obj, User) or obj.id is None:
            continue
        state = inspect(obj)
        if not (state.attrs.active.history.has_changes()
                or state.attrs.teams.history.has_changes()):
            continue
        with session.no_autoflush:
            # The query reads the database; a handover in this same flush is seen in memory.
            held = [t for t in stranded_trajectories(session, obj, team_ids=[], active=False)
                    if t.worker is obj and t.ended_on is None
                    and (not obj.active or t.client.team not in obj.teams)]
        if held:
            raise DomainError(_l("%(name)s still holds %(n)d open trajectories in a team they "
                                 "would leave; hand them over first.", name=obj.name,
                                 n=len(held)), "team_ids")
