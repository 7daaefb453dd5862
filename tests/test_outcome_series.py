"""The outcomes' weekly series at their edges: job seekers on a week's Sunday (read as spans of
job finding, outcomes/series.py), absent working days, face-to-face employer contacts per team
and week, and the per-worker first contacts, after a handover, a team move and a correction.
Runs on the test database (SQLite, or PostgreSQL with CASELOAD_TEST_DATABASE_URL).
TODAY is Wednesday 2026-03-18."""

from __future__ import annotations

import random
from datetime import date, timedelta

from caseload.extensions import db
from caseload.handover import move_to_team
from caseload.models import Contact, Trajectory, User
from caseload.norms.settings import NormSettings
from caseload.norms.worker_norms import weekly_employer_contact_norm
from caseload.outcomes.period import complete_weeks
from caseload.outcomes.series import (
    absent_working_days,
    employer_contacts_by_week,
    job_seekers_by_week,
)
from caseload.outcomes.workers import worker_outcomes

# Four complete weeks: Mondays 2 February .. 23 February, Sundays 8 .. 1 March.
W1, W2, W3, W4 = (date(2026, 2, 2) + timedelta(weeks=k) for k in range(4))
MONDAYS = [W1, W2, W3, W4]


def sunday(monday: date) -> date:
    return monday + timedelta(days=6)


def seekers_of(worker, mondays=MONDAYS) -> list[int]:
    counts = job_seekers_by_week(db.session, [worker.id], mondays)
    return [counts.get((worker.id, monday), 0) for monday in mondays]


def test_job_seekers_count_on_the_sunday_itself_and_not_before(build):
    team = build.team()
    worker = build.user(team)
    on_sunday = build.client(worker, entry=date(2026, 1, 5))
    build.phase(on_sunday, "job_finding", on=sunday(W1))      # counts in W1 already
    on_monday = build.client(worker, entry=date(2026, 1, 5))
    build.phase(on_monday, "job_finding", on=W2)              # from W2
    left_on_sunday = build.client(worker, entry=date(2026, 1, 5))
    build.phase(left_on_sunday, "job_finding", on=date(2026, 1, 12))
    build.phase(left_on_sunday, "coaching", on=sunday(W3))    # not job finding on W3's Sunday
    build.commit()
    assert seekers_of(worker) == [2, 3, 2, 2]


def test_the_later_of_two_phase_changes_on_one_day_decides(build):
    team = build.team()
    worker = build.user(team)
    back_and_forth = build.client(worker, entry=date(2026, 1, 5))
    build.phase(back_and_forth, "job_finding", on=W2)
    build.phase(back_and_forth, "coaching", on=W2)            # same day, later: coaching
    build.phase(back_and_forth, "job_finding", on=W3 + timedelta(days=2))
    build.phase(back_and_forth, "coaching", on=W3 + timedelta(days=2))
    build.phase(back_and_forth, "job_finding", on=W3 + timedelta(days=2))  # and back again
    build.commit()
    assert seekers_of(worker) == [0, 0, 1, 1]


def test_a_trajectory_ended_on_the_sunday_counts_that_week_and_not_on_the_saturday(build):
    team = build.team()
    worker = build.user(team)
    for ended in (sunday(W2), sunday(W2) - timedelta(days=1)):
        client = build.client(worker, entry=date(2026, 1, 5))
        build.phase(client, "job_finding", on=date(2026, 1, 12))
        build.end_trajectory(client, on=ended)
    build.commit()
    assert seekers_of(worker) == [2, 1, 0, 0]


