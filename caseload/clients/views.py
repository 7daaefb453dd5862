"""The caseload overview and the client page with its actions. Views stay thin: the rules
live on the models, the overview query in overview.py, the client page in page.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload import audit, clock, drafts
from caseload.access import (
    client_or_404,
    me,
    move_targets,
    placement_or_404,
    team_worker_names,
    team_workers,
    visible_team_ids,
    visible_worker_or_404,
)
from caseload.clients import forms
from caseload.clients.overview import caseload_rows, cover_rows, sort_rows
from caseload.clients.page import apply_form, client_page, page_client
from caseload.clients.rows import table_rows as caseload_table_rows
from caseload.extensions import db
from caseload.field_html import field_html, hidden_html, widget_html
from caseload.forms_common import attach_error, options
from caseload.models import (
    BenefitsPlan,
    Client,
    DisclosureDiscussion,
    DomainError,
    Placement,
    Team,
    Trajectory,
    User,
    VocationalProfile,
)
from caseload.models.employers import find_or_create_employer
from caseload.models.placements import follow_placement
from caseload.models.vocab import PHASES
from caseload.request_input import id_arg
from caseload.signal_list import signal_list
from caseload.signals import open_signal_lines
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("clients", __name__)
for _writer in (field_html, hidden_html, widget_html):  # the client page's forms, written fast
    bp.add_app_template_global(_writer)
bp.add_app_template_global(signal_list)  # signals/_list.html: the caseload's and client page's


@bp.route("/")
@login_required
def index():
    if current_user.is_admin and not current_user.team_ids:
        return redirect(url_for("admin.users"))
    return redirect(url_for("clients.caseload"))


@bp.route("/caseload")
@login_required
def caseload():
    """One worker's caseload (default: mine; ?worker=<id>) or the whole team's
    (?worker=team; a coordinator's default). Always within the caller's teams: a colleague in
    two teams shows here only the part of their caseload in the caller's teams."""
    return caseload_page(request.args)


def caseload_page(args, *, handover_form=None, ticked=frozenset(), status: int = 200):
    """The caseload for the query arguments `args` (worker, scope, sort, desc); with a refused
    `handover_form` (its errors at its fields, what was typed in them) and the clients that
    were `ticked` for it (their trajectory ids), shown again in answer to its POST."""
    today = clock.today()
    team_ids = visible_team_ids()
    workers = team_worker_names(team_ids)  # (id, name) rows: the filter and hand-over name them
    chosen = args.get("worker", "")
    if chosen.isdigit():
        # bounded: 404 beyond the int range
        worker = visible_worker_or_404(id_arg("worker", source=args))
    elif chosen == "team" or args.get("scope") == "team" or (
            current_user.is_coordinator and chosen != "me"):
        worker = None
    else:
        worker = me()
    rows = caseload_rows(as_of=today, team_ids=team_ids,
                         worker_ids=None if worker is None else [worker.id])
    sort = args.get("sort", "client")
    descending = args.get("desc") == "1"
    rows = sort_rows(rows, sort, descending)
    # A coordinator sees the team's "to be assigned" list on top (and not again below).
    unassigned = (caseload_rows(as_of=today, team_ids=team_ids, unassigned=True)
                  if current_user.is_coordinator else [])
    listed = (unassigned + [row for row in rows if row.worker_id is not None]
              if current_user.is_coordinator else rows)
    covering = cover_rows(today, me(), team_ids) if worker is not None and worker.id == current_user.id else []
    audit.record([row.client_id for row in listed + [r for r, _a in covering]],
                 "caseload", "list")
    signals = open_signal_lines(db.session, worker_ids=None if worker is None else [worker.id],
                                team_ids=team_ids)
    shown_args = {"worker": "team"} if worker is None else {"worker": worker.id}
    if not current_user.is_coordinator:
        handover_form = None
    elif handover_form is None:
        from caseload.transfers.forms import HandoverForm
        handover_form = HandoverForm(formdata=None, on=today)
        handover_form.set_workers(workers)
    from caseload.norms.worker_norms import capacity_of
    from caseload.signal_texts import settings_in_force
    settings = settings_in_force()
    capacity = capacity_of(worker.fte, settings) if worker is not None else None
    # The rows written in one pass (clients/rows.py), the phase names translated once.
    table_rows = caseload_table_rows(
        listed, one_worker=worker is not None, handover=handover_form is not None,
        phase_labels={phase: str(label) for phase, label in PHASES.items()}, ticked=ticked)
    return render_template("clients/caseload.html", rows=rows, worker=worker, workers=workers,
                           table_rows=table_rows,
                           capacity=capacity, clients_per_fte=settings.clients_per_fte,
                           sort=sort, descending=descending, today=today, signals=signals,
                           args=shown_args, unassigned=unassigned, covering=covering,
                           handover_form=handover_form,
                           page_address=(url_for("clients.caseload", **shown_args)
                                         if status != 200 else None)), status


@bp.route("/clients/new", methods=["GET", "POST"])
@login_required
def new_client():
    resumed = drafts.take("clients.new_client")
    form = forms.NewClientForm(formdata=resumed[1]) if resumed else forms.NewClientForm()
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(visible_team_ids()))
                                    .order_by(Team.name)))
    if not teams:
        abort(403)
    form.team_id.choices = options((t.id, t.name) for t in teams)
    workers = team_workers([t.id for t in teams])
    form.worker_id.choices = options((w.id, w.name) for w in workers)
    if request.method == "GET" and not resumed:
        form.worker_id.data = current_user.id
        form.program_entry_date.data = clock.today()
    if not resumed and form.validate_on_submit():
        code = form.client_code.data.strip()
        if db.session.scalar(select(Client.id).where(Client.client_code == code)):
            form.client_code.errors.append(_("This client code is already in use."))
        else:
            worker = db.session.get(User, form.worker_id.data)
            client = Client(client_code=code, name=form.name.data or "",
                            referral_source=form.referral_source.data or "",
                            team_id=form.team_id.data)
            with unit_of_work(expected=DomainError) as work:
                client.start_trajectory(
                    worker=worker, program_entry_date=form.program_entry_date.data,
                    today=clock.today(), trajectory_type=form.trajectory_type.data,
                    funder=form.funder.data, planned_end=form.planned_end.data, by=me(),
                    in_work_at_referral=forms.in_work_value(form.in_work_at_referral.data))
                db.session.add(client)
            if work.failed:
                attach_error(form, work.error)
            else:
                audit.record(client.id, "client", "change")
                flash(_("Client %(code)s added.", code=client.client_code), "success")
                return redirect(url_for("clients.show", client_id=client.id))
    return render_template("clients/new.html", form=form), 422 if form.errors else 200


