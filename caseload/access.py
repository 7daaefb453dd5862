"""Who may see what. Every view that takes an id goes through these functions.

A worker and a coordinator see the clients of the teams they are members of; an administrator
manages accounts and teams and sees client records only for teams they are a member of.
Objects of other teams answer 404, so an id in a URL does not reveal that a record exists;
the access log still records the attempt as denied (`refuse`).
Access follows the client's team, never the worker who holds the client: the SQL conditions
are in caseload/scope.py, shared with the mails and exports.
"""

from __future__ import annotations

from functools import cache, lru_cache, wraps

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from caseload import audit, scope
from caseload.extensions import db
from caseload.models import Client, Placement, Team, Trajectory, TrajectoryAssignment, User
from caseload.models.vocab import CASELOAD_ROLES


def visible_team_ids() -> list[int]:
    return current_user.team_ids if current_user.is_authenticated else []


def refuse(client_id: int | None = None, status: int = 404):
    """Answer 404 (or 403) and log the attempt as denied, with the client it aimed at if that
    client exists. Every refusal of a client object goes through here."""
    audit.denied(client_id)
    abort(status)


@cache
def _visible_client():
    """Built once per process (SQLAlchemy takes ~0.3 ms to build a statement)."""
    return select(Client).where(Client.id == bindparam("client_id"),
                                scope.clients_of(bindparam("team_ids", expanding=True)))


def visible_client_statement():
    """The visible-client lookup (client id and team ids as parameters), for a page that adds
    loader options to it (clients/page.py: the client page's client with its trajectories)."""
    return _visible_client()


def client_or_404(client_id: int, statement=None) -> Client:
    """The client, if visible; `statement`: visible_client_statement() with loader options."""
    params = {"client_id": client_id, "team_ids": list(visible_team_ids())}
    if statement is None:
        client = db.session.scalar(_visible_client(), params)
    else:  # unique(): joined loads of collections repeat the client's row
        client = db.session.execute(statement, params).unique().scalar_one_or_none()
    if client is None:
        refuse(db.session.scalar(select(Client.id).where(Client.id == client_id)))
    audit.record(client.id, request.endpoint or "client")
    return client


def placement_or_404(client: Client, placement_id: int) -> Placement:
    placement = db.session.scalar(
        select(Placement).join(Trajectory).where(
            Placement.id == placement_id, Trajectory.client_id == client.id)
    )
    if placement is None:
        refuse(db.session.scalar(select(Trajectory.client_id).join(Placement).where(
            Placement.id == placement_id)))
    return placement


def visible_worker_or_404(user_id: int) -> User:
    """A colleague in one of the caller's teams (a coordinator looking at a worker's caseload),
    or someone who held a client of those teams (a leaver whose weeks are still reviewed).
    What the caller then sees of their work is limited to the caller's teams' clients."""
    user = db.session.get(User, user_id)
    if user is None:
        refuse()
    if not set(user.team_ids) & set(visible_team_ids()) and db.session.scalar(
            select(TrajectoryAssignment.id).where(
                TrajectoryAssignment.worker_id == user.id,
                TrajectoryAssignment.team_id.in_(visible_team_ids())).limit(1)) is None:
        refuse()
    return user


def team_workers(team_ids, *, exclude: int | None = None) -> list[User]:
    """The active workers and coordinators of the teams: who can take on their clients."""
    params = {"team_ids": list(team_ids), "exclude": exclude}
    return list(db.session.scalars(_team_workers_statement(exclude is not None), params).unique())


def team_worker_names(team_ids) -> list:
    """team_workers' ids and names, in its order, as plain rows (id, name): for the lists that
    name them (a page's worker filter), without loading a User each."""
    return db.session.connection().execute(_team_workers_statement(False, names=True),
                                           {"team_ids": list(team_ids)}).all()


@lru_cache(maxsize=3)
def _team_workers_statement(excluding: bool, names: bool = False):
    """team_workers' statement, built once (the teams and the one excluded bound): most pages
    ask for it, and building it anew cost more than running it."""
    columns = (User.id, User.name) if names else (User,)
    query = (select(*columns).where(User.id.in_(scope.members_of(bindparam("team_ids", expanding=True))),
                                    User.active.is_(True), User.role.in_(CASELOAD_ROLES))
             .order_by(User.name))
    if excluding:
        query = query.where(User.id != bindparam("exclude"))
    return query


def coordinated_team_ids() -> list[int]:
    """The teams whose clients the caller may hand over: a coordinator's own teams."""
    return visible_team_ids() if current_user.is_authenticated and current_user.is_coordinator \
        else []


def coordinator_teams(team_id: int | None = None):
    """The teams the logged-in coordinator may report on (outcomes, work monitor, fidelity):
    their own, or the one asked for. Workers and administrators get 403 (an administrator
    without team membership sees no client data); a team that is not theirs answers 404."""
    if not current_user.is_authenticated or current_user.role != "coordinator":
        refuse(status=403)
    teams = list(current_user.teams)
    if not teams:
        refuse(status=403)
    if team_id is not None:
        teams = [team for team in teams if team.id == team_id]
        if not teams:
            refuse()
    return teams


def move_targets(client: Client) -> list[Team]:
    """Teams a client can be moved to by the caller: the other teams the caller coordinates
    (a coordinator of both teams), or any other team for an administrator who sees the client."""
    query = select(Team).where(Team.id != client.team_id).order_by(Team.name)
    if not current_user.is_admin:
        query = query.where(Team.id.in_(visible_team_ids()))
    return list(db.session.scalars(query))


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                refuse(kwargs.get("client_id"), 403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def me() -> User:
    """The logged-in user as a model instance (not the request proxy), for relationships."""
    return current_user._get_current_object()
