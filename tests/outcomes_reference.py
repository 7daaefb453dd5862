"""The outcome figures as the grouped SQL statements computed them before they were counted in
Python from one read of the teams' histories (caseload/outcomes/history.py, workers.py): the
reference that tests/test_outcome_figures.py holds the new counting to, on random histories.
Copied from caseload/outcomes/queries.py, series.py and workers.py at 0b36b70; not used by
the application."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cache, lru_cache

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    case,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)

from caseload.clock import to_date
from caseload.models import Client, Contact, Placement, Trajectory, TrajectoryAssignment, User
from caseload.models.assignments import covers
from caseload.outcomes.period import months_between
from caseload.outcomes.queries import (
    PAID_TYPES,
    StartedPlacement,
    TeamOutcomes,
    held_between,
    on_caseload,
)
from caseload.outcomes.series import MonthPoint
from caseload.outcomes.workers import RETENTION_DAYS, Worker, WorkerOutcomes, retention_counts

OUT_OF_WORK = Trajectory.in_work_at_referral == false()

# The statements are built once per process with bound parameters (the teams and the period):
# building them and their cache keys anew on every page view cost more than running them
# (bench/README.md, "Page cost: outcomes").
TEAMS = bindparam("team_ids", expanding=True)
START, END = bindparam("start", type_=Date), bindparam("end", type_=Date)
CUTOFF = bindparam("cutoff", type_=Date)


def _params(team_ids, start: date, end: date) -> dict:
    return {"team_ids": list(team_ids), "start": start, "end": end,
            "cutoff": end - timedelta(days=90)}


@cache
def _caseload_counts():
    return (select(Client.team_id, func.count(distinct(Trajectory.client_id)),
                   func.count(case((Trajectory.program_entry_date >= START, Trajectory.id))),
                   func.count(distinct(case((OUT_OF_WORK, Trajectory.client_id)))))
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), on_caseload(START, END))
            .group_by(Client.team_id))


def caseload_counts(session, team_ids, start: date, end: date,
                    ) -> dict[int, tuple[int, int, int]]:
    """Per team: clients on the caseload (distinct clients with a trajectory open at any day),
    new referrals (trajectories whose program entry falls in the period) and the caseload
    clients out of paid work at referral."""
    rows = session.execute(_caseload_counts(), _params(team_ids, start, end))
    return {team_id: (clients, referrals, out) for team_id, clients, referrals, out in rows}


@cache
def _worked_counts():
    at_end = or_(Placement.end_date.is_(None), Placement.end_date >= END)
    return (select(Client.team_id, func.count(distinct(Trajectory.client_id)),
                   func.count(distinct(case((at_end, Trajectory.client_id)))),
                   func.count(distinct(case((OUT_OF_WORK, Trajectory.client_id)))))
            .select_from(Placement)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), on_caseload(START, END),
                   held_between(START, END), Placement.placement_type.in_(PAID_TYPES))
            .group_by(Client.team_id))


def worked_counts(session, team_ids, start: date, end: date,
                  ) -> dict[int, tuple[int, int, int]]:
    """Per team: caseload clients with a paid job at any day of the period, on its last day,
    and those of the first who were out of paid work at referral."""
    rows = session.execute(_worked_counts(), _params(team_ids, start, end))
    return {team_id: (worked, at_end_count, out) for team_id, worked, at_end_count, out in rows}


@cache
def _held_90_days():
    return (select(Client.team_id, Placement.start_date, Placement.end_date)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), held_between(START, END),
                   Placement.placement_type.in_(PAID_TYPES), Placement.start_date <= CUTOFF))


def held_90_days(session, team_ids, start: date, end: date) -> dict[int, list[tuple]]:
    """Per team: (start, end) of the paid jobs held in the period that started at least 90 days
    before its end (outcomes.workers.retention_counts reads them)."""
    jobs: dict[int, list[tuple]] = defaultdict(list)
    for team_id, started, ended in session.execute(_held_90_days(),
                                                   _params(team_ids, start, end)):
        jobs[team_id].append((started, ended))
    return jobs


@cache
def _placements_started():
    return (select(Client.team_id, Placement.placement_type, Placement.hours_per_week,
                   Placement.hourly_wage, Placement.contract, Placement.competitive)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), Placement.start_date.between(START, END))
            .order_by(Placement.id))


def placements_started(session, team_ids, start: date, end: date,
                       ) -> dict[int, list[StartedPlacement]]:
    started: dict[int, list[StartedPlacement]] = defaultdict(list)
    for team_id, *values in session.execute(_placements_started(),
                                            _params(team_ids, start, end)):
        started[team_id].append(StartedPlacement(*values))
    return started


@cache
def _job_endings():
    return (select(Client.team_id, Placement.end_reason, func.count())
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), Placement.end_date.between(START, END),
                   Placement.placement_type.in_(PAID_TYPES))
            .group_by(Client.team_id, Placement.end_reason))


def job_endings(session, team_ids, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per team and end reason: paid jobs that ended in the period."""
    return _nest(session.execute(_job_endings(), _params(team_ids, start, end)))