# The client page's forms, by the endpoint they are sent to: a submission kept over a session
# timeout (caseload/drafts.py) is filled in again in its form on the page.
CLIENT_PAGE_FORMS = {
    "clients.change_phase": ("phase_form", lambda args, data: forms.PhaseChangeForm(formdata=data)),
    "clients.end_trajectory": ("end_form",
                               lambda args, data: forms.EndTrajectoryForm(formdata=data)),
    "clients.new_trajectory": ("trajectory_form",
                               lambda args, data: forms.NewTrajectoryForm(formdata=data)),
    "clients.start_placement": ("placement_form",
                                lambda args, data: forms.StartPlacementForm(formdata=data)),
    "clients.end_placement": ("end_placement_form", lambda args, data: forms.end_placement_form(
        args["placement_id"], formdata=data)),
    "clients.add_disclosure": ("disclosure_form",
                               lambda args, data: forms.DisclosureForm(formdata=data)),
    "clients.add_benefits_plan": ("benefits_form",
                                  lambda args, data: forms.benefits_plan_form(formdata=data)),
    "clients.save_profile": ("profile_form", lambda args, data: forms.ProfileForm(formdata=data)),
    "week.log_attempt": ("attempt_form", lambda args, data: _attempt_form(data)),
    "transfers.hand_over_client": ("handover_form", lambda args, data: _handover_form(args, data)),
    "transfers.move_client": ("team_move_form", lambda args, data: _team_move_form(args, data)),
}
# Every form the client page sends (tests/test_drafts.py walks the page): so the page may say
# that what was typed is kept (drafts.page_keeps_forms).
drafts.resumable("clients.new_client", *CLIENT_PAGE_FORMS, shown_on=("clients.show",))


