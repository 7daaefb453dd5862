"""Log in and out, and switch the UI language. The steps after the password (second factor,
a new password) are in steps.py, single sign-on in sso.py."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user, login_required, login_url, logout_user
from sqlalchemy import func, select

from caseload import audit
from caseload.auth import passwords, sessions, throttle
from caseload.auth.forms import LoginForm
from caseload.extensions import db, login_manager
from caseload.models import User
from caseload.request_input import safe_next
from caseload.translating import gettext as _

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("clients.caseload"))
    form = LoginForm()
    page = {"form": form, "sso": sso.enabled(), "password_login": _password_login()}
    if request.method == "POST" and not page["password_login"]:
        abort(404)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        ip = request.remote_addr or ""
        verdict = throttle.begin(db.session, email, ip)
        if verdict.address_blocked:
            return render_template("auth/login.html", blocked=True, **page), 429
        if verdict.account_locked_until is not None:
            until = format_datetime(verdict.account_locked_until, "HH:mm")
            form.email.errors.append(_(
                "This account is locked after %(n)d failed attempts. Try again after %(time)s, "
                "or ask an administrator.", n=throttle.ACCOUNT_FAILURES, time=until))
            return render_template("auth/login.html", **page), 429
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if passwords.verify(user, form.password.data):
            throttle.finish(db.session, verdict, success=True)
            return steps.after_first_factor(user, via="password", next_url=request.args.get("next"))
        audit.account_event("login_fail", email=email)  # audit: failed log-in
        form.password.errors.append(_("Unknown e-mail address or wrong password."))
        # A password checked and not accepted answers 200, the same for every account: a
        # failed log-in, counted by the throttle (429 once it refuses to check), not a form
        # refused for what its fields hold (empty, too long: 422, below).
        return render_template("auth/login.html", **page)
    return render_template("auth/login.html", **page), 422 if form.errors else 200


def _password_login() -> bool:
    return bool(current_app.config.get("PASSWORD_LOGIN", True))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.account_event("logout", user=current_user)  # audit: log-out
    sessions.end(db.session, sessions.current())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


def init_session_timeout(app) -> None:
    """Say so when the server ended a session (idle timeout or absolute lifetime); answer a
    request that needs a login (unauthorized)."""
    login_manager.unauthorized_handler(unauthorized)

    @app.before_request
    def ended_session():
        if request.endpoint == "static" or current_user.is_authenticated:
            return None
        reason = g.pop("session_ended", None)
        if reason is None:
            return None
        session.clear()
        if reason == "absolute":
            flash(_("Your session has ended after %(hours)s hours; log in again.",
                    hours=f"{app.config['SESSION_MAX_HOURS']:g}"), "info")
        else:
            flash(_("You were logged out after a period of inactivity."), "info")
        return redirect(url_for("auth.login", next=request.full_path
                                if request.method == "GET" else None))


def unauthorized():
    """A request that needs a login and has none. A page goes to the login page, and back after
    it. A page's background request (the employer and client lookups, the idle warning's
    keep-alive, a security key's steps) gets a 401 its script handles: following a redirect to
    the login page would render that page, and so take the messages meant for the page the
    user sees next ("what you had typed is kept"), and its
    answer would write the session cookie of a request sent before the form that ended it.
    `kept`: the session timed out and has not ended yet, so a form sent now is kept for after
    the login (drafts.py); a session ended otherwise (logged out, ended from another device)
    keeps nothing. The page says which (static/app.js, sessionEnded)."""
    if sessions.a_background_request():
        return jsonify(error=_("Your session has ended; log in again."),
                       kept=bool(g.get("session_expired"))), 401
    flash(_("Log in to see this page."), "info")
    return redirect(login_url(login_manager.login_view, next_url=request.url))


# The log-in's further steps (steps.py) and single sign-on (sso.py): routes on this blueprint too.
from caseload.auth import sso, steps  # noqa: E402
