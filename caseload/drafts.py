"""Nothing typed is lost: a form sent after the session ended (idle timeout) is kept for that
user on the server; after they log in again they land on the same form with everything filled
in and a message, and nothing is saved until they press save.

Hooked in through Flask-Login's signals, so the login code only has to call logout_user() when
a session times out and login_user() when someone logs in (caseload/auth/):
- user_logged_out during a POST (other than the logout form itself): keep the submission;
- user_logged_in: the next redirect of the login flow goes to the kept form's page;
- views that show a resumable form call take() to fill it in again.

Drafts hold health data: they live only in the database, never in the browser (no local
storage, pages are no-store), are deleted once shown or on logout, and expire after
DRAFT_KEEP_HOURS (the expire_drafts job deletes them; take() never returns an expired one)."""

from __future__ import annotations

import functools
import json
from datetime import timedelta

from flask import Blueprint, Flask, current_app, flash, g, request, url_for
from flask_login import current_user, login_required, user_logged_in, user_logged_out
from sqlalchemy import bindparam, delete, select
from werkzeug.datastructures import MultiDict

from caseload import clock, scope
from caseload.extensions import db
from caseload.models import Client, FormDraft
from caseload.translating import gettext as _

bp = Blueprint("drafts", __name__)

# The endpoints whose forms are filled in again by a view calling take(); the views register
# theirs (resumable()). A submission to any other endpoint is not kept.
RESUMABLE: set[str] = set()

# A submission larger than this is not kept (a form is a few kB; the daily log with 40 rows ~20 kB).
MAX_DRAFT_CHARS = 200_000


# The pages that show resumable forms sent elsewhere (the client page: its forms post to
# endpoints of their own); with RESUMABLE, the pages whose forms are kept (page_keeps_forms).
PAGES_OF_RESUMABLE_FORMS: set[str] = set()


def resumable(*endpoints: str, shown_on: tuple[str, ...] = ()) -> None:
    RESUMABLE.update(endpoints)
    PAGES_OF_RESUMABLE_FORMS.update(shown_on)


def page_keeps_forms(endpoint: str | None) -> bool:
    """Whether the form of the page `endpoint` shows is kept when it is sent after the session
    timed out: what a page may promise when its lookup finds the session ended (base.html)."""
    return endpoint in RESUMABLE or endpoint in PAGES_OF_RESUMABLE_FORMS


def _return_url(endpoint: str, view_args: dict) -> str | None:
    """Where the form is shown again: its own page when the URL also answers GET (the daily
    log, the new-client form, edit pages), else the client page that holds it."""
    if endpoint not in RESUMABLE:
        return None
    rule = next((r for r in current_app.url_map.iter_rules(endpoint)), None)
    if rule is None:
        return None
    if "GET" in (rule.methods or ()):
        return url_for(endpoint, **view_args)
    if "client_id" in view_args:
        return url_for("clients.show", client_id=view_args["client_id"])
    return None


def keep_submission(user) -> FormDraft | None:
    """Store the current POST's fields for `user`, when it is a form with a page to resume on
    and its CSRF token is valid (a forged request must not plant a filled-in form)."""
    from flask_wtf.csrf import ValidationError, validate_csrf
    endpoint = request.endpoint or ""
    if request.method != "POST" or endpoint.startswith(("auth.", "drafts.", "static")):
        return None
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return None
    view_args = dict(request.view_args or {})
    if _return_url(endpoint, view_args) is None:
        return None
    pairs = [[k, v] for k, v in request.form.items(multi=True) if k != "csrf_token"]
    fields = json.dumps(pairs)
    if len(fields) > MAX_DRAFT_CHARS:
        return None
    now = clock.utcnow()
    draft = FormDraft(user_id=user.id, endpoint=endpoint, view_args=json.dumps(view_args),
                      fields=fields, created_at=now,
                      expires_at=now + timedelta(hours=current_app.config["DRAFT_KEEP_HOURS"]))
    # Its own transaction: the request itself goes on to the login page.
    with db.engine.begin() as connection:
        connection.execute(FormDraft.__table__.insert().values(
            user_id=draft.user_id, endpoint=draft.endpoint, view_args=draft.view_args,
            fields=draft.fields, created_at=now, expires_at=draft.expires_at))
    g.draft_kept = True
    return draft


@functools.cache
def _newest_statement(by_endpoint: bool):
    """Built once per process: every view of a resumable page asks (mostly finding nothing)."""
    query = (select(FormDraft).where(FormDraft.user_id == bindparam("user_id"),
                                     FormDraft.expires_at > bindparam("now"))
             .order_by(FormDraft.created_at.desc(), FormDraft.id.desc()))
    if by_endpoint:
        query = query.where(FormDraft.endpoint.in_(bindparam("endpoints", expanding=True)))
    return query


