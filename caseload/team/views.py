"""The coordinator's team page: members and their caseloads in the coordinator's teams, a
leaver's handover (each client to a colleague or to the "to be assigned" list, then out of the
team or out of the organisation), and absences with a covering colleague."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caseload import audit, clock, scope
from caseload.access import (
    me,
    refuse,
    role_required,
    team_workers,
    visible_team_ids,
    visible_worker_or_404,
)
from caseload.extensions import db
from caseload.forms_common import attach_error
from caseload.handover import hand_over
from caseload.models import Absence, Client, DomainError, Team, Trajectory, User
from caseload.scope import clients_of
from caseload.team.forms import KEEP, AbsenceCoverForm, leaver_form
from caseload.transfers.forms import worker_choices
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("team", __name__, url_prefix="/team")
coordinator_only = role_required("coordinator")


def _members() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.id.in_(scope.members_of(visible_team_ids())))
        .options(selectinload(User.teams)).order_by(User.name)).unique())


@bp.route("/")
@coordinator_only
def index():
    team_ids = visible_team_ids()
    held = dict(db.session.execute(
        select(Trajectory.worker_id, func.count(Trajectory.id))
        .join(Client, Client.id == Trajectory.client_id)
        .where(Trajectory.ended_on.is_(None), clients_of(team_ids))
        .group_by(Trajectory.worker_id)).all())
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)))
    return render_template("team/index.html", members=_members(), held=held, teams=teams,
                           unassigned=held.get(None, 0))


def _held_here(worker: User) -> list[Trajectory]:
    return list(db.session.scalars(
        select(Trajectory).join(Client, Client.id == Trajectory.client_id)
        .where(Trajectory.worker_id == worker.id, Trajectory.ended_on.is_(None),
               clients_of(visible_team_ids()))
        .options(selectinload(Trajectory.client)).order_by(Client.client_code)))


@bp.route("/workers/<int:worker_id>/handover", methods=["GET", "POST"])
@coordinator_only
def handover(worker_id: int):
    """Hand a worker's caseload (in the coordinator's teams) over, client by client, and then
    take them out of a team or deactivate them: nothing is stranded."""
    worker = visible_worker_or_404(worker_id)
    trajectories = _held_here(worker)
    colleagues = team_workers(visible_team_ids(), exclude=worker.id)
    shared_teams = [t for t in worker.teams if t.id in visible_team_ids()]
    # Deactivating the account takes the worker out of every team: a coordinator may do it
    # only for someone all of whose teams they coordinate. A worker who also works in a team
    # of another coordinator leaves the caller's teams instead; an administrator (or a
    # coordinator of all those teams) deactivates the account.
    may_deactivate = set(worker.team_ids) <= set(visible_team_ids())
    form = leaver_form(worker, trajectories, colleagues, shared_teams,
                       formdata=request.form if request.method == "POST" else None,
                       may_deactivate=may_deactivate, on=clock.today())
    if request.method == "POST" and form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            _apply_handover(form, worker, colleagues)
        if work.failed:
            attach_error(form, work.error)  # at the field it names, else above the form
        else:
            audit.record([t.client_id for t in trajectories], "handover", "change")
            flash(_("Saved."), "success")
            return redirect(url_for("team.index"))
    status = 422 if request.method == "POST" else 200
    audit.record([t.client_id for t in trajectories], "handover", "list")
    return render_template("team/handover.html", worker=worker, form=form,
                           trajectories=trajectories, may_deactivate=may_deactivate), status


def _apply_handover(form, worker: User, colleagues: list[User]) -> None:
    by_id = {c.id: c for c in colleagues}
    today = clock.today()
    then = form.then.data or "stay"
    kept = [field for _t, field in form.target_fields() if field.data == KEEP]
    if kept and then != "stay":
        for field in kept:
            field.errors = list(field.errors) + [_("Choose who takes over.")]
        raise DomainError(_("%(name)s leaves: choose who takes over each client, or the list "
                            "of clients to be assigned.", name=worker.name))
    for trajectory, field in form.target_fields():
        if field.data == KEEP:
            continue
        if field.data and field.data not in by_id:
            raise DomainError(_("Choose a colleague from the list."), field.name)
        try:
            hand_over(db.session, [trajectory], by_id.get(field.data), on=form.on.data,
                      today=today, by=me(), note=form.note.data or "",
                      reason="transfer" if field.data else "release")
        except DomainError as error:
            # the client's own choice when the rule is about who takes over; its code said
            raise DomainError(f"{trajectory.client.client_code}: {error.message}",
                              field.name if error.field == "worker_id" else error.field) \
                from error
    if then.startswith("leave:"):
        team_id = int(then.partition(":")[2])
        if team_id not in visible_team_ids():
            abort(400)
        worker.teams = [t for t in worker.teams if t.id != team_id]
    elif then == "deactivate":
        worker.active = False
    db.session.flush()  # the guard (models/guards.py) refuses a worker left holding clients


@bp.route("/absences", methods=["GET", "POST"])
@coordinator_only
def absences():
    """Coordinators enter their own team's absences, with a colleague who covers."""
    members = [m for m in _members() if m.role in ("worker", "coordinator") and m.active]
    form = AbsenceCoverForm()
    form.user_id.choices = worker_choices(members)[1:]
    form.cover_id.choices = worker_choices(members, none_label=_("nobody"))
    if form.validate_on_submit():
        user = next((m for m in members if m.id == form.user_id.data), None) or abort(400)
        cover = next((m for m in members if m.id == form.cover_id.data), None) \
            if form.cover_id.data else None
        with unit_of_work(expected=DomainError) as work:
            absence = Absence(user=user, from_date=form.from_date.data,
                              to_date=form.to_date.data, cover=cover)
            db.session.add(absence)
            audit.absence_added(absence)  # the administration log, in the same transaction
        if work.failed:
            attach_error(form, work.error, default="to_date")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("team.absences"))
    listed = list(db.session.scalars(
        select(Absence).where(Absence.user_id.in_([m.id for m in members]),
                              Absence.to_date >= clock.today() - timedelta(days=60))
        .options(selectinload(Absence.user), selectinload(Absence.cover))
        .order_by(Absence.from_date.desc())))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("team/absences.html", form=form, absences=listed), status


@bp.route("/absences/<int:absence_id>/delete", methods=["POST"])
@coordinator_only
def delete_absence(absence_id: int):
    absence = db.session.get(Absence, absence_id)
    if absence is None or not set(absence.user.team_ids) & set(visible_team_ids()):
        refuse()
    audit.absence_removed(absence)
    db.session.delete(absence)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("team.absences"))
