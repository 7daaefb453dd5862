"""Single sign-on with the organisation's identity provider (OpenID Connect, authorization-code
flow, through Authlib), configured by environment variables alone (config.login_settings).

A user is matched by the provider's stable subject (`sub`), stored on the account at the first
login; that first time, the claim OIDC_MATCH_CLAIM (default `email`) must equal the account's
e-mail address. An account linked to another subject is not taken over by a matching e-mail.
Refused: whatever the provider refuses (an error instead of a code), a token that does not
validate, an unknown person and an inactive account."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from sqlalchemy import func, select

from caseload import audit
from caseload.auth.views import bp
from caseload.extensions import db
from caseload.models import User
from caseload.translating import gettext as _


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_DISCOVERY_URL") and config.get("OIDC_CLIENT_ID"))


def _failures() -> tuple[type[Exception], ...]:
    """What a provider that refuses, answers wrongly or cannot be reached raises. Authlib and
    requests are imported on first use: most processes (a job, a worker without single
    sign-on) never sign anyone on, and importing them cost every start of the application."""
    from authlib.integrations.base_client import OAuthError
    from requests import RequestException
    return (OAuthError, RequestException, ValueError, KeyError)


def _client():
    """The Authlib client for the current settings (registered again when they change)."""
    from authlib.integrations.flask_client import OAuth
    config = current_app.config
    settings = (config["OIDC_DISCOVERY_URL"], config["OIDC_CLIENT_ID"],
                config["OIDC_CLIENT_SECRET"], config["OIDC_SCOPES"])
    cached = current_app.extensions.get("caseload_oidc")
    if cached is None or cached[0] != settings:
        oauth = OAuth(current_app)
        client = oauth.register(
            "idp", server_metadata_url=settings[0], client_id=settings[1],
            client_secret=settings[2],
            client_kwargs={"scope": settings[3], "code_challenge_method": "S256"})
        cached = current_app.extensions["caseload_oidc"] = (settings, client)
    return cached[1]


@bp.route("/login/sso")
def sso_start():
    if not enabled():
        return redirect(url_for("auth.login"))
    session["sso_next"] = request.args.get("next")
    try:
        return _client().authorize_redirect(url_for("auth.sso_callback", _external=True))
    except _failures() as error:
        current_app.logger.warning("SSO provider unreachable: %s", error)
        flash(_("The identity provider cannot be reached; try again later."), "error")
        return redirect(url_for("auth.login"))


def _refuse(message: str, email: str = ""):
    audit.account_event("login_fail", email=email or "(sso)")  # audit: failed log-in (SSO)
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.route("/login/sso/callback")
def sso_callback():
    from caseload.auth.steps import after_first_factor
    if not enabled():
        return redirect(url_for("auth.login"))
    if request.args.get("error"):
        return _refuse(_("The identity provider did not let you in."))
    try:
        token = _client().authorize_access_token()
    except _failures() as error:
        current_app.logger.warning("SSO login refused: %s", error)
        return _refuse(_("The login with the identity provider failed; try again."))
    claims = dict(token.get("userinfo") or {})  # the validated ID token's claims
    subject = str(claims.get("sub") or "")
    if not subject:
        return _refuse(_("The login with the identity provider failed; try again."))
    claim = current_app.config["OIDC_MATCH_CLAIM"]
    if claim not in claims:  # some providers put it only in the userinfo answer
        try:
            extra = _client().userinfo(token=token)
        except _failures() as error:
            current_app.logger.warning("SSO userinfo failed: %s", error)
            extra = {}
        if str(extra.get("sub")) == subject:
            claims = {**extra, **claims}
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    matched = str(claims.get(claim) or "").strip().lower()
    if user is None and matched and claims.get("email_verified") is not False:
        user = db.session.scalar(select(User).where(func.lower(User.email) == matched,
                                                    User.oidc_subject.is_(None)))
        if user is not None:
            user.oidc_subject = subject
            db.session.commit()
    if user is None:
        return _refuse(_("There is no Caseload account for you; ask an administrator."), matched)
    if not user.active:
        return _refuse(_("Your Caseload account is not active; ask an administrator."),
                       user.email)
    return after_first_factor(user, via="sso", next_url=session.pop("sso_next", None))
