"""Outcomes per IPS worker over a period, for outcome-based supervision.

Every figure goes to the worker responsible on the day it is about, read from the trajectory's
worker history (models/assignments.py), within the teams asked for (the assignment's team):
- caseload: distinct clients whose trajectory the worker held at any day of the period while it
  was open; a caseload handed over mid-period counts for both workers;
- working: of those, the clients with a paid job at a day the worker held them (in the period);
- job starts: paid jobs started in the period, to the worker on the start date;
- days to first employer contact / first job: per trajectory whose first face-to-face employer
  contact (first paid job start) fell in the period, to the worker on that day;
- 90-day retention: paid jobs held at any day of the period that started at least 90 days before
  its end, to the worker on the start date; retained when still held 90 days after the start
  (end date at least start + 90 days, or no end date);
- out of work at referral: the same caseload and working counts, over trajectories recorded as
  out of paid work at referral only (the comparable rate, see README "Outcomes").

A fixed number of queries (seven), whatever the number of workers, clients or days, built
once per process (_statements).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, distinct, false, func, or_, select

from caseload.clock import to_date
from caseload.models import Placement, Trajectory, TrajectoryAssignment, User
from caseload.models.assignments import covers
from caseload.outcomes.history import fetch
from caseload.outcomes.queries import (
    PAID_TYPES,
    first_employer_contact,
    held_between,
    median,
    percentage,
)

RETENTION_DAYS = 90


@dataclass
class WorkerOutcomes:
    worker: User
    caseload: int = 0
    working: int = 0
    job_starts: int = 0
    out_of_work_caseload: int = 0
    out_of_work_working: int = 0
    days_to_first_employer_contact: list[int] = field(default_factory=list)
    days_to_first_job: list[int] = field(default_factory=list)
    retention_eligible: int = 0
    retained: int = 0

    @property
    def working_share(self) -> float | None:
        return percentage(self.working, self.caseload)

    @property
    def out_of_work_rate(self) -> float | None:
        return percentage(self.out_of_work_working, self.out_of_work_caseload)

    @property
    def retention_share(self) -> float | None:
        return percentage(self.retained, self.retention_eligible)

    @property
    def median_days_first_employer_contact(self) -> float | None:
        return median(self.days_to_first_employer_contact)

    @property
    def median_days_first_job(self) -> float | None:
        return median(self.days_to_first_job)


def retention_counts(start_end_pairs, end: date) -> tuple[int, int]:
    """(eligible, retained) of (start_date, end_date) pairs of paid jobs held in a period that
    ends on `end`: eligible when started at least 90 days before `end`, retained when held at
    least 90 days."""
    eligible = retained = 0
    for started, ended in start_end_pairs:
        if (end - started).days < RETENTION_DAYS:
            continue
        eligible += 1
        if ended is None or (ended - started).days >= RETENTION_DAYS:
            retained += 1
    return eligible, retained


def _held_in_period(start: date, end: date):
    """The assignment period overlaps start..end and the trajectory's open days."""
    return and_(TrajectoryAssignment.trajectory_id == Trajectory.id,
                TrajectoryAssignment.worker_id.is_not(None),
                TrajectoryAssignment.from_date <= end,
                or_(TrajectoryAssignment.until.is_(None),
                    and_(TrajectoryAssignment.until > start,
                         TrajectoryAssignment.until > TrajectoryAssignment.from_date)),
                Trajectory.program_entry_date <= end,
                or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= start),
                or_(Trajectory.ended_on.is_(None),
                    TrajectoryAssignment.from_date <= Trajectory.ended_on))


# The statements are built once per process with bound parameters (the teams, the period and
# the retention cut-off): building them and their cache keys anew on every page view cost more
# than running them (bench/README.md, "Page cost: outcomes").
TEAMS = bindparam("team_ids", expanding=True)
START, END = bindparam("start", type_=Date), bindparam("end", type_=Date)
CUTOFF = bindparam("retention_cutoff", type_=Date)


