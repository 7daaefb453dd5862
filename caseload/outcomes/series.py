"""Outcomes over time, for the charts: the employment rate per month and face-to-face employer
contacts per ISO week against the weekly norm. Pure functions (session, team_ids, start, end),
a fixed number of queries whatever the number of teams, workers, clients or months."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate, repeat
from operator import add

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from caseload.clock import week_label
from caseload.models import Absence, Contact, PhaseChange, Team, Trajectory, User
from caseload.models.assignments import TrajectoryAssignment
from caseload.models.people import team_members
from caseload.models.vocab import JOB_DEVELOPMENT_KINDS
from caseload.norms.settings import NormSettings
from caseload.norms.sql import add_days, days_from, latest_of, written
from caseload.norms.worker_norms import WORKING_DAYS, weekly_employer_contact_norm
from caseload.outcomes.history import PAID_TYPES, Histories, fetch, read_histories
from caseload.outcomes.period import complete_weeks, months_between, months_first_day
from caseload.outcomes.queries import percentage


@dataclass(frozen=True)
class MonthPoint:
    month: date          # first day of the month
    caseload: int
    worked: int

    @property
    def rate(self) -> float | None:
        return percentage(self.worked, self.caseload)


@dataclass(frozen=True)
class WeekPoint:
    monday: date
    contacts: int
    norm: int            # the sum of the workers' weekly norms (no norm for a week of absence)

    @property
    def label(self) -> str:
        return week_label(self.monday)


def _month_span(firsts: list[date], lasts: list[date], first: date, last: date | None,
                ) -> range:
    """The indexes of the months (sorted, contiguous) that overlap first..last (no last: open)."""
    return range(bisect_left(lasts, first),
                 len(firsts) if last is None else bisect_right(firsts, last))


def employment_by_month(session, team_ids, start: date, end: date,
                        histories: Histories | None = None,
                        ) -> dict[int, list[MonthPoint]]:
    """Per team and calendar month of start..end: clients on the caseload in the month and those
    of them with a paid job at any day of the month. Months are cut off at `end`. Counted from
    the teams' trajectories and placements (outcomes/history.py; pass them when read already,
    of days from the first of start's month, months_first_day): a client counts in a month
    when a trajectory of theirs is open at a day of it, and works when a paid placement of that
    trajectory is held at a day of it too."""
    ranges = [(first, min(last, end)) for first, last in months_between(start, end)]
    firsts, lasts = [first for first, _last in ranges], [last for _first, last in ranges]
    if histories is None:
        histories = read_histories(session, team_ids, months_first_day(start), end)
    by_team = histories.by_team
    result = {}
    for team_id in team_ids:
        # Per client, the month ranges in which a trajectory is open, and in which it is open
        # while a paid placement of it is held: each client counts once in a month.
        open_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        work_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        # _month_span written out (~400 spans a page)
        months = len(firsts)
        for history in by_team.get(team_id, ()):
            ended = history.ended_on
            open_low = bisect_left(lasts, history.program_entry_date)
            open_high = months if ended is None else bisect_right(firsts, ended)
            if open_low >= open_high:
                continue
            open_spans[history.client_id].append((open_low, open_high))
            for placement in history.placements:
                if placement.placement_type in PAID_TYPES:
                    job_end = placement.end_date
                    low = max(bisect_left(lasts, placement.start_date), open_low)
                    high = min(months if job_end is None else bisect_right(firsts, job_end),
                               open_high)
                    if low < high:
                        work_spans[history.client_id].append((low, high))
        clients, working = _distinct_per_month(open_spans, len(ranges)), _distinct_per_month(
            work_spans, len(ranges))
        result[team_id] = [MonthPoint(first, clients[k], working[k])
                           for k, (first, _last) in enumerate(ranges)]
    return result


def _distinct_per_month(spans_by_client: dict[int, list[tuple[int, int]]], months: int,
                        ) -> list[int]:
    """Per month index: the clients with a span [start, stop) that holds it, each once (a
    client's overlapping spans merged, then a difference array)."""
    deltas = [0] * (months + 1)
    for spans in spans_by_client.values():
        if len(spans) > 1:
            merged: list[list[int]] = []
            for low, high in sorted(spans):
                if merged and low <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], high)
                else:
                    merged.append([low, high])
            spans = merged
        for low, high in spans:
            deltas[low] += 1
            deltas[high] -= 1
    counts, running = [], 0
    for delta in deltas[:-1]:
        running += delta
        counts.append(running)
    return counts


# Statements built once per process with bound parameters: building them and their cache keys
# on every view cost more than running them (bench/README.md).
TEAMS = bindparam("team_ids", expanding=True)
FIRST_DAY, LAST_DAY = bindparam("first_day", type_=Date), bindparam("last_day", type_=Date)
WORKERS = bindparam("worker_ids", expanding=True)
# A Monday: the weekly contacts are grouped by whole weeks since it.
WEEK_EPOCH = date(1970, 1, 5)
LAST_WEEK = bindparam("last_week", type_=Integer)