def test_a_handover_on_the_sunday_moves_that_week_and_on_the_monday_the_next(build):
    team = build.team()
    first, second = build.user(team), build.user(team)
    on_sunday = build.client(first, entry=date(2026, 1, 5))
    build.phase(on_sunday, "job_finding", on=date(2026, 1, 12))
    build.transfer(on_sunday, second, on=sunday(W2))
    on_monday = build.client(first, entry=date(2026, 1, 5))
    build.phase(on_monday, "job_finding", on=date(2026, 1, 12))
    build.transfer(on_monday, second, on=W3)
    corrected = build.client(first, entry=date(2026, 1, 5))
    build.phase(corrected, "job_finding", on=date(2026, 1, 12))
    build.transfer(corrected, second, on=W4)
    build.transfer(corrected, first, on=W4)                   # a mistake, undone the same day
    build.commit()
    assert seekers_of(first) == [3, 2, 1, 1]
    assert seekers_of(second) == [0, 1, 2, 2]


def test_a_client_moved_to_another_team_counts_for_the_new_worker_from_that_sunday(build):
    north, south = build.team("Noord"), build.team("Zuid")
    old, new = build.user(north), build.user(south)
    client = build.client(old, entry=date(2026, 1, 5))
    build.phase(client, "job_finding", on=date(2026, 1, 12))
    move_to_team(db.session, client, south, new, on=sunday(W3), today=build.today, by=None)
    db.session.flush()
    build.commit()
    assert seekers_of(old) == [1, 1, 0, 0]
    assert seekers_of(new) == [0, 0, 1, 1]


def test_job_seekers_match_a_day_by_day_reading_of_the_history(build):
    """Random histories (phase changes, same-day ties, handovers, endings) against the plain
    reading: on each Sunday, the assignment that covers it and the latest phase change."""
    rng = random.Random(20261201)
    team = build.team()
    workers = [build.user(team) for _ in range(3)]
    last_day = date(2026, 3, 15)
    for _n in range(30):
        client = build.client(rng.choice(workers),
                              entry=date(2025, 11, 1) + timedelta(days=rng.randrange(90)))
        trajectory = client.open_trajectory
        day, phase = trajectory.program_entry_date, "intake"
        for _event in range(rng.randrange(7)):
            day = min(last_day, day + timedelta(days=rng.choice((0, 0, 1, 3, 6, 7, 13))))
            what = rng.random()
            if what < 0.6:
                phase = rng.choice([p for p in ("job_finding", "coaching", "assessment")
                                    if p != phase])
                build.phase(client, phase, on=day)
            elif what < 0.9:
                to = rng.choice([w for w in [*workers, None] if w is not trajectory.worker])
                build.transfer(client, to, on=day)
            else:
                build.end_trajectory(client, on=day)
                break
    build.commit()
    mondays = complete_weeks(date(2025, 11, 1), last_day)

    expected = {}
    for trajectory in db.session.scalars(db.select(Trajectory)):
        changes = sorted(trajectory.phase_changes, key=lambda c: (c.changed_on, c.id))
        for monday in mondays:
            day = sunday(monday)
            if trajectory.program_entry_date > day or (trajectory.ended_on is not None
                                                       and trajectory.ended_on < day):
                continue
            before = [c for c in changes if c.changed_on <= day]
            if not before or before[-1].phase != "job_finding":
                continue
            for held in trajectory.assignments:
                if held.worker_id is not None and held.from_date <= day and (
                        held.until is None or held.until > day):
                    key = (held.worker_id, monday)
                    expected[key] = expected.get(key, 0) + 1
    got = job_seekers_by_week(db.session, [w.id for w in workers], mondays)
    assert got == expected
    assert sum(expected.values()) > 20                        # the histories did have seekers


def test_absent_working_days_count_weekdays_once_within_the_weeks(build):
    team = build.team()
    worker = build.user(team)
    build.absence(worker, start=W1 - timedelta(days=3), end=W1 + timedelta(days=1))  # Fri..Tue
    build.absence(worker, start=W1 + timedelta(days=1), end=W1 + timedelta(days=2))  # overlaps
    build.absence(worker, start=sunday(W2) - timedelta(days=1), end=sunday(W2))      # weekend
    build.absence(worker, start=W3 + timedelta(days=4), end=W4 + timedelta(days=20))  # Fri on
    build.commit()
    absent = absent_working_days(db.session, [worker.id], MONDAYS)
    assert absent == {(worker.id, W1): 3, (worker.id, W3): 1, (worker.id, W4): 5}
    assert absent_working_days(db.session, [worker.id], [W2]) == {}