@cache
def _statements() -> dict:
    in_teams = TrajectoryAssignment.team_id.in_(TEAMS)
    out_of_work = Trajectory.in_work_at_referral == false()
    statements = {}
    statements["caseload"] = (
        select(TrajectoryAssignment.worker_id, func.count(distinct(Trajectory.client_id)),
               func.count(distinct(case((out_of_work, Trajectory.client_id)))))
        .select_from(Trajectory).join(TrajectoryAssignment, _held_in_period(START, END))
        .where(in_teams).group_by(TrajectoryAssignment.worker_id))

    # Pairwise overlap of three date ranges (period, assignment, job) is their common overlap.
    job_while_held = and_(
        Placement.trajectory_id == Trajectory.id, Placement.placement_type.in_(PAID_TYPES),
        held_between(START, END),
        or_(TrajectoryAssignment.until.is_(None), Placement.start_date < TrajectoryAssignment.until),
        or_(Placement.end_date.is_(None), Placement.end_date >= TrajectoryAssignment.from_date))
    statements["working"] = (
        select(TrajectoryAssignment.worker_id, func.count(distinct(Trajectory.client_id)),
               func.count(distinct(case((out_of_work, Trajectory.client_id)))))
        .select_from(Trajectory).join(TrajectoryAssignment, _held_in_period(START, END))
        .join(Placement, job_while_held)
        .where(in_teams).group_by(TrajectoryAssignment.worker_id))

    def on_day(day):
        return and_(TrajectoryAssignment.trajectory_id == Trajectory.id, covers(day), in_teams,
                    TrajectoryAssignment.worker_id.is_not(None))

    statements["job_starts"] = (
        select(TrajectoryAssignment.worker_id, func.count(Placement.id))
        .select_from(Placement).join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .join(TrajectoryAssignment, on_day(Placement.start_date))
        .where(Placement.placement_type.in_(PAID_TYPES),
               Placement.start_date.between(START, END))
        .group_by(TrajectoryAssignment.worker_id))

    # Only trajectories the teams ever held: the join below keeps no other (without this the
    # first contact of every trajectory in the organisation was looked up).
    of_teams = Trajectory.id.in_(select(TrajectoryAssignment.trajectory_id).where(in_teams))
    first_contact = (
        select(Trajectory.id.label("trajectory_id"), Trajectory.program_entry_date.label("entry"),
               first_employer_contact().label("first"))
        .where(Trajectory.program_entry_date <= END, of_teams).subquery())
    first_job = (
        select(Trajectory.id.label("trajectory_id"), Trajectory.program_entry_date.label("entry"),
               func.min(Placement.start_date).label("first"))
        .join(Placement, and_(Placement.trajectory_id == Trajectory.id,
                              Placement.placement_type.in_(PAID_TYPES)))
        .where(Trajectory.program_entry_date <= END, of_teams)
        .group_by(Trajectory.id, Trajectory.program_entry_date)
        .having(func.min(Placement.start_date).between(START, END)).subquery())
    for key, firsts in (("days_to_first_employer_contact", first_contact),
                        ("days_to_first_job", first_job)):
        statements[key] = (
            select(TrajectoryAssignment.worker_id, firsts.c.entry, firsts.c.first)
            .join(TrajectoryAssignment, and_(
                TrajectoryAssignment.trajectory_id == firsts.c.trajectory_id,
                covers(firsts.c.first), in_teams,
                TrajectoryAssignment.worker_id.is_not(None)))
            .where(firsts.c.first.between(START, END)))

    statements["retention"] = (
        select(TrajectoryAssignment.worker_id, Placement.start_date, Placement.end_date)
        .select_from(Placement).join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .join(TrajectoryAssignment, on_day(Placement.start_date))
        .where(Placement.placement_type.in_(PAID_TYPES), held_between(START, END),
               Placement.start_date <= CUTOFF))
    return statements


def worker_outcomes(session, team_ids, start: date, end: date) -> list[WorkerOutcomes]:
    """Per worker who held a trajectory of the teams in the period, ordered by name."""
    statements = _statements()
    params = {"team_ids": list(team_ids), "start": start, "end": end,
              "retention_cutoff": end - timedelta(days=RETENTION_DAYS)}
    figures: dict[int, dict] = defaultdict(dict)
    for wid, clients, out in fetch(session, statements["caseload"], params):
        figures[wid].update(caseload=clients, out_of_work_caseload=out)
    for wid, clients, out in fetch(session, statements["working"], params):
        figures[wid].update(working=clients, out_of_work_working=out)
    for wid, n in fetch(session, statements["job_starts"], params):
        figures[wid]["job_starts"] = n
    for key in ("days_to_first_employer_contact", "days_to_first_job"):
        for wid, entry, first in fetch(session, statements[key], params):
            figures[wid].setdefault(key, []).append((to_date(first) - to_date(entry)).days)

    jobs: dict[int, list] = defaultdict(list)
    for wid, started, ended in fetch(session, statements["retention"], params):
        jobs[wid].append((started, ended))
    for wid, pairs in jobs.items():
        eligible, retained = retention_counts(pairs, end)
        figures[wid].update(retention_eligible=eligible, retained=retained)

    workers = {user.id: user for user in session.scalars(
        select(User).where(User.id.in_(list(figures))))}
    result = []
    for wid, values in figures.items():
        outcome = WorkerOutcomes(worker=workers[wid], **values)
        outcome.days_to_first_employer_contact.sort()
        outcome.days_to_first_job.sort()
        result.append(outcome)
    return sorted(result, key=lambda o: (o.worker.name.lower(), o.worker.id))