def _weeks():
    """A CTE of the weeks k = 0 .. last_week from the Monday first_day, each with its first
    and last day (computed once a week, not once for each worker's seek)."""
    seven = literal_column("7", Integer)
    weeks = select(literal(0, Integer).label("k"), FIRST_DAY.label("first"),
                   add_days(FIRST_DAY, literal_column("6", Integer)).label("last"),
                   ).cte("weeks", recursive=True)
    return weeks.union_all(
        select(weeks.c.k + literal_column("1", Integer), add_days(weeks.c.first, seven),
               add_days(weeks.c.last, seven)).where(weeks.c.k < LAST_WEEK))


@cache
def _week_statements() -> dict:
    # The date of the trajectory's next phase change (the next in (changed_on, id) order):
    # the first entry after this one in ix_phase_change_trajectory_changed. The bound
    # changed_on >= this one's lets SQLite seek to it and LIMIT 1 stops there, where min()
    # under an OR read and tested every change of the trajectory (bench/README.md, "Page
    # cost: the outcomes page, tenth pass").
    later = aliased(PhaseChange)
    next_change = (
        select(later.changed_on)
        .where(later.trajectory_id == PhaseChange.trajectory_id,
               later.changed_on >= PhaseChange.changed_on,
               or_(later.changed_on > PhaseChange.changed_on, later.id > PhaseChange.id))
        .order_by(later.changed_on).limit(1)
        .correlate(PhaseChange).scalar_subquery())
    # A constant in the SQL, not a parameter: the same expression in SELECT and GROUP BY.
    week = days_from(literal(WEEK_EPOCH, Date, literal_execute=True),
                     Contact.contact_date) // literal_column("7", Integer)
    # Constants written into the SQL: the partial, covering ix_contact_employer_f2f_worker
    # (worker_id, contact_date, kind, mode) serves the weeks only when the query names them
    # (count(*): no column outside it).
    job_development = and_(Contact.kind.in_([written(kind) for kind in JOB_DEVELOPMENT_KINDS]),
                           Contact.mode == written("face_to_face"))
    weeks = _weeks()
    # The teams' workers, read once: in the count per team and week below a join of the
    # members to User read each worker's row again every week (490 row seeks for a team's
    # year, ~1.5 M instructions of the statement's 5.6 M on SQLite). MATERIALIZED: used once,
    # SQLite would otherwise flatten it into the count and do just that.
    team_workers = (
        select(team_members.c.team_id, team_members.c.user_id)
        .join(User, User.id == team_members.c.user_id)
        .where(team_members.c.team_id.in_(TEAMS), User.role == "worker")
        .cte("team_workers").prefix_with("MATERIALIZED"))
    contacts_in_week = (
        select(func.count())
        .select_from(team_workers)
        .join(Contact, Contact.worker_id == team_workers.c.user_id)
        .where(team_workers.c.team_id == Team.id, job_development,
               Contact.contact_date.between(weeks.c.first, weeks.c.last))
        .correlate(Team, weeks).scalar_subquery())
    return {
        # Per team and week (numbered from WEEK_EPOCH): the contacts grouped in SQL, ~50 rows
        # for a team's year where its days were ~340. PostgreSQL's (it hashes the groups).
        "contacts": (
            select(team_members.c.team_id, week, func.count())
            .join(team_members, team_members.c.user_id == Contact.worker_id)
            .join(User, User.id == Contact.worker_id)
            .where(team_members.c.team_id.in_(TEAMS), User.role == "worker", job_development,
                   Contact.contact_date.between(FIRST_DAY, LAST_DAY))
            .group_by(team_members.c.team_id, week)),
        # The same counts on SQLite, per team and week k from first_day: a seek per worker
        # and week in ix_contact_employer_f2f_worker, not grouped. SQLite sorted the ~2,900
        # contacts of a team's year for GROUP BY, 2 of the 3 ms its statement took;
        # PostgreSQL read every team's contacts of the week for each week here, 32 ms where
        # its grouped statement takes 2.4 (bench/README.md, "Page cost: the outcomes page,
        # sixth pass (helper o)").
        "contacts_sqlite": (select(Team.id, weeks.c.k, contacts_in_week)
                            .select_from(Team).join(weeks, true()).where(Team.id.in_(TEAMS))),
        # The teams' active workers, each with their absences that overlap the weeks (one row
        # per absence, or one with no absence).
        "workers": (
            select(team_members.c.team_id, User.id, User.fte, Absence.from_date,
                   Absence.to_date)
            .join(team_members, team_members.c.user_id == User.id)
            .outerjoin(Absence, and_(Absence.user_id == User.id, Absence.from_date <= LAST_DAY,
                                     Absence.to_date >= FIRST_DAY))
            .where(team_members.c.team_id.in_(TEAMS), User.role == "worker",
                   User.active.is_(True), User.fte > 0)),
        "absences": (
            select(Absence.user_id, Absence.from_date, Absence.to_date)
            .where(Absence.user_id.in_(WORKERS), Absence.from_date <= LAST_DAY,
                   Absence.to_date >= FIRST_DAY)),
        # first_day and last_day: the first and the last Sunday here. A span's first day (the
        # latest of the assignment's, the entry's and the change's) comes from SQL: two
        # values fewer a row to read and to turn into dates (~170 rows a team).
        "seekers": (
            select(TrajectoryAssignment.worker_id,
                   latest_of(TrajectoryAssignment.from_date, Trajectory.program_entry_date,
                             PhaseChange.changed_on),
                   Trajectory.ended_on, TrajectoryAssignment.until, next_change)
            .select_from(TrajectoryAssignment)
            .join(Trajectory, Trajectory.id == TrajectoryAssignment.trajectory_id)
            .join(PhaseChange, and_(PhaseChange.trajectory_id == Trajectory.id,
                                    PhaseChange.phase == "job_finding"))
            .where(TrajectoryAssignment.worker_id.in_(WORKERS),
                   TrajectoryAssignment.from_date <= LAST_DAY,
                   or_(TrajectoryAssignment.until.is_(None),
                       TrajectoryAssignment.until > FIRST_DAY),
                   Trajectory.program_entry_date <= LAST_DAY,
                   or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= FIRST_DAY),
                   PhaseChange.changed_on <= LAST_DAY)),
    }


