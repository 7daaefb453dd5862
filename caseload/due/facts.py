"""The facts the due list is computed from, loaded in a fixed number of queries (six),
whatever the number of clients: open trajectories with their phase, their placements around
the day, and per client the date of the latest contact of each kind, disclosure discussion and
benefits plan, and the profile's last update.

A window "so far" holds a contact when the latest contact on or before the day falls in it, so
the latest date per client and kind answers every window that ends today or later; contacts
older than the longest window (contact_lookback_days) decide nothing that is still due."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from caseload import clock
from caseload.clock import to_date
from caseload.due.items import TASK_DAYS, TASK_LOOKBACK_DAYS
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    PhaseChange,
    Placement,
    Trajectory,
    VocationalProfile,
)
from caseload.norms.sql import as_date
from caseload.scope import clients_of

# Placements recorded up to 14 days ahead (Placement.start) matter before they start.
PLACEMENT_AHEAD_DAYS = 14


@dataclass(frozen=True)
class OpenTrajectory:
    id: int
    client_id: int
    client_code: str
    worker_id: int
    entry: date
    phase: str
    phase_since: date
    employer_contacted: bool  # any employer contact (any mode) since program entry


@dataclass(frozen=True)
class PlacementFact:
    trajectory_id: int
    start: date
    end: date | None
    paid: bool


@dataclass
class DueFacts:
    as_of: date
    trajectories: list[OpenTrajectory] = field(default_factory=list)
    placements: dict[int, list[PlacementFact]] = field(default_factory=dict)
    # (client id, contact kind) -> (latest date in any mode, latest face-to-face date)
    last_contact: dict[tuple[int, str], tuple[date | None, date | None]] = field(
        default_factory=dict)
    last_disclosure: dict[int, date] = field(default_factory=dict)
    last_plan: dict[int, date] = field(default_factory=dict)
    profile_updated: dict[int, date] = field(default_factory=dict)

    def contact_since(self, client_id: int, kind: str, since: date, *,
                      face_to_face: bool) -> bool:
        any_mode, f2f = self.last_contact.get((client_id, kind), (None, None))
        latest = f2f if face_to_face else any_mode
        return latest is not None and latest >= since


def contact_lookback_days(settings) -> int:
    """How far back a contact can still decide a window that is due today or later: the longest
    window of the norms (a contact before it decides nothing that is still "due")."""
    return max(settings.follow_along_month_days, settings.rapid_job_search_days,
               settings.treatment_team_days, settings.job_loss_days,
               settings.follow_along_start_days, 7) + 1


def load(session, as_of: date, settings, *, worker_ids=None, team_ids=None) -> DueFacts:
    """The facts for the open trajectories of the given workers (all when None), limited to the
    clients of the given teams (scope.clients_of; all not-erased clients when None)."""
    facts = DueFacts(as_of)
    conditions = [Trajectory.ended_on.is_(None), Trajectory.program_entry_date <= as_of,
                  Trajectory.worker_id.is_not(None), Client.erased_at.is_(None)]
    if worker_ids is not None:
        conditions.append(Trajectory.worker_id.in_(list(worker_ids)))
    if team_ids is not None:
        conditions.append(clients_of(team_ids))
    scoped = (select(Trajectory.id, Trajectory.client_id)
              .join(Client, Client.id == Trajectory.client_id).where(*conditions))
    trajectory_ids = scoped.with_only_columns(Trajectory.id)
    client_ids = scoped.with_only_columns(Trajectory.client_id)

    # The phase as of the day and since when: one backward seek each per trajectory in
    # (trajectory_id, changed_on, id, phase) (migration 0028). A window over the phase changes,
    # joined back, was scanned once per trajectory on SQLite (1.3 s at institution size).
    latest = (select(PhaseChange.phase, PhaseChange.changed_on)
              .where(PhaseChange.trajectory_id == Trajectory.id,
                     PhaseChange.changed_on <= as_of)
              .order_by(PhaseChange.changed_on.desc(), PhaseChange.id.desc()).limit(1))
    phase = latest.with_only_columns(PhaseChange.phase).scalar_subquery()
    since = latest.with_only_columns(PhaseChange.changed_on).scalar_subquery()
    # Disclosure before the first employer contact asks about the whole trajectory: a
    # correlated lookup on (client, kind, date), not part of the bounded contact query below.
    employer_contacted = select(Contact.id).where(
        Contact.client_id == Trajectory.client_id, Contact.kind == "employer",
        Contact.contact_date >= Trajectory.program_entry_date,
        Contact.contact_date <= as_date(as_of)).exists()
    for tid, cid, code, wid, entry, phase_now, changed, contacted in session.execute(
            select(Trajectory.id, Client.id, Client.client_code, Trajectory.worker_id,
                   Trajectory.program_entry_date, phase, since, employer_contacted)
            .join(Client, Client.id == Trajectory.client_id)
            .where(*conditions).order_by(Client.client_code)):
        facts.trajectories.append(OpenTrajectory(tid, cid, code, wid, entry, phase_now or "intake",
                                                 to_date(changed) or entry, bool(contacted)))

    lookback = as_of - timedelta(days=TASK_LOOKBACK_DAYS + TASK_DAYS)
    placements: dict[int, list[PlacementFact]] = defaultdict(list)
    for tid, start, end, kind in session.execute(
            select(Placement.trajectory_id, Placement.start_date, Placement.end_date,
                   Placement.placement_type)
            .where(Placement.trajectory_id.in_(trajectory_ids),
                   Placement.start_date <= as_of + timedelta(days=PLACEMENT_AHEAD_DAYS),
                   or_(Placement.end_date.is_(None), Placement.end_date >= lookback))
            .order_by(Placement.start_date, Placement.id)):
        placements[tid].append(PlacementFact(tid, start, end,
                                             kind in ("paid_job", "paid_job_subsidised")))
    facts.placements = dict(placements)

    f2f = case((Contact.mode == "face_to_face", Contact.contact_date))
    for cid, kind, latest, latest_f2f in session.execute(
            select(Contact.client_id, Contact.kind, func.max(Contact.contact_date), func.max(f2f))
            .where(Contact.client_id.in_(client_ids), Contact.contact_date <= as_date(as_of),
                   Contact.contact_date >= as_date(
                       as_of - timedelta(days=contact_lookback_days(settings))),
                   Contact.kind.in_(("client", "employer", "treatment_team")))
            .group_by(Contact.client_id, Contact.kind)):
        facts.last_contact[(cid, kind)] = (to_date(latest), to_date(latest_f2f))

    facts.last_disclosure = {cid: to_date(day) for cid, day in session.execute(
        select(DisclosureDiscussion.client_id, func.max(DisclosureDiscussion.discussed_on))
        .where(DisclosureDiscussion.client_id.in_(client_ids),
               DisclosureDiscussion.discussed_on <= as_date(as_of))
        .group_by(DisclosureDiscussion.client_id))}
    facts.last_plan = {cid: to_date(day) for cid, day in session.execute(
        select(BenefitsPlan.client_id, func.max(BenefitsPlan.offered_on))
        .where(BenefitsPlan.client_id.in_(client_ids),
               BenefitsPlan.offered_on <= as_date(as_of))
        .group_by(BenefitsPlan.client_id))}
    facts.profile_updated = {cid: clock.local_date(at) for cid, at in session.execute(
        select(VocationalProfile.client_id, VocationalProfile.updated_at)
        .where(VocationalProfile.client_id.in_(client_ids))) if at is not None}
    return facts
