"""The teams' trajectories with their placements, read once for the team figures of a period
(outcomes/queries.py), the employment rate per month (outcomes/series.py), the per-worker
figures (outcomes/workers.py) and the first face-to-face employer contacts of both.

One statement of plain columns instead of nine grouped ones: each of those joined the
trajectories to the teams' clients again (PostgreSQL hashed the whole trajectory table for
each), and the counting over a team's few hundred trajectories and placements is cheaper in
Python than a statement's fixed cost (bench/README.md, "Page cost: outcomes (helper L)").
A team here is the client's team (`Client.team_id`), as in the statements it replaces; the
read also holds the trajectories the teams held (an assignment of the team) whose client is in
another team, for the per-worker figures, which follow the assignment's team. One read where
three (the team's, the first contacts', the held trajectories') each joined the trajectories
and placements again (bench/README.md, "Page cost: the outcomes page, fourth pass (helper O)").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import Date, and_, bindparam, exists, or_, select, true, union
from sqlalchemy.orm import aliased

from caseload.models import Client, Contact, Placement, Trajectory, TrajectoryAssignment, User
from caseload.norms.sql import written

PAID_TYPES = ("paid_job", "paid_job_subsidised")


class HeldPlacement(NamedTuple):
    """A placement of a trajectory (a tuple: ~150 of them a page, made straight from the row)."""

    id: int
    placement_type: str
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    contract: str
    competitive: bool
    start_date: date
    end_date: date | None
    end_reason: str | None

    @property
    def paid(self) -> bool:
        return self.placement_type in PAID_TYPES

    def held_between(self, start: date, end: date) -> bool:
        """Held at any day of start..end (queries.held_between)."""
        return self.start_date <= end and (self.end_date is None or self.end_date >= start)


@dataclass(slots=True)
class TrajectoryHistory:
    id: int
    client_id: int
    team_id: int
    program_entry_date: date
    ended_on: date | None
    end_reason: str | None
    in_work_at_referral: bool | None
    # The first face-to-face employer contact within the trajectory (first_employer_contact).
    first_employer_contact: date | None = None
    # A list once it holds one; the empty tuple until then (most trajectories have no
    # placement: ~300 lists a page fewer to make and for the collector to follow).
    placements: list[HeldPlacement] | tuple = ()
    # The assignments of the teams asked for (the worker history, models/assignments.py):
    # (assignment id, worker id or None, from_date, until), for the per-worker figures.
    assignments: list[tuple] | tuple = ()

    def open_between(self, start: date, end: date) -> bool:
        """Open at any day of start..end (queries.on_caseload)."""
        return self.program_entry_date <= end and (self.ended_on is None
                                                   or self.ended_on >= start)

    @property
    def out_of_work_at_referral(self) -> bool:
        """Recorded as out of paid work at referral (not merely unrecorded)."""
        return self.in_work_at_referral is False


def fetch(session, statement, params: dict):
    """The rows of a prebuilt statement on the session's connection (in its transaction): Core
    rows, no ORM result processing, fetched at once (as norms.sql.execute)."""
    return session.connection().execute(statement, params).all()


def first_employer_contact():
    """The date of the first face-to-face employer contact about the trajectory's client within
    the trajectory (from program entry to its end), as a scalar subquery correlated to
    Trajectory: one seek in ix_contact_employer_f2f_client per trajectory, where a join grouped
    by trajectory read every such contact since entry (kind and mode written into the SQL, so
    the partial index serves whatever the planner knows of the parameters). The first in the
    index's date order (LIMIT 1), not min(): SQLite's min() read every such contact of the
    client since entry, ~10 a client (bench/README.md, "Page cost: the outcomes page, tenth
    pass")."""
    return (select(Contact.contact_date)
            .where(Contact.client_id == Trajectory.client_id,
                   Contact.kind == written("employer"), Contact.mode == written("face_to_face"),
                   Contact.contact_date >= Trajectory.program_entry_date,
                   or_(Trajectory.ended_on.is_(None), Contact.contact_date <= Trajectory.ended_on))
            .order_by(Contact.contact_date).limit(1)
            .correlate(Trajectory).scalar_subquery())


TEAMS = bindparam("team_ids", expanding=True)
# The days the figures are about (the first and last of all of them): a trajectory is read
# when it can count in one of them (_in_range).
SINCE, UNTIL = bindparam("since", type_=Date), bindparam("until", type_=Date)


def _in_range():
    """Trajectories that can count in a figure of any day of since..until: open at one of those
    days (caseload, referrals, endings, first contacts, the months' rates), or with a placement
    held at one of them (job starts and endings, first jobs, retention: a trajectory that ended
    with the client in work keeps an open placement). A placement can only start, end or be
    held in the range when held at a day of it (end_date >= start_date, a check). Every figure
    of a trajectory read this way still sees all its placements. The rest ended (or its last
    job did) before the range: dead weight that grew with the organisation's history."""
    held = aliased(Placement)
    return or_(and_(Trajectory.program_entry_date <= UNTIL,
                    or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= SINCE)),
               exists().where(held.trajectory_id == Trajectory.id, held.start_date <= UNTIL,
                              or_(held.end_date.is_(None), held.end_date >= SINCE)))


