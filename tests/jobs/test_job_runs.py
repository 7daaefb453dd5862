"""Every run of a job is logged to standard output (start, end, duration, counts, errors) and
recorded; a failing job stops nothing; recording a run never collides."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.runs import run_job
from caseload.jobs.scheduler import catch_up
from caseload.models import JobRun, JobRunLog
from tests.concurrency import run_at_once
from tests.conftest import TODAY

NOW = datetime(2026, 3, 18, 6, 0, 5, tzinfo=timezone.utc)


def with_news(build):
    worker = build.user(build.team(), email="wim@example.org")
    build.client(worker, entry=TODAY - timedelta(days=40))
    build.commit()


def test_a_run_is_logged_to_standard_output_and_recorded(app, build, capsys):
    with_news(build)
    run_job(app, "daily_evaluation", NOW)

    ok, queued = run_job(app, "worker_digests", NOW + timedelta(hours=1))

    assert ok and queued == 1
    out = capsys.readouterr().out
    assert re.search(r"INFO caseload\.jobs: job worker_digests started: as_of=2026-03-18 "
                     r"trigger=schedule runner=\S+:\d+", out)
    assert re.search(r"INFO caseload\.jobs: job worker_digests finished: as_of=2026-03-18 "
                     r"trigger=schedule duration=\d+\.\d\ds queued=1", out)
    assert re.search(r"job daily_evaluation finished: .* opened=\d+ still_open=0 resolved=0 "
                     r"reminders_queued=0", out)
    row = db.session.scalars(select(JobRunLog).where(JobRunLog.job == "worker_digests")).one()
    assert (row.status, row.summary, row.error, row.as_of) == ("ok", "queued=1", "", TODAY)
    assert row.started_at == NOW + timedelta(hours=1)
    assert 0 <= row.duration_seconds < 60
    assert db.session.get(JobRun, "worker_digests").last_run_at == NOW + timedelta(hours=1)


def test_a_failing_job_is_logged_with_its_error_and_the_others_still_run(app, build, capsys,
                                                                      monkeypatch):
    with_news(build)
    monkeypatch.setitem(app.config, "CASELOAD_RETENTION_DAYS", "seven years")
    monkeypatch.setitem(app.config, "CASELOAD_TODAY", None)

    missed = catch_up(app, NOW)

    assert "retention_erasure" in missed and "daily_evaluation" in missed
    out = capsys.readouterr().out
    assert re.search(r"ERROR caseload\.jobs: job retention_erasure failed: as_of=2026-03-18 "
                     r"trigger=catch_up duration=\d+\.\d\ds error=ValueError: invalid literal", out)
    assert "privacy_jobs.py" in out  # where it failed (the traceback's frames)
    runs = {r.job: r for r in db.session.scalars(select(JobRunLog))}
    assert runs["retention_erasure"].status == "failed"
    assert runs["retention_erasure"].error.startswith("ValueError: invalid literal")
    assert runs["daily_evaluation"].status == "ok"
    # not done: the next start catches it up again
    assert db.session.get(JobRun, "retention_erasure") is None
    assert db.session.get(JobRun, "daily_evaluation") is not None
    monkeypatch.setitem(app.config, "CASELOAD_RETENTION_DAYS", 2557)
    assert catch_up(app, NOW + timedelta(minutes=1)) == ["retention_erasure"]


def test_a_database_error_is_recorded_without_the_rows_values(app):
    from sqlalchemy.exc import IntegrityError

    from caseload.jobs.runs import describe_error

    error = IntegrityError("INSERT INTO client (name) VALUES (?)", ("Geheime Naam",),
                           Exception("UNIQUE constraint failed: client.client_code"))
    text = describe_error(error)
    assert text == "IntegrityError: UNIQUE constraint failed: client.client_code"
    assert "Geheime" not in text


def test_two_schedulers_recording_the_same_job_on_a_fresh_database_do_not_collide(app):
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0

    results = run_at_once(app, lambda: run_job(app, "retention_erasure", NOW, raise_errors=True))

    assert [ok for ok, _result in results] == [True, True]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
    assert db.session.scalar(select(func.count()).select_from(JobRunLog)) == 2


def test_the_cli_logs_the_run_but_leaves_the_scheduler_s_records_alone(app, build):
    with_news(build)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["jobs", "run", "daily_evaluation", "--as-of", "2026-03-18"])

    assert result.exit_code == 0, result.output
    assert "job daily_evaluation started: as_of=2026-03-18 trigger=cli" in result.output
    assert "daily_evaluation for 2026-03-18: DailyResult(opened=" in result.output
    assert db.session.scalar(select(func.count()).select_from(JobRunLog)) == 0
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0


def test_the_cli_exits_with_an_error_when_the_job_fails(app, monkeypatch):
    monkeypatch.setitem(app.config, "CASELOAD_RETENTION_DAYS", "x")

    result = app.test_cli_runner().invoke(args=["jobs", "run", "retention_erasure"])

    assert result.exit_code == 1
    assert "retention_erasure for 2026-03-18 failed" in result.output


def test_old_runs_are_pruned_from_the_log(app):
    run_job(app, "retention_erasure", NOW - timedelta(days=91))
    run_job(app, "retention_erasure", NOW - timedelta(days=89))

    run_job(app, "retention_erasure", NOW)

    db.session.expire_all()
    assert sorted(r.started_at for r in db.session.scalars(select(JobRunLog))) == [
        NOW - timedelta(days=89), NOW]
