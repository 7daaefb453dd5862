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
from caseload.outcomes.history import read_histories
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
            # the held trajectories) and the first contacts from it, shared by all figures.
            histories = read_histories(db.session, team_ids)
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