def employer_contacts_by_week(session, team_ids, start: date, end: date,
                              settings: NormSettings | None = None) -> dict[int, list[WeekPoint]]:
    """Per team and complete ISO week in start..end: face-to-face employer contacts by the team's
    workers, and the team's norm: the sum of each active worker's weekly norm (6 × FTE, or
    2 × job seekers where fewer than 3 seek work, pro rata for absence), as the signals use it.
    FTE and team membership are today's: the system keeps no history of them."""
    settings = settings or NormSettings.load(session)
    mondays = complete_weeks(start, end)  # consecutive: week k is mondays[0] + k weeks
    if not mondays:
        return {team_id: [] for team_id in team_ids}
    weeks, first_day, last_day = len(mondays), mondays[0], mondays[-1] + timedelta(days=6)
    params = {"team_ids": list(team_ids), "first_day": first_day, "last_day": last_day,
              "last_week": weeks - 1}
    contacts = {team_id: [0] * weeks for team_id in team_ids}
    if session.get_bind().dialect.name == "sqlite":
        for team_id, week, n in fetch(session, _week_statements()["contacts_sqlite"], params):
            contacts[team_id][week] = n
    else:
        first_week = (first_day - WEEK_EPOCH).days // 7
        for team_id, week, n in fetch(session, _week_statements()["contacts"], params):
            contacts[team_id][week - first_week] += n
    fte_of: dict[tuple[int, int], Decimal] = {}
    absences = []
    for team_id, worker_id, fte, absent_from, absent_to in fetch(
            session, _week_statements()["workers"], params):
        fte_of[(team_id, worker_id)] = fte
        if absent_from is not None:
            absences.append((worker_id, absent_from, absent_to))
    absent = _absent_per_week(absences, first_day, last_day)
    seekers = _job_seekers_per_week(session, sorted({w for _t, w in fte_of}), mondays)

    zeros = [0] * weeks
    norms = {team_id: [0] * weeks for team_id in team_ids}
    per_worker: dict[int, list[int]] = {}
    # The norm depends on (FTE, job seekers, absent days) only: a few dozen distinct weeks.
    memo: dict[tuple, int] = {}
    for (team_id, worker_id), fte in fte_of.items():
        worker_norms = per_worker.get(worker_id)
        if worker_norms is None:
            fte, worker_norms = Decimal(fte), []
            for key in zip(repeat(fte), seekers.get(worker_id, zeros),
                           absent.get(worker_id, zeros)):
                norm = memo.get(key)
                if norm is None:
                    norm = memo[key] = weekly_employer_contact_norm(
                        fte=fte, job_seekers=key[1], absent_days=key[2], settings=settings) or 0
                worker_norms.append(norm)
            per_worker[worker_id] = worker_norms
        norms[team_id] = list(map(add, norms[team_id], worker_norms))
    return {team_id: [WeekPoint(monday, n, norm) for monday, n, norm
                      in zip(mondays, contacts[team_id], norms[team_id])]
            for team_id in team_ids}