def weekly(team, start, end):
    return {p.monday: p.contacts for p in employer_contacts_by_week(
        db.session, [team.id], start, end)[team.id]}


def test_weekly_contacts_follow_a_correction_across_the_week_edge(build):
    team = build.team()
    worker = build.user(team)
    employer = build.employer()
    late = build.contact(worker, on=sunday(W1), kind="employer", employer=employer)
    call = build.contact(worker, on=W2, kind="employer", mode="phone", employer=employer)
    build.contact(worker, on=W2, kind="education")
    build.commit()
    assert weekly(team, W1, sunday(W2)) == {W1: 1, W2: 1}
    late.correct(today=build.today, contact_date=W2, kind="employer", mode="face_to_face",
                 place="community", minutes=30, employer=employer, note="")
    call.correct(today=build.today, contact_date=W2, kind="employer", mode="face_to_face",
                 place="office", minutes=30, employer=employer, note="")
    build.commit()
    assert weekly(team, W1, sunday(W2)) == {W1: 0, W2: 3}
    db.session.delete(call)
    build.commit()
    assert weekly(team, W1, sunday(W2)) == {W1: 0, W2: 2}


def test_weekly_contacts_only_of_complete_weeks_in_the_period(build):
    team = build.team()
    worker = build.user(team)
    for day in (W1, sunday(W1), W2 - timedelta(days=8), sunday(W2) + timedelta(days=1)):
        build.contact(worker, on=day, kind="employer", employer=build.employer())
    build.commit()
    # From Tuesday before W1 to W2's Sunday: W1 and W2 only; to W3's Saturday: still W1, W2.
    assert weekly(team, W1 - timedelta(days=6), sunday(W2)) == {W1: 2, W2: 0}
    assert weekly(team, W1, sunday(W3) - timedelta(days=1)) == {W1: 2, W2: 0}
    assert weekly(team, W1 + timedelta(days=1), sunday(W2)) == {W2: 0}


def test_weekly_contacts_go_to_the_team_the_worker_is_in_now(build):
    north, south = build.team("Noord"), build.team("Zuid")
    worker = build.user(north)
    build.contact(worker, on=W1, kind="employer", employer=build.employer())
    build.commit()
    assert weekly(north, W1, sunday(W1)) == {W1: 1}
    moved = db.session.get(User, worker.id)
    moved.teams = [south]
    build.commit()
    assert weekly(north, W1, sunday(W1)) == {W1: 0}
    assert weekly(south, W1, sunday(W1)) == {W1: 1}


def test_first_employer_contacts_per_worker_stay_with_the_team_that_held_the_client(build):
    north, south = build.team("Noord"), build.team("Zuid")
    old, new = build.user(north), build.user(south)
    client = build.client(old, entry=date(2026, 1, 5))
    build.contact(old, on=date(2026, 1, 20), kind="employer", client=client,
                  employer=build.employer())
    move_to_team(db.session, client, south, new, on=date(2026, 2, 2), today=build.today,
                 by=None)
    build.contact(new, on=date(2026, 2, 10), kind="employer", client=client,
                  employer=build.employer())
    other = build.client(build.user(south), entry=date(2026, 1, 5))
    build.contact(other.open_trajectory.worker, on=date(2026, 1, 7), kind="employer",
                  client=other, employer=build.employer())
    build.commit()
    start, end = date(2026, 1, 1), date(2026, 3, 18)

    def firsts(team):
        return {o.worker.id: o.days_to_first_employer_contact
                for o in worker_outcomes(db.session, [team.id], start, end)}
    assert firsts(north) == {old.id: [15]}
    assert firsts(south)[new.id] == []                        # the first was the old team's
    assert firsts(south)[other.open_trajectory.worker_id] == [2]
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 3


