"""The due list (caseload/due/): each item appears on the right day, goes away when done, and
on the day after its window a norm raises a signal instead (the two never overlap)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from caseload.due import due_items
from caseload.extensions import db
from caseload.models import VocationalProfile
from caseload.norms import NormSettings, evaluate
from tests.conftest import TODAY

D = timedelta


def due(as_of: date, worker=None) -> list[tuple[str, int, date]]:
    items = due_items(db.session, as_of, NormSettings())
    everyone = [i for worker_items in items.values() for i in worker_items]
    return sorted((i.kind, i.client_id, i.due_on) for i in everyone
                  if worker is None or i.worker_id == worker.id)


def kinds(as_of: date, client) -> dict[str, date]:
    return {kind: on for kind, cid, on in due(as_of) if cid == client.id}


def breached(as_of: date, norm: str, client) -> bool:
    return any(b.norm == norm and b.trajectory_id == client.open_trajectory.id
               for b in evaluate(as_of, norms=[norm]))


@pytest.fixture
def worker(build):
    return build.user(build.team())


# --- the 30-day countdown (item 15) ---

def test_day_27_of_30_is_due_in_3_days_and_day_31_is_a_signal_not_due(build, worker):
    client = build.client(worker, entry=TODAY - D(27))
    assert kinds(TODAY, client)["rapid_job_search"] == TODAY + D(3)
    assert "rapid_job_search" not in kinds(TODAY - D(5), client)   # day 22: 8 days ahead
    assert kinds(TODAY - D(4), client)["rapid_job_search"] == TODAY + D(3)  # day 23: 7 ahead
    assert kinds(TODAY + D(3), client)["rapid_job_search"] == TODAY + D(3)  # day 30: today
    assert "rapid_job_search" not in kinds(TODAY + D(4), client)   # day 31
    assert breached(TODAY + D(4), "rapid_job_search", client)
    assert not breached(TODAY + D(3), "rapid_job_search", client)


def test_the_countdown_goes_when_a_face_to_face_employer_contact_is_logged(build, worker):
    client = build.client(worker, entry=TODAY - D(27))
    build.contact(worker, on=TODAY, kind="employer", mode="phone", client=client,
                  employer=build.employer())
    assert "rapid_job_search" in kinds(TODAY, client)  # a phone call does not count
    build.contact(worker, on=TODAY, kind="employer", client=client, employer=build.employer())
    assert "rapid_job_search" not in kinds(TODAY, client)


# --- the 3-day contacts after a start or an ending (item 23) ---

def test_three_day_contact_after_a_start_from_start_to_day_3_then_a_signal(build, worker):
    client = build.client(worker, entry=TODAY - D(60))
    build.placement(client, start=TODAY - D(3))
    assert kinds(TODAY, client)["follow_along_start"] == TODAY
    assert kinds(TODAY - D(3), client)["follow_along_start"] == TODAY
    assert "follow_along_week" not in kinds(TODAY, client)  # one item, not two, until day 3
    assert "follow_along_start" not in kinds(TODAY + D(1), client)
    assert breached(TODAY + D(1), "follow_along_after_start", client)
    build.contact(worker, on=TODAY, client=client)
    assert "follow_along_start" not in kinds(TODAY, client)


def test_job_loss_contact_is_due_3_days_in_any_mode(build, worker):
    client = build.client(worker, entry=TODAY - D(90))
    build.placement(client, start=TODAY - D(40), end=TODAY - D(1))
    assert kinds(TODAY, client)["job_loss"] == TODAY + D(2)
    assert "job_loss" not in kinds(TODAY + D(3), client)
    assert breached(TODAY + D(3), "job_loss_contact", client)
    build.contact(worker, on=TODAY, client=client, mode="phone")
    assert "job_loss" not in kinds(TODAY, client)


# --- weekly in the first month, monthly after ---

def test_weekly_follow_along_is_due_by_the_end_of_each_week(build, worker):
    client = build.client(worker, entry=TODAY - D(60))
    start = TODAY - D(8)  # week 1 runs S+7..S+13
    build.placement(client, start=start)
    build.contact(worker, on=start, client=client)  # the 3-day contact and week 0
    assert kinds(TODAY, client)["follow_along_week"] == start + D(13)
    assert "follow_along_week" not in kinds(start + D(6), client)  # week 0 was done
    build.contact(worker, on=TODAY, client=client, mode="phone")
    assert "follow_along_week" in kinds(TODAY, client)  # face-to-face only
    build.contact(worker, on=TODAY, client=client)
    assert "follow_along_week" not in kinds(TODAY, client)
    assert not breached(start + D(14), "follow_along_first_month", client)


def test_monthly_follow_along_shows_in_the_last_7_days_of_the_window(build, worker):
    client = build.client(worker, entry=TODAY - D(120))
    start = TODAY - D(50)  # the first 30-day window: S+28..S+57, TODAY = S+50
    build.placement(client, start=start)
    for week in range(4):
        build.contact(worker, on=start + D(7 * week), client=client)
    assert "follow_along_month" not in kinds(TODAY - D(1), client)  # S+49: 8 days to go
    assert kinds(TODAY, client)["follow_along_month"] == start + D(57)
    assert "follow_along_month" not in kinds(start + D(58), client)
    assert breached(start + D(58), "follow_along_monthly", client)


# --- treatment team every 14 days ---

def test_treatment_team_contact_is_due_14_days_after_the_last(build, worker):
    client = build.client(worker, entry=TODAY - D(40))
    build.contact(worker, on=TODAY - D(10), kind="treatment_team", mode="phone", client=client)
    assert kinds(TODAY, client)["treatment_team"] == TODAY + D(4)
    assert "treatment_team" not in kinds(TODAY + D(5), client)
    assert breached(TODAY + D(5), "treatment_team_contact", client)
    build.contact(worker, on=TODAY, kind="treatment_team", mode="phone", client=client)
    assert "treatment_team" not in kinds(TODAY, client)  # next due in 14 days: not this week


# --- the tasks: disclosure, benefits plan, week before a start, profile ---

def test_disclosure_before_the_first_employer_contact_in_job_finding(build, worker):
    client = build.client(worker, entry=TODAY - D(10))
    assert "disclosure_first" not in kinds(TODAY, client)
    build.phase(client, "job_finding", on=TODAY - D(2))
    assert kinds(TODAY, client)["disclosure_first"] == TODAY + D(20)
    build.disclosure(client, on=TODAY)
    assert "disclosure_first" not in kinds(TODAY, client)


def test_the_phase_on_the_day_is_the_last_change_recorded_that_day_not_a_later_one(build, worker):
    moved_on = build.client(worker, entry=TODAY - D(10))
    build.phase(moved_on, "job_finding", on=TODAY - D(2))
    build.phase(moved_on, "engagement", on=TODAY - D(2))   # the same day, recorded later: wins
    back = build.client(worker, entry=TODAY - D(10))
    build.phase(back, "engagement", on=TODAY - D(2))
    build.phase(back, "job_finding", on=TODAY - D(2))
    later = build.client(worker, entry=TODAY - D(10))
    build.phase(later, "job_finding", on=TODAY - D(1))     # not yet on the day before
    assert "disclosure_first" not in kinds(TODAY, moved_on)
    assert kinds(TODAY, back)["disclosure_first"] == TODAY + D(20)   # job finding since day -2
    assert "disclosure_first" not in kinds(TODAY - D(2), later)
    assert kinds(TODAY, later)["disclosure_first"] == TODAY + D(20)


def test_disclosure_again_after_two_months_of_job_finding_without_work(build, worker):
    client = build.client(worker, entry=TODAY - D(100))
    build.phase(client, "job_finding", on=TODAY - D(60))
    build.disclosure(client, on=TODAY - D(61))
    assert "disclosure_again" not in kinds(TODAY - D(1), client)
    assert kinds(TODAY, client)["disclosure_again"] == TODAY + D(14)
    build.disclosure(client, on=TODAY)
    assert "disclosure_again" not in kinds(TODAY, client)


def test_benefits_plan_before_a_recorded_start_then_a_signal(build, worker):
    client = build.client(worker, entry=TODAY - D(40))
    placement = build.placement(client, start=TODAY + D(5))
    assert kinds(TODAY, client)["benefits_plan"] == TODAY + D(5)
    assert kinds(TODAY + D(5), client)["benefits_plan"] == TODAY + D(5)  # on the start day
    assert "benefits_plan" not in kinds(TODAY + D(6), client)
    assert breached(TODAY + D(6), "benefits_plan_before_start", client)
    build.benefits_plan(client, on=TODAY)
    assert "benefits_plan" not in kinds(TODAY, client)
    assert placement.id


def test_contact_in_the_week_before_a_start(build, worker):
    client = build.client(worker, entry=TODAY - D(40))
    start = TODAY + D(7)
    build.placement(client, start=start)
    assert kinds(TODAY, client)["before_start"] == start - D(1)
    assert "before_start" not in kinds(TODAY - D(1), client)  # more than a week before
    assert "before_start" not in kinds(start, client)  # the start itself: the 3-day contact
    assert "follow_along_start" in kinds(start, client)
    build.contact(worker, on=TODAY, client=client)
    assert "before_start" not in kinds(TODAY, client)


def test_profile_update_after_a_start_and_after_an_ending(build, worker):
    client = build.client(worker, entry=TODAY - D(90))
    build.placement(client, start=TODAY - D(30), end=TODAY - D(2))
    profile = VocationalProfile(client=client, preferences="x")
    db.session.add(profile)
    db.session.flush()
    profile.updated_at = datetime(2026, 2, 20, 12, tzinfo=timezone.utc)  # after the start only
    db.session.flush()
    assert kinds(TODAY, client)["profile_update"] == TODAY - D(2) + D(14)
    profile.updated_at = datetime(2026, 3, 17, 12, tzinfo=timezone.utc)
    db.session.flush()
    assert "profile_update" not in kinds(TODAY, client)


# --- whose list ---

def test_ended_trajectories_and_other_teams_clients_have_nothing_due(build, worker):
    client = build.client(worker, entry=TODAY - D(27))
    other_team_worker = build.user(build.team())
    build.client(other_team_worker, entry=TODAY - D(27))
    mine = due_items(db.session, TODAY, NormSettings(), team_ids=worker.team_ids)
    assert {i.client_id for items in mine.values() for i in items} == {client.id}
    build.end_trajectory(client, on=TODAY)
    assert not kinds(TODAY, client)


def test_an_employer_contact_long_ago_still_means_no_disclosure_task(build, worker):
    """Contacts older than the longest norm window are not read for the windows (the bounded
    query, caseload/due/facts.py), but the first employer contact is looked up in full."""
    client = build.client(worker, entry=TODAY - D(200))
    build.phase(client, "job_finding", on=TODAY - D(190))
    build.disclosure(client, on=TODAY - D(20))  # not after 2 months: disclosure_again stays
    build.contact(worker, on=TODAY - D(195), kind="employer", mode="phone", client=client,
                  employer=build.employer())
    assert "disclosure_first" not in kinds(TODAY, client)


def test_a_missed_week_becomes_a_signal_and_the_next_week_is_due(build, worker):
    client = build.client(worker, entry=TODAY - D(60))
    start = TODAY - D(14)  # week 1 (S+7..S+13) ended yesterday without contact
    build.placement(client, start=start)
    build.contact(worker, on=start, client=client)
    assert kinds(start + D(13), client)["follow_along_week"] == start + D(13)
    assert kinds(TODAY, client)["follow_along_week"] == start + D(20)  # week 2 now
    assert breached(TODAY, "follow_along_first_month", client)


def test_an_employer_contact_without_discussion_ends_the_task_with_a_signal(build, worker):
    client = build.client(worker, entry=TODAY - D(10))
    build.phase(client, "job_finding", on=TODAY - D(2))
    assert "disclosure_first" in kinds(TODAY, client)
    build.contact(worker, on=TODAY, kind="employer", client=client, employer=build.employer())
    assert "disclosure_first" not in kinds(TODAY, client)
    assert breached(TODAY, "disclosure_before_employer_contact", client)


def test_profile_task_comes_on_the_start_day_not_before(build, worker):
    client = build.client(worker, entry=TODAY - D(40))
    build.placement(client, start=TODAY + D(2))
    assert "profile_update" not in kinds(TODAY + D(1), client)
    assert kinds(TODAY + D(2), client)["profile_update"] == TODAY + D(16)
    assert "profile_update" not in kinds(TODAY + D(2) + D(91), client)  # no longer offered