def _absent_per_week(absences, first_day: date, last_day: date) -> dict[int, list[int]]:
    """Per worker: the absent working days (Monday to Friday) in each week from the Monday of
    first_day's week to last_day's, of (worker, first, last) absences cut to first_day..last_day;
    a day that overlapping absences share counts once. Counted per week of each absence from
    its span, not day by day: a day's date, weekday and set entry cost ~7,000 instructions, a
    walk over a team's ~150 absent days ~1 M a page (bench/README.md, "Page cost: the outcomes
    page, eleventh pass")."""
    origin = first_day - timedelta(days=first_day.weekday())
    weeks = (last_day - origin).days // 7 + 1
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for user_id, first, last in absences:
        # As days from origin; day d is weekday d % 7 of week d // 7.
        low, high = (max(first, first_day) - origin).days, (min(last, last_day) - origin).days
        if low <= high:
            spans[user_id].append((low, high))
    counts = {}
    for user_id, user_spans in spans.items():
        row = counts[user_id] = [0] * weeks
        counted_to = -1  # in order of first day, each span counts the days after those counted
        for low, high in sorted(user_spans):
            low = max(low, counted_to + 1)
            for week in range(low // 7, high // 7 + 1):
                monday = 7 * week
                days = min(high, monday + WORKING_DAYS - 1) - max(low, monday) + 1
                if days > 0:
                    row[week] += days
            counted_to = max(counted_to, high)
    return counts


def absent_working_days(session, worker_ids, mondays) -> dict[tuple[int, date], int]:
    """Per (worker, Monday): absent working days (Monday to Friday) in that week."""
    if not worker_ids or not mondays:
        return {}
    first_day, last_day = mondays[0], mondays[-1] + timedelta(days=6)
    origin = first_day - timedelta(days=first_day.weekday())
    weeks = set(mondays)
    counts = {}
    for user_id, row in _absent_per_week(fetch(session, _week_statements()["absences"], {
            "worker_ids": list(worker_ids), "first_day": first_day, "last_day": last_day}),
            first_day, last_day).items():
        for week, days in enumerate(row):
            if days:
                monday = origin + timedelta(days=7 * week)
                if monday in weeks:
                    counts[(user_id, monday)] = days
    return counts


def job_seekers_by_week(session, worker_ids, mondays) -> dict[tuple[int, date], int]:
    """Per (worker, Monday): the trajectories the worker was responsible for on that week's
    Sunday (the worker history, models/assignments.py), open then, whose phase on the Sunday was
    job finding (the same reading as the weekly norm: norms.sql.latest_phase, the latest change
    on or before the day, the later id on a tie).

    One statement reads the spans in which that holds, each a job-finding phase change with the
    next change of its trajectory (a seek in the phase changes' trajectory index), met with an
    assignment of the worker and the trajectory's open days; Python counts the Sundays in each
    span by bisection. Not weeks times assignments with a phase lookup each (a nested loop of
    ~8,000 sorted lookups for a team's year, most of the page's database time)."""
    mondays = sorted(mondays)
    return {(worker_id, monday): n
            for worker_id, counts in _job_seekers_per_week(session, worker_ids, mondays).items()
            for monday, n in zip(mondays, counts) if n}


def _job_seekers_per_week(session, worker_ids, mondays) -> dict[int, list[int]]:
    """job_seekers_by_week per worker as a list over the (sorted) mondays; a worker without a
    job seeker in any of them is left out."""
    if not worker_ids or not mondays:
        return {}
    sundays = [monday + timedelta(days=6) for monday in mondays]
    first_sunday, last_sunday = sundays[0], sundays[-1]
    rows = fetch(session, _week_statements()["seekers"], {
        "worker_ids": list(worker_ids), "first_day": first_sunday, "last_day": last_sunday})
    # Per worker, +1 at the first Sunday of a span and -1 after its last (a difference array).
    weeks = len(sundays)
    steps: dict[int, list[int]] = {}
    for worker_id, start, ended, held_until, following in rows:
        # The Sundays s with start <= s (start: the latest of the assignment's first day, the
        # entry and the change), s <= ended, s < held_until and s < following (the next phase
        # change). Dates already: Date columns, and the start and the next change's subquery
        # typed as one, as SQLAlchemy reads them on either database.
        first = bisect_left(sundays, start)
        after = weeks if ended is None else bisect_right(sundays, ended)
        if held_until is not None:
            after = min(after, bisect_left(sundays, held_until))
        if following is not None:
            after = min(after, bisect_left(sundays, following))
        if first < after:
            deltas = steps.get(worker_id)
            if deltas is None:
                deltas = steps[worker_id] = [0] * (weeks + 1)
            deltas[first] += 1
            deltas[after] -= 1
    return {worker_id: list(accumulate(deltas[:-1])) for worker_id, deltas in steps.items()}
