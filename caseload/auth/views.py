"""Log in and out, and switch the UI language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from caseload import clock
from caseload.auth import throttle
from caseload.auth.forms import LoginForm
from caseload.extensions import db
from caseload.models import User
from caseload.request_input import safe_next

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    return safe_next(target)  # the one same-origin check (caseload/request_input.py)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("clients.caseload"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        ip = request.remote_addr or ""
        verdict = throttle.check(db.session, email, ip)
        if verdict.address_blocked:
            return render_template("auth/login.html", form=form, blocked=True), 429
        if verdict.account_locked_until is not None:
            until = format_datetime(verdict.account_locked_until, "HH:mm")
            form.email.errors.append(_(
                "This account is locked after %(n)d failed attempts. Try again after %(time)s, "
                "or ask an administrator.", n=throttle.ACCOUNT_FAILURES, time=until))
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None or not user.check_password(form.password.data) or not user.active:
            throttle.note(db.session, email, ip, success=False)
            form.password.errors.append(_("Unknown e-mail address or wrong password."))
        else:
            throttle.note(db.session, email, ip, success=True)
            session.clear()
            login_user(user)
            session["language"] = user.language
            session["last_active"] = clock.utcnow().timestamp()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


def init_session_timeout(app) -> None:
    """Log out after SESSION_IDLE_MINUTES without a request."""
    @app.before_request
    def idle_timeout():
        if not current_user.is_authenticated:
            return None
        now = clock.utcnow().timestamp()
        last = session.get("last_active", now)
        if now - last > app.config["SESSION_IDLE_MINUTES"] * 60:
            logout_user()
            session.clear()
            flash(_("You were logged out after a period of inactivity."), "info")
            return redirect(url_for("auth.login", next=request.full_path
                                    if request.method == "GET" else None))
        session["last_active"] = now
        return None
