"""Editing a client's details and a placement, with optimistic locking (version columns)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from caseload import drafts
from caseload.access import client_or_404, placement_or_404, refuse
from caseload.clients.edit_forms import ClientDetailsForm, PlacementDetailsForm
from caseload.clients.forms import in_work_token, in_work_value
from caseload.clients.views import bp
from caseload.extensions import db
from caseload.forms_common import attach_error
from caseload.models import Client
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

drafts.resumable("clients.edit_client", "clients.edit_placement")


def _conflict(form, record) -> bool:
    """True when the record changed since the form was loaded; the form then says so and keeps
    what was typed, and shows the other person's values next to it."""
    if str(record.version) == (form.version.data or ""):
        return False
    form.form_errors.append(_(
        "Someone else saved this record while you were editing it. Your input is kept below; "
        "check their values, then save again to overwrite them."))
    form.version.data = str(record.version)  # a second save is a deliberate overwrite
    return True


def _save_or_conflict(form, record, apply) -> bool:
    if _conflict(form, record):
        return False
    # The version column makes a parallel save fail at the commit: rolled back, shown.
    with unit_of_work(expected=StaleDataError) as work:
        apply()
    if work.failed:
        form.form_errors.append(_("Someone else saved this record at the same moment. "
                                  "Your input is kept below; save again."))
        return False
    flash(_("Saved."), "success")
    return True


@bp.route("/clients/<int:client_id>/details", methods=["GET", "POST"])
@login_required
def edit_client(client_id: int):
    client = client_or_404(client_id)
    trajectory = client.open_trajectory or (client.trajectories[-1] if client.trajectories
                                            else None)
    resumed = drafts.take("clients.edit_client", client_id=client.id)
    form = ClientDetailsForm(formdata=resumed[1]) if resumed else ClientDetailsForm(obj=client)
    if trajectory is None:
        del form.in_work_at_referral
    elif not form.is_submitted() and not resumed:
        form.in_work_at_referral.data = in_work_token(trajectory.in_work_at_referral)
    if not resumed and form.validate_on_submit():
        code = form.client_code.data.strip()
        if db.session.scalar(select(Client.id).where(Client.client_code == code,
                                                     Client.id != client.id)):
            form.client_code.errors.append(_("This client code is already in use."))
        else:
            typed = {name: getattr(form, name).data or "" for name in
                     ("client_code", "name", "referral_source")}

            def apply():
                for name, value in typed.items():
                    setattr(client, name, value.strip())
                if trajectory is not None:
                    trajectory.in_work_at_referral = in_work_value(form.in_work_at_referral.data)
            if _save_or_conflict(form, client, apply):
                return redirect(url_for("clients.show", client_id=client.id))
            db.session.refresh(client)
            return render_template("clients/edit_details.html", client=client, form=form,
                                   current=client), 409
    return render_template("clients/edit_details.html", client=client, form=form,
                           current=None), 422 if form.errors else 200


@bp.route("/clients/<int:client_id>/placements/<int:placement_id>/edit",
          methods=["GET", "POST"])
@login_required
def edit_placement(client_id: int, placement_id: int):
    """Correct a placement: the recorder or the team's coordinator, with a reason; the version
    before is kept (caseload/corrections/)."""
    from caseload import audit, clock
    from caseload.corrections import records
    from caseload.models import DomainError

    client = client_or_404(client_id)
    placement = placement_or_404(client, placement_id)
    if not records.may_correct("placement", placement):
        refuse(client.id, 403)
    resumed = drafts.take("clients.edit_placement", client_id=client.id, placement_id=placement.id)
    form = PlacementDetailsForm(formdata=resumed[1]) if resumed else PlacementDetailsForm(
        obj=placement)
    if request.method == "GET" and not resumed:
        form.end_reason.data = placement.end_reason or ""
    status = 200
    current = None
    if not resumed and form.validate_on_submit():
        names = ("job_type", "placement_type", "hours_per_week", "hourly_wage", "contract",
                 "competitive")
        typed = {name: getattr(form, name).data for name in names}
        if _conflict(form, placement):
            current, status = placement, 409
        else:
            # The version column makes a parallel save fail at the commit.
            with unit_of_work(expected=(DomainError, StaleDataError)) as work:
                records.remember("placement", placement, action="edit", reason=form.reason.data)
                placement.correct(today=clock.today(), start_date=form.start_date.data,
                                  end_date=form.end_date.data,
                                  end_reason=form.end_reason.data or None,
                                  job_title=form.job_title.data, **typed)
            if isinstance(work.error, DomainError):
                attach_error(form, work.error)
            elif work.failed:
                form.form_errors.append(_("Someone else saved this record at the same "
                                          "moment. Your input is kept below; save again."))
                db.session.refresh(placement)
                current, status = placement, 409
            else:
                audit.record(client.id, "placement", "correct")
                flash(_("Saved."), "success")
                return redirect(url_for("clients.show", client_id=client.id))
    if form.errors and status == 200:
        status = 422
    return placement_page(client, placement, form, current=current, status=status)


def placement_page(client, placement, form=None, *, delete_form=None, current=None,
                   status: int = 200):
    """The placement's page: its correction form and its delete form, either one refused
    (its errors at its fields, what was typed in them) in answer to its POST."""
    from caseload.corrections import records
    from caseload.corrections.forms import DeleteRecordForm
    if form is None:
        form = PlacementDetailsForm(obj=placement, formdata=None)
        form.end_reason.data = placement.end_reason or ""
    versions = records.history_of_client(client.id).get(("placement", placement.id), [])
    return render_template(
        "clients/edit_placement.html", client=client, form=form, placement=placement,
        current=current, versions=versions, describe=records.describe, record_type="placement",
        delete_form=delete_form or DeleteRecordForm(formdata=None, prefix="delete"),
        page_address=url_for("clients.edit_placement", client_id=client.id,
                             placement_id=placement.id)), status