# Shown whether or not the client has an open trajectory; the others only with one.
FORMS_WITHOUT_TRAJECTORY = ("clients.new_trajectory", "clients.save_profile")


def _forms_shown_now(client: Client) -> tuple[dict, set[int]]:
    """The client page's forms the page shows now, to this user, and the jobs it shows an end
    form for: a kept submission to another (the trajectory has ended since, or that job, the
    user coordinates no more, no team to move to) stays kept instead of being taken and lost
    on a page that has no form for it."""
    if not drafts.may_have_kept():
        return {}, set()   # no statements of this on a view without kept forms (most of them)
    shown = dict(CLIENT_PAGE_FORMS)
    trajectory = client.open_trajectory
    open_jobs = set()
    if trajectory is None:
        shown = {e: f for e, f in shown.items() if e in FORMS_WITHOUT_TRAJECTORY}
    else:
        open_jobs = set(db.session.scalars(select(Placement.id).where(
            Placement.trajectory_id == trajectory.id, Placement.end_date.is_(None))))
        if not open_jobs:
            shown.pop("clients.end_placement")  # the jobs ended since: no end form to fill in
    if not (current_user.is_coordinator or current_user.is_admin):
        shown.pop("transfers.hand_over_client", None)
        shown.pop("transfers.move_client", None)
    elif "transfers.move_client" in shown and not move_targets(client):
        shown.pop("transfers.move_client")
    return shown, open_jobs


def _attempt_form(data):
    from caseload.week.forms import AttemptForm
    return AttemptForm(formdata=data)


def _handover_form(args, data):
    from caseload.transfers.forms import HandoverForm
    form = HandoverForm(formdata=data)
    form.set_workers(team_workers([db.session.get(Client, args["client_id"]).team_id]))
    return form


def _team_move_form(args, data):
    from caseload.transfers.forms import TeamMoveForm
    form = TeamMoveForm(formdata=data)
    form.set_targets(move_targets(db.session.get(Client, args["client_id"])),
                     lambda team: team_workers([team.id]))
    return form


@bp.route("/clients/<int:client_id>")
@login_required
def show(client_id: int):
    client = client_or_404(client_id, page_client())
    shown, open_jobs = _forms_shown_now(client)
    # a kept job ending only for a job still open (of two jobs, the other may have ended)
    resumed = drafts.take(shown, client_id=client.id, accept=lambda endpoint, arguments: (
        endpoint != "clients.end_placement" or arguments.get("placement_id") in open_jobs))
    if resumed:
        endpoint, data, view_args = resumed
        name, make = CLIENT_PAGE_FORMS[endpoint]
        return client_page(client, **{name: make(view_args, data)})
    if request.args.get("start") and client.open_trajectory is None:  # from a search result
        from caseload.clients import forms as client_forms
        return client_page(client, trajectory_form=client_forms.NewTrajectoryForm(
            program_entry_date=clock.today(), formdata=None, worker_id=current_user.id))
    return client_page(client)


def _open_trajectory_or_400(client: Client) -> Trajectory:
    trajectory = client.open_trajectory
    if trajectory is None:
        abort(400)
    return trajectory


@bp.route("/clients/<int:client_id>/phase", methods=["POST"])
@login_required
def change_phase(client_id: int):
    client = client_or_404(client_id)
    trajectory = _open_trajectory_or_400(client)
    return apply_form(client, "phase_form", forms.PhaseChangeForm(),
                      lambda f: trajectory.change_phase(f.phase.data, on=f.changed_on.data,
                                                        by=me(), today=clock.today()))


@bp.route("/clients/<int:client_id>/end", methods=["POST"])
@login_required
def end_trajectory(client_id: int):
    client = client_or_404(client_id)
    trajectory = _open_trajectory_or_400(client)
    return apply_form(client, "end_form", forms.EndTrajectoryForm(), lambda f: trajectory.end(
        on=f.ended_on.data, reason=f.end_reason.data, today=clock.today()))


