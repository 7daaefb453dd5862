"""The caseload's open signals (signals.open_signal_lines: one statement, the subject joined,
the teams' part read from the joined client) are the signals of open_signals_query, the one
definition, in its order: for a worker and for a whole team, whatever the signal is about."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseload import clock
from caseload.extensions import db
from caseload.models import Signal
from caseload.signals import open_signal_lines, open_signals_query
from tests.conftest import TODAY


def signal(norm, subject, *, trajectory=None, worker=None, anchor=TODAY, **state):
    row = Signal(norm=norm, subject_key=subject, trajectory_id=trajectory and trajectory.id,
                 worker_id=worker and worker.id, anchor=anchor, facts={"days": 20},
                 first_seen_on=anchor, last_seen_on=anchor, **state)
    db.session.add(row)
    return row


@pytest.fixture
def signals(build):
    """Two teams; `worker` is in team A only, `both` in A and B. Signals about every kind of
    subject the caseload can meet, open and not."""
    team_a, team_b = build.team(), build.team()
    worker, colleague = build.user(team_a), build.user(team_a)
    both = build.user(team_a)
    both.teams.append(team_b)
    outsider = build.user(team_b)
    mine = build.client(worker, code="A-MINE").open_trajectory
    handed = build.client(colleague, code="A-HANDED").open_trajectory   # raised while mine
    theirs = build.client(colleague, code="A-THEIRS").open_trajectory
    in_b = build.client(both, team=team_b, code="B-BOTH").open_trajectory
    b_only = build.client(outsider, code="B-ONLY").open_trajectory
    erased = build.client(worker, code="A-ERASED")
    erased_trajectory = erased.open_trajectory
    ended_client = build.client(worker, code="A-ENDED", entry=TODAY - timedelta(days=30))
    ended = build.end_trajectory(ended_client, on=TODAY - timedelta(days=1))
    build.commit()
    day = timedelta(days=1)
    signal("rapid_job_search", "t1", trajectory=mine, worker=worker, anchor=TODAY - 3 * day)
    signal("treatment_team_contact", "t2", trajectory=handed, worker=worker)
    signal("treatment_team_contact", "t3", trajectory=mine, worker=colleague)
    signal("treatment_team_contact", "t4", trajectory=theirs, worker=colleague)
    signal("treatment_team_contact", "t5", trajectory=in_b, worker=both)
    signal("treatment_team_contact", "t6", trajectory=b_only, worker=outsider)
    signal("treatment_team_contact", "t7", trajectory=erased_trajectory, worker=worker)
    signal("treatment_team_contact", "t8", trajectory=ended, worker=worker, anchor=TODAY - day)
    signal("caseload_size", "w1", worker=worker, anchor=TODAY - 2 * day)
    signal("caseload_size", "w2", worker=colleague)
    signal("caseload_size", "w3", worker=both)
    signal("caseload_size", "w4", worker=outsider)
    signal("rapid_job_search", "r1", trajectory=mine, worker=worker, resolved_at=clock.utcnow(),
           resolved_on=TODAY)
    signal("rapid_job_search", "r2", trajectory=mine, worker=worker, anchor=TODAY - 9 * day,
           acknowledged_at=clock.utcnow())
    signal("caseload_size", "r3", worker=worker, anchor=TODAY - 9 * day,
           resolved_at=clock.utcnow(), resolved_on=TODAY)
    erased.erased_at = clock.utcnow()
    db.session.commit()
    return {"a": team_a.id, "b": team_b.id, "worker": worker, "colleague": colleague,
            "both": both, "outsider": outsider}


def expected(worker_ids, team_ids):
    return [
        (s.id, s.norm, s.facts, s.worker_id, s.trajectory_id,
         s.trajectory.client_id if s.trajectory else None,
         s.trajectory.client.client_code if s.trajectory else None,
         s.worker.name if s.worker else None)
        for s in db.session.scalars(open_signals_query(worker_ids=worker_ids, team_ids=team_ids))]


@pytest.mark.parametrize("who", ["worker", "colleague", "both", "outsider", None])
@pytest.mark.parametrize("teams", [["a"], ["b"], ["a", "b"]])
def test_open_signal_lines_are_the_open_signals_of_the_workers_in_the_teams(signals, who, teams):
    worker_ids = None if who is None else [signals[who].id]
    team_ids = [signals[t] for t in teams]

    lines = open_signal_lines(db.session, worker_ids=worker_ids, team_ids=team_ids)

    assert [(line.id, line.norm, line.facts, line.worker_id, line.trajectory_id, line.client_id,
             line.client_code, line.worker_name) for line in lines] == expected(worker_ids, team_ids)


def test_the_workers_lines_hold_their_own_handed_over_and_colleagues_signals_only(signals):
    lines = open_signal_lines(db.session, worker_ids=[signals["worker"].id],
                              team_ids=[signals["a"]])

    assert [(line.client_code, line.worker_name) for line in lines] == [
        ("A-MINE", signals["colleague"].name),    # about my trajectory, raised for a colleague
        ("A-HANDED", signals["worker"].name),     # raised for me, the client handed over since
        ("A-ENDED", signals["worker"].name),      # ended yesterday, not yet resolved
        (None, signals["worker"].name),           # my own caseload size
        ("A-MINE", signals["worker"].name),       # the oldest last
    ]
