"""The team figures, the employment rate per month and the per-worker figures, counted in Python
from one read of the teams' histories (outcomes/history.py, outcomes/workers.py), hold the same
values as the grouped SQL statements they replaced (tests/outcomes_reference.py), on random
histories: handovers, team moves, endings and second trajectories, placements of every type
with and without an end, unrecorded and recorded work at referral, face-to-face employer
contacts before, during and after a trajectory; periods of a day, a quarter and a year.
Runs on the test database (SQLite, or PostgreSQL with CASELOAD_TEST_DATABASE_URL)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from caseload.extensions import db
from caseload.handover import move_to_team
from caseload.models import Placement
from caseload.models.vocab import END_REASONS, PLACEMENT_END_REASONS, PLACEMENT_TYPES
from caseload.outcomes.history import _filters_in_sql, read_histories
from caseload.outcomes.period import figures_first_day, months_first_day
from caseload.outcomes.queries import first_employer_contacts, team_outcomes
from caseload.outcomes.series import employment_by_month
from caseload.outcomes.workers import worker_outcomes
from tests import outcomes_reference as reference

TODAY = date(2026, 3, 18)
PERIODS = [(date(2026, 1, 1), TODAY), (date(2025, 10, 1), date(2025, 12, 31)),
           (date(2025, 7, 15), date(2026, 2, 10)), (date(2025, 11, 3), date(2025, 11, 3)),
           (date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 3, 1), TODAY)]


def _random_day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _histories(build, rng):
    north, south = build.team("Noord"), build.team("Zuid")
    teams = {north.id: north, south.id: south}
    workers = {north.id: [build.user(north) for _ in range(3)],
               south.id: [build.user(south) for _ in range(2)]}
    both = build.user(north)
    both.teams.append(south)
    workers[south.id].append(both)
    for _n in range(36):
        team = rng.choice([north, south])
        entry = _random_day(rng, date(2024, 11, 1), date(2026, 3, 10))
        client = build.client(rng.choice(workers[team.id]), entry=entry, team=team)
        for _round in range(2):
            trajectory = client.open_trajectory
            trajectory.in_work_at_referral = rng.choice([None, True, False])
            day = trajectory.program_entry_date
            for _event in range(rng.randrange(6)):
                day = min(TODAY, day + timedelta(days=rng.choice((0, 1, 5, 20, 45, 90))))
                what = rng.random()
                if what < 0.35:
                    start = day
                    placement = Placement.start(
                        trajectory=trajectory, employer=build.employer(), job_title="Medewerker",
                        start_date=start, hours_per_week=Decimal(rng.choice(("8", "16", "32.5"))),
                        today=TODAY, placement_type=rng.choice(list(PLACEMENT_TYPES)),
                        hourly_wage=rng.choice((None, Decimal("14.00"), Decimal("16.50"))),
                        competitive=rng.random() < 0.7)
                    if rng.random() < 0.6:
                        placement.end_date = min(TODAY, start + timedelta(
                            days=rng.choice((0, 30, 89, 90, 120, 200))))
                        placement.end_reason = rng.choice([None, *PLACEMENT_END_REASONS])
                    db.session.add(placement)
                    db.session.flush()
                elif what < 0.55:
                    owner = trajectory.worker
                    build.contact(owner or workers[client.team_id][0],
                                  on=min(TODAY, day + timedelta(days=rng.randrange(-20, 20))),
                                  kind="employer", client=client, employer=build.employer(),
                                  mode=rng.choice(("face_to_face", "face_to_face", "phone")))
                elif what < 0.7:
                    to = rng.choice([*workers[client.team_id], None])
                    if to is not trajectory.worker:
                        build.transfer(client, to, on=day)
                elif what < 0.8:
                    other = south if client.team_id == north.id else north
                    move_to_team(db.session, client, other, rng.choice(workers[other.id]),
                                 on=day, today=TODAY, by=None)
                else:
                    build.end_trajectory(client, on=day, reason=rng.choice(list(END_REASONS)))
                    break
            if client.open_trajectory is not None or trajectory.ended_on is None:
                break
            again = trajectory.ended_on + timedelta(days=rng.randrange(0, 40))
            if again > TODAY:
                break
            client.start_trajectory(worker=rng.choice(workers[client.team_id]),
                                    program_entry_date=again, today=TODAY)
            db.session.flush()
    build.commit()
    return teams


def test_figures_counted_in_python_match_the_grouped_statements(build):
    rng = random.Random(20261201)
    teams = _histories(build, rng)
    north, south = teams.values()
    checked = {"caseload": 0, "started": 0, "workers": 0, "first_jobs": 0}
    for team_ids in ([north.id], [south.id], [north.id, south.id]):
        for start, end in PERIODS:
            expected = reference.team_outcomes(db.session, team_ids, start, end)
            assert team_outcomes(db.session, team_ids, start, end) == expected, (start, end)
            assert (employment_by_month(db.session, team_ids, start, end)
                    == reference.employment_by_month(db.session, team_ids, start, end))
            expected_workers = reference.worker_outcomes(db.session, team_ids, start, end)
            assert worker_outcomes(db.session, team_ids, start, end) == expected_workers
            # As the page computes them: one read of the histories (the teams' clients' and
            # the held trajectories that can count in the period) and the first contacts from
            # it, shared by all figures.
            histories = read_histories(db.session, team_ids, months_first_day(start), end)
            firsts = first_employer_contacts(db.session, team_ids, start, end, histories)
            assert team_outcomes(db.session, team_ids, start, end, histories, firsts) == expected
            assert (worker_outcomes(db.session, team_ids, start, end, firsts, histories)
                    == expected_workers)
            assert (employment_by_month(db.session, team_ids, start, end, histories)
                    == reference.employment_by_month(db.session, team_ids, start, end))
            checked["caseload"] += sum(o.caseload for o in expected.values())
            checked["started"] += sum(len(o.started) for o in expected.values())
            checked["first_jobs"] += sum(len(o.days_to_first_job) for o in expected.values())
            checked["workers"] += len(expected_workers)
    # The histories did hold what is compared.
    assert min(checked.values()) > 10, checked


def _as_the_page_reads(team_ids, start: date, end: date, since: date):
    """The team, monthly (from `since`) and per-worker figures as outcomes/views.py computes
    them: one read of the histories of the days they are about, shared."""
    histories = read_histories(db.session, team_ids, figures_first_day(start, since), end)
    firsts = first_employer_contacts(db.session, team_ids, start, end, histories)
    return (team_outcomes(db.session, team_ids, start, end, histories, firsts),
            employment_by_month(db.session, team_ids, since, end, histories),
            worker_outcomes(db.session, team_ids, start, end, firsts, histories), histories)


def test_a_read_of_the_periods_days_keeps_every_trajectory_a_figure_can_count(build):
    """history._in_range on its edges: what ended before the days asked for is not read, what
    can still count is (a job held into them, a job started in them after the trajectory's end,
    an end on their first day, a month whose first days lie before the period's start)."""
    team = build.team("Noord")
    worker = build.user(team)
    start, end = date(2026, 1, 1), date(2026, 3, 10)
    # Ended the day before, a paid job still held: retention and the job's worker.
    held_on = build.client(worker, entry=date(2025, 6, 2))
    build.placement(held_on, start=date(2025, 9, 1))
    held_on_trajectory = build.end_trajectory(held_on, on=start - timedelta(days=1))
    # Ended the day before, a paid job (recorded ahead) starting in the period: a job start
    # and a first job.
    late_job = build.client(worker, entry=date(2025, 11, 3))
    build.placement(late_job, start=date(2026, 3, 5))
    late_job_trajectory = build.end_trajectory(late_job, on=date(2026, 2, 25))
    # Ended on the first day: a trajectory ending.
    last_day = build.client(worker, entry=date(2025, 10, 1))
    last_day_trajectory = build.end_trajectory(last_day, on=start)
    # Ended long before, its job too: read by no period of this year.
    long_gone = build.client(worker, entry=date(2024, 1, 8))
    build.placement(long_gone, start=date(2024, 2, 1), end=date(2024, 6, 30))
    long_gone_trajectory = build.end_trajectory(long_gone, on=date(2024, 7, 31))
    # Ended on 10 December: on the caseload of December in the monthly chart from mid-month.
    december = build.client(worker, entry=date(2025, 9, 15))
    build.placement(december, start=date(2025, 10, 1), end=date(2025, 12, 5))
    december_trajectory = build.end_trajectory(december, on=date(2025, 12, 10))
    # Entered after a past period's end: not read for it.
    later = build.client(worker, entry=date(2026, 2, 2))
    build.commit()

    checked = set()
    for start_, end_, since in ((start, end, date(2025, 4, 1)), (start, end, start),
                                (date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 1)),
                                (date(2025, 12, 15), date(2026, 1, 31), date(2025, 12, 15)),
                                (date(2025, 1, 1), date(2025, 12, 31), date(2025, 1, 1))):
        outcomes, months, per_worker, histories = _as_the_page_reads(
            [team.id], start_, end_, since)
        assert outcomes == reference.team_outcomes(db.session, [team.id], start_, end_)
        assert months == reference.employment_by_month(db.session, [team.id], since, end_)
        assert per_worker == reference.worker_outcomes(db.session, [team.id], start_, end_)
        checked.update((start_, trajectory_id) for trajectory_id in histories.by_id)
    # What each period read, and that the edges counted.
    assert (start, held_on_trajectory.id) in checked
    assert (start, late_job_trajectory.id) in checked
    assert (date(2026, 3, 1), late_job_trajectory.id) in checked
    assert (start, last_day_trajectory.id) in checked
    assert (start, december_trajectory.id) in checked  # the charts' months since April
    assert (date(2025, 12, 15), december_trajectory.id) in checked  # December, a whole month
    if _filters_in_sql(db.session):  # SQLite; PostgreSQL reads them all
        assert (date(2026, 3, 1), december_trajectory.id) not in checked
        assert not any(trajectory_id == long_gone_trajectory.id for _day, trajectory_id in checked)
        assert (date(2025, 1, 1), later.trajectories[0].id) not in checked
    outcomes = _as_the_page_reads([team.id], start, end, start)[0][team.id]
    assert outcomes.retention_eligible == outcomes.retained == 1  # the job held into it
    assert len(outcomes.job_starts) == 1 and outcomes.days_to_first_job == [122]
    assert outcomes.trajectory_endings == {"moved": 2}
    days = _as_the_page_reads([team.id], date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 1))
    assert len(days[0][team.id].job_starts) == 1
    december_point = _as_the_page_reads([team.id], date(2025, 12, 15), date(2026, 1, 31),
                                        date(2025, 12, 15))[1][team.id][0]
    assert december_point.month == date(2025, 12, 1) and december_point.caseload == 4
