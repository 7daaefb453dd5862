"""`flask norms check`, the scheduler's jobs and triggers, catching up missed runs once, and
the lock that keeps one scheduler per installation."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from caseload import norms
from caseload.extensions import db
from caseload.jobs.locks import FileLock
from caseload.jobs.scheduler import build_scheduler, catch_up, job_definitions, missed_jobs
from caseload.models import JobRun, Signal

AMS = ZoneInfo("Europe/Amsterdam")
DAY = timedelta(days=1)
ENTRY = date(2026, 1, 5)


def team_with_breaches(build):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    for _ in range(3):
        client = build.client(worker, entry=ENTRY)
        build.phase(client, "job_finding", on=ENTRY + 7 * DAY)
    build.client(worker, entry=ENTRY, code="ABC-1")
    build.commit()
    return worker


# --- flask norms check ------------------------------------------------------------------------

def run_check(app, *args):
    return app.test_cli_runner().invoke(args=["norms", "check", *args])


def test_norms_check_json_lists_open_signals(app, build):
    team_with_breaches(build)

    result = run_check(app, "--as-of", "2026-03-18", "--json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list) and rows
    assert all(set(row) == {"norm", "subject", "since", "details"} for row in rows)
    assert all(isinstance(row["details"], str) and row["details"] for row in rows)
    by_subject = {(row["norm"], row["subject"]): row for row in rows}
    assert by_subject[("rapid_job_search", "ABC-1")]["since"] == ENTRY.isoformat()
    assert "day 72" in by_subject[("rapid_job_search", "ABC-1")]["details"]
    weekly = by_subject[("employer_contacts_weekly", "wim@example.org")]
    assert weekly["since"] == "2026-03-09"
    assert weekly["details"] == "0 of 6 face-to-face employer contacts in week 2026-W11"
    # one row per stored open signal, and each one a breach as of that date
    assert len(rows) == len(norms.evaluate(date(2026, 3, 18)))
    assert db.session.scalar(select(func.count(Signal.id))) == len(rows)


def test_norms_check_twice_stores_no_duplicates(app, build):
    team_with_breaches(build)

    first = run_check(app, "--as-of", "2026-03-18", "--json")
    second = run_check(app, "--as-of", "2026-03-18", "--json")

    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.output) == json.loads(second.output)
    assert db.session.scalar(select(func.count(Signal.id))) == len(json.loads(first.output))


def test_norms_check_with_no_breaches_prints_an_empty_list(app):
    result = run_check(app, "--as-of", "2026-03-18", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_norms_check_without_json_prints_a_summary(app, build):
    team_with_breaches(build)

    result = run_check(app, "--as-of", "2026-03-18")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("As of 2026-03-18: ")
    assert "ABC-1" in result.output


@pytest.mark.parametrize("bad", ["2026-13-01", "18-03-2026", "yesterday", "2026-02-30"])
def test_norms_check_with_a_bad_date_fails_with_a_clear_message(app, bad):
    result = run_check(app, "--as-of", bad, "--json")

    assert result.exit_code != 0
    assert "--as-of" in result.output
    assert "YYYY-MM-DD" in result.output
    assert db.session.scalar(select(func.count(Signal.id))) == 0


# --- the scheduler ----------------------------------------------------------------------------

def jobs_by_id(app):
    scheduler = build_scheduler(app, blocking=False)
    return {job.id: job for job in scheduler.get_jobs()}


def fields(trigger: CronTrigger) -> dict[str, str]:
    return {field.name: str(field) for field in trigger.fields}


def test_scheduler_registers_the_norm_jobs(app):
    jobs = jobs_by_id(app)

    assert {"daily_evaluation", "weekly_employer_contacts"} <= set(jobs)
    assert jobs["daily_evaluation"].args[1] == "daily_evaluation"
    assert jobs["weekly_employer_contacts"].args[1] == "weekly_employer_contacts"


def test_daily_evaluation_runs_at_six_every_day_in_amsterdam(app):
    trigger = jobs_by_id(app)["daily_evaluation"].trigger

    assert isinstance(trigger, CronTrigger)
    assert str(trigger.timezone) == "Europe/Amsterdam"
    f = fields(trigger)
    assert (f["hour"], f["minute"], f["second"]) == ("6", "0", "0")
    assert (f["day_of_week"], f["day"], f["month"]) == ("*", "*", "*")


def test_weekly_employer_contacts_runs_on_monday_morning_in_amsterdam(app):
    trigger = jobs_by_id(app)["weekly_employer_contacts"].trigger

    assert isinstance(trigger, CronTrigger)
    assert str(trigger.timezone) == "Europe/Amsterdam"
    f = fields(trigger)
    assert f["day_of_week"] == "mon"
    assert f["hour"] == "6"


def test_next_fire_times_for_a_known_moment(app):
    jobs = jobs_by_id(app)
    wednesday_morning = datetime(2026, 3, 18, 7, 0, tzinfo=AMS)

    daily = jobs["daily_evaluation"].trigger.get_next_fire_time(None, wednesday_morning)
    weekly = jobs["weekly_employer_contacts"].trigger.get_next_fire_time(None, wednesday_morning)

    assert daily == datetime(2026, 3, 19, 6, 0, tzinfo=AMS)
    assert daily.utcoffset() == timedelta(hours=1)
    assert weekly.date() == date(2026, 3, 23)
    assert weekly.weekday() == 0
    assert (weekly.hour, weekly.utcoffset()) == (6, timedelta(hours=1))


def test_daily_evaluation_stays_at_six_local_time_across_summer_time(app):
    trigger = jobs_by_id(app)["daily_evaluation"].trigger

    # Summer time starts on Sunday 29 March 2026.
    after = trigger.get_next_fire_time(None, datetime(2026, 3, 28, 7, 0, tzinfo=AMS))

    assert after == datetime(2026, 3, 29, 6, 0, tzinfo=AMS)
    assert after.astimezone(timezone.utc) == datetime(2026, 3, 29, 4, 0, tzinfo=timezone.utc)


def test_fire_time_just_before_six_is_the_same_morning(app):
    trigger = jobs_by_id(app)["daily_evaluation"].trigger

    assert trigger.get_next_fire_time(None, datetime(2026, 3, 18, 5, 59, tzinfo=AMS)) == \
        datetime(2026, 3, 18, 6, 0, tzinfo=AMS)


# --- catching up missed runs ------------------------------------------------------------------

FRIDAY = datetime(2026, 3, 13, 7, 0, tzinfo=AMS)
MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=AMS)


def ran(caplog) -> list[str]:
    return [record.args[0] for record in caplog.records
            if record.name == "caseload.jobs" and record.msg.startswith("job %s finished")]


def test_missed_runs_over_a_weekend_are_caught_up_once(app, build, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "CASELOAD_TODAY", None)  # as_of follows `now`
    team_with_breaches(build)
    job_ids = [job_id for job_id, _fn, _trigger in job_definitions()]
    for job_id in job_ids:
        db.session.add(JobRun(job=job_id, last_run_at=FRIDAY, last_as_of=FRIDAY.date()))
    db.session.commit()
    caplog.set_level(logging.INFO, logger="caseload.jobs")

    missed = catch_up(app, MONDAY)

    assert {"daily_evaluation", "weekly_employer_contacts"} <= set(missed)
    assert set(missed) == set(job_ids)  # every job had a scheduled time since Friday 07:00
    assert sorted(ran(caplog)) == sorted(missed)  # each exactly once
    db.session.expire_all()
    runs = {run.job: run for run in db.session.scalars(select(JobRun))}
    for job_id in missed:
        assert runs[job_id].last_run_at == MONDAY
        assert runs[job_id].last_as_of == date(2026, 3, 16)
    signals = list(db.session.scalars(select(Signal)))
    assert len(signals) == len(norms.evaluate(date(2026, 3, 16)))
    assert len({(s.norm, s.subject_key, s.anchor) for s in signals}) == len(signals)
    assert {s.first_seen_on for s in signals} == {date(2026, 3, 16)}

    caplog.clear()
    assert catch_up(app, MONDAY) == []
    assert catch_up(app, MONDAY + timedelta(minutes=5)) == []
    assert ran(caplog) == []
    assert db.session.scalar(select(func.count(Signal.id))) == len(signals)


def test_a_job_that_already_ran_today_is_not_missed(app):
    for job_id, _fn, _trigger in job_definitions():
        db.session.add(JobRun(job=job_id, last_run_at=MONDAY - timedelta(minutes=1),
                              last_as_of=MONDAY.date()))
    db.session.commit()

    assert missed_jobs(app, MONDAY) == []


def test_only_the_daily_job_is_missed_midweek(app):
    wednesday = datetime(2026, 3, 18, 9, 0, tzinfo=AMS)
    tuesday = wednesday - DAY
    for job_id in ("daily_evaluation", "weekly_employer_contacts"):
        db.session.add(JobRun(job=job_id, last_run_at=tuesday, last_as_of=tuesday.date()))
    db.session.commit()

    missed = missed_jobs(app, wednesday)

    assert "daily_evaluation" in missed
    assert "weekly_employer_contacts" not in missed


def test_a_job_that_never_ran_is_caught_up(app):
    assert {"daily_evaluation", "weekly_employer_contacts"} <= set(missed_jobs(app, MONDAY))


# --- one scheduler per installation -----------------------------------------------------------

def test_second_scheduler_lock_fails_while_the_first_holds_it(tmp_path):
    first = FileLock(tmp_path / "scheduler.lock")
    second = FileLock(tmp_path / "scheduler.lock")
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert (tmp_path / "scheduler.lock").read_text().strip().isdigit()

        first.release()
        assert second.acquire() is True
        assert first.acquire() is False
    finally:
        first.release()
        second.release()
