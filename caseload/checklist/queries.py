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
    String,
    and_,
    bindparam,
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
from caseload.norms.worker_norms import WeekFigures, capacity_of, weekly_employer_contact_figures
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
    ids = [w.id for w in workers]
    figures = weekly_employer_contact_figures(session, monday, sunday, settings, worker_ids=ids)
    days = settings.follow_along_start_days
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    signal_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for wid, n, figure, norm in connection.execute(
            _counts_statement(days, settings.rapid_job_search_days),
            {**week, "worker_ids": ids, "due_from": monday - timedelta(days=days),
             "due_until": sunday - timedelta(days=days)}).all():
        if figure == "signals":
            signal_counts[wid][norm] = n
        else:
            counts[figure][wid] = n
    caseload, starts, endings = counts["caseload"], counts["starts"], counts["endings"]
    referrals, past_30, due, missed = (counts["referrals"], counts["past_30"], counts["due"],
                                       counts["missed"])
    return [ChecklistLine(
        worker=w, week=figures.get(w.id), caseload=caseload.get(w.id, 0),
        capacity=capacity_of(w.fte, settings), signals_by_norm=signal_counts.get(w.id, {}),
        job_starts=starts.get(w.id, 0), new_referrals=referrals.get(w.id, 0),
        job_endings=endings.get(w.id, 0), past_day_30=past_30.get(w.id, 0),
        follow_along_due=due.get(w.id, 0), follow_along_missed=missed.get(w.id, 0))
        for w in workers]


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
    """Every count of the lines in one statement (a part per figure, each the count it was on
    its own, labelled with its figure): one round trip and one execution instead of eight."""
    in_teams = TrajectoryAssignment.team_id.in_(TEAMS)

    def held_on(day):
        """Join condition: the teams' assignment period that covers `day`. Not limited to the
        lines' workers in SQL: the counts are picked per line, and a period's holder who has
        no line (nobody: the "to be assigned" list) is not read. Naming the workers made SQLite
        read their whole history from the worker index, part by part (1.3 of 3.6 ms)."""
        return and_(TrajectoryAssignment.trajectory_id == Trajectory.id, covers(day), in_teams)

    def per_worker(figure: str, query):
        """One figure's counts per worker, labelled, as one part of the statement."""
        return query.add_columns(_label(figure), null().label("norm")) \
            .group_by(TrajectoryAssignment.worker_id)

    def trajectories_held_on(day):
        return select(TrajectoryAssignment.worker_id, func.count(Trajectory.id)) \
            .join(TrajectoryAssignment, held_on(day))

    def placements_held_on(day_column):
        return (select(TrajectoryAssignment.worker_id, func.count(Placement.id))
                .select_from(Placement)
                .join(Trajectory, Trajectory.id == Placement.trajectory_id)
                .join(TrajectoryAssignment, held_on(day_column)))

    # Follow-along: 3-day contacts whose deadline fell in this week, and those missed.
    deadline = add_days(Placement.start_date, follow_along_start_days)
    met = select(Contact.id).where(
        Contact.client_id == Trajectory.client_id, Contact.kind == _written("client"),
        Contact.mode == _written("face_to_face"), Contact.contact_date >= Placement.start_date,
        Contact.contact_date <= deadline).exists()
    due_in_week = Placement.start_date.between(DUE_FROM, DUE_UNTIL)
    settings = NormSettings(rapid_job_search_days=rapid_job_search_days)
    return union_all(
        per_worker("caseload", trajectories_held_on(SUNDAY).where(open_on(SUNDAY))),
        per_worker("starts", placements_held_on(Placement.start_date)
                   .where(Placement.start_date.between(MONDAY, SUNDAY))),
        per_worker("endings", placements_held_on(Placement.end_date)
                   .where(Placement.end_date.between(MONDAY, SUNDAY))),
        per_worker("referrals", trajectories_held_on(Trajectory.program_entry_date)
                   .where(Trajectory.program_entry_date.between(MONDAY, SUNDAY))),
        # Over the teams' trajectories only (not the organisation's breaches in Python, whose
        # ids grew with the organisation).
        per_worker("past_30", trajectories_held_on(SUNDAY)
                   .where(rapid_job_search_breached(SUNDAY, settings))),
        per_worker("due", placements_held_on(deadline).where(due_in_week)),
        per_worker("missed", placements_held_on(deadline).where(due_in_week, ~met)),
        select(Signal.worker_id, func.count(Signal.id), _label("signals"), Signal.norm)
        .where(Signal.worker_id.in_(WORKERS), Signal.resolved_at.is_(None),
               Signal.acknowledged_at.is_(None), signals_of(TEAMS))
        .group_by(Signal.worker_id, Signal.norm))


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
