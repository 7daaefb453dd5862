"""Handovers by a coordinator: one client (client page), a selection or a whole caseload
(caseload page), a client to another team. The rules are on Trajectory.assign; every handover
is in the access log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import ngettext
from sqlalchemy import select

from caseload import audit, clock
from caseload.access import (
    client_or_404,
    me,
    move_targets,
    role_required,
    team_workers,
    visible_team_ids,
)
from caseload.clients.page import client_page
from caseload.extensions import db
from caseload.forms_common import attach_error
from caseload.handover import hand_over, move_to_team
from caseload.models import Client, DomainError, Trajectory, User
from caseload.request_input import parse_id, required_id
from caseload.scope import clients_of
from caseload.transfers.forms import HandoverForm, TeamMoveForm
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("transfers", __name__)
coordinator_only = role_required("coordinator", "admin")


def _target(worker_id: int, team_ids) -> User | None:
    """The chosen colleague (None: to be assigned); someone outside the teams is refused."""
    if not worker_id:
        return None
    worker = db.session.get(User, worker_id)
    if worker is None or not set(worker.team_ids) & set(team_ids):
        abort(400)
    return worker


@bp.route("/clients/<int:client_id>/handover", methods=["POST"])
@coordinator_only
def hand_over_client(client_id: int):
    client = client_or_404(client_id)
    trajectory = client.open_trajectory or abort(400)
    form = HandoverForm()
    form.set_workers(team_workers([client.team_id]))
    if form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            hand_over(db.session, [trajectory], _target(form.worker_id.data, [client.team_id]),
                      on=form.on.data, today=clock.today(), by=me(), note=form.note.data)
        if work.failed:
            attach_error(form, work.error)
        else:
            audit.record(client.id, "handover", "change")
            flash(_("Handed over."), "success")
            return redirect(url_for("clients.show", client_id=client.id))
    return client_page(client, 422, handover_form=form)


@bp.route("/clients/<int:client_id>/team", methods=["POST"])
@coordinator_only
def move_client(client_id: int):
    client = client_or_404(client_id)
    teams = move_targets(client)
    form = TeamMoveForm()
    form.set_targets(teams, lambda team: team_workers([team.id]))
    if form.validate_on_submit():
        team_id, worker_id = form.chosen()
        team = next((t for t in teams if t.id == team_id), None) or abort(400)
        worker = _target(worker_id, [team.id])
        with unit_of_work(expected=DomainError) as work:
            move_to_team(db.session, client, team, worker, on=form.on.data, today=clock.today(),
                         by=me(), note=form.note.data)
        if work.failed:
            attach_error(form, work.error)
        else:
            audit.record(client.id, "team_move", "change")
            flash(_("Client %(code)s moved to team %(team)s.", code=client.client_code,
                    team=team.name), "success")
            if team.id in visible_team_ids():
                return redirect(url_for("clients.show", client_id=client.id))
            return redirect(url_for("clients.caseload"))
    return client_page(client, 422, team_move_form=form)


@bp.route("/caseload/handover", methods=["POST"])
@coordinator_only
def hand_over_selection():
    """Hand over the ticked clients, or (all=1 with worker=<id>) a worker's whole caseload in
    the caller's teams."""
    team_ids = visible_team_ids()
    form = HandoverForm()
    form.set_workers(team_workers(team_ids))
    back = request.form.get("back_worker", "")
    back_url = url_for("clients.caseload", worker=back or "team")
    query = (select(Trajectory).join(Client, Client.id == Trajectory.client_id)
             .where(Trajectory.ended_on.is_(None), clients_of(team_ids)))
    if request.form.get("all") == "1":
        query = query.where(Trajectory.worker_id == required_id(request.form.get("from_worker")))
    else:
        ids = [i for i in map(parse_id, request.form.getlist("trajectory_id")) if i]
        query = query.where(Trajectory.id.in_(ids))
    trajectories = list(db.session.scalars(query.order_by(Client.client_code)))
    if form.validate_on_submit():
        if not trajectories:
            form.form_errors.append(_("Tick the clients to hand over."))
        else:
            with unit_of_work(expected=DomainError) as work:
                # A client's team decides who may take it on; a colleague outside it is
                # refused there.
                count = hand_over(db.session, trajectories,
                                  _target(form.worker_id.data, team_ids), on=form.on.data,
                                  today=clock.today(), by=me(), note=form.note.data,
                                  skip_unchanged=True)
            if not work.failed:
                audit.record([t.client_id for t in trajectories], "handover", "change")
                flash(ngettext("%(num)d client handed over.", "%(num)d clients handed over.",
                               count), "success")
                return redirect(back_url)
            attach_error(form, work.error)
    # Refused: the caseload again, with what was typed, the clients ticked and each message
    # at the field that caused it (nothing was handed over).
    from caseload.clients.views import caseload_page
    ticked = frozenset(t.id for t in trajectories) if request.form.get("all") != "1" \
        else frozenset()
    return caseload_page({"worker": back or "team"}, handover_form=form, ticked=ticked,
                         status=422)
