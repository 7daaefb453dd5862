"""What the computed fidelity items read, loaded for one team and period in a fixed number of
queries (whatever the number of workers, clients or contacts); the items then compute in Python
from these rows (caseload/fidelity/items*.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from caseload import clock
from caseload.clock import to_date
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    PhaseChange,
    Placement,
    Trajectory,
    User,
    VocationalProfile,
    WeekReview,
)
from caseload.models.people import team_members
from caseload.models.vocab import JOB_DEVELOPMENT_KINDS
from caseload.outcomes.period import complete_weeks
from caseload.outcomes.queries import on_caseload
from caseload.outcomes.series import absent_working_days, job_seekers_by_week

# Item 23 looks at the first year of each placement: placements that started up to a year
# before the period's end, and were held during the period.
FOLLOW_ALONG_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class Worker:
    id: int
    name: str
    fte: Decimal


@dataclass(frozen=True)
class Traj:
    id: int
    client_id: int
    worker_id: int
    entry: date
    ended: date | None

    def last_day(self, end: date) -> date:
        """The last day of the trajectory within the period."""
        return min(self.ended, end) if self.ended else end


@dataclass(frozen=True)
class Plc:
    id: int
    trajectory_id: int
    client_id: int
    placement_type: str
    start: date
    end: date | None
    employer_id: int
    job_type: str
    job_title: str
    hourly_wage: Decimal | None
    competitive: bool


@dataclass(frozen=True)
class Profile:
    complete: bool
    updated_on: date | None


@dataclass
class FidelityData:
    team_id: int
    start: date
    end: date
    workers: list[Worker] = field(default_factory=list)
    trajectories: list[Traj] = field(default_factory=list)
    phases: dict[int, list[tuple[date, str]]] = field(default_factory=dict)
    placements: list[Plc] = field(default_factory=list)
    first_f2f_employer: dict[int, date] = field(default_factory=dict)
    first_employer: dict[int, date] = field(default_factory=dict)
    disclosures: dict[int, list[date]] = field(default_factory=dict)
    plans: dict[int, list[tuple[date, bool]]] = field(default_factory=dict)
    profiles: dict[int, Profile] = field(default_factory=dict)
    client_contacts: dict[int, list[tuple[date, bool]]] = field(default_factory=dict)
    minutes: dict[int, dict[str, int]] = field(default_factory=dict)
    employer_contacts: dict[tuple[int, date], int] = field(default_factory=dict)
    weeks: list[date] = field(default_factory=list)
    absent_days: dict[tuple[int, date], int] = field(default_factory=dict)
    job_seekers: dict[tuple[int, date], int] = field(default_factory=dict)
    reviewed_weeks: set[date] = field(default_factory=set)
    # Item 4: each trajectory's referral source (the client's referrer, normalised).
    referral_sources: dict[int, str] = field(default_factory=dict)
    # Item 6: client-related contacts with the benefits agency / UWV / municipality (day, f2f).
    agency_contacts: list[tuple[date, bool]] = field(default_factory=list)
    # Item 18: per worker, their employer contacts of the period as (employer id, face-to-face).
    employer_visits: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)
    # Item 25: outreach attempts per client, and treatment-team and family contacts per
    # (client, kind), in the period (caseload/fidelity/items_outreach.py).
    attempts: dict[int, list[date]] = field(default_factory=dict)
    support_contacts: dict[tuple[int, str], list[date]] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def trajectory(self, trajectory_id: int) -> Traj:
        return self._by_id[trajectory_id]

    def __post_init__(self):
        self._by_id = {}

    def index(self) -> FidelityData:
        self._by_id = {t.id: t for t in self.trajectories}
        return self


def load(session, team_id: int, start: date, end: date) -> FidelityData:
    """Everything the computed items need for a team and the period start..end (end being the
    last day with data: the views pass min(period end, today))."""
    data = FidelityData(team_id, start, end)
    data.workers = [Worker(i, name, Decimal(fte)) for i, name, fte in session.execute(
        select(User.id, User.name, User.fte)
        .join(team_members, team_members.c.user_id == User.id)
        .where(team_members.c.team_id == team_id, User.role == "worker",
               User.active.is_(True)).order_by(User.name, User.id))]
    worker_ids = [w.id for w in data.workers]

    caseload = (select(Trajectory.id).join(Client, Client.id == Trajectory.client_id)
                .where(Client.team_id == team_id, on_caseload(start, end)))
    clients = (select(Trajectory.client_id).join(Client, Client.id == Trajectory.client_id)
               .where(Client.team_id == team_id, on_caseload(start, end)))
    data.trajectories = [Traj(*row) for row in session.execute(
        select(Trajectory.id, Trajectory.client_id, Trajectory.worker_id,
               Trajectory.program_entry_date, Trajectory.ended_on)
        .where(Trajectory.id.in_(caseload)).order_by(Trajectory.id))]
    data.index()

    phases: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for trajectory_id, changed_on, phase in session.execute(
            select(PhaseChange.trajectory_id, PhaseChange.changed_on, PhaseChange.phase)
            .where(PhaseChange.trajectory_id.in_(caseload), PhaseChange.changed_on <= end)
            .order_by(PhaseChange.trajectory_id, PhaseChange.changed_on, PhaseChange.id)):
        phases[trajectory_id].append((changed_on, phase))
    data.phases = dict(phases)

    data.placements = [Plc(*row) for row in session.execute(
        select(Placement.id, Placement.trajectory_id, Trajectory.client_id,
               Placement.placement_type, Placement.start_date, Placement.end_date,
               Placement.employer_id, Placement.job_type, Placement.job_title,
               Placement.hourly_wage, Placement.competitive)
        .join(Trajectory, Trajectory.id == Placement.trajectory_id)
        .where(Placement.trajectory_id.in_(caseload), Placement.start_date <= end)
        .order_by(Placement.start_date, Placement.id))]

    f2f = case((Contact.mode == "face_to_face", Contact.contact_date))
    for trajectory_id, first_f2f, first_any in session.execute(
            select(Trajectory.id, func.min(f2f), func.min(Contact.contact_date))
            .join(Contact, Contact.client_id == Trajectory.client_id)
            .where(Trajectory.id.in_(caseload), Contact.kind == "employer",
                   Contact.contact_date >= Trajectory.program_entry_date,
                   Contact.contact_date <= end,
                   (Trajectory.ended_on.is_(None)) | (Contact.contact_date <= Trajectory.ended_on))
            .group_by(Trajectory.id)):
        if first_f2f is not None:
            data.first_f2f_employer[trajectory_id] = to_date(first_f2f)
        data.first_employer[trajectory_id] = to_date(first_any)

    disclosures: dict[int, list[date]] = defaultdict(list)
    for client_id, day in session.execute(
            select(DisclosureDiscussion.client_id, DisclosureDiscussion.discussed_on)
            .where(DisclosureDiscussion.client_id.in_(clients),
                   DisclosureDiscussion.discussed_on <= end)
            .order_by(DisclosureDiscussion.discussed_on)):
        disclosures[client_id].append(day)
    data.disclosures = dict(disclosures)

    data.referral_sources = {
        trajectory_id: " ".join((source or "").split()).casefold()
        for trajectory_id, source in session.execute(
            select(Trajectory.id, Client.referral_source)
            .join(Client, Client.id == Trajectory.client_id)
            .where(Trajectory.id.in_(caseload)))}
    data.agency_contacts = [
        (to_date(day), mode == "face_to_face") for day, mode in session.execute(
            select(Contact.contact_date, Contact.mode)
            .where(Contact.client_id.in_(clients), Contact.kind == "benefits_agency",
                   Contact.contact_date.between(start, end))
            .order_by(Contact.contact_date))]

    plans: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for client_id, day, specialist in session.execute(
            select(BenefitsPlan.client_id, BenefitsPlan.offered_on,
                   BenefitsPlan.by_benefits_specialist)
            .where(BenefitsPlan.client_id.in_(clients), BenefitsPlan.offered_on <= end)
            .order_by(BenefitsPlan.offered_on)):
        plans[client_id].append((day, bool(specialist)))
    data.plans = dict(plans)

    filled = [case((func.length(func.trim(column)) > 0, 1), else_=0) for column in (
        VocationalProfile.preferences, VocationalProfile.experience, VocationalProfile.skills,
        VocationalProfile.strengths)]
    for client_id, *flags, updated_at in session.execute(
            select(VocationalProfile.client_id, *filled, VocationalProfile.updated_at)
            .where(VocationalProfile.client_id.in_(clients))):
        data.profiles[client_id] = Profile(
            all(flags), clock.local_date(updated_at) if updated_at else None)

    since = min(start, end - timedelta(days=FOLLOW_ALONG_LOOKBACK_DAYS)) - timedelta(days=7)
    contacts: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for client_id, day, mode in session.execute(
            select(Contact.client_id, Contact.contact_date, Contact.mode)
            .where(Contact.client_id.in_(clients), Contact.kind == "client",
                   Contact.contact_date.between(since, end))
            .order_by(Contact.contact_date)):
        contacts[client_id].append((day, mode == "face_to_face"))
    data.client_contacts = dict(contacts)

    if worker_ids:
        visits: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for worker_id, employer_id, mode in session.execute(
                select(Contact.worker_id, Contact.employer_id, Contact.mode)
                .where(Contact.worker_id.in_(worker_ids), Contact.kind == "employer",
                       Contact.contact_date.between(start, end))):
            visits[worker_id].append((employer_id, mode == "face_to_face"))
        data.employer_visits = dict(visits)
        minutes: dict[int, dict[str, int]] = defaultdict(dict)
        for worker_id, place, total in session.execute(
                select(Contact.worker_id, Contact.place, func.sum(Contact.minutes))
                .where(Contact.worker_id.in_(worker_ids), Contact.contact_date.between(start, end))
                .group_by(Contact.worker_id, Contact.place)):
            minutes[worker_id][place] = int(total or 0)
        data.minutes = dict(minutes)

    load_outreach(session, data, clients, start, end)

    data.weeks = complete_weeks(start, end)
    if worker_ids and data.weeks:
        first_day, last_day = data.weeks[0], data.weeks[-1] + timedelta(days=6)
        for worker_id, day, n in session.execute(
                select(Contact.worker_id, Contact.contact_date, func.count(Contact.id))
                .where(Contact.worker_id.in_(worker_ids),
                       Contact.kind.in_(JOB_DEVELOPMENT_KINDS), Contact.mode == "face_to_face",
                       Contact.contact_date.between(first_day, last_day))
                .group_by(Contact.worker_id, Contact.contact_date)):
            day = to_date(day)
            monday = day - timedelta(days=day.weekday())
            data.employer_contacts[(worker_id, monday)] = (
                data.employer_contacts.get((worker_id, monday), 0) + n)
        data.absent_days = absent_working_days(session, worker_ids, data.weeks)
        data.job_seekers = job_seekers_by_week(session, worker_ids, data.weeks)
        # "Deze checklist wordt wekelijks beoordeeld": a week counts as reviewed when its
        # review was made in that week or the next one, not months later.
        data.reviewed_weeks = {
            to_date(day) for day, at in session.execute(
                select(WeekReview.week_start, WeekReview.reviewed_at)
                .where(WeekReview.team_id == team_id,
                       WeekReview.week_start.between(first_day, last_day)))
            if to_date(day) <= clock.local_date(at) <= to_date(day) + timedelta(days=13)}
    return data


def load_outreach(session, data: FidelityData, clients, start: date, end: date) -> None:
    """Item 25: the period's outreach attempts, and its treatment-team and family contacts."""
    from caseload.models import OutreachAttempt
    attempts: dict[int, list[date]] = defaultdict(list)
    for client_id, day in session.execute(
            select(OutreachAttempt.client_id, OutreachAttempt.attempted_on)
            .where(OutreachAttempt.client_id.in_(clients),
                   OutreachAttempt.attempted_on.between(start, end))
            .order_by(OutreachAttempt.attempted_on)):
        attempts[client_id].append(to_date(day))
    data.attempts = dict(attempts)
    support: dict[tuple[int, str], list[date]] = defaultdict(list)
    for client_id, kind, day in session.execute(
            select(Contact.client_id, Contact.kind, Contact.contact_date)
            .where(Contact.client_id.in_(clients),
                   Contact.kind.in_(("treatment_team", "family")),
                   Contact.contact_date.between(start - timedelta(days=14), end))
            .order_by(Contact.contact_date)):
        support[(client_id, kind)].append(to_date(day))
    data.support_contacts = dict(support)
