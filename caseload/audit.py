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
