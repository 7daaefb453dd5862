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

from sqlalchemy import and_, or_

from caseload.models import Placement, Trajectory
from caseload.outcomes.history import PAID_TYPES, Histories, read_histories

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


def first_employer_contacts(session, team_ids, start: date, end: date, histories=None,
                            ) -> list[tuple[int, int, date, date]]:
    """(trajectory id, the client's team, program entry, first contact) of the trajectories of
    the teams' clients or held by the teams whose first face-to-face employer contact
    (history.first_employer_contact) fell in the period (and whose entry is not after it).
    From the histories (history.read_histories of the same teams and of days that include the
    period; read when not given)."""
    if histories is None:
        histories = read_histories(session, team_ids, start, end)
    return [(history.id, history.team_id, history.program_entry_date, first)
            for history in histories.by_id.values()
            if (first := history.first_employer_contact) is not None
            and start <= first <= end and history.program_entry_date <= end]


def days_to_first_employer_contact(session, team_ids, start: date, end: date,
                                   firsts=None) -> dict[int, list[int]]:
    """Per team: days from program entry to the first face-to-face employer contact about the
    client in that trajectory, for trajectories whose first such contact fell in the period
    (first_employer_contacts; pass them when read already)."""
    if firsts is None:
        firsts = first_employer_contacts(session, team_ids, start, end)
    days: dict[int, list[int]] = defaultdict(list)
    teams = set(team_ids)
    for _trajectory_id, team_id, entry, first in firsts:
        if team_id in teams:
            days[team_id].append((first - entry).days)
    return {team_id: sorted(values) for team_id, values in days.items()}


def team_outcomes(session, team_ids, start: date, end: date,
                  histories: Histories | None = None, firsts=None) -> dict[int, TeamOutcomes]:
    """All period figures per team from one read of the teams' trajectories and placements
    (outcomes/history.py) and the first face-to-face employer contacts in it
    (first_employer_contacts); pass either when read already (the histories of days that
    include the period)."""
    outcomes = {team_id: TeamOutcomes() for team_id in team_ids}
    if histories is None:
        histories = read_histories(session, team_ids, start, end)
    if firsts is None:
        firsts = first_employer_contacts(session, team_ids, start, end, histories)
    for team_id, team_history in histories.by_team.items():
        _count(outcomes[team_id], team_history, start, end)
    for team_id, days in days_to_first_employer_contact(session, team_ids, start, end,
                                                        firsts).items():
        outcomes[team_id].days_to_first_employer_contact = days
    return outcomes


def _count(outcome: TeamOutcomes, histories, start: date, end: date) -> None:
    """One team's figures from its trajectories (the client's team), as the grouped statements
    counted them: clients distinct, trajectories and placements each once."""
    from caseload.outcomes.workers import retention_counts
    cutoff = end - timedelta(days=90)
    caseload, out_of_work, worked, at_end, out_worked = set(), set(), set(), set(), set()
    started, held_90, first_job_days = [], [], []
    job_endings: dict[str, int] = {}
    trajectory_endings: dict[str, int] = {}
    for history in histories:
        on_caseload_now = history.open_between(start, end)
        if on_caseload_now:
            caseload.add(history.client_id)
            outcome.new_referrals += history.program_entry_date >= start
            if history.out_of_work_at_referral:
                out_of_work.add(history.client_id)
        if history.ended_on is not None and start <= history.ended_on <= end:
            reason = history.end_reason or "other"  # an end recorded without a reason
            trajectory_endings[reason] = trajectory_endings.get(reason, 0) + 1
        first_job = None
        for placement in history.placements:
            if start <= placement.start_date <= end:
                started.append(placement)
            if not placement.paid:
                continue
            if first_job is None or placement.start_date < first_job:
                first_job = placement.start_date
            if placement.end_date is not None and start <= placement.end_date <= end:
                reason = placement.end_reason or "other"
                job_endings[reason] = job_endings.get(reason, 0) + 1
            if not placement.held_between(start, end):
                continue
            if placement.start_date <= cutoff:
                held_90.append((placement.start_date, placement.end_date))
            if on_caseload_now:
                worked.add(history.client_id)
                if placement.end_date is None or placement.end_date >= end:
                    at_end.add(history.client_id)
                if history.out_of_work_at_referral:
                    out_worked.add(history.client_id)
        if (first_job is not None and history.program_entry_date <= end
                and start <= first_job <= end):
            first_job_days.append((first_job - history.program_entry_date).days)
    outcome.caseload, outcome.out_of_work_caseload = len(caseload), len(out_of_work)
    outcome.worked, outcome.working_at_end = len(worked), len(at_end)
    outcome.out_of_work_worked = len(out_worked)
    outcome.retention_eligible, outcome.retained = retention_counts(held_90, end)
    outcome.started = [StartedPlacement(p.placement_type, p.hours_per_week, p.hourly_wage,
                                        p.contract, p.competitive)
                       for p in sorted(started, key=lambda p: p.id)]
    outcome.job_endings, outcome.trajectory_endings = job_endings, trajectory_endings
    outcome.days_to_first_job = sorted(first_job_days)
