"""Employers and their job development log (the contacts with them)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caseload.access import visible_team_ids
from caseload.employers.forms import EmployerForm
from caseload import audit
from caseload.extensions import db
from caseload.models import Client, Contact, Employer, Team, User
from caseload.models.employers import same_name

bp = Blueprint("employers", __name__, url_prefix="/employers")


def _team_worker_ids():
    return select(User.id).where(User.teams.any(Team.id.in_(visible_team_ids())))


@bp.route("/")
@login_required
def index():
    stats = (select(Contact.employer_id, func.count(Contact.id).label("n"),
                    func.max(Contact.contact_date).label("last"))
             .where(Contact.worker_id.in_(_team_worker_ids()))
             .group_by(Contact.employer_id).subquery())
    rows = db.session.execute(
        select(Employer, func.coalesce(stats.c.n, 0), stats.c.last)
        .outerjoin(stats, stats.c.employer_id == Employer.id)
        .order_by(Employer.name)).all()
    return render_template("employers/index.html", rows=rows)


def _save(form: EmployerForm, employer: Employer) -> bool:
    clash = db.session.scalar(select(Employer.id).where(
        same_name(" ".join(form.name.data.split())), Employer.id != employer.id).limit(1))
    if clash:
        form.name.errors.append(_("An employer with this name already exists."))
        return False
    form.populate_obj(employer)
    employer.name = " ".join(employer.name.split())
    db.session.add(employer)
    db.session.commit()
    flash(_("Saved."), "success")
    return True


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = EmployerForm()
    employer = Employer()
    if form.validate_on_submit() and _save(form, employer):
        return redirect(url_for("employers.show", employer_id=employer.id))
    return render_template("employers/edit.html", form=form, employer=None)


@bp.route("/<int:employer_id>", methods=["GET", "POST"])
@login_required
def show(employer_id: int):
    employer = db.session.get(Employer, employer_id) or abort(404)
    form = EmployerForm(obj=employer)
    if form.validate_on_submit() and _save(form, employer):
        return redirect(url_for("employers.show", employer_id=employer.id))
    # Only contacts logged by the caller's teams: another team's client codes stay hidden.
    contacts = list(db.session.scalars(
        select(Contact).where(Contact.employer_id == employer.id,
                              Contact.worker_id.in_(_team_worker_ids()))
        .options(selectinload(Contact.worker), selectinload(Contact.client))
        .order_by(Contact.contact_date.desc(), Contact.id.desc())))
    visible = set(visible_team_ids())
    audit.record({c.client_id for c in contacts if c.client_id}, "employer_log", "list")
    return render_template("employers/show.html", employer=employer, form=form, contacts=contacts,
                           visible_team_ids=visible, Client=Client)