def _newest(user_id: int, endpoints=None, view_args: dict | None = None,
            accept=None) -> FormDraft | None:
    parameters = {"user_id": user_id, "now": clock.utcnow()}
    if endpoints is not None:
        parameters["endpoints"] = list(endpoints)
    for draft in db.session.scalars(_newest_statement(endpoints is not None), parameters):
        if (view_args is None or all(draft.arguments.get(k) == v for k, v in view_args.items())
                ) and (accept is None or accept(draft.endpoint, draft.arguments)):
            return draft
    return None


def may_have_kept() -> bool:
    """Whether the current user may have kept submissions at all, as this request's login
    session lookup found (False: take() would find none; a page need not ask what to take)."""
    return (current_user.is_authenticated and request.method == "GET"
            and g.get("user_has_drafts") is not False)


def take(endpoints, accept=None, **view_args) -> tuple[str, MultiDict, dict] | None:
    """The current user's newest kept submission to one of `endpoints` (with these URL
    arguments, and that `accept(endpoint, its URL arguments)` accepts when given: one the page
    can show), as (endpoint, form data, its URL arguments), deleted from the server; and a
    message saying so."""
    if not may_have_kept() or not endpoints:
        return None
    if isinstance(endpoints, str):
        endpoints = [endpoints]
    draft = _newest(current_user.id, endpoints, view_args, accept)
    if draft is None:
        return None
    data = MultiDict(draft.pairs)
    db.session.execute(delete(FormDraft).where(FormDraft.user_id == current_user.id,
                                               FormDraft.endpoint == draft.endpoint,
                                               FormDraft.view_args == draft.view_args))
    db.session.commit()
    flash(_("Your session had ended before this form was saved. Everything you typed is "
            "filled in again below; nothing has been saved yet. Check it and press save."),
          "warning")
    return draft.endpoint, data, draft.arguments


def _discard_of_clients_not_seen(user) -> None:
    """Delete the user's kept forms about a client they may no longer see (the client moved to
    another team, the user left the client's team, the client was erased): the shared rule
    (scope.clients_of) decides, as it does for the page. The login would otherwise lead to a
    page that refuses them, and log a denied access, at every login until the form expires;
    and the typed health data of a client they no longer see are not theirs to get back."""
    kept = db.session.execute(select(FormDraft.id, FormDraft.view_args)
                              .where(FormDraft.user_id == user.id)).all()
    about = {draft_id: json.loads(view_args or "{}").get("client_id")
             for draft_id, view_args in kept}
    client_ids = {client_id for client_id in about.values() if client_id is not None}
    if not client_ids:
        return
    seen = set(db.session.scalars(select(Client.id).where(
        Client.id.in_(client_ids), scope.clients_of(user.team_ids))))
    gone = [draft_id for draft_id, client_id in about.items()
            if client_id is not None and client_id not in seen]
    if gone:
        db.session.execute(delete(FormDraft).where(FormDraft.id.in_(gone)))
        db.session.commit()


def discard_all(user_id: int) -> None:
    db.session.execute(delete(FormDraft).where(FormDraft.user_id == user_id))
    db.session.commit()


def expire_drafts(as_of=None) -> str:
    """Delete the drafts past their expiry (a job, also `flask jobs run expire_drafts`)."""
    result = db.session.execute(delete(FormDraft).where(FormDraft.expires_at <= clock.utcnow()))
    db.session.commit()
    return f"{result.rowcount} expired drafts deleted"


@bp.route("/session/keep-alive", methods=["POST"])
@login_required
def keep_alive():
    """The idle warning's "stay logged in": any request counts as activity."""
    return "", 204


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _page_keeps_forms():
        return {"page_keeps_forms": lambda: page_keeps_forms(request.endpoint)}

    @user_logged_out.connect_via(app)
    def _logged_out(sender, user, **extra):
        if user is None or not getattr(user, "id", None):
            return
        if request.endpoint == "auth.logout":
            discard_all(user.id)  # logged out on purpose: nothing is kept
        else:
            keep_submission(user)

    @user_logged_in.connect_via(app)
    def _logged_in(sender, user, **extra):
        _discard_of_clients_not_seen(user)
        draft = _newest(user.id)
        if draft is not None:
            url = _return_url(draft.endpoint, draft.arguments)
            if url:
                g.draft_return = url  # the login's own redirect (whichever step logs in) goes here

    @app.after_request
    def _redirect_to_draft(response):
        if g.pop("draft_kept", False) and response.status_code in (301, 302, 303):
            flash(_("What you had typed is kept. Log in again to continue where you were."),
                  "info")
        url = g.pop("draft_return", None)
        if url and response.status_code in (302, 303) and current_user.is_authenticated:
            response.location = url
        return response
