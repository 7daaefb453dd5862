"""The teams' trajectories with their placements, read once for the team figures of a period
(outcomes/queries.py) and the employment rate per month (outcomes/series.py).

One statement of plain columns instead of nine grouped ones: each of those joined the
trajectories to the teams' clients again (PostgreSQL hashed the whole trajectory table for
each), and the counting over a team's few hundred trajectories and placements is cheaper in
Python than a statement's fixed cost (bench/README.md, "Page cost: outcomes (helper L)").
A team here is the client's team (`Client.team_id`), as in the statements it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, select

from caseload.models import Client, Placement, Trajectory

PAID_TYPES = ("paid_job", "paid_job_subsidised")


@dataclass(frozen=True, slots=True)
class HeldPlacement:
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
    placements: list[HeldPlacement] = field(default_factory=list)

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


@cache
def _statement():
    return (select(Client.team_id, Trajectory.id, Trajectory.client_id,
                   Trajectory.program_entry_date, Trajectory.ended_on, Trajectory.end_reason,
                   Trajectory.in_work_at_referral, Placement.id, Placement.placement_type,
                   Placement.hours_per_week, Placement.hourly_wage, Placement.contract,
                   Placement.competitive, Placement.start_date, Placement.end_date,
                   Placement.end_reason)
            .select_from(Trajectory)
            .join(Client, Client.id == Trajectory.client_id)
            .outerjoin(Placement, Placement.trajectory_id == Trajectory.id)
            .where(Client.team_id.in_(bindparam("team_ids", expanding=True))))


def team_histories(session, team_ids) -> dict[int, list[TrajectoryHistory]]:
    """Per team (every team asked for, empty when it has none): its clients' trajectories,
    each with all its placements in id order."""
    by_id: dict[int, TrajectoryHistory] = {}
    histories: dict[int, list[TrajectoryHistory]] = {team_id: [] for team_id in team_ids}
    for (team_id, trajectory_id, client_id, entry, ended, reason, in_work, placement_id,
         *placement) in fetch(session, _statement(), {"team_ids": list(team_ids)}):
        history = by_id.get(trajectory_id)
        if history is None:
            history = by_id[trajectory_id] = TrajectoryHistory(
                trajectory_id, client_id, team_id, entry, ended, reason, in_work)
            histories.setdefault(team_id, []).append(history)
        if placement_id is not None:
            history.placements.append(HeldPlacement(placement_id, *placement))
    for history in by_id.values():
        history.placements.sort(key=lambda p: p.id)
    return histories
