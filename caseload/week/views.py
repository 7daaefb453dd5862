"""My week: what is due today and in the next days, the week's employer contacts against the
norm, the planned appointments; planning, moving and closing appointments; outreach attempts.
Views stay thin: the due list is caseload/due/, the queries caseload/week/agenda.py."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload import audit, clock
from caseload.access import client_or_404, me, refuse, visible_team_ids
from caseload.due import due_for
from caseload.extensions import db
from caseload.forms_common import attach_error, options
from caseload.models import Appointment, Client, DomainError, OutreachAttempt, Trajectory
from caseload.models.employers import find_or_create_employer
from caseload.norms.settings import NormSettings
from caseload.norms.worker_norms import weekly_employer_contact_figures
from caseload.request_input import parse_id, safe_next
from caseload.scope import appointments_of, clients_of
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work
from caseload.week import agenda
from caseload.week.forms import AppointmentForm, AttemptForm, MoveForm

# The appointment forms' names of the model's fields where they differ.
_FORM_NAMES = {"client": "client_id"}

bp = Blueprint("week", __name__)


def _monday(label: str | None) -> date:
    if not label:
        return clock.monday_of(clock.today())
    try:
        return clock.parse_iso_week(label)
    except ValueError:
        abort(404)


@bp.route("/week")
@login_required
def index():
    """The worker's week. The due list is always from today on (what to do now); the
    appointments and employer contacts are those of the week shown."""
    team_ids = visible_team_ids()
    if not team_ids:
        abort(403)
    today = clock.today()
    monday = _monday(request.args.get("week"))
    sunday = monday + timedelta(days=6)
    this_week = monday <= today <= sunday
    settings = NormSettings.load(db.session)
    due = due_for(db.session, today, settings, me(), team_ids) if this_week else []
    appointments = agenda.appointments(team_ids, first=monday, last=sunday,
                                       worker_id=current_user.id)
    figures = weekly_employer_contact_figures(db.session, monday, sunday,
                                              settings).get(current_user.id)
    unreached = agenda.unreached_clients(db.session, team_ids, today) \
        if current_user.is_coordinator else []
    audit.record({item.client_id for item in due} | {a.client_id for a in appointments
                                                      if a.client_id is not None}
                 | {row.id for row in unreached}, "week", "list")
    return render_template(
        "week/index.html", due=due, appointments=appointments, figures=figures,
        monday=monday, sunday=sunday, this_week=this_week, today=today, unreached=unreached,
        label=clock.week_label(monday), previous=clock.week_label(monday - timedelta(days=7)),
        next=clock.week_label(monday + timedelta(days=7)), local_time=agenda.local_time,
        back=url_for("week.index"))


def _client_choices():
    rows = db.session.execute(
        select(Client.id, Client.client_code, Trajectory.worker_id)
        .join(Trajectory, (Trajectory.client_id == Client.id) & Trajectory.ended_on.is_(None))
        .where(clients_of(visible_team_ids())).order_by(Client.client_code)).all()
    mine = [(cid, code) for cid, code, wid in rows if wid == current_user.id]
    others = [(cid, code) for cid, code, wid in rows if wid != current_user.id]
    return (options([(0, "—")]) + options(mine, optgroup=_("My clients"))
            + options(others, optgroup=_("Team"))), {cid for cid, _c, _w in rows}


@bp.route("/appointments/new", methods=["GET", "POST"])
@login_required
def new_appointment():
    if not visible_team_ids():
        abort(403)
    form = AppointmentForm()
    choices, client_ids = _client_choices()
    form.client_id.choices = choices
    if request.method == "GET":
        form.starts_on.data = clock.today()
        wanted = parse_id(request.args.get("client"))
        if wanted is not None and wanted in client_ids:
            form.client_id.data = wanted
    if form.validate_on_submit():
        # 0 ("—"): a general employer appointment; the model refuses it for other kinds.
        client = db.session.get(Client, form.client_id.data) \
            if form.client_id.data in client_ids else None
        with unit_of_work(expected=DomainError) as work:  # drops an employer created for it
            name = (form.employer.data or "").strip()
            appointment = Appointment.plan(
                worker=me(), client=client, today=clock.today(),
                starts_at=agenda.local_moment(form.starts_on.data, form.starts_time.data),
                kind=form.kind.data, mode=form.mode.data, place=form.place.data,
                location=form.location.data or "", minutes=form.minutes.data,
                employer=find_or_create_employer(db.session, name) if name else None)
            db.session.add(appointment)
        if work.failed:
            attach_error(form, work.error, names=_FORM_NAMES)
        else:
            if client is not None:
                audit.record(client.id, "appointment", "change")
            flash(_("Appointment planned."), "success")
            return redirect(url_for("week.index", week=clock.week_label(
                clock.monday_of(form.starts_on.data))))
    status = 422 if request.method == "POST" else 200
    return render_template("week/appointment_form.html", form=form), status


def _appointment_or_404(appointment_id: int) -> Appointment:
    """An appointment of a client of the caller's teams; only its worker or a coordinator may
    change it."""
    appointment = db.session.scalar(
        select(Appointment).where(Appointment.id == appointment_id,
                                  appointments_of(visible_team_ids())))
    if appointment is None:  # another team's, or none: a denied attempt at its client
        refuse(db.session.scalar(select(Appointment.client_id).where(
            Appointment.id == appointment_id)))
    if appointment.worker_id != current_user.id and not current_user.is_coordinator:
        refuse(appointment.client_id, 403)
    if appointment.client_id is not None:
        audit.record(appointment.client_id, "appointment")
    return appointment


def _back(appointment: Appointment) -> str:
    return safe_next(request.form.get("next"), url_for("week.index", week=clock.week_label(
        clock.monday_of(clock.local_date(appointment.starts_at)))))


@bp.route("/appointments/<int:appointment_id>/done", methods=["POST"])
@login_required
def appointment_done(appointment_id: int):
    """Done: the daily log opens with the contact filled in, so it is one click to save."""
    appointment = _appointment_or_404(appointment_id)
    with unit_of_work(expected=DomainError) as work:
        appointment.mark_done(today=clock.today())
    if work.failed:
        flash(str(work.error.message), "error")
        return redirect(_back(appointment))
    day = clock.local_date(appointment.starts_at)
    return redirect(url_for(
        "dailylog.daily_log", client=appointment.client_id, kind=appointment.kind,
        mode=appointment.mode, place=appointment.place, minutes=appointment.minutes,
        employer=appointment.employer.name if appointment.employer else None,
        date=day.isoformat(), next=_back(appointment)))


@bp.route("/appointments/<int:appointment_id>/no-show", methods=["POST"])
@login_required
def appointment_no_show(appointment_id: int):
    appointment = _appointment_or_404(appointment_id)
    with unit_of_work(expected=DomainError) as work:
        db.session.add(appointment.mark_no_show(by=me(), today=clock.today()))
    if work.failed:
        flash(str(work.error.message), "error")
    else:
        flash(_("Recorded as a no-show (an outreach attempt)."), "success")
    return redirect(_back(appointment))


@bp.route("/appointments/<int:appointment_id>/move", methods=["GET", "POST"])
@login_required
def move_appointment(appointment_id: int):
    appointment = _appointment_or_404(appointment_id)
    form = MoveForm()
    if request.method == "GET":
        local = agenda.local_time(appointment.starts_at)
        form.starts_on.data, form.starts_time.data = local.date(), local.time()
    elif form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            new = appointment.move(
                starts_at=agenda.local_moment(form.starts_on.data, form.starts_time.data),
                today=clock.today())
            db.session.add(new)
        if work.failed:
            attach_error(form, work.error, names=_FORM_NAMES)
        else:
            flash(_("Appointment moved."), "success")
            return redirect(url_for("week.index", week=clock.week_label(
                clock.monday_of(form.starts_on.data))))
    status = 422 if request.method == "POST" else 200
    return render_template("week/move.html", form=form, appointment=appointment,
                           local_time=agenda.local_time), status


@bp.route("/clients/<int:client_id>/attempts", methods=["POST"])
@login_required
def log_attempt(client_id: int):
    from caseload.clients.page import apply_form
    client = client_or_404(client_id)
    return apply_form(client, "attempt_form", AttemptForm(), lambda f: db.session.add(
        OutreachAttempt.log(client=client, worker=me(), attempted_on=f.attempted_on.data,
                            method=f.method.data, today=clock.today(), note=f.note.data or "")))


@bp.app_template_global()
def client_agenda(client, attempts=None, appointments=None):
    """The client page's appointments (from a month back) and outreach attempts (`attempts`,
    `appointments`: agenda.attempts_of's rows and client_window's AppointmentLines, where the
    page read them already)."""
    team_ids = visible_team_ids()
    if appointments is None:
        first, last = agenda.client_window(clock.today())
        appointments = agenda.appointments_of_client(client.id, team_ids, first=first, last=last)
    return {"appointments": appointments,
            "attempts": (agenda.attempts_of(client.id, team_ids) if attempts is None
                         else attempts),
            "local_time": agenda.local_time}


# The calendar feed (calendar.py): routes on this blueprint too.
from caseload.week import calendar  # noqa: E402,F401
