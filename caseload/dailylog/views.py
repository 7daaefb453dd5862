"""The daily log: enter a day's contacts in one go; all are saved, or none."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from caseload import audit, clock, drafts
from caseload.access import me, visible_team_ids
from caseload.dailylog.choices import (
    LOOKUP_MAX,
    client_choices,
    clients_named,
    listed_choices,
    matching_clients,
)
from caseload.dailylog.forms import DailyLogForm
from caseload.dailylog.lines import form_attributes, hidden_html, lines_html
from caseload.dailylog.logged import logged_on
from caseload.dailylog.prefill import prefill_from_query
from caseload.extensions import db
from caseload.field_html import field_html
from caseload.forms_common import attach_error
from caseload.models import Client, Contact, DomainError, vocab
from caseload.models.employers import find_or_create_employer
from caseload.request_input import parse_id, safe_next
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("dailylog", __name__)
bp.add_app_template_global(field_html)  # the date field, written fast (also the client page's)
drafts.resumable("dailylog.daily_log")


@bp.route("/log", methods=["GET", "POST"])
@login_required
def daily_log():
    resumed = drafts.take("dailylog.daily_log")
    form = DailyLogForm(formdata=resumed[1]) if resumed else DailyLogForm()
    team_ids = visible_team_ids()
    saving = request.method == "POST" and "more_rows" not in request.form and not resumed
    if saving:
        # A save is checked against the clients its lines name, not the whole list of choices
        # (read only when a code is not exactly a client's: typed in another case, or refused).
        named = clients_named(db.session, team_ids, current_user.id, form.client_codes())
        form.set_client_choices(named.choices if named is not None
                                else client_choices(db.session, team_ids, current_user.id))
        if form.validate_on_submit():
            saved = _save_rows(form, named.clients if named is not None else None)
            if saved is not None:
                flash(ngettext("%(num)d contact saved.", "%(num)d contacts saved.", saved),
                      "success")
                return redirect(safe_next(request.args.get("next"), url_for(
                    "dailylog.daily_log", date=form.contact_date.data.isoformat())))
        else:  # a row failed validation: say so at the top, the row may be off-screen on a phone
            form.form_errors.append(_("Nothing was saved; correct the marked fields."))
    elif "more_rows" in request.form and not resumed:
        # Up to the form's maximum: WTForms raises on one entry more, which would be a 500.
        for _i in range(min(3, form.rows.max_entries - len(form.rows))):
            form.rows.append_entry()
    # The page (also after a refused save, or resumed from a draft: saved only when the user
    # presses save) lists the worker's usual clients and those its lines or link name.
    linked = parse_id(request.args.get("client")) if request.method == "GET" and not resumed \
        else None
    choices = listed_choices(db.session, team_ids, current_user.id, clock.today(),
                             codes=form.client_codes(), ids=[linked] if linked else [])
    form.set_client_choices(choices)
    if request.method == "GET" and not resumed:
        form.contact_date.data = clock.today()
        prefill_from_query(form, request.args, choices)
    day = form.contact_date.data or clock.today()
    logged = logged_on(db.session, current_user.id, day, team_ids)
    # Logged only when the page (with its client list) is shown, not on a saving redirect:
    # the clients offered and those of the day's contacts listed under the form.
    audit.record(sorted({*choices.ids, *(c.client_id for c in logged if c.client_id)}),
                 "daily_log", "list")
    status = 422 if request.method == "POST" and form.errors else 200
    from caseload.corrections import records  # the caller's own contacts: their history
    return render_template("dailylog/log.html", form=form, lines=lines_html(form),
                           form_attributes=form_attributes(), hidden=hidden_html(form),
                           logged=logged, choices=choices,
                           history=records.history_of_records(
                               "contact", [c.id for c in logged if c.corrected]),
                           describe=records.describe, day=day), status


@bp.route("/log/clients")
@login_required
def find_clients():
    """The clients of the caller's teams matching what the worker types in a line's client
    field (static/dailylog.js), as JSON: a few, never the team's list. A client shown is a
    client looked at: each one is in the access log."""
    text = request.args.get("q", "")
    if len(text) > LOOKUP_MAX:
        return jsonify(error=_("Type at most %(num)d characters.", num=LOOKUP_MAX)), 400
    found = matching_clients(db.session, visible_team_ids(), current_user.id, text)
    if found.ids:
        audit.record(found.ids, "daily_log", "search")
    return jsonify(clients=[{"code": c.code, "name": c.name, "mine": c.mine}
                            for c in found.all])


class _RowErrors(Exception):
    """A row has an error (marked at its field): the whole submission is refused."""


def _save_rows(form: DailyLogForm, clients: dict[int, Client] | None) -> int | None:
    """All rows or none: one unit of work, so a row with an error rolls back every row and
    the employers created for this submission. `clients`: the Client objects of the codes the
    lines name (dailylog.choices.clients_named), or None to read them here."""
    if clients is None:  # the clients the lines name, by the ids their codes were found under
        chosen = {row.form.client.choice.id for row in form.rows if row.form.client.choice}
        clients = ({c.id: c for c in db.session.scalars(
            select(Client).where(Client.id.in_(chosen)))} if chosen else {})
    with unit_of_work(expected=_RowErrors) as work:
        contacts = _build_rows(form, clients)
        rows = [_stored(contact) for contact in contacts]
        if rows:  # in the unit's transaction: an error after it rolls it back with the rest
            db.session.execute(insert(Contact.__table__), rows)
    if work.failed:
        form.form_errors.append(_("Nothing was saved; correct the marked fields."))
        return None
    if not contacts:
        form.form_errors.append(_("Fill in at least one contact."))
        return None
    audit.record([row["client_id"] for row in rows if row["client_id"] is not None],
                 "contact", "change")
    return len(contacts)


def _stored(contact: Contact) -> dict:
    """The contact as the row one INSERT writes for all lines (Contact.log checked it; the
    ORM's unit of work would cost more than the rest of a save for the same statement)."""
    return {"contact_date": contact.contact_date, "worker_id": contact.worker.id,
            "kind": contact.kind, "mode": contact.mode, "place": contact.place,
            "minutes": contact.minutes,
            "client_id": contact.client.id if contact.client is not None else None,
            "employer_id": contact.employer.id if contact.employer is not None else None,
            "client_present": contact.client_present, "note": contact.note}


def _build_rows(form: DailyLogForm, clients: dict[int, Client]) -> list[Contact]:
    """Build every contact first; raise _RowErrors when any row has an error."""
    contacts, failed = [], False
    for row in form.rows:
        fields = row.form
        if fields.is_blank():
            continue
        employer_name = (fields.employer.data or "").strip()
        if employer_name and fields.kind.data not in vocab.KINDS_WITH_EMPLOYER:
            # The mistake the issue found: an employer under "Client" counted for the wrong norm.
            failed = True
            fields.employer.errors = list(fields.employer.errors) + [_(
                "Only an employer contact names an employer: choose the kind Employer, "
                "or clear this field.")]
            continue
        try:
            contacts.append(Contact.log(
                contact_date=form.contact_date.data, today=clock.today(), worker=me(),
                kind=fields.kind.data, mode=fields.mode.data, place=fields.place.data,
                minutes=fields.minutes.data or 0,
                client=clients.get(fields.client.choice.id) if fields.client.choice else None,
                employer=find_or_create_employer(db.session, employer_name) if employer_name else None,
                note=fields.note.data or ""))
        except DomainError as error:
            failed = True
            attach_error(fields, error, names={"contact_date": "kind"},
                         default="kind")
    if failed:
        raise _RowErrors()
    return contacts


@bp.route("/log/week/<int:worker_id>/<week>")
@login_required
def week(worker_id: int, week: str):
    """A worker's contacts in one ISO week (YYYY-Www): where a weekly signal links to."""
    from datetime import timedelta

    from caseload.access import visible_worker_or_404
    from caseload.norms.settings import NormSettings
    from caseload.norms.worker_norms import weekly_employer_contact_figures

    worker = visible_worker_or_404(worker_id)
    try:
        monday = clock.parse_iso_week(week)
    except ValueError:
        abort(404)
    sunday = monday + timedelta(days=6)
    # Only the part of the worker's week that concerns the caller's teams (scope.contacts_of):
    # a colleague in two teams shows each team its own clients only.
    from caseload.scope import contacts_of
    contacts = list(db.session.scalars(
        select(Contact).where(Contact.worker_id == worker.id,
                              Contact.contact_date.between(monday, sunday),
                              contacts_of(visible_team_ids()))
        .options(selectinload(Contact.client), selectinload(Contact.employer))
        .order_by(Contact.contact_date, Contact.id)))
    figures = weekly_employer_contact_figures(db.session, monday, sunday,
                                              NormSettings.load(db.session)).get(worker.id)
    audit.record(sorted({c.client_id for c in contacts if c.client_id}), "contact_week", "read")
    from caseload.corrections import records  # the contacts shown: their history
    return render_template("dailylog/week.html", worker=worker, week=week, monday=monday,
                           sunday=sunday, contacts=contacts, figures=figures,
                           history=records.history_of_records("contact",
                                                              [c.id for c in contacts]),
                           describe=records.describe)
