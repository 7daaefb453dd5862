"""The weekly checklist: per worker of a team, one ISO week. A fixed number of queries,
whatever the number of workers and clients."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from caseload.models import (
    Contact,
    Placement,
    Signal,
    Team,
    Trajectory,
    TrajectoryAssignment,
    User,
    WeekReview,
    WorkerWeekReview,
)
from caseload.models.assignments import covers
from caseload.norms.settings import NormSettings
from caseload.norms.sql import add_days, built_once, open_on
from caseload.norms.trajectory_norms import rapid_job_search_breached
from caseload.norms.worker_norms import (
    WeekFigures,
    absent_working_days,
    capacity_of,
    named_week_statements,
    week_figures,
)
from caseload.scope import signals_of

# The statements below are built once per process (and settings) and executed with these: the
# week, the teams, and the workers of the lines. Building the union of the counts and its cache
# key anew cost more CPU than the database took to run it (bench/README.md, helper K).
MONDAY = bindparam("monday", type_=Date)
SUNDAY = bindparam("sunday", type_=Date)
TEAMS = bindparam("team_ids", expanding=True)
WORKERS = bindparam("worker_ids", expanding=True)
# The week in which a follow-along deadline (start + N days) falls, as start dates: the same
# placements, read from the start dates' index instead of every placement of the workers.
DUE_FROM = bindparam("due_from", type_=Date)
DUE_UNTIL = bindparam("due_until", type_=Date)


WEEKS = bindparam("weeks", expanding=True)
TEAM = bindparam("team_id")


class Worker(NamedTuple):
    id: int
    name: str
    fte: Decimal


class Review(NamedTuple):
    """A reviewed line or week: who reviewed it, when, and their note."""
    reviewer: str
    reviewed_at: datetime
    note: str


@dataclass
class ChecklistLine:
    worker: Worker
    week: WeekFigures | None
    caseload: int
    capacity: int
    signals_by_norm: dict[str, int]
    job_starts: int
    new_referrals: int
    job_endings: int = 0
    past_day_30: int = 0
    follow_along_due: int = 0
    follow_along_missed: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def job_seekers(self) -> int:
        return self.week.job_seekers if self.week else 0

    @property
    def below_norm(self) -> bool:
        return bool(self.week and self.week.norm is not None and self.week.contacts < self.week.norm)


def team_week_checklist(session, team_ids: list[int], monday: date,
                        settings: NormSettings) -> list[ChecklistLine]:
    """Per worker, the team's part of their week: client figures count the teams' clients only,
    attributed to the worker responsible on the day in question (a transfer on Wednesday does
    not move last week's figures). The employer contacts and their norm are the worker's own
    (the norm is per worker, whatever their teams)."""
    sunday = monday + timedelta(days=6)
    connection = session.connection()
    week = {"monday": monday, "sunday": sunday, "team_ids": list(team_ids)}
    # A leaver deactivated since still shows the week they worked.
    workers = [Worker(*row) for row in connection.execute(_workers_statement(), week).all()]
    days = settings.follow_along_start_days
    trajectories: dict[int, tuple] = {}
    placements: dict[int, tuple] = {}
    signal_counts: dict[int, dict[str, int]] = defaultdict(dict)
    contacts: dict[int, int] = {}
    seekers: dict[int, int] = {}
    absences = []
    for wid, a, b, c, d, figure, norm in connection.execute(
            _counts_statement(days, settings.rapid_job_search_days),
            {**week, "worker_ids": [w.id for w in workers],
             "due_from": monday - timedelta(days=days),
             "due_until": sunday - timedelta(days=days)}).all():
        if figure == "signals":
            signal_counts[wid][norm] = a
        elif figure == "trajectories":
            trajectories[wid] = (a, b, c)
        elif figure == "placements":
            placements[wid] = (a, b, c, d)
        elif figure == "contacts":
            contacts[wid] = a
        elif figure == "seekers":
            seekers[wid] = a
        else:
            absences.append((wid, a, b))
    # The norm's figures of the lines' workers (worker_norms.weekly_employer_contact_figures
    # for the named workers: those with an FTE), from the same statements' rows.
    figures = week_figures([(w.id, w.fte) for w in workers if w.fte > 0], contacts, seekers,
                           absent_working_days(absences), settings)
    lines = []
    for w in workers:
        caseload, referrals, past_30 = trajectories.get(w.id, (0, 0, 0))
        starts, endings, due, missed = placements.get(w.id, (0, 0, 0, 0))
        lines.append(ChecklistLine(
            worker=w, week=figures.get(w.id), caseload=caseload,
            capacity=capacity_of(w.fte, settings), signals_by_norm=signal_counts.get(w.id, {}),
            job_starts=starts, new_referrals=referrals, job_endings=endings,
            past_day_30=past_30, follow_along_due=due, follow_along_missed=missed))
    return lines


def line_worker_ids(session, team_ids: list[int], monday: date) -> set[int]:
    """The ids of the workers with a line in the teams' checklist of the week (its rule,
    _workers_statement): who a coordinator may review for that week, a worker who has moved
    to another team since included."""
    return set(session.connection().execute(_workers_statement(), {
        "monday": monday, "sunday": monday + timedelta(days=6),
        "team_ids": list(team_ids)}).scalars())


@built_once
def _workers_statement():
    """The lines' workers: the teams' active workers, and whoever held one of the teams'
    trajectories during the week (a leaver, a colleague of another team)."""
    held_in_week = select(TrajectoryAssignment.worker_id).where(
        TrajectoryAssignment.team_id.in_(TEAMS), TrajectoryAssignment.from_date <= SUNDAY,
        or_(TrajectoryAssignment.until.is_(None), TrajectoryAssignment.until > MONDAY))
    return (select(User.id, User.name, User.fte)
            .where(User.role == "worker", or_(
                and_(User.teams.any(Team.id.in_(TEAMS)), User.active.is_(True)),
                User.id.in_(held_in_week)))
            .order_by(User.name))


@built_once
def _counts_statement(follow_along_start_days: int, rapid_job_search_days: int):
    """Every count of the lines in one statement, one round trip: rows of (worker, a, b, c, d,
    figure, norm), a part per kind of figure.

    The client figures are counted over the teams' assignment periods held during the week,
    each count with its own condition (FILTER) in one pass: the trajectories' (caseload on
    Sunday, new referrals, past day N) and the placements' (starts, endings, follow-along
    deadlines due and missed). Each count is the one it was as a part of its own: the
    assignment period that covers the day in question (the Sunday, the program entry, the
    placement's start or end, the deadline), of the teams. Seven parts that each read the
    teams' assignments again cost both databases about twice the two passes (bench/README.md,
    helper S). The periods are not limited to the lines' workers: the counts
    are picked per line, and naming the workers made SQLite read their whole history from
    the worker index. Then the open signals per worker and norm, and the week of the norm on
    employer contacts (worker_norms.named_week_statements: its contacts, job seekers and
    absences)."""
    in_teams = TrajectoryAssignment.team_id.in_(TEAMS)
    # Every day a count asks about is in the week (a deadline in the week: due_in_week), so
    # only the periods held during the week can cover one.
    held_in_week = and_(in_teams, TrajectoryAssignment.from_date <= SUNDAY,
                        or_(TrajectoryAssignment.until.is_(None),
                            TrajectoryAssignment.until > MONDAY))
    none = cast(null(), Integer)
    settings = NormSettings(rapid_job_search_days=rapid_job_search_days)
    trajectories = (
        select(TrajectoryAssignment.worker_id,
               _count(Trajectory.id, covers(SUNDAY), open_on(SUNDAY)),
               _count(Trajectory.id, Trajectory.program_entry_date.between(MONDAY, SUNDAY),
                      covers(Trajectory.program_entry_date)),
               _count(Trajectory.id, covers(SUNDAY),
                      rapid_job_search_breached(SUNDAY, settings)),
               none, _label("trajectories"), null())
        .select_from(TrajectoryAssignment)
        .join(Trajectory, Trajectory.id == TrajectoryAssignment.trajectory_id)
        .where(held_in_week)
        .group_by(TrajectoryAssignment.worker_id))
    # Follow-along: 3-day contacts whose deadline fell in this week, and those missed.
    deadline = add_days(Placement.start_date, follow_along_start_days)
    met = select(Contact.id).where(
        Contact.client_id == Trajectory.client_id, Contact.kind == _written("client"),
        Contact.mode == _written("face_to_face"), Contact.contact_date >= Placement.start_date,
        Contact.contact_date <= deadline).exists()
    due_in_week = Placement.start_date.between(DUE_FROM, DUE_UNTIL)
    starts = Placement.start_date.between(MONDAY, SUNDAY)
    endings = Placement.end_date.between(MONDAY, SUNDAY)
    placements = (
        select(TrajectoryAssignment.worker_id,
               _count(Placement.id, starts, covers(Placement.start_date)),
               _count(Placement.id, endings, covers(Placement.end_date)),
               _count(Placement.id, due_in_week, covers(deadline)),
               _count(Placement.id, due_in_week, covers(deadline), ~met),
               _label("placements"), null())
        .select_from(TrajectoryAssignment)
        .join(Trajectory, Trajectory.id == TrajectoryAssignment.trajectory_id)
        .join(Placement, Placement.trajectory_id == Trajectory.id)
        .where(held_in_week, or_(starts, endings, due_in_week))
        .group_by(TrajectoryAssignment.worker_id))
    signals = (
        select(Signal.worker_id, func.count(Signal.id), none, none, none, _label("signals"),
               Signal.norm)
        .where(Signal.worker_id.in_(WORKERS), Signal.resolved_at.is_(None),
               Signal.acknowledged_at.is_(None), signals_of(TEAMS))
        .group_by(Signal.worker_id, Signal.norm))
    contacts, seekers, absences = named_week_statements()
    return union_all(
        trajectories, placements, signals,
        contacts.add_columns(none, none, none, _label("contacts"), null()),
        seekers.add_columns(none, none, none, _label("seekers"), null()),
        absences.add_columns(none, none, _label("absences"), null()))


def _count(column, *conditions):
    """The number of rows (their `column`) that meet all the conditions, in a grouped select."""
    return func.count(column).filter(and_(*conditions))


def _label(figure: str):
    return _written(figure).label("figure")


def _written(word: str):
    """A fixed word of the vocabulary written into the SQL text, never input: a figure's name,
    or a kind and mode that a partial index names (bound, they made SQLite prepare the whole
    statement again on every execution, as the index's use depended on the values bound)."""
    return literal_column(f"'{word}'", String)


def week_reviews(session, team_id: int, monday: date, weeks: list[date],
                 ) -> tuple[dict[int, Review], dict[date, Review]]:
    """The team's reviewed lines of the week (per worker) and its reviewed weeks among
    `weeks`, with the reviewer's name: one statement (were two, and a read of each
    reviewer)."""
    lines: dict[int, Review] = {}
    reviewed: dict[date, Review] = {}
    for worker_id, week_start, reviewer, at, note in session.connection().execute(
            _reviews_statement(),
            {"team_id": team_id, "monday": monday, "weeks": list(weeks)}).all():
        if worker_id is None:
            reviewed[week_start] = Review(reviewer, at, note)
        else:
            lines[worker_id] = Review(reviewer, at, note)
    return lines, reviewed


@built_once
def _reviews_statement():
    line = WorkerWeekReview
    return union_all(
        select(line.worker_id, line.week_start, User.name, line.reviewed_at, line.note)
        .join(User, User.id == line.reviewed_by_id)
        .where(line.team_id == TEAM, line.week_start == MONDAY),
        select(null(), WeekReview.week_start, User.name, WeekReview.reviewed_at, WeekReview.note)
        .join(User, User.id == WeekReview.reviewed_by_id)
        .where(WeekReview.team_id == TEAM, WeekReview.week_start.in_(WEEKS)))
