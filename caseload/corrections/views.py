"""Correcting and deleting recorded contacts, disclosure discussions and benefits plans (a
placement is edited on its own page, caseload/clients/edits.py; it is deleted here)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from caseload import audit, clock, drafts
from caseload.corrections import records
from caseload.corrections.forms import FORMS, DeleteRecordForm
from caseload.extensions import db
from caseload.forms_common import attach_error
from caseload.models import DomainError, vocab
from caseload.models.employers import find_or_create_employer
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("corrections", __name__)
drafts.resumable("corrections.edit")


def _back(record_type: str, record, client_id: int | None) -> str:
    if client_id is not None:
        return url_for("clients.show", client_id=client_id) + f"#{record_type}-{record.id}"
    return url_for("dailylog.daily_log", date=record.contact_date.isoformat())



def _apply(record_type: str, record, form) -> None:
    today = clock.today()
    if record_type == "contact":
        name = (form.employer.data or "").strip()
        if name and form.kind.data not in vocab.KINDS_WITH_EMPLOYER:
            raise DomainError(_("Only an employer contact names an employer: choose the kind "
                                "Employer, or clear this field."), "employer")
        record.correct(today=today, contact_date=form.contact_date.data, kind=form.kind.data,
                       mode=form.mode.data, place=form.place.data,
                       minutes=form.minutes.data or 0, note=form.note.data or "",
                       employer=find_or_create_employer(db.session, name) if name else None)
    elif record_type == "disclosure":
        record.discussed_on, record.decision = form.discussed_on.data, form.decision.data
        record.note = form.note.data or ""
    else:
        record.offered_on = form.offered_on.data
        record.by_benefits_specialist = form.by_benefits_specialist.data
        record.note = form.note.data or ""


@bp.route("/records/<record_type>/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_type: str, record_id: int):
    record = records.correctable_or_404(record_type, record_id)
    client_id = records.KINDS[record_type].client_id(record)
    if record_type == "placement":
        return redirect(url_for("clients.edit_placement", client_id=client_id,
                                placement_id=record.id))
    audit.record(client_id, record_type)
    resumed = drafts.take("corrections.edit", record_type=record_type, record_id=record_id)
    form_class = FORMS[record_type]
    if resumed:
        form = form_class(formdata=resumed[1])
    else:
        form = form_class(obj=record)
        if request.method == "GET" and record_type == "contact" and record.employer:
            form.employer.data = record.employer.name
    if not resumed and form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            records.remember(record_type, record, action="edit", reason=form.reason.data)
            _apply(record_type, record, form)
        if work.failed:
            attach_error(form, work.error)
        else:
            audit.record(client_id, record_type, "correct")
            flash(_("Corrected; the earlier version is kept."), "success")
            return redirect(_back(record_type, record, client_id))
    versions = records.history_of(record_type, record, client_id)
    return render_template("corrections/edit.html", form=form, record=record,
                           record_type=record_type, client_id=client_id, versions=versions,
                           describe=records.describe, delete_form=DeleteRecordForm(formdata=None, prefix="delete"),
                           back=_back(record_type, record, client_id)), \
        422 if form.errors else 200


@bp.route("/records/<record_type>/<int:record_id>/delete", methods=["POST"])
@login_required
def delete(record_type: str, record_id: int):
    record = records.correctable_or_404(record_type, record_id)
    client_id = records.KINDS[record_type].client_id(record)
    form = DeleteRecordForm(prefix="delete")
    back = _back(record_type, record, client_id).split("#")[0]
    if not form.validate_on_submit():
        # The page the form was on, shown again with the reason's message and what was typed.
        if record_type == "placement":
            from caseload.clients.edits import placement_page
            return placement_page(record.trajectory.client, record, delete_form=form,
                                  status=422)
        versions = records.history_of(record_type, record, client_id)
        return render_template("corrections/edit.html", form=FORMS[record_type](obj=record),
                               record=record, record_type=record_type, client_id=client_id,
                               versions=versions, describe=records.describe, delete_form=form,
                               back=back, page_address=url_for(
                                   "corrections.edit", record_type=record_type,
                                   record_id=record.id)), 422
    if record_type == "contact" and client_id is None:
        back = url_for("dailylog.daily_log", date=record.contact_date.isoformat())
    records.delete(record_type, record, reason=form.reason.data)
    db.session.commit()
    audit.record(client_id, record_type, "delete")
    flash(_("Deleted; the deleted version is kept in the history."), "success")
    return redirect(back)


