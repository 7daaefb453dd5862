"""The migrated database (not only create_all) keeps the logs append-only, and lets the
retention job through for rows past the purge cutoff."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from caseload.extensions import db
from caseload.jobs.log_jobs import purge_access_log
from caseload.models import AccessLogEntry
from tests.test_migrations import empty_database_url, migrated_app  # noqa: F401  (fixtures)


def test_migrated_logs_are_append_only_and_the_retention_job_gets_through(migrated_app):  # noqa: F811
    db.session.execute(insert(AccessLogEntry), [
        {"at": datetime(2020, 1, 1, tzinfo=timezone.utc), "user_email": "old@example.org",
         "record_type": "client", "action": "read", "status": 200, "ip": ""},
        {"at": datetime(2026, 1, 1, tzinfo=timezone.utc), "user_email": "new@example.org",
         "record_type": "client", "action": "read", "status": 200, "ip": ""}])
    db.session.execute(text(
        "INSERT INTO admin_log (at, actor_email, actor_role, object_type, object_label, action, "
        "field, old_value, new_value, ip) VALUES (CURRENT_TIMESTAMP, 'a', 'admin', 'user', 'u', "
        "'update', 'role', 'worker', 'admin', '')"))
    db.session.commit()
    for statement in ("DELETE FROM access_log", "UPDATE access_log SET user_email = 'x'",
                      "DELETE FROM admin_log", "UPDATE admin_log SET new_value = 'worker'"):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
            db.session.flush()
        db.session.rollback()

    assert purge_access_log(date(2026, 3, 18), retention_days=1826).deleted == 1
    assert db.session.scalars(text("SELECT user_email FROM access_log")).all() == \
        ["new@example.org"]
    with pytest.raises(DBAPIError):
        db.session.execute(text("DELETE FROM log_purge"))
        db.session.flush()
    db.session.rollback()
