"""Who may see what. Every view that takes an id goes through these functions.

A worker and a coordinator see the clients of the teams they are members of; an administrator
manages accounts and teams and sees client records only for teams they are a member of.
Objects of other teams answer 404, so an id in a URL does not reveal that a record exists.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload import audit
from caseload.extensions import db
from caseload.models import Client, Placement, Trajectory, User


def visible_team_ids() -> list[int]:
    return current_user.team_ids if current_user.is_authenticated else []


def client_or_404(client_id: int) -> Client:
    client = db.session.scalar(
        select(Client).where(Client.id == client_id, Client.team_id.in_(visible_team_ids()),
                             Client.erased_at.is_(None))
    )
    if client is None:
        abort(404)
    audit.record(client.id, request.endpoint or "client")
    return client


def placement_or_404(client: Client, placement_id: int) -> Placement:
    placement = db.session.scalar(
        select(Placement).join(Trajectory).where(
            Placement.id == placement_id, Trajectory.client_id == client.id)
    )
    if placement is None:
        abort(404)
    return placement


def visible_worker_or_404(user_id: int) -> User:
    """A colleague in one of the caller's teams (a coordinator looking at a worker's caseload)."""
    user = db.session.get(User, user_id)
    if user is None or not set(user.team_ids) & set(visible_team_ids()):
        abort(404)
    return user


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def me() -> User:
    """The logged-in user as a model instance (not the request proxy), for relationships."""
    return current_user._get_current_object()