@bp.route("/clients/<int:client_id>/trajectory", methods=["POST"])
@login_required
def new_trajectory(client_id: int):
    client = client_or_404(client_id)
    form = forms.NewTrajectoryForm()
    form.worker_id.choices = options((w.id, w.name) for w in team_workers([client.team_id]))

    def start(f):
        client.start_trajectory(
            worker=db.session.get(User, f.worker_id.data), program_entry_date=f.program_entry_date.data,
            today=clock.today(), trajectory_type=f.trajectory_type.data, funder=f.funder.data,
            planned_end=f.planned_end.data, by=me(),
            in_work_at_referral=forms.in_work_value(f.in_work_at_referral.data))
    return apply_form(client, "trajectory_form", form, start)


@bp.route("/clients/<int:client_id>/placements", methods=["POST"])
@login_required
def start_placement(client_id: int):
    client = client_or_404(client_id)
    trajectory = _open_trajectory_or_400(client)

    def start(f):
        db.session.add(Placement.start(
            trajectory=trajectory, employer=find_or_create_employer(db.session, f.employer_name.data),
            job_title=f.job_title.data, start_date=f.start_date.data,
            hours_per_week=f.hours_per_week.data, today=clock.today(), job_type=f.job_type.data or "",
            placement_type=f.placement_type.data, hourly_wage=f.hourly_wage.data,
            contract=f.contract.data, competitive=f.competitive.data,
            recorded_by_id=current_user.id))
        if f.move_to_coaching.data:
            follow_placement(trajectory, "coaching", on=f.start_date.data, by=me(),
                             today=clock.today())
    return apply_form(client, "placement_form", forms.StartPlacementForm(), start)


@bp.route("/clients/<int:client_id>/placements/<int:placement_id>/end", methods=["POST"])
@login_required
def end_placement(client_id: int, placement_id: int):
    client = client_or_404(client_id)
    placement = placement_or_404(client, placement_id)

    def finish(f):
        placement.finish(on=f.end_date.data, reason=f.end_reason.data, today=clock.today())
        others = [p for p in _placements_of(placement.trajectory)
                  if p.id != placement.id and p.start_date <= f.end_date.data
                  and (p.end_date is None or p.end_date >= f.end_date.data)]
        if f.back_to_job_finding.data and not others:
            follow_placement(placement.trajectory, "job_finding", on=f.end_date.data, by=me(),
                             today=clock.today())
    return apply_form(client, "end_placement_form", forms.end_placement_form(placement.id), finish)


def _placements_of(trajectory: Trajectory) -> list[Placement]:
    return list(db.session.scalars(select(Placement).where(Placement.trajectory_id == trajectory.id)))


@bp.route("/clients/<int:client_id>/disclosures", methods=["POST"])
@login_required
def add_disclosure(client_id: int):
    client = client_or_404(client_id)
    return apply_form(client, "disclosure_form", forms.DisclosureForm(), lambda f: db.session.add(
        DisclosureDiscussion(client=client, worker=me(), discussed_on=f.discussed_on.data,
                             decision=f.decision.data, note=f.note.data or "")))


@bp.route("/clients/<int:client_id>/benefits", methods=["POST"])
@login_required
def add_benefits_plan(client_id: int):
    client = client_or_404(client_id)
    return apply_form(client, "benefits_form", forms.benefits_plan_form(), lambda f: db.session.add(
        BenefitsPlan(client=client, offered_by=me(), offered_on=f.offered_on.data,
                     by_benefits_specialist=f.by_benefits_specialist.data, note=f.note.data or "")))


@bp.route("/clients/<int:client_id>/profile", methods=["POST"])
@login_required
def save_profile(client_id: int):
    client = client_or_404(client_id)
    form = forms.ProfileForm()

    def save(f):
        profile = client.profile
        if profile is None:  # assigned on the parent, so the cascade adds it to the session
            profile = client.profile = VocationalProfile()
        if client.profile is not None and f.version.data and str(profile.version) != f.version.data:
            raise DomainError(_("Someone else changed this profile meanwhile; your text is kept "
                                "below. Copy what you need, reload and save again."), "preferences")
        for name in ("preferences", "experience", "skills", "strengths", "adjustments", "network"):
            setattr(profile, name, getattr(f, name).data or "")
    return apply_form(client, "profile_form", form, save)


# Editing a client's details and a placement (edits.py): routes on this blueprint too.
from caseload.clients import edits  # noqa: E402,F401
