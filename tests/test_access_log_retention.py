"""Retention of the access log: the nightly job deletes entries older than the setting
(default 5 years), through the append-only trigger only for rows past the purge cutoff."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DBAPIError

from caseload.extensions import db
from caseload.jobs.log_jobs import access_log_cutoff, purge_access_log
from caseload.models import AccessLogEntry, LogPurge

AS_OF = date(2031, 3, 18)


def add_entry(at: datetime, email: str) -> None:
    db.session.execute(insert(AccessLogEntry), [{
        "at": at, "user_id": None, "user_email": email, "user_role": "worker", "client_id": 1,
        "record_type": "clients.show", "action": "read", "status": 200, "ip": "127.0.0.1"}])
    db.session.commit()


def kept() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(AccessLogEntry.user_email)))


def test_the_default_retention_is_five_years(app):
    assert app.config["CASELOAD_ACCESS_LOG_RETENTION_DAYS"] == 1826


def test_entries_before_the_cutoff_go_and_the_entry_at_the_cutoff_stays(app):
    cutoff = access_log_cutoff(AS_OF, 1826)
    # Midnight in Amsterdam on the day 1826 days before as_of, in UTC (CET: one hour earlier).
    assert cutoff == datetime(2026, 3, 17, 23, 0, tzinfo=timezone.utc)
    add_entry(cutoff - timedelta(microseconds=1), "old@example.org")
    add_entry(cutoff - timedelta(days=400), "older@example.org")
    add_entry(cutoff, "boundary@example.org")
    add_entry(cutoff + timedelta(days=1), "young@example.org")

    result = purge_access_log(AS_OF)

    assert result.deleted == 2
    assert kept() == ["boundary@example.org", "young@example.org"]
    [purge] = db.session.scalars(select(LogPurge)).all()
    assert (purge.table_name, purge.as_of, purge.retention_days, purge.cutoff, purge.deleted) == \
        ("access_log", AS_OF, 1826, cutoff, 2)


def test_a_second_run_deletes_nothing_and_writes_no_second_purge(app):
    cutoff = access_log_cutoff(AS_OF, 1826)
    add_entry(cutoff - timedelta(days=1), "old@example.org")
    assert purge_access_log(AS_OF).deleted == 1
    assert purge_access_log(AS_OF).deleted == 0
    assert db.session.scalar(select(LogPurge.deleted)) == 1
    assert len(db.session.scalars(select(LogPurge)).all()) == 1


def test_the_setting_decides_and_too_short_a_retention_is_refused(app, monkeypatch):
    add_entry(datetime(2030, 1, 1, tzinfo=timezone.utc), "last-year@example.org")
    monkeypatch.setitem(app.config, "CASELOAD_ACCESS_LOG_RETENTION_DAYS", 365)
    assert purge_access_log(AS_OF).deleted == 1
    monkeypatch.setitem(app.config, "CASELOAD_ACCESS_LOG_RETENTION_DAYS", 30)
    with pytest.raises(ValueError, match="at least 365"):
        purge_access_log(AS_OF)


def test_the_trigger_still_refuses_deleting_rows_younger_than_the_cutoff(app):
    cutoff = access_log_cutoff(AS_OF, 1826)
    add_entry(cutoff - timedelta(days=1), "old@example.org")
    with pytest.raises(DBAPIError):  # no purge record yet: nothing may go
        db.session.execute(delete(AccessLogEntry))
        db.session.flush()
    db.session.rollback()
    add_entry(cutoff + timedelta(days=1), "young@example.org")
    purge_access_log(AS_OF)
    with pytest.raises(DBAPIError):  # after a purge: still not the rows after its cutoff
        db.session.execute(delete(AccessLogEntry))
        db.session.flush()
    db.session.rollback()
    assert kept() == ["young@example.org"]


def test_the_purge_record_itself_is_append_only(app):
    add_entry(access_log_cutoff(AS_OF, 1826) - timedelta(days=1), "old@example.org")
    purge_access_log(AS_OF)
    with pytest.raises(DBAPIError):
        db.session.execute(delete(LogPurge))
        db.session.flush()
    db.session.rollback()


def test_the_job_runs_from_the_cli_and_is_scheduled_nightly(app):
    from caseload.jobs.scheduler import job_definitions
    add_entry(access_log_cutoff(AS_OF, 1826) - timedelta(days=1), "old@example.org")
    outcome = app.test_cli_runner().invoke(args=[
        "jobs", "run", "access_log_retention", "--as-of", AS_OF.isoformat()])
    assert outcome.exit_code == 0, outcome.output
    assert "1 access-log entries deleted" in outcome.output
    assert kept() == []
    trigger = {job_id: trigger for job_id, _fn, trigger in job_definitions()}["access_log_retention"]
    assert str(trigger).startswith("cron[") and "hour='3'" in str(trigger)


def test_the_access_log_page_says_how_long_entries_are_kept_after_a_purge(app, client, build):
    from tests.conftest import login
    add_entry(access_log_cutoff(AS_OF, 1826) - timedelta(days=1), "old@example.org")
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    assert 'id="retention"' not in client.get("/admin/access-log").text
    purge_access_log(AS_OF)
    page = client.get("/admin/access-log").text
    assert 'id="retention"' in page and "Bewaard gedurende 1826 dagen" in page
    assert "18-03-2026, 00:00" in page  # the cutoff, in Amsterdam time


def test_demo_data_reset_replaces_a_database_that_holds_append_only_logs(app, client, build):
    from caseload.models import AdminLogEntry
    from tests.conftest import login
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    client.get("/admin/access-log")
    outcome = app.test_cli_runner().invoke(args=["demo-data", "--reset"])
    assert outcome.exit_code == 0, outcome.output
    db.session.expire_all()
    assert db.session.scalars(select(AdminLogEntry)).all() == []
    assert "admin@example.org" not in kept()
