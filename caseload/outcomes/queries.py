"""Team outcomes over a period, as reported per quarter (domain.md, "Outcomes people report").

Pure functions (session, team_ids, start, end): set-based queries grouped by team, so the
number of queries does not depend on the number of teams, workers or clients. `end` is the last
day with figures (the views pass min(period end, today)).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, distinct, false, func, or_, select

from caseload.clock import to_date
from caseload.models import Client, Contact, Placement, Trajectory

PAID_TYPES = ("paid_job", "paid_job_subsidised")

# Dutch statutory minimum hourly wage (wettelijk minimumuurloon) for employees aged 21 and
# over, from 1 January 2026: EUR 14.71 gross (up from EUR 14.40 on 1 July 2025), per the
# half-yearly indexation under the Wet minimumloon (looked up in published 2026 wage tables).
# One constant, not a table by date and age: the placement record holds no age, and younger
# clients have a lower legal (youth) minimum, so "below minimum" may overstate for them.
MINIMUM_HOURLY_WAGE = Decimal("14.71")


def on_caseload(start: date, end: date):
    """Trajectories open at any day of start..end."""
    return and_(Trajectory.program_entry_date <= end,
                or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= start))


def held_between(start, end):
    """Placements held at any day of start..end (the bounds may be SQL expressions)."""
    return and_(Placement.start_date <= end,
                or_(Placement.end_date.is_(None), Placement.end_date >= start))


def wage_status(hourly_wage) -> str:
    """'yes' (at least the minimum wage), 'no', or 'unknown' when no wage was recorded."""
    if hourly_wage is None:
        return "unknown"
    return "yes" if Decimal(hourly_wage) >= MINIMUM_HOURLY_WAGE else "no"


def median(values) -> float | None:
    values = list(values)
    return round(float(statistics.median(values)), 1) if values else None


def mean(values) -> float | None:
    values = [Decimal(v) for v in values]
    return round(float(sum(values) / len(values)), 1) if values else None


def percentage(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class StartedPlacement:
    placement_type: str
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    contract: str
    competitive: bool


@dataclass
class TeamOutcomes:
    caseload: int = 0
    new_referrals: int = 0
    worked: int = 0
    working_at_end: int = 0
    started: list[StartedPlacement] = field(default_factory=list)
    job_endings: dict[str, int] = field(default_factory=dict)
    trajectory_endings: dict[str, int] = field(default_factory=dict)
    days_to_first_employer_contact: list[int] = field(default_factory=list)
    days_to_first_job: list[int] = field(default_factory=list)
    # The comparable rate: over trajectories recorded as out of paid work at referral.
    out_of_work_caseload: int = 0
    out_of_work_worked: int = 0
    retention_eligible: int = 0
    retained: int = 0

    @property
    def employment_rate(self) -> float | None:
        return percentage(self.worked, self.caseload)

    @property
    def out_of_work_rate(self) -> float | None:
        return percentage(self.out_of_work_worked, self.out_of_work_caseload)

    @property
    def retention_share(self) -> float | None:
        return percentage(self.retained, self.retention_eligible)

    @property
    def job_starts(self) -> list[StartedPlacement]:
        return [p for p in self.started if p.placement_type in PAID_TYPES]

    def started_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for placement in self.started:
            counts[placement.placement_type] += 1
        return counts

    def contracts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for placement in self.job_starts:
            counts[placement.contract] += 1
        return counts

    def wages(self) -> dict[str, int]:
        counts = {"yes": 0, "no": 0, "unknown": 0}
        for placement in self.job_starts:
            counts[wage_status(placement.hourly_wage)] += 1
        return counts

    @property
    def minimum_wage_share(self) -> float | None:
        """Share of job starts paying at least the minimum wage, of those with a known wage."""
        wages = self.wages()
        return percentage(wages["yes"], wages["yes"] + wages["no"])

    @property
    def competitive_share(self) -> float | None:
        """Competitive as item 21 counts it: open to anyone (the record's flag) and not below
        the statutory minimum wage (an unknown wage is taken at the flag's word)."""
        starts = self.job_starts
        return percentage(sum(1 for p in starts if p.competitive
                              and wage_status(p.hourly_wage) != "no"), len(starts))


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
    from caseload.outcomes.workers import retention_counts
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