@cache
def _trajectory_endings():
    return (select(Client.team_id, Trajectory.end_reason, func.count())
            .join(Client, Client.id == Trajectory.client_id)
            .where(Client.team_id.in_(TEAMS), Trajectory.ended_on.between(START, END))
            .group_by(Client.team_id, Trajectory.end_reason))


def trajectory_endings(session, team_ids, start: date, end: date) -> dict[int, dict[str, int]]:
    return _nest(session.execute(_trajectory_endings(), _params(team_ids, start, end)))


@cache
def _days_to_first_employer_contact():
    first = func.min(Contact.contact_date)
    return (select(Client.team_id, Trajectory.program_entry_date, first)
            .join(Client, Client.id == Trajectory.client_id)
            .join(Contact, and_(Contact.client_id == Trajectory.client_id,
                                Contact.kind == "employer", Contact.mode == "face_to_face",
                                Contact.contact_date >= Trajectory.program_entry_date,
                                or_(Trajectory.ended_on.is_(None),
                                    Contact.contact_date <= Trajectory.ended_on)))
            .where(Client.team_id.in_(TEAMS), Trajectory.program_entry_date <= END)
            .group_by(Trajectory.id, Client.team_id, Trajectory.program_entry_date)
            .having(first.between(START, END)))


def days_to_first_employer_contact(session, team_ids, start: date, end: date,
                                   ) -> dict[int, list[int]]:
    """Per team: days from program entry to the first face-to-face employer contact about the
    client in that trajectory, for trajectories whose first such contact fell in the period."""
    return _days(session.execute(_days_to_first_employer_contact(),
                                 _params(team_ids, start, end)))


@cache
def _days_to_first_job():
    first = func.min(Placement.start_date)
    return (select(Client.team_id, Trajectory.program_entry_date, first)
            .join(Client, Client.id == Trajectory.client_id)
            .join(Placement, and_(Placement.trajectory_id == Trajectory.id,
                                  Placement.placement_type.in_(PAID_TYPES)))
            .where(Client.team_id.in_(TEAMS), Trajectory.program_entry_date <= END)
            .group_by(Trajectory.id, Client.team_id, Trajectory.program_entry_date)
            .having(first.between(START, END)))


def days_to_first_job(session, team_ids, start: date, end: date) -> dict[int, list[int]]:
    """Per team: days from program entry to the start of the trajectory's first paid job, for
    trajectories whose first paid job started in the period."""
    return _days(session.execute(_days_to_first_job(), _params(team_ids, start, end)))


def team_outcomes(session, team_ids, start: date, end: date) -> dict[int, TeamOutcomes]:
    """All period figures per team, in eight queries."""
    outcomes = {team_id: TeamOutcomes() for team_id in team_ids}
    for team_id, (clients, referrals, out) in caseload_counts(session, team_ids, start,
                                                              end).items():
        outcomes[team_id].caseload, outcomes[team_id].new_referrals = clients, referrals
        outcomes[team_id].out_of_work_caseload = out
    for team_id, (worked, at_end, out) in worked_counts(session, team_ids, start, end).items():
        outcomes[team_id].worked, outcomes[team_id].working_at_end = worked, at_end
        outcomes[team_id].out_of_work_worked = out
    for team_id, jobs in held_90_days(session, team_ids, start, end).items():
        outcomes[team_id].retention_eligible, outcomes[team_id].retained = \
            retention_counts(jobs, end)
    for team_id, started in placements_started(session, team_ids, start, end).items():
        outcomes[team_id].started = started
    for team_id, reasons in job_endings(session, team_ids, start, end).items():
        outcomes[team_id].job_endings = reasons
    for team_id, reasons in trajectory_endings(session, team_ids, start, end).items():
        outcomes[team_id].trajectory_endings = reasons
    for team_id, days in days_to_first_employer_contact(session, team_ids, start, end).items():
        outcomes[team_id].days_to_first_employer_contact = days
    for team_id, days in days_to_first_job(session, team_ids, start, end).items():
        outcomes[team_id].days_to_first_job = days
    return outcomes


def _nest(rows) -> dict[int, dict[str, int]]:
    nested: dict[int, dict[str, int]] = defaultdict(dict)
    for team_id, key, n in rows:
        key = key or "other"  # an end recorded without a reason
        nested[team_id][key] = nested[team_id].get(key, 0) + n
    return nested


def _days(rows) -> dict[int, list[int]]:
    days: dict[int, list[int]] = defaultdict(list)
    for team_id, entry, first in rows:
        days[team_id].append((to_date(first) - entry).days)
    return {team_id: sorted(values) for team_id, values in days.items()}


def _ranges_cte(name: str, count: int):
    """A small table of numbered date ranges (k, first, last) of bound parameters
    ({name}_first_k, {name}_last_k), so one query can group by month on SQLite and PostgreSQL
    alike."""
    selects = [select(literal(k, Integer).label("k"),
                      bindparam(f"{name}_first_{k}", type_=Date).label("first"),
                      bindparam(f"{name}_last_{k}", type_=Date).label("last"))
               for k in range(count)]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).cte(name)