def test_weekly_contacts_match_a_count_of_each_contact(build):
    """Random face-to-face and other contacts of workers in one team, in two, a coordinator's
    and a worker's of another team, across the weeks and outside them: the weekly counts per
    team (a seek per worker and week on SQLite, grouped on PostgreSQL) are the contacts counted
    one by one."""
    rng = random.Random(20261202)
    north, south, east = build.team("Noord"), build.team("Zuid"), build.team("Oost")
    workers = [build.user(north), build.user(north), build.user(south), build.user(east)]
    both = build.user(north)
    both.teams = [north, south]
    coordinator = build.user(north, role="coordinator")
    employer = build.employer()
    client = build.client(workers[0])
    logged = []
    for _ in range(160):
        who = rng.choice([*workers, both, coordinator])
        day = W1 - timedelta(days=10) + timedelta(days=rng.randrange(45))
        kind = rng.choice(["employer", "employer", "education", "client"])
        mode = rng.choice(["face_to_face", "face_to_face", "phone"])
        build.contact(who, on=day, kind=kind, mode=mode,
                      employer=employer if kind == "employer" else None,
                      client=client if kind == "client" else None)
        logged.append((who, day, kind, mode))
    build.commit()
    start, end = W1 + timedelta(days=2), sunday(W4) + timedelta(days=3)
    mondays = complete_weeks(start, end)
    got = employer_contacts_by_week(db.session, [north.id, south.id, east.id], start, end)
    for team in (north, south, east):
        expected = [sum(1 for who, day, kind, mode in logged
                        if team in who.teams and who.role == "worker"
                        and kind in ("employer", "education") and mode == "face_to_face"
                        and monday <= day <= sunday(monday))
                    for monday in mondays]
        assert [p.contacts for p in got[team.id]] == expected
        assert [p.monday for p in got[team.id]] == mondays
    assert sum(p.contacts for p in got[north.id]) > 0


def test_absent_days_and_weekly_norms_match_a_day_by_day_reading(build):
    """Random absences (overlapping, nested, a weekend only, a day, running past either end of
    the weeks) of three workers with job seekers: the absent working days per week (counted
    from each absence's span, outcomes/series.py) are the weekdays counted one by one, each
    once, and the team's weekly norm is the sum of each worker's norm for those days."""
    rng = random.Random(20261204)
    team = build.team()
    workers = [build.user(team, fte=fte) for fte in ("1.0", "0.5", "0.8")]
    for worker, seekers in zip(workers, (3, 4, 1)):
        for _ in range(seekers):
            client = build.client(worker, entry=date(2026, 1, 5))
            build.phase(client, "job_finding", on=date(2026, 1, 12))
    absences = []
    for _ in range(14):
        worker = rng.choice(workers)
        start = W1 - timedelta(days=9) + timedelta(days=rng.randrange(40))
        end = start + timedelta(days=rng.choice([0, 0, 1, 2, 4, 6, 9, 16]))
        build.absence(worker, start=start, end=end)
        absences.append((worker, start, end))
    build.commit()
    start, end = W1, sunday(W4)
    expected = {}
    for worker in workers:
        for monday in MONDAYS:
            days = {monday + timedelta(days=d) for d in range(5)
                    if any(who is worker and first <= monday + timedelta(days=d) <= last
                           for who, first, last in absences)}
            if days:
                expected[(worker.id, monday)] = len(days)
    assert absent_working_days(db.session, [w.id for w in workers], MONDAYS) == expected
    assert len(expected) > 4                                  # the weeks did have absences
    seekers = job_seekers_by_week(db.session, [w.id for w in workers], MONDAYS)
    settings = NormSettings.load(db.session)
    norms = [sum(weekly_employer_contact_norm(
        fte=w.fte, job_seekers=seekers.get((w.id, monday), 0),
        absent_days=expected.get((w.id, monday), 0), settings=settings) or 0 for w in workers)
        for monday in MONDAYS]
    got = employer_contacts_by_week(db.session, [team.id], start, end)[team.id]
    assert [p.norm for p in got] == norms
