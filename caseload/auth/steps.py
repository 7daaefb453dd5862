"""What comes between the password (or the identity provider) and a login session: the second
factor, enrolling one where the user's role requires it, and a new password after an
administrator set one. Until every step is done the user is not logged in: the signed session
cookie holds only a pending login (user, their session token, since when, steps done)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import login_user
from sqlalchemy.exc import IntegrityError

from caseload import audit, clock
from caseload.auth import sessions, throttle, two_factor
from caseload.auth.forms import CodeForm, EnrolForm, NewPasswordForm
from caseload.auth.views import bp
from caseload.extensions import db
from caseload.models import DomainError, User
from caseload.request_input import safe_next
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

PENDING_FOR = timedelta(minutes=10)


def after_first_factor(user: User, *, via: str, next_url: str | None = None):
    session.clear()
    session["pending_login"] = {"user_id": user.id, "token": user.session_token, "via": via,
                                "since": clock.utcnow().timestamp(), "done": [],
                                "next": next_url if next_url else None,
                                "nonce": secrets.token_urlsafe(16)}
    return _advance(user)


def _pending() -> tuple[User, dict]:
    pending = session.get("pending_login")
    if not pending:
        abort(redirect(url_for("auth.login")))
    user = db.session.get(User, pending["user_id"])
    age = clock.utcnow().timestamp() - pending["since"]
    if user is None or not user.active or user.session_token != pending["token"] \
            or not 0 <= age < PENDING_FOR.total_seconds():
        session.pop("pending_login", None)
        abort(redirect(url_for("auth.login")))
    return user, pending


def _next_step(user: User, pending: dict) -> str | None:
    if pending["via"] != "password":
        return None  # the identity provider asks for its own factors
    if "second_factor" not in pending["done"]:
        if user.has_second_factor:
            return "auth.second_factor"
        if two_factor.required_for(user):
            return "auth.enrol"
    if user.must_change_password:
        return "auth.new_password"
    return None


def _advance(user: User):
    pending = session["pending_login"]
    step = _next_step(user, pending)
    if step is not None:
        session["pending_login"] = pending
        return redirect(url_for(step))
    session.clear()
    # A pending login opens one session: a copy of its cookie replayed later does not.
    with unit_of_work(expected=IntegrityError) as work:
        sessions.start(db.session, user, via=pending["via"], nonce=pending["nonce"])
    if work.failed:
        return redirect(url_for("auth.login"))
    login_user(user)
    session["language"] = user.language
    audit.account_event("login", user=user)  # audit: log-in
    return redirect(safe_next(pending.get("next")))


def _mark_done(pending: dict, step: str) -> None:
    pending["done"] = [*pending["done"], step]
    session["pending_login"] = pending


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    user, pending = _pending()
    if not user.has_second_factor or "second_factor" in pending["done"]:
        return _advance(user)
    form = CodeForm()
    if form.validate_on_submit():
        # Wrong codes count as failed log-ins of the account, so the lockout bounds guessing.
        verdict = throttle.begin(db.session, user.email, request.remote_addr or "")
        if verdict.refused:
            session.clear()
            form.code.errors.append(_("Too many failed attempts. Try again after 15 minutes."))
            return render_template("auth/second_factor.html", form=form), 429
        if two_factor.verify_code(db.session, user, form.code.data):
            throttle.finish(db.session, verdict, success=True)
            _mark_done(pending, "second_factor")
            return _advance(user)
        audit.account_event("login_fail", email=user.email)  # audit: failed log-in (code)
        form.code.errors.append(_("This code is not valid (or was used already)."))
        # A code checked and not accepted answers 200, as a wrong password does (login)
        return render_template("auth/second_factor.html", form=form,
                               has_keys=bool(user.security_keys))
    return render_template("auth/second_factor.html", form=form,
                           has_keys=bool(user.security_keys)), 422 if form.errors else 200


def enrolment_page(user: User, form: EnrolForm, *, action: str):
    """The QR code of a secret kept in the session until a code from it confirms it.
    Returns the recovery codes page once confirmed, else the enrolment page."""
    secret = session.get("totp_enrolment")  # the same one on a reload, after a scan
    if not secret:
        secret = two_factor.new_secret()
        session["totp_enrolment"] = secret
    if form.validate_on_submit():
        codes = two_factor.confirm_enrolment(db.session, user, secret, form.code.data)
        if codes is not None:
            db.session.commit()
            session.pop("totp_enrolment", None)
            audit.account_event("2fa_enrol", user=user)  # audit: second factor enrolled
            return None, codes
        form.code.errors.append(_("This code does not match; check the time on your phone "
                                  "and try the next code."))
    return (render_template("auth/enrol.html", form=form, action=action, secret=secret,
                            qr=two_factor.qr_data_uri(secret, user.email)),
            422 if form.errors else 200), None


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    user, pending = _pending()
    if user.has_second_factor or "second_factor" in pending["done"]:
        return _advance(user)
    page, codes = enrolment_page(user, EnrolForm(), action=url_for("auth.enrol"))
    if codes is None:
        return page
    _mark_done(pending, "second_factor")
    return render_template("auth/recovery_codes.html", codes=codes,
                           continue_url=url_for("auth.continue_login"))


@bp.route("/login/continue")
def continue_login():
    user, _pending_login = _pending()
    return _advance(user)


@bp.route("/login/new-password", methods=["GET", "POST"])
def new_password():
    user, pending = _pending()
    if not user.must_change_password or pending["via"] != "password":
        return _advance(user)
    form = NewPasswordForm()
    if form.validate_on_submit() and user.check_password(form.new_password.data):
        form.new_password.errors.append(_("Choose a password other than the one you were given."))
    elif form.is_submitted() and not form.errors:
        with unit_of_work(expected=DomainError) as work:
            user.set_password(form.new_password.data)
            user.must_change_password = False
        if work.failed:
            form.new_password.errors.append(str(work.error.message))
        else:
            audit.account_event("password", user=user)  # audit: password changed
            pending["token"] = user.session_token
            session["pending_login"] = pending
            return _advance(user)
    return render_template("auth/new_password.html", form=form), 422 if form.errors else 200


@bp.route("/login/key/options", methods=["POST"])
def security_key_options():
    from caseload.auth import security_keys
    user, _pending_login = _pending()
    if not user.security_keys:
        abort(404)
    return current_app.response_class(security_keys.authentication_options(user),
                                      mimetype="application/json")


@bp.route("/login/key", methods=["POST"])
def security_key_login():
    from caseload.auth import security_keys
    user, pending = _pending()
    credential = request.get_json(silent=True)
    if not isinstance(credential, dict) or not user.security_keys:
        return jsonify(error=_("The security key was not accepted.")), 400
    verdict = throttle.begin(db.session, user.email, request.remote_addr or "")
    if verdict.refused:
        session.clear()
        return jsonify(error=_("Too many failed attempts. Try again after 15 minutes.")), 429
    if not security_keys.authenticate(db.session, user, credential):
        audit.account_event("login_fail", email=user.email)  # audit: failed log-in (key)
        return jsonify(error=_("The security key was not accepted.")), 400
    throttle.finish(db.session, verdict, success=True)
    _mark_done(pending, "second_factor")
    return jsonify(redirect=_advance(user).location)
