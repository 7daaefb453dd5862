"""Blueprints, error pages and template helpers of the web UI."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

from caseload import clock
from caseload.models import vocab
from caseload.translating import gettext as _


def register_blueprints(app: Flask) -> None:
    from caseload.account.views import bp as account_bp
    from caseload.admin.views import bp as admin_bp
    from caseload.auth import sessions
    from caseload.auth.views import bp as auth_bp
    from caseload.checklist.views import bp as checklist_bp
    from caseload.clients.views import bp as clients_bp
    from caseload.dailylog.views import bp as dailylog_bp
    from caseload.employers.views import bp as employers_bp
    from caseload.extensions import login_manager
    from caseload.fidelity.views import bp as fidelity_bp
    from caseload.outcomes.views import bp as outcomes_bp
    from caseload.review.views import bp as review_bp

    for blueprint in (auth_bp, clients_bp, dailylog_bp, employers_bp, admin_bp, review_bp,
                      account_bp, outcomes_bp, fidelity_bp, checklist_bp):
        app.register_blueprint(blueprint)
    from caseload.importer.views import bp as importer_bp
    from caseload.privacy.views import bp as privacy_bp
    from caseload.search.views import bp as search_bp
    from caseload.team.views import bp as team_bp
    from caseload.transfers.views import bp as transfers_bp
    for blueprint in (privacy_bp, transfers_bp, team_bp, search_bp, importer_bp):
        app.register_blueprint(blueprint)
    from caseload.week.views import bp as week_bp
    app.register_blueprint(week_bp)
    from caseload import drafts
    from caseload.corrections.views import bp as corrections_bp
    app.register_blueprint(corrections_bp)
    drafts.init_app(app)
    from caseload import numbers
    numbers.init_app(app)
    from caseload import paging
    paging.init_app(app)
    from caseload.logs.views import bp as logs_bp
    app.register_blueprint(logs_bp)

    @login_manager.user_loader
    def load_user(session_key: str):
        """The session cookie holds the key of a login session on the server."""
        from caseload.extensions import db
        return sessions.load(db.session, session_key)

    from caseload.auth.views import init_session_timeout
    init_session_timeout(app)
    security_headers(app)

    @app.context_processor
    def helpers():
        from flask_babel import get_locale

        from caseload.models.base import NOTE_LENGTH
        from caseload.norms import NORMS
        from caseload.request_input import page_to_return_to
        from caseload.signal_texts import DUE_LABELS, details, remedy, title
        return {"vocab": vocab, "today": clock.today(), "get_locale": get_locale,
                "signal_title": title, "signal_details": details, "norms_registry": NORMS,
                "signal_remedy": remedy, "due_label": DUE_LABELS.get,
                "mail_status": lambda status: vocab.MAIL_STATUSES.get(status, status),
                "note_length": NOTE_LENGTH, "page_to_return_to": page_to_return_to}

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("error.html", code=403,
                               message=_("You do not have access to this page.")), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404,
                               message=_("This page does not exist, or you have no access to it.")), 404

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", code=400,
                               message=_("The form had expired. Go back, reload the page and "
                                         "try again; nothing was saved.")), 400

    @app.errorhandler(400)
    def bad_request(error):
        # abort(400, message) with the project's own message (a period or date that is no
        # date, on a download): say it; else the general one, not Werkzeug's English text.
        own = getattr(error, "description", None)
        message = (own if own and own != BadRequest.description
                   else _("The request could not be understood; nothing was saved."))
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_template("error.html", code=405,
                               message=_("This action is not possible here.")), 405

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html", code=413,
                               message=_("What you sent is too large; nothing was saved.")), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template("error.html", code=429,
                               message=_("Too many requests; wait a moment and try again.")), 429

    @app.errorhandler(500)
    def server_error(error):
        from caseload.extensions import db
        db.session.rollback()  # the page itself needs the database (the logged-in user)
        return render_template("error.html", code=500,
                               message=_("Something went wrong on our side; nothing was saved.")), 500


def security_headers(app: Flask) -> None:
    """CSP without inline scripts or styles, no framing, no referrer to other sites, HSTS
    when served over HTTPS."""
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

    @app.after_request
    def add_headers(response):
        from flask import request
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages and downloads hold client data: no copy in a browser or proxy cache.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
