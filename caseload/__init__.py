"""Caseload: case management for IPS teams."""

from __future__ import annotations

from flask import Flask, session
from flask_login import current_user


def create_app(config: dict | None = None) -> Flask:
    from caseload import config as settings
    from caseload.extensions import babel, csrf, db, login_manager, migrate

    app = Flask(__name__, instance_path=settings.instance_path())
    app.config.update(settings.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.instance_path = app.config["INSTANCE_DIR"]  # one folder, also where a test names it
    from caseload import app_logging
    app_logging.init_app(app)
    if "SQLALCHEMY_DATABASE_URI" in (config or {}):
        uri = settings.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
        app.config["SQLALCHEMY_DATABASE_URI"] = uri

    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from caseload import instance_files
    instance_files.init_app(app)  # private folder and SQLite file before the first connection
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    from caseload.clock import ORGANISATION_TZ
    babel.init_app(app, locale_selector=_select_locale,
                   timezone_selector=lambda: ORGANISATION_TZ.key)
    from caseload import translating
    translating.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from caseload import dates
    dates.init_app(app)  # the `date`, `moment` and `week` filters of every template
    from caseload import request_input
    request_input.init_app(app)  # before the routes: their <int:> ids are bounded
    from caseload.web import register_blueprints
    register_blueprints(app)

    from caseload import audit
    audit.init_app(app)

    from caseload.cli import register_commands, register_job_commands, register_norm_commands
    register_commands(app)
    register_norm_commands(app)
    register_job_commands(app)
    return app


def _migrations_dir() -> str:
    from pathlib import Path
    return str(Path(__file__).resolve().parent.parent / "migrations")


def _select_locale() -> str:
    from flask import current_app, has_request_context
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and scheduled jobs; mails choose their own language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if session.get("language") in languages:
        return session["language"]
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.language in languages:
            return current_user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]
