"""One search box: client code, name or employer, over every client the user may see (the
client's team is one of the user's), including those whose trajectories ended, so a client who
comes back is found and offered a new start. NEN 7513 counts a search as access: each search
is in the access log with the clients it showed."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from caseload import audit
from caseload.access import visible_team_ids
from caseload.extensions import db
from caseload.models import Client, Employer, Placement, Trajectory
from caseload.scope import clients_of
from caseload.text_match import contains as _contains

bp = Blueprint("search", __name__)
MAX_RESULTS = 50
MAX_QUERY = 100


def find_clients(team_ids, text: str) -> list[Client]:
    at_employer = (select(Trajectory.client_id).join(Placement, Placement.trajectory_id == Trajectory.id)
                   .join(Employer, Employer.id == Placement.employer_id)
                   .where(_contains(Employer.name, text)))
    return list(db.session.scalars(
        select(Client).where(clients_of(team_ids), or_(
            _contains(Client.client_code, text), _contains(Client.name, text),
            Client.id.in_(at_employer)))
        .options(selectinload(Client.team),
                 selectinload(Client.trajectories).selectinload(Trajectory.worker),
                 selectinload(Client.trajectories).selectinload(Trajectory.phase_changes))
        .order_by(Client.client_code).limit(MAX_RESULTS)))


@bp.route("/search")
@login_required
def search():
    text = " ".join((request.args.get("q") or "").split())[:MAX_QUERY]
    clients, employers = [], []
    if len(text) >= 2:
        clients = find_clients(visible_team_ids(), text)
        employers = list(db.session.scalars(
            select(Employer).where(_contains(Employer.name, text)).order_by(Employer.name)
            .limit(MAX_RESULTS)))
        audit.record([c.id for c in clients] or None, "search", "search")
    return render_template("search/results.html", text=text, clients=clients,
                           employers=employers, limit=MAX_RESULTS)
