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

One query, whatever the number of workers, clients or days: the teams' histories with their
assignments and the workers' names (outcomes/history.py), which the team figures share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from caseload.outcomes.history import Histories, read_histories
from caseload.outcomes.queries import PAID_TYPES, first_employer_contacts, median, percentage

RETENTION_DAYS = 90


@dataclass(frozen=True, slots=True)
class Worker:
    """Whom a row of per-worker figures is about: what the page and the downloads show of them
    (two columns, where a User entity cost an ORM load of every column of ~30 users)."""
    id: int
    name: str


@dataclass
class WorkerOutcomes:
    worker: Worker
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


def _covers(held_from: date, until: date | None, day: date) -> bool:
    """The assignment period includes the day (models.assignments.covers)."""
    return held_from <= day and (until is None or until > day)


def _count_held(histories, firsts, start: date, end: date, figures: dict[int, dict]) -> None:
    """The caseload, working, job-start, first-job and retention figures per worker from the
    teams' assignments with their trajectories and placements (the histories' by_id), as the
    module's docstring defines them: clients distinct per worker; a job start, a first job and
    a job for retention once per assignment of the teams that covers its day."""
    cutoff = end - timedelta(days=RETENTION_DAYS)
    for trajectory_id, _team_id, entry, first in firsts:
        for _id, worker_id, held_from, until in histories[trajectory_id].assignments:
            if worker_id is not None and _covers(held_from, until, first):
                figures[worker_id].setdefault("days_to_first_employer_contact", []).append(
                    (first - entry).days)
    caseload, out_caseload = defaultdict(set), defaultdict(set)
    working, out_working = defaultdict(set), defaultdict(set)
    for history in histories.values():
        if not history.assignments:
            continue
        client_id, entry, ended = history.client_id, history.program_entry_date, history.ended_on
        out_of_work = history.in_work_at_referral is False
        jobs = [(p.start_date, p.end_date) for p in history.placements
                if p.placement_type in PAID_TYPES]
        open_in_period = entry <= end and (ended is None or ended >= start)
        if not open_in_period and not jobs:
            continue  # held by nobody in the period, and no job to count
        first_job = min(job_start for job_start, _job_end in jobs) if jobs else None
        if first_job is not None and not (entry <= end and start <= first_job <= end):
            first_job = None
        for _id, worker_id, held_from, until in history.assignments:
            if worker_id is None:
                continue
            held = (open_in_period and held_from <= end
                    and (until is None or (until > start and until > held_from))
                    and (ended is None or held_from <= ended))
            if held:
                caseload[worker_id].add(client_id)
                if out_of_work:
                    out_caseload[worker_id].add(client_id)
            for job_start, job_end in jobs:
                in_period = job_start <= end and (job_end is None or job_end >= start)
                # Pairwise overlap of three date ranges (period, assignment, job) is their
                # common overlap.
                if (held and in_period and (until is None or job_start < until)
                        and (job_end is None or job_end >= held_from)):
                    working[worker_id].add(client_id)
                    if out_of_work:
                        out_working[worker_id].add(client_id)
                if not _covers(held_from, until, job_start):
                    continue
                if start <= job_start <= end:
                    values = figures[worker_id]
                    values["job_starts"] = values.get("job_starts", 0) + 1
                if in_period and job_start <= cutoff:
                    figures[worker_id].setdefault("_jobs", []).append((job_start, job_end))
            if first_job is not None and _covers(held_from, until, first_job):
                figures[worker_id].setdefault("days_to_first_job", []).append(
                    (first_job - entry).days)
    for worker_id, clients in caseload.items():
        figures[worker_id].update(caseload=len(clients),
                                  out_of_work_caseload=len(out_caseload[worker_id]))
    for worker_id, clients in working.items():
        figures[worker_id].update(working=len(clients),
                                  out_of_work_working=len(out_working[worker_id]))
    for values in figures.values():
        if "_jobs" in values:
            values["retention_eligible"], values["retained"] = retention_counts(
                values.pop("_jobs"), end)


def worker_outcomes(session, team_ids, start: date, end: date, firsts=None,
                    histories: Histories | None = None) -> list[WorkerOutcomes]:
    """Per worker who held a trajectory of the teams in the period, ordered by name. `histories`
    (history.read_histories) and `firsts` (queries.first_employer_contacts) of the same teams
    and period (the histories of days that include it): pass them when read already."""
    if histories is None:
        histories = read_histories(session, team_ids, start, end)
    if firsts is None:
        firsts = first_employer_contacts(session, team_ids, start, end, histories)
    figures: dict[int, dict] = defaultdict(dict)
    _count_held(histories.by_id, firsts, start, end, figures)
    names = histories.worker_names
    result = []
    for wid, values in figures.items():
        outcome = WorkerOutcomes(worker=Worker(wid, names[wid]), **values)
        outcome.days_to_first_employer_contact.sort()
        outcome.days_to_first_job.sort()
        result.append(outcome)
    return sorted(result, key=lambda o: (o.worker.name.lower(), o.worker.id))
