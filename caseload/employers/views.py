"""Employers and their job development log (the contacts with them)."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from caseload import audit
from caseload.access import me, visible_team_ids
from caseload.employers.forms import EmployerForm
from caseload.extensions import db
from caseload.models import Client, Contact, Employer, EmployerChange, Placement, Trajectory
from caseload.models.employers import MATCHING, match_patterns, names_matching, same_name
from caseload.paging import paginate
from caseload.scope import clients_of, contacts_of
from caseload.translating import gettext as _

bp = Blueprint("employers", __name__, url_prefix="/employers")


@bp.route("/")
@login_required
def index():
    """The shared register, a page at a time, searchable by name or place; per employer the
    number of contacts and the last contact by the caller's teams (scope.py), counted in SQL
    for the employers on the page only."""
    search = " ".join((request.args.get("q") or "").split())[:100]
    page = paginate(db.session, _register(bool(search)),
                    params=match_patterns(search) if search else None, rows=True)
    ids = [employer.id for employer in page.items]
    stats = {}
    if ids:
        stats = {employer_id: (n, last) for employer_id, n, last in db.session.connection().execute(
            _contact_stats(), {"ids": ids, "team_ids": list(visible_team_ids())}).all()}
    rows = [(employer, *stats.get(employer.id, (0, None))) for employer in page.items]
    return render_template("employers/index.html", rows=rows, page=page, search=search)


@cache
def _register(searching: bool):
    """The register's rows in order (the columns the page shows), matching the search if any:
    built once per process (the search's patterns bound: match_patterns)."""
    query = (select(Employer.id, Employer.name, Employer.sector, Employer.place)
             .order_by(Employer.name, Employer.id))
    return query.where(MATCHING) if searching else query


@cache
def _contact_stats():
    """Per employer of a page, the contacts by the teams and the last one's date."""
    # count(*), not count(id): read from ix_contact_employer_date_who alone
    return (select(Contact.employer_id, func.count().label("n"),
                   func.max(Contact.contact_date).label("last"))
            .where(Contact.employer_id.in_(bindparam("ids", expanding=True)),
                   contacts_of(bindparam("team_ids", expanding=True)))
            .group_by(Contact.employer_id))


def _save(form: EmployerForm, employer: Employer) -> bool:
    clash = db.session.scalar(select(Employer.id).where(
        same_name(" ".join(form.name.data.split())), Employer.id != employer.id).limit(1))
    if clash:
        form.name.errors.append(_("An employer with this name already exists."))
        return False
    values = {name: getattr(form, name).data or "" for name in Employer.EDITABLE}
    values["name"] = " ".join(values["name"].split())
    employer.change(me(), **values)
    db.session.add(employer)
    db.session.commit()
    flash(_("Saved."), "success")
    return True


# The employer field's suggestions (static/employer_lookup.js): a name typed in part gives at
# most LOOKUP_LIMIT names. The register is shared by every team and holds no client data, so
# the answer reveals nothing team-specific and is not access-logged (as the employer pages).
LOOKUP_LIMIT = 20
LOOKUP_MAX_QUERY = 80


@bp.route("/lookup")
@login_required
def lookup():
    text = request.args.get("q", "")
    if len(text) > LOOKUP_MAX_QUERY:
        return jsonify(error=_("Type at most %(num)d characters.", num=LOOKUP_MAX_QUERY)), 400
    return jsonify(names=names_matching(db.session, text, LOOKUP_LIMIT))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = EmployerForm()
    employer = Employer()
    if form.validate_on_submit() and _save(form, employer):
        return redirect(url_for("employers.show", employer_id=employer.id))
    return render_template("employers/edit.html", form=form, employer=None), \
        422 if form.errors else 200


@bp.route("/<int:employer_id>", methods=["GET", "POST"])
@login_required
def show(employer_id: int):
    employer = db.session.get(Employer, employer_id) or abort(404)
    form = EmployerForm(obj=employer)
    if form.validate_on_submit() and _save(form, employer):
        return redirect(url_for("employers.show", employer_id=employer.id))
    # The register is shared; its contacts and placements are the caller's teams' only
    # (about their clients, or general contacts by their members): scope.py.
    team_ids = visible_team_ids()
    contacts = list(db.session.scalars(
        select(Contact).where(Contact.employer_id == employer.id, contacts_of(team_ids))
        .options(selectinload(Contact.worker), selectinload(Contact.client))
        .order_by(Contact.contact_date.desc(), Contact.id.desc())))
    placements = list(db.session.scalars(
        select(Placement).join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .join(Client, Client.id == Trajectory.client_id)
        .where(Placement.employer_id == employer.id, clients_of(team_ids))
        .options(selectinload(Placement.trajectory).selectinload(Trajectory.client))
        .order_by(Placement.start_date.desc())))
    changes = list(db.session.scalars(
        select(EmployerChange).where(EmployerChange.employer_id == employer.id)
        .options(selectinload(EmployerChange.changed_by))
        .order_by(EmployerChange.id.desc())))
    audit.record({c.client_id for c in contacts if c.client_id}
                 | {p.trajectory.client_id for p in placements}, "employer_log", "list")
    # Corrections: the kept versions of the contacts shown, and the general contacts with this
    # employer that were deleted (a client's deleted contacts are on the client's page).
    from caseload.corrections import records
    history = records.history_of_records("contact", [c.id for c in contacts])
    deleted_history = records.deleted_general_contacts(employer.id, team_ids)
    history.update(deleted_history)
    deleted = sorted((versions[0] for versions in deleted_history.values()),
                     key=lambda v: v.changed_at, reverse=True)
    return render_template("employers/show.html", employer=employer, form=form, contacts=contacts,
                           placements=placements, changes=changes, history=history,
                           deleted=deleted, describe=records.describe,
                           may_correct=records.may_correct), 422 if form.errors else 200
