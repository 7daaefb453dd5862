"""Recording access to client data. Views name the clients they show or change; after the
response, one insert writes the entries with the response status, in its own transaction,
so reads are logged too and a failed change still leaves its attempt in the log."""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy import insert

from caseload import clock
from caseload.models import AccessLogEntry


def record(client_ids, record_type: str, action: str | None = None) -> None:
    """Note access to the given clients in this request (a single id or an iterable)."""
    if isinstance(client_ids, int) or client_ids is None:
        client_ids = [client_ids]
    if action is None:
        action = "read" if request.method in ("GET", "HEAD") else "change"
    entries = g.setdefault("access_log_entries", [])
    entries.extend((client_id, record_type, action) for client_id in client_ids)


def init_app(app: Flask) -> None:
    @app.after_request
    def write_access_log(response):
        entries = g.pop("access_log_entries", None)
        if not entries or not current_user.is_authenticated:
            return response
        from caseload.extensions import db
        now = clock.utcnow()
        ip = (request.remote_addr or "")[:64]
        rows = [{"at": now, "user_id": current_user.id, "user_email": current_user.email,
                 "client_id": client_id, "record_type": record_type, "action": action,
                 "status": response.status_code, "ip": ip}
                for client_id, record_type, action in dict.fromkeys(entries)]
        with db.engine.begin() as connection:
            connection.execute(insert(AccessLogEntry), rows)
        return response


def account_event(action: str, *, user=None, email: str = "", subject=None) -> None:
    """audit: a log-in, failed log-in, log-out, password change or second-factor change, written
    at once in its own transaction (a failed log-in has no logged-in user to wait for).
    `user` is who acted (None for a failed log-in: then `email` is what was typed), `subject`
    the account acted on when that is someone else (an administrator's reset)."""
    from caseload.extensions import db
    record_type = "account" if subject is None else f"account:{subject.id}"
    row = {"at": clock.utcnow(), "user_id": user.id if user is not None else None,
           "user_email": (user.email if user is not None else email)[:254], "client_id": None,
           "record_type": record_type, "action": action[:10], "status": 200,
           "ip": (request.remote_addr or "")[:64]}
    with db.engine.begin() as connection:
        connection.execute(insert(AccessLogEntry), [row])
