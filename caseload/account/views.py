"""A user's own settings: language and which mails they receive (the unsubscribe link's target),
their password and their second factor."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from caseload.access import me
from caseload.account.forms import MailSettingsForm
from caseload.extensions import db
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("account", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = MailSettingsForm(obj=current_user)
    # Only the choices this user is shown are read and written: a box not on the page is not
    # a box left unticked (a worker who saves here and becomes coordinator later still gets
    # the weekly checklist).
    if not current_user.may_hold_clients:
        del form.wants_worker_digest
        del form.wants_reminders
    if current_user.role != "coordinator":
        del form.wants_coordinator_digest
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        session["language"] = current_user.language
        flash(_("Saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form), 422 if form.errors else 200


@bp.route("/settings/sessions")
@login_required
def sessions_page():
    """The user's live sessions: when each started, was last used, from which address and
    browser; end one, or all but this one."""
    from caseload.account.forms import EndSessionsForm
    from caseload.auth import sessions
    return render_template("account/sessions.html", rows=sessions.live_sessions(db.session, me()),
                           current=sessions.current(), form=EndSessionsForm())


@bp.route("/settings/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    from caseload import audit
    from caseload.account.forms import EndSessionsForm
    from caseload.auth import sessions
    from caseload.models import UserSession
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)   # someone else's session is not there for this user
    current = sessions.current()
    if current is not None and current.id == row.id:
        abort(400)   # the session in use ends by logging out (the page offers no button)
    if not EndSessionsForm().validate_on_submit():
        abort(400)
    ended = sessions.end_own(db.session, me(), session_id)
    db.session.commit()
    if ended is None:
        flash(_("That session had ended already."), "info")
    else:
        audit.account_event("sess_end", user=me(), detail=_session_detail(ended))  # audit
        flash(_("The session was ended; whoever used it has to log in again."), "success")
    return redirect(url_for("account.sessions_page"))


@bp.route("/settings/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    from flask_babel import ngettext

    from caseload import audit
    from caseload.account.forms import EndSessionsForm
    from caseload.auth import sessions
    if not EndSessionsForm().validate_on_submit():
        abort(400)
    count = sessions.end_others(db.session, me())
    db.session.commit()
    if count:
        audit.account_event("sess_all", user=me(), detail=f"ended={count}")  # audit
    flash(ngettext("%(num)d other session was ended.", "%(num)d other sessions were ended.",
                   count) if count else _("There were no other sessions."), "success")
    return redirect(url_for("account.sessions_page"))


def _session_detail(row) -> str:
    """Which session, in the access log: its start (UTC) and address."""
    return f"session {row.id} started={row.created_at.isoformat(timespec='minutes')} ip={row.ip}"


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Asks for the current password, so a session left open cannot take the account over."""
    from caseload import audit
    from caseload.auth import passwords, sessions, throttle
    from caseload.auth.forms import ChangePasswordForm
    from caseload.models import DomainError
    if not current_app.config.get("PASSWORD_LOGIN", True):
        abort(404)
    form = ChangePasswordForm()
    user = me()
    if form.validate_on_submit():
        verdict = throttle.begin(db.session, user.email, request.remote_addr or "")
        if verdict.refused:
            form.current_password.errors.append(_("Too many failed attempts. Try again after "
                                                  "15 minutes."))
        elif not passwords.verify(user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            throttle.finish(db.session, verdict, success=True)
            with unit_of_work(expected=DomainError) as work:
                user.set_password(form.new_password.data)
                user.must_change_password = False
                audit.password_changed(user)  # the administration log, in the same transaction
            if work.failed:
                form.new_password.errors.append(str(work.error.message))
            else:
                sessions.keep_after_password_change(db.session, user)
                audit.account_event("password", user=user)  # audit: password changed
                flash(_("Your password is changed; your other sessions have ended."), "success")
                return redirect(url_for("account.settings"))
    return render_template("account/password.html", form=form), 422 if form.errors else 200


@bp.route("/settings/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_settings():
    from caseload.auth.forms import EnrolForm
    from caseload.auth.steps import enrolment_page
    user = me()
    if user.has_second_factor:
        return render_template("account/two_factor.html")
    page, codes = enrolment_page(user, EnrolForm(), action=url_for("account.two_factor_settings"))
    if codes is None:
        return page
    return render_template("auth/recovery_codes.html", codes=codes,
                           continue_url=url_for("account.settings"))


@bp.route("/settings/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    from caseload import audit
    from caseload.auth import two_factor
    from caseload.forms_common import Form
    user = me()
    if not user.has_second_factor or not Form().validate_on_submit():
        return redirect(url_for("account.two_factor_settings"))
    codes = two_factor.new_recovery_codes(db.session, user)
    db.session.commit()
    audit.account_event("2fa_codes", user=user)  # audit: new recovery codes
    return render_template("auth/recovery_codes.html", codes=codes,
                           continue_url=url_for("account.settings"))


@bp.route("/settings/security-keys/options", methods=["POST"])
@login_required
def security_key_options():
    from caseload.auth import security_keys
    user = me()
    if not user.has_second_factor:
        abort(404)
    return current_app.response_class(security_keys.registration_options(user),
                                      mimetype="application/json")


@bp.route("/settings/security-keys", methods=["POST"])
@login_required
def add_security_key():
    """A security key or passkey, added once the app is set up (which gave recovery codes)."""
    from flask import jsonify

    from caseload import audit
    from caseload.auth import security_keys
    user = me()
    body = request.get_json(silent=True)
    if not user.has_second_factor or not isinstance(body, dict) \
            or not isinstance(body.get("credential"), dict):
        return jsonify(error=_("The security key was not accepted.")), 400
    key = security_keys.register(db.session, user, body["credential"], str(body.get("name") or ""))
    if key is None:
        return jsonify(error=_("The security key was not accepted.")), 400
    db.session.commit()
    audit.account_event("2fa_key", user=user)  # audit: security key added
    flash(_("Security key added."), "success")
    return jsonify(redirect=url_for("account.two_factor_settings"))


@bp.route("/settings/security-keys/<int:key_id>/delete", methods=["POST"])
@login_required
def delete_security_key(key_id: int):
    from caseload import audit
    from caseload.forms_common import Form
    from caseload.models import SecurityKey
    key = db.session.get(SecurityKey, key_id)
    if key is None or key.user_id != current_user.id or not Form().validate_on_submit():
        abort(404)
    db.session.delete(key)
    db.session.commit()
    audit.account_event("2fa_key_rm", user=me())  # audit: security key removed
    return redirect(url_for("account.two_factor_settings"))
