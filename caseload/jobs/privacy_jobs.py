"""The retention job: erase clients whose last trajectory ended longer ago than the retention
period (CASELOAD_RETENTION_DAYS; see config.py for the default and why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from caseload import audit, clock
from caseload.extensions import db
from caseload.instance_files import empty_sqlite_log
from caseload.privacy.erase import erase_client, expired_clients
from caseload.unit_of_work import unit_of_work


@dataclass
class ErasureResult:
    erased: int = 0

    def __str__(self) -> str:
        return f"{self.erased} clients erased"


def erase_expired_clients(as_of: date, retention_days: int | None = None) -> ErasureResult:
    """Erase every expired client in one transaction, with an access-log entry per client
    written in that same transaction (a system action: no user). Idempotent: erased clients
    are no longer expired, so a second run finds nothing. A loop over clients, not one set-based
    statement: each erasure replaces that client's own code in free text elsewhere; the number
    of clients per night is small once the backlog of the first run is done."""
    if retention_days is None:
        retention_days = int(current_app.config["CASELOAD_RETENTION_DAYS"])
    now = clock.utcnow()
    with unit_of_work():
        clients = expired_clients(db.session, as_of, retention_days)
        for client in clients:
            erase_client(db.session, client, reason="retention", today=as_of, now=now)
        audit.write_access_entries([
            {"at": now, "user_id": None, "user_email": "system", "user_role": "system",
             "client_id": client.id, "record_type": "privacy_erase", "action": "erase"}
            for client in clients], session=db.session)
    if clients:
        empty_sqlite_log(db.session.connection())
    return ErasureResult(erased=len(clients))
