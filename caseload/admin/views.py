"""Administration: users, teams, absences."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from caseload import audit
from caseload.access import role_required
from caseload.admin.forms import AbsenceForm, TeamForm, UserForm
from caseload.extensions import db
from caseload.forms_common import attach_error, options
from caseload.models import Absence, DomainError, Team, User, vocab
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = role_required("admin")


@bp.route("/users")
@admin_only
def users():
    people = list(db.session.scalars(select(User).order_by(User.name)))
    return render_template("admin/users.html", users=people)


def _edit_user(user: User, is_new: bool):
    form = UserForm(obj=user if not is_new else None)
    teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    form.team_ids.choices = options((t.id, t.name) for t in teams)
    absence_form = AbsenceForm(formdata=None)
    before = None if is_new else audit.user_fields(user)
    if not form.is_submitted() and not is_new:
        form.team_ids.data = user.team_ids
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        clash = db.session.scalar(select(User.id).where(func.lower(User.email) == email,
                                                        User.id != (user.id or 0)))
        if clash:
            form.email.errors.append(_("This e-mail address is already in use."))
        elif is_new and not form.password.data and current_app.config.get("PASSWORD_LOGIN", True):
            form.password.errors.append(_("A new user needs a password."))
        else:
            try:
                if form.password.data:
                    user.set_password(form.password.data)
                    # The administrator knows it; the user chooses their own at the next login.
                    user.must_change_password = True
            except DomainError as error:
                form.password.errors.append(str(error.message))
            else:
                new_teams = [t for t in teams if t.id in (form.team_ids.data or [])]
                pending = [] if is_new else _pending_handovers(user, new_teams, form.active.data)
                if not any(p["missing"] for p in pending):
                    with unit_of_work():
                        _hand_over_pending(user, pending)
                        for name in ("name", "role", "fte", "language", "active"):
                            setattr(user, name, getattr(form, name).data)
                        user.email = email
                        user.teams = new_teams
                        db.session.add(user)
                        audit.user_saved(user, before, password_set=bool(form.password.data))
                    if form.password.data:
                        from caseload.access import me
                        audit.account_event("password", user=me(), subject=user)  # audit: by admin
                    flash(_("Saved."), "success")
                    return redirect(url_for("admin.edit_user", user_id=user.id))
                form.form_errors.append(_(
                    "%(name)s still holds open trajectories in a team they would leave. Choose "
                    "below who takes them over, then save again.", name=user.name))
                db.session.rollback()  # refused before any write: drops the password set above
                return render_template("admin/user.html", form=form, user=user,
                                       absence_form=absence_form, pending=pending), 422
    return render_template("admin/user.html", form=form, user=None if is_new else user,
                           absence_form=absence_form, pending=[]), 422 if form.errors else 200


def _pending_handovers(user: User, new_teams: list[Team], active: bool) -> list[dict]:
    """Per team the user would leave (or every team, when deactivated) while holding open
    trajectories there: how many, who can take them over, and the administrator's choice
    (handover_<team id>: 0 = the team's "to be assigned" list). Counts only: an
    administrator need not be a member of the team to decide where its clients go."""
    from caseload.access import team_workers
    from caseload.models.guards import stranded_trajectories
    from caseload.transfers.forms import worker_choices
    held = stranded_trajectories(db.session, user, team_ids=[t.id for t in new_teams],
                                 active=bool(active))
    pending = []
    for team_id in sorted({t.client.team_id for t in held}):
        team = db.session.get(Team, team_id)
        colleagues = team_workers([team_id], exclude=user.id)
        chosen = request.form.get(f"handover_{team_id}", "")
        valid = {0} | {c.id for c in colleagues}
        pending.append({
            "team": team, "trajectories": [t for t in held if t.client.team_id == team_id],
            "choices": worker_choices(colleagues), "chosen": chosen,
            "missing": not (chosen.isdigit() and int(chosen) in valid),
            "to": next((c for c in colleagues if chosen.isdigit() and c.id == int(chosen)), None),
        })
    return pending


def _hand_over_pending(user: User, pending: list[dict]) -> None:
    from flask_login import current_user

    from caseload import clock
    from caseload.handover import hand_over
    for item in pending:
        hand_over(db.session, item["trajectories"], item["to"], on=clock.today(),
                  today=clock.today(), by=current_user._get_current_object(),
                  note=_("%(name)s left the team.", name=user.name),
                  reason="transfer" if item["to"] else "release")


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user():
    return _edit_user(User(), is_new=True)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int):
    return _edit_user(db.session.get(User, user_id) or abort(404), is_new=False)


@bp.route("/users/<int:user_id>/second-factor/reset", methods=["POST"])
@admin_only
def reset_second_factor(user_id: int):
    """For a lost phone: the user enrols again at the next login (where required)."""
    from caseload.access import me
    from caseload.auth import two_factor
    from caseload.forms_common import Form
    user = db.session.get(User, user_id) or abort(404)
    if not Form().validate_on_submit():
        abort(400)
    two_factor.reset(db.session, user)
    audit.two_factor_reset(user)  # the administration log, in the reset's transaction
    db.session.commit()
    audit.account_event("2fa_reset", user=me(), subject=user)  # audit: second factor reset
    flash(_("The second step of %(name)s is reset; all their sessions have ended.",
            name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/absences", methods=["POST"])
@admin_only
def add_absence(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = AbsenceForm()
    if form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            absence = Absence(from_date=form.from_date.data, to_date=form.to_date.data)
            user.absences.append(absence)
            audit.absence_added(absence)  # the administration log, in the same transaction
        if work.failed:
            attach_error(form, work.error, default="to_date")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    user_form = UserForm(obj=user, formdata=None)
    user_form.team_ids.choices = options((t.id, t.name) for t in db.session.scalars(select(Team)))
    user_form.team_ids.data = user.team_ids
    return render_template("admin/user.html", form=user_form, user=user, absence_form=form,
                           pending=[], page_address=url_for("admin.edit_user", user_id=user.id)), 422


@bp.route("/users/<int:user_id>/absences/<int:absence_id>/delete", methods=["POST"])
@admin_only
def delete_absence(user_id: int, absence_id: int):
    absence = db.session.get(Absence, absence_id)
    if absence is None or absence.user_id != user_id:
        abort(404)
    audit.absence_removed(absence)
    db.session.delete(absence)
    db.session.commit()
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/teams", methods=["GET", "POST"])
@admin_only
def teams():
    form = TeamForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if db.session.scalar(select(Team.id).where(Team.named(name))):
            form.name.errors.append(_("A team with this name already exists."))
        else:
            team = Team(name=name)
            db.session.add(team)
            db.session.flush()
            audit.admin_change("team", team.id, name, {"name": (None, name)}, action="create")
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.teams"))
    all_teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    return render_template("admin/teams.html", form=form, teams=all_teams), \
        422 if form.errors else 200


@bp.route("/norms", methods=["GET", "POST"])
@admin_only
def norm_settings():
    """Every norm threshold is a setting with the fidelity scale's value as default."""
    from caseload.admin.forms import norm_settings_form
    from caseload.models import NormSetting
    from caseload.norms.settings import NormSettings

    current = NormSettings.load(db.session)
    form = norm_settings_form(current)
    if form.validate_on_submit():
        defaults = NormSettings()
        audit.admin_change("norm_setting", None, "norms", {
            name: (getattr(current, name), getattr(form, name).data) for name in form.setting_names})
        for name in form.setting_names:
            value = getattr(form, name).data
            stored = db.session.get(NormSetting, name)
            if value == getattr(defaults, name):
                if stored is not None:
                    db.session.delete(stored)
            elif stored is None:
                db.session.add(NormSetting(key=name, value=value))
            else:
                stored.value = value
        db.session.commit()
        flash(_("Saved. The next evaluation uses these values."), "success")
        return redirect(url_for("admin.norm_settings"))
    return render_template("admin/norms.html", form=form, defaults=NormSettings()), \
        422 if form.errors else 200


@bp.route("/outbox")
@admin_only
def outbox():
    """Queued, sent and failed mail; failed ones first."""
    from sqlalchemy import case

    from caseload.models import OutboxMessage
    status = request.args.get("status")
    query = select(OutboxMessage)
    if status in vocab.MAIL_STATUSES:
        query = query.where(OutboxMessage.status == status)
    messages = list(db.session.scalars(query.order_by(
        case((OutboxMessage.status == "failed", 0), else_=1), OutboxMessage.id.desc()).limit(200)))
    return render_template("admin/outbox.html", messages=messages, status=status)


@bp.route("/outbox/<int:message_id>")
@admin_only
def outbox_message(message_id: int):
    from caseload.admin.forms import ResendForm
    from caseload.mail.outbox import mentioned_client_ids
    from caseload.models import OutboxMessage
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    audit.record(mentioned_client_ids(db.session, message), "outbox_message", "read")
    return render_template("admin/outbox_message.html", message=message, resend_form=ResendForm())


@bp.route("/outbox/<int:message_id>/resend", methods=["POST"])
@admin_only
def outbox_resend(message_id: int):
    """Queue a failed message again (mail/resend.py); the sender delivers it once."""
    from caseload import clock
    from caseload.admin.forms import ResendForm
    from caseload.mail.resend import CannotResend, resend
    from caseload.models import OutboxMessage
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if not ResendForm().validate_on_submit():
        abort(400)
    with unit_of_work(expected=CannotResend) as work:
        resend(db.session, message, clock.utcnow())
    if work.failed:
        flash({"not_failed": _("This message was not failed (any more): it was put back or "
                               "sent already."),
               "out_of_scope": _("Not sent again: the message names clients of a team the "
                                 "recipient is no longer in."),
               }.get(work.error.reason, _("Not sent again: the recipient's account is not "
                                          "active.")), "error")
    else:
        flash(_("Queued again: it is sent at the next delivery run, with the same Message-ID."),
              "success")
    return redirect(_outbox_next(request.form.get("next"), message_id))


def _outbox_next(target: str | None, message_id: int) -> str:
    """Back to the outbox list when the button was there, to the message otherwise."""
    if target == "outbox":
        return url_for("admin.outbox")
    return url_for("admin.outbox_message", message_id=message_id)


# The Jobs page (jobs.py): routes on this blueprint too.
from caseload.admin import jobs  # noqa: E402,F401