def _ranges_params(name: str, ranges: list[tuple[date, date]]) -> dict:
    params = {}
    for k, (first, last) in enumerate(ranges):
        params[f"{name}_first_{k}"], params[f"{name}_last_{k}"] = first, last
    return params




@lru_cache(maxsize=128)
def _month_statements(count: int):
    months = _ranges_cte("months", count)
    open_in_month = and_(Trajectory.program_entry_date <= months.c.last,
                         or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= months.c.first))
    caseload = (
        select(Client.team_id, months.c.k, func.count(distinct(Trajectory.client_id)))
        .select_from(Trajectory)
        .join(Client, Client.id == Trajectory.client_id)
        .join(months, open_in_month)
        .where(Client.team_id.in_(TEAMS))
        .group_by(Client.team_id, months.c.k))
    worked = (
        select(Client.team_id, months.c.k, func.count(distinct(Trajectory.client_id)))
        .select_from(Placement)
        .join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .join(Client, Client.id == Trajectory.client_id)
        .join(months, and_(open_in_month, held_between(months.c.first, months.c.last)))
        .where(Client.team_id.in_(TEAMS), Placement.placement_type.in_(PAID_TYPES))
        .group_by(Client.team_id, months.c.k))
    return caseload, worked


def employment_by_month(session, team_ids, start: date, end: date) -> dict[int, list[MonthPoint]]:
    """Per team and calendar month of start..end: clients on the caseload in the month and those
    of them with a paid job at any day of the month. Months are cut off at `end`."""
    ranges = [(first, min(last, end)) for first, last in months_between(start, end)]
    caseload_statement, worked_statement = _month_statements(len(ranges))
    params = {"team_ids": list(team_ids), **_ranges_params("months", ranges)}
    counts = {(team_id, k): n for team_id, k, n in session.execute(caseload_statement, params)}
    working = {(team_id, k): n for team_id, k, n in session.execute(worked_statement, params)}
    return {team_id: [MonthPoint(first, counts.get((team_id, k), 0), working.get((team_id, k), 0))
                      for k, (first, _last) in enumerate(ranges)]
            for team_id in team_ids}




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
WORKER_CUTOFF = bindparam("retention_cutoff", type_=Date)


@cache
def _worker_statements() -> dict:
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
               func.min(Contact.contact_date).label("first"))
        .join(Contact, and_(Contact.client_id == Trajectory.client_id,
                            Contact.kind == "employer", Contact.mode == "face_to_face",
                            Contact.contact_date >= Trajectory.program_entry_date,
                            or_(Trajectory.ended_on.is_(None),
                                Contact.contact_date <= Trajectory.ended_on)))
        .where(Trajectory.program_entry_date <= END, of_teams)
        .group_by(Trajectory.id, Trajectory.program_entry_date)
        .having(func.min(Contact.contact_date).between(START, END)).subquery())
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
                TrajectoryAssignment.worker_id.is_not(None))))

    statements["retention"] = (
        select(TrajectoryAssignment.worker_id, Placement.start_date, Placement.end_date)
        .select_from(Placement).join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .join(TrajectoryAssignment, on_day(Placement.start_date))
        .where(Placement.placement_type.in_(PAID_TYPES), held_between(START, END),
               Placement.start_date <= WORKER_CUTOFF))
    return statements


def worker_outcomes(session, team_ids, start: date, end: date) -> list[WorkerOutcomes]:
    """Per worker who held a trajectory of the teams in the period, ordered by name."""
    statements = _worker_statements()
    params = {"team_ids": list(team_ids), "start": start, "end": end,
              "retention_cutoff": end - timedelta(days=RETENTION_DAYS)}
    figures: dict[int, dict] = defaultdict(dict)
    for wid, clients, out in session.execute(statements["caseload"], params):
        figures[wid].update(caseload=clients, out_of_work_caseload=out)
    for wid, clients, out in session.execute(statements["working"], params):
        figures[wid].update(working=clients, out_of_work_working=out)
    for wid, n in session.execute(statements["job_starts"], params):
        figures[wid]["job_starts"] = n
    for key in ("days_to_first_employer_contact", "days_to_first_job"):
        for wid, entry, first in session.execute(statements[key], params):
            figures[wid].setdefault(key, []).append((to_date(first) - to_date(entry)).days)

    jobs: dict[int, list] = defaultdict(list)
    for wid, started, ended in session.execute(statements["retention"], params):
        jobs[wid].append((started, ended))
    for wid, pairs in jobs.items():
        eligible, retained = retention_counts(pairs, end)
        figures[wid].update(retention_eligible=eligible, retained=retained)

    # The worker as the new code describes them (workers.Worker: id and name).
    workers = {user.id: Worker(user.id, user.name) for user in session.scalars(
        select(User).where(User.id.in_(list(figures))))}
    result = []
    for wid, values in figures.items():
        outcome = WorkerOutcomes(worker=workers[wid], **values)
        outcome.days_to_first_employer_contact.sort()
        outcome.days_to_first_job.sort()
        result.append(outcome)
    return sorted(result, key=lambda o: (o.worker.name.lower(), o.worker.id))