@cache
def _statement(in_range: bool = True):
    # The trajectories of the teams' clients and those the teams held: a union of the two id
    # lists, each from its team index (an OR of the two read every trajectory on both
    # databases).
    ids = union(
        select(Trajectory.id.label("id")).join(Client, Client.id == Trajectory.client_id)
        .where(Client.team_id.in_(TEAMS)),
        select(TrajectoryAssignment.trajectory_id).where(TrajectoryAssignment.team_id.in_(TEAMS)),
    ).subquery()
    # Each trajectory with every placement and every assignment of the teams (and its worker's
    # name): a row per pair, ~330 rows for a team, where the assignments and the workers' names
    # were two more statements.
    return (select(Client.team_id, Trajectory.id, Trajectory.client_id,
                   Trajectory.program_entry_date, Trajectory.ended_on, Trajectory.end_reason,
                   Trajectory.in_work_at_referral, first_employer_contact(), Placement.id,
                   Placement.placement_type, Placement.hours_per_week, Placement.hourly_wage,
                   Placement.contract, Placement.competitive, Placement.start_date,
                   Placement.end_date, Placement.end_reason, TrajectoryAssignment.id,
                   TrajectoryAssignment.worker_id, TrajectoryAssignment.from_date,
                   TrajectoryAssignment.until, User.name)
            .select_from(ids)
            .join(Trajectory, Trajectory.id == ids.c.id)
            .join(Client, Client.id == Trajectory.client_id)
            .outerjoin(Placement, Placement.trajectory_id == Trajectory.id)
            .outerjoin(TrajectoryAssignment,
                       and_(TrajectoryAssignment.trajectory_id == Trajectory.id,
                            TrajectoryAssignment.team_id.in_(TEAMS)))
            .outerjoin(User, User.id == TrajectoryAssignment.worker_id)
            .where(_in_range() if in_range else true()))


def _filters_in_sql(session) -> bool:
    """SQLite only: there the rows left out are work saved (each value ~1 k instructions through
    the sqlite3 module and SQLAlchemy). PostgreSQL's planner, given the filter, probes the
    trajectories by key instead of hashing the table, +0.8 ms of server time on the bench's
    team where nothing is left out, and about what the app process saves (~1 ms) where 12 % of
    the rows are (bench/README.md, "Page cost: the outcomes page, eleventh pass (helper oh)");
    there every trajectory is read and the figures count only their own days, as always."""
    return session.get_bind().dialect.name == "sqlite"


@dataclass(slots=True)
class Histories:
    """The teams' trajectories (the client's team), per team (every team asked for, empty when
    it has none); by id every trajectory read: those and the ones the teams held; the names
    of the workers of the teams' assignments."""
    by_team: dict[int, list[TrajectoryHistory]]
    by_id: dict[int, TrajectoryHistory]
    worker_names: dict[int, str]


def read_histories(session, team_ids, since: date = date.min,
                   until: date = date.max) -> Histories:
    """The teams' clients' trajectories and the trajectories the teams held, each with all its
    placements in id order, the teams' assignments of it and its first face-to-face employer
    contact: those that can count in a figure of any day of since..until (_in_range; the
    figures of a period or month in it are the same as from every trajectory), all without a
    range (and on PostgreSQL, _filters_in_sql)."""
    teams = set(team_ids)
    by_id: dict[int, TrajectoryHistory] = {}
    by_team: dict[int, list[TrajectoryHistory]] = {team_id: [] for team_id in team_ids}
    names: dict[int, str] = {}
    placements, assignments = set(), set()  # the ids seen: a row per placement and assignment
    for (team_id, trajectory_id, client_id, entry, ended, reason, in_work, first, placement_id,
         placement_type, hours, wage, contract, competitive, job_start, job_end, job_end_reason,
         assignment_id, worker_id, held_from, until, name) in fetch(
            session, _statement(_filters_in_sql(session)),
            {"team_ids": list(team_ids), "since": since, "until": until}):
        history = by_id.get(trajectory_id)
        if history is None:
            # `first` a date already: the subquery is typed as contact_date (Date), which
            # SQLAlchemy reads from SQLite's text
            history = by_id[trajectory_id] = TrajectoryHistory(
                trajectory_id, client_id, team_id, entry, ended, reason, in_work, first)
            if team_id in teams:
                by_team[team_id].append(history)
        if placement_id is not None and placement_id not in placements:
            placements.add(placement_id)
            held = HeldPlacement(placement_id, placement_type, hours, wage, contract,
                                 competitive, job_start, job_end, job_end_reason)
            if history.placements:
                history.placements.append(held)
            else:
                history.placements = [held]
        if assignment_id is not None and assignment_id not in assignments:
            assignments.add(assignment_id)
            if history.assignments:
                history.assignments.append((assignment_id, worker_id, held_from, until))
            else:
                history.assignments = [(assignment_id, worker_id, held_from, until)]
            if worker_id is not None:
                names[worker_id] = name
    for history in by_id.values():
        if len(history.placements) > 1:
            history.placements.sort(key=lambda p: p.id)
    return Histories(by_team, by_id, names)


def team_histories(session, team_ids) -> dict[int, list[TrajectoryHistory]]:
    """Per team (every team asked for, empty when it has none): its clients' trajectories,
    each with all its placements in id order."""
    return read_histories(session, team_ids).by_team
