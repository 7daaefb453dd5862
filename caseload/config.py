"""Settings from the environment, each with an embedded default that works on a fresh machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from caseload.app_logging import parse_level
from caseload.clock import ORGANISATION_TZ
from caseload.models.vocab import DEFAULT_LANGUAGE, LANGUAGES


def instance_path() -> str | None:
    """CASELOAD_INSTANCE, made absolute; None leaves the choice to Flask (`app.instance_path`:
    `instance/` beside the `caseload` package in a checkout, `<prefix>/var/caseload-instance`
    when installed), so the folder is the same whatever directory the app is started from."""
    folder = os.environ.get("CASELOAD_INSTANCE")
    return str(Path(folder).resolve()) if folder else None


def _default_instance_path() -> str:
    from flask import Flask
    return instance_path() or Flask("caseload").instance_path


def _secret_key(instance: Path) -> str:
    """Use SECRET_KEY if set; otherwise keep one random key per instance folder.

    A key generated per process would log everybody out on every restart and break
    sessions between several web workers, so the embedded default is stored once.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    from caseload.instance_files import private_dir, write_private
    private_dir(instance)
    key_file = instance / "secret_key"
    if not key_file.exists():
        write_private(key_file, secrets.token_hex(32))
    key_file.chmod(0o600)  # also a key written by an older version
    return key_file.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the common 'postgres://' and 'postgresql://' forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_environment(instance_folder: str | None = None) -> dict:
    """The settings; `instance_folder` is the app's instance path (create_app passes it)."""
    from caseload.instance_files import private_dir
    instance = private_dir(Path(instance_folder or _default_instance_path()))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'caseload.db'}"
    return {
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # hide_parameters: a database error's text (in the log, on the Jobs page) carries no
        # row values, which may be client data.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "LOG_LEVEL": parse_level(os.environ.get("CASELOAD_LOG_LEVEL")),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        # One time zone, the organisation's (caseload/clock.py ORGANISATION_TZ), for Babel too.
        "BABEL_DEFAULT_TIMEZONE": ORGANISATION_TZ.key,
        "LANGUAGES": list(LANGUAGES),
        "BASE_URL": os.environ.get("CASELOAD_BASE_URL", "http://127.0.0.1:5000"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("CASELOAD_SECURE_COOKIES", "0") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_IDLE_MINUTES": int(os.environ.get("CASELOAD_SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": float(os.environ.get("CASELOAD_SESSION_MAX_HOURS", "12")),
        # A form sent after the session ended is kept this long for its user (caseload/drafts.py).
        # The warning with "stay logged in" comes this long before the idle timeout.
        "IDLE_WARNING_SECONDS": int(os.environ.get("CASELOAD_IDLE_WARNING_SECONDS", "120")),
        "DRAFT_KEEP_HOURS": int(os.environ.get("CASELOAD_DRAFT_KEEP_HOURS", "12")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # werkzeug's method for new password hashes; only the test suite lowers it.
        "PASSWORD_HASH_METHOD": "scrypt",
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host. Without
        # it, login throttling and the access log would see only the proxy's address.
        "PROXY_HOPS": int(os.environ.get("CASELOAD_PROXY_HOPS", "0")),  # forms are small; a CSV import goes by CLI
        # A fixed date for demos and tests ("time is an input"); empty means the real date.
        "CASELOAD_TODAY": os.environ.get("CASELOAD_TODAY") or None,
        # Days after a client's last trajectory ended before the retention_erasure job erases
        # the client. Default 7 years (2557 days): Caseload is the employment-support record,
        # not the treatment record (that one stays in the EPD under the WGBO's 20 years, art.
        # 7:454 BW); the longest duty that applies here is the 7-year fiscal and funder audit
        # duty (AWR art. 52) for UWV/municipality-funded trajectories. The privacy officer
        # decides; an organisation that keeps IPS notes as part of the WGBO record sets 7305.
        "CASELOAD_RETENTION_DAYS": int(os.environ.get("CASELOAD_RETENTION_DAYS", "2557")),
        # How often a running scheduler checks it still holds its lock, and a standby one
        # (`flask scheduler --standby`) whether it can take over.
        "SCHEDULER_LOCK_CHECK_SECONDS": float(
            os.environ.get("CASELOAD_SCHEDULER_LOCK_CHECK_SECONDS", "60")),
        # Days the access log is kept before the nightly access_log_retention job deletes
        # entries. Default 5 years (1826 days), the usual term for NEN 7513 logging; at least
        # 365 (the job refuses less).
        "CASELOAD_ACCESS_LOG_RETENTION_DAYS": int(
            os.environ.get("CASELOAD_ACCESS_LOG_RETENTION_DAYS", "1826")),
        **mail_settings(),
        **login_settings(),
    }


ROLES_WITH_SECOND_FACTOR = ("worker", "coordinator", "admin")


def login_settings() -> dict:
    """Second factor per role and single sign-on (OpenID Connect)."""
    roles = os.environ.get("CASELOAD_2FA_REQUIRED_ROLES", ",".join(ROLES_WITH_SECOND_FACTOR))
    required = tuple(role.strip() for role in roles.split(",") if role.strip() not in ("", "none"))
    unknown = set(required) - set(ROLES_WITH_SECOND_FACTOR)
    if unknown:  # a typo must not switch the second factor off unnoticed
        raise ValueError(f"CASELOAD_2FA_REQUIRED_ROLES: unknown role(s) "
                         f"{', '.join(sorted(unknown))}; use "
                         f"{', '.join(ROLES_WITH_SECOND_FACTOR)} or none")
    issuer = os.environ.get("CASELOAD_OIDC_ISSUER", "").rstrip("/")
    discovery = os.environ.get("CASELOAD_OIDC_DISCOVERY_URL", "") or (
        f"{issuer}/.well-known/openid-configuration" if issuer else "")
    password_login = os.environ.get("CASELOAD_PASSWORD_LOGIN", "1") == "1"
    if not password_login and not (discovery and os.environ.get("CASELOAD_OIDC_CLIENT_ID")):
        raise ValueError("CASELOAD_PASSWORD_LOGIN=0 needs single sign-on "
                         "(CASELOAD_OIDC_ISSUER and CASELOAD_OIDC_CLIENT_ID), or nobody can log in")
    return {
        # Roles that must log in with a second factor; "none" (or empty) for none.
        "TWO_FACTOR_REQUIRED_ROLES": required,
        "PASSWORD_LOGIN": password_login,
        "OIDC_DISCOVERY_URL": discovery,
        "OIDC_CLIENT_ID": os.environ.get("CASELOAD_OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("CASELOAD_OIDC_CLIENT_SECRET", ""),
        "OIDC_MATCH_CLAIM": os.environ.get("CASELOAD_OIDC_MATCH_CLAIM", "email"),
        "OIDC_SCOPES": os.environ.get("CASELOAD_OIDC_SCOPES", "openid email profile"),
        "OIDC_LABEL": os.environ.get("CASELOAD_OIDC_LABEL", ""),
    }


def mail_settings() -> dict:
    """SMTP settings; with no MAIL_SMTP_HOST, mails go to a file sink under instance/mail/."""
    return {
        "MAIL_SMTP_HOST": os.environ.get("MAIL_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": int(os.environ.get("MAIL_SMTP_PORT", "587")),
        "MAIL_SMTP_STARTTLS": os.environ.get("MAIL_SMTP_STARTTLS", "1") == "1",
        "MAIL_SMTP_USERNAME": os.environ.get("MAIL_SMTP_USERNAME", ""),
        "MAIL_SMTP_PASSWORD": os.environ.get("MAIL_SMTP_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Caseload <caseload@localhost>"),
        # Seconds to wait for the connection, the greeting and each command's reply. A refused
        # or silent server costs the sender this long, after which the mails wait for the next
        # run; nothing is sent twice by giving up here.
        "MAIL_SMTP_TIMEOUT": float(os.environ.get("MAIL_SMTP_TIMEOUT", "60")),
        # Seconds to wait for the reply to the end of DATA: RFC 5321 section 4.5.3.2.6 gives
        # the server 10 minutes. Giving up earlier is what sends a mail twice.
        "MAIL_SMTP_DATA_TIMEOUT": float(os.environ.get("MAIL_SMTP_DATA_TIMEOUT", "600")),
    }
