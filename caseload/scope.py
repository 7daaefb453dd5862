"""The one rule for what of client data a set of teams may see, as SQL conditions; views
(through caseload/access.py), mails, exports and search all use these.

Access follows the client's team: a client's records (trajectories, contacts, placements,
signals) belong to the client's team, never to whichever worker holds or held the client. A
worker in two teams is normal, and each team sees only its own part of that worker's work.
A contact without a client (a general employer contact) is no client data; it is shown to the
teams of the worker who made it."""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, or_, select, union_all

from caseload.models import Appointment, Client, Contact, Signal, Trajectory
from caseload.models.people import team_members


def _ids(team_ids):
    """The team ids as IN takes them: a list, or an expanding bind parameter as it is (for a
    statement built once and executed with each caller's teams)."""
    return team_ids if isinstance(team_ids, BindParameter) else list(team_ids)


def clients_of(team_ids):
    """Condition on Client: a not-erased client of one of the teams (team_ids may be an
    expanding bindparam, for a statement built once)."""
    return and_(Client.team_id.in_(_ids(team_ids)), Client.erased_at.is_(None))


def client_ids_of(team_ids):
    return select(Client.id).where(clients_of(team_ids))


def members_of(team_ids):
    """Select of the ids of the teams' members (a member of two of them twice): from the
    membership table's key (team, user), a seek per team, where User.teams.any() read every
    user and looked each one's membership up (a cost that grew with the organisation)."""
    return select(team_members.c.user_id).where(team_members.c.team_id.in_(_ids(team_ids)))


def contacts_of(team_ids):
    """Condition on Contact: about a client of the teams, or a general contact (no client) made
    by one of the teams' members."""
    return or_(Contact.client_id.in_(client_ids_of(team_ids)),
               and_(Contact.client_id.is_(None), Contact.worker_id.in_(members_of(team_ids))))


def signals_of(team_ids):
    """Condition on Signal: about a trajectory of the teams' clients, or about one of the teams'
    workers (the weekly employer contacts, the caseload size)."""
    return or_(
        Signal.trajectory_id.in_(select(Trajectory.id).join(Client).where(clients_of(team_ids))),
        and_(Signal.trajectory_id.is_(None), Signal.worker_id.in_(members_of(team_ids))))


def signals_of_teams(team_ids, signals):
    """signals_of in two parts that an index serves each, as a UNION ALL of `signals` (a
    select from Signal) restricted to each: the signals of the teams' clients' trajectories
    (the trajectory index of signal) and the teams' workers' own signals (its worker index).
    The parts are disjoint and together are the signals of signals_of, whose OR made
    PostgreSQL read the whole signal table for every list of a team's signals."""
    return union_all(
        signals.join(Trajectory, Trajectory.id == Signal.trajectory_id)
        .join(Client, Client.id == Trajectory.client_id).where(clients_of(team_ids)),
        signals.where(Signal.trajectory_id.is_(None), Signal.worker_id.in_(members_of(team_ids))))


def signals_of_joined(team_ids):
    """signals_of for a query that has outer-joined each signal's trajectory's Client (a
    worker's own signal has none): the same signals, read from the joined client instead of a
    list of all the teams' trajectories (which PostgreSQL builds by reading every trajectory)."""
    return or_(clients_of(team_ids),
               and_(Signal.trajectory_id.is_(None), Signal.worker_id.in_(members_of(team_ids))))


def appointments_of(team_ids):
    """Condition on Appointment: with a client of the teams, or a general employer appointment
    (no client) of one of the teams' members, like contacts_of."""
    return or_(Appointment.client_id.in_(client_ids_of(team_ids)),
               and_(Appointment.client_id.is_(None),
                    Appointment.worker_id.in_(members_of(team_ids))))
