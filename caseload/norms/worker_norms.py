"""Norms about a worker: employer contacts per week (item 17) and caseload size (item 1)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, and_, bindparam, func, select

from caseload import clock
from caseload.models import Absence, Contact, Trajectory, TrajectoryAssignment, User
from caseload.models.assignments import covers
from caseload.models.vocab import JOB_DEVELOPMENT_KINDS
from caseload.norms.breach import Breach
from caseload.norms.registry import Norm, Setting, register
from caseload.norms.settings import NormSettings
from caseload.norms.sql import AS_OF, built_once, days_from, execute, latest_phase, open_on, written
from caseload.translating import gettext as _  # Flask-Babel's, through the request's catalogue
from caseload.translating import lazy_gettext as _l

WORKING_DAYS = 5


def last_complete_week(as_of: date) -> tuple[date, date]:
    """Monday and Sunday of the last complete ISO week before as_of."""
    monday = as_of - timedelta(days=as_of.weekday() + 7)
    return monday, monday + timedelta(days=6)


def weekly_employer_contact_norm(*, fte: Decimal, job_seekers: int, absent_days: int,
                                 settings: NormSettings) -> int | None:
    """The number of face-to-face employer contacts a worker owes for one week, or None when a
    week of absence leaves no norm. 6 × FTE (rounded up); 2 × job seekers where fewer than 3
    seek work; pro rata for absent working days, rounded up."""
    present = WORKING_DAYS - min(absent_days, WORKING_DAYS)
    if present == 0:
        return None
    if job_seekers < settings.job_seeker_threshold:
        base = Decimal(settings.contacts_per_job_seeker * job_seekers)
    else:
        base = Decimal(settings.employer_contacts_per_week) * Decimal(fte)
    return math.ceil(base * present / WORKING_DAYS)


@dataclass(frozen=True)
class WeekFigures:
    contacts: int
    norm: int | None
    job_seekers: int
    absent_days: int


def weekly_employer_contact_figures(session, monday: date, sunday: date, settings: NormSettings,
                                    worker_ids: list[int] | None = None,
                                    ) -> dict[int, WeekFigures]:
    """Per active worker (or per named worker): face-to-face contacts with employers and
    education institutions (item 17) from monday to sunday (inclusive) and the norm for that
    week. Four queries, whatever the number of workers and contacts."""
    named = worker_ids is not None
    week = {"monday": monday, "sunday": sunday}
    if named:
        week["worker_ids"] = list(worker_ids)
    connection = session.connection()
    workers, contacts_of, seekers_of, absences_of = _week_statements(named)
    return week_figures(
        connection.execute(workers, week).all(), dict(connection.execute(contacts_of, week).all()),
        dict(connection.execute(seekers_of, week).all()),
        absent_working_days(connection.execute(absences_of, week).all()), settings)


def week_figures(workers, contacts: dict[int, int], seekers: dict[int, int],
                 absent_days: dict[int, int], settings: NormSettings) -> dict[int, WeekFigures]:
    """The week's figures of each (worker id, FTE) from the counts of the week's statements."""
    figures = {}
    for worker_id, fte in workers:
        absent = absent_days.get(worker_id, 0)
        job_seekers = seekers.get(worker_id, 0)
        figures[worker_id] = WeekFigures(
            contacts=contacts.get(worker_id, 0), job_seekers=job_seekers, absent_days=absent,
            norm=weekly_employer_contact_norm(fte=fte, job_seekers=job_seekers,
                                              absent_days=absent, settings=settings))
    return figures


def absent_working_days(absences) -> dict[int, int]:
    """Per user, the working days (Monday to Friday) of the week that their absences cover,
    from the absences statement's rows: (user id, first day, last day), as days from Monday.
    Overlapping absences count each day once."""
    days: dict[int, set[int]] = {}
    for user_id, first, last in absences:
        days.setdefault(user_id, set()).update(range(max(first, 0), min(last, WORKING_DAYS - 1) + 1))
    return {user_id: len(covered) for user_id, covered in days.items()}


def named_week_statements():
    """The statements of the named workers' week (their contacts, job seekers and absences,
    with the bind parameters monday, sunday and worker_ids), for a statement that reads them
    with other figures (the weekly checklist's); their rows go to week_figures as above."""
    return _week_statements(True)[1:]


@built_once
def _week_statements(named: bool):
    """The four statements of a week's figures, built once (norms.sql.built_once; the week's
    dates and the named workers are bind parameters): building and caching them anew on every
    call cost more than a fifth of the weekly norm at institution size (bench/README.md)."""
    monday, sunday = bindparam("monday", type_=Date), bindparam("sunday", type_=Date)
    active_workers = select(User.id).where(User.role == "worker", User.active.is_(True),
                                           User.fte > 0)
    if named:  # named workers, active or not (a past week's checklist)
        active_workers = select(User.id).where(
            User.id.in_(bindparam("worker_ids", expanding=True)), User.fte > 0)
    workers = select(User.id, User.fte).where(User.id.in_(active_workers))
    # The week's face-to-face job-development contacts of everyone, read from the partial
    # index on them (models/contacts.py; kinds and mode written as constants, norms.sql.written)
    # and picked per worker in Python. Naming all workers in SQL made SQLite seek one week per
    # worker in (worker_id, date) instead, 3x slower (bench/README.md). Named workers (a
    # team's, one) are those seeks in the covering ix_contact_employer_f2f_worker: a team's
    # week reads its own ~200 contacts, not the organisation's ~700 (0.33 -> 0.07 ms on
    # SQLite, 0.18 -> 0.08 ms on PostgreSQL, bench/README.md, helper S).
    contacts = (select(Contact.worker_id, func.count(Contact.id))
                .where(Contact.kind.in_([written(kind) for kind in JOB_DEVELOPMENT_KINDS]),
                       Contact.mode == written("face_to_face"),
                       Contact.contact_date.between(monday, sunday))
                .group_by(Contact.worker_id))
    if named:
        contacts = contacts.where(Contact.worker_id.in_(bindparam("worker_ids", expanding=True)))
    # Job seekers of the worker responsible on the week's Sunday: a client handed over later
    # still counts for the worker who held them that week.
    # Named workers (a team's checklist): only their trajectories get the per-trajectory phase
    # seek, read through the assignments' worker index; the organisation's are not ranked.
    # Their phase is sought by the assignment's trajectory id, so both databases test it from
    # the index entry and read the trajectory row (open on Sunday) only of those in job
    # finding: a sixth less on SQLite for a team's ~950 periods. The organisation's scan the
    # open trajectories first; the phase of each of their periods cost PostgreSQL twice the
    # buffers (bench/README.md, helper c).
    held = (TrajectoryAssignment.worker_id.in_(bindparam("worker_ids", expanding=True))
            if named else TrajectoryAssignment.worker_id.is_not(None))
    phase = latest_phase(sunday, TrajectoryAssignment.trajectory_id if named else Trajectory.id)
    seekers = (select(TrajectoryAssignment.worker_id, func.count(Trajectory.id))
               .join(TrajectoryAssignment, and_(
                   TrajectoryAssignment.trajectory_id == Trajectory.id, covers(sunday)))
               .where(open_on(sunday), phase == "job_finding", held)
               .group_by(TrajectoryAssignment.worker_id))
    # The absences in the week, their first and last day as days from the Monday (the working
    # days they cover are picked in Python: absent_working_days). Named workers: theirs only.
    absences = (select(Absence.user_id, days_from(monday, Absence.from_date),
                       days_from(monday, Absence.to_date))
                .where(Absence.from_date <= sunday, Absence.to_date >= monday))
    if named:
        absences = absences.where(Absence.user_id.in_(bindparam("worker_ids", expanding=True)))
    return workers, contacts, seekers, absences


def employer_contacts_weekly(session, as_of: date, settings: NormSettings,
                             week: tuple[date, date] | None = None) -> list[Breach]:
    monday, sunday = week or last_complete_week(as_of)
    breaches = []
    for worker_id, week_figures in weekly_employer_contact_figures(
            session, monday, sunday, settings).items():
        if week_figures.norm is not None and week_figures.contacts < week_figures.norm:
            breaches.append(Breach(
                norm="employer_contacts_weekly", subject_key=f"w{worker_id}", anchor=monday,
                worker_id=worker_id,
                facts={"contacts": week_figures.contacts, "norm": week_figures.norm,
                       "week": clock.week_label(monday),
                       "job_seekers": week_figures.job_seekers,
                       "absent_days": week_figures.absent_days}))
    return breaches


def caseload_size(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Item 1: open trajectories above clients_per_fte × FTE. A state, not an event: the signal
    is anchored on the day it is first seen and stays open while the caseload is too large."""
    rows = execute(session, _caseload_statement(), as_of)
    return [Breach(norm="caseload_size", subject_key=f"w{wid}", anchor=as_of, worker_id=wid,
                   facts={"clients": n, "capacity": capacity, "fte": str(fte)})
            for wid, fte, n in rows if n > (capacity := capacity_of(fte, settings))]


@built_once
def _caseload_statement():
    return (select(User.id, User.fte, func.count(Trajectory.id))
            .join(TrajectoryAssignment, and_(TrajectoryAssignment.worker_id == User.id,
                                             covers(AS_OF)))
            .join(Trajectory, and_(Trajectory.id == TrajectoryAssignment.trajectory_id,
                                   open_on(AS_OF)))
            .where(User.active.is_(True))
            .group_by(User.id, User.fte))


def capacity_of(fte, settings: NormSettings) -> int:
    """The most clients a worker may carry: clients_per_fte × FTE, rounded down. Compared in
    Decimal, not in SQL: SQLite multiplies the FTE as a float, and 25 × 1.16 =
    28.999999999999996 would make 29 clients a breach."""
    return math.floor(settings.clients_per_fte * Decimal(fte or 0))


# --- registration: what these norms are and say (caseload/norms/registry.py) ---

register(Norm(
    name="employer_contacts_weekly", query=employer_contacts_weekly, scope="worker",
    source="item 17", weekly=True,
    settings=(
        Setting("employer_contacts_per_week", 6, _l("Face-to-face employer contacts per week "
                                                   "per FTE"), 0, 50, _l("contacts")),
        Setting("contacts_per_job_seeker", 2, _l("Contacts per week per job seeker, for few job "
                                                "seekers"), 0, 20, _l("contacts")),
        Setting("job_seeker_threshold", 3, _l("Below this many job seekers, the per-seeker norm "
                                             "applies"), 0, 50, _l("clients"))),
    title=lambda s: _("Too few employer contacts last week"),
    details=lambda f, s: _("%(done)d of %(norm)d face-to-face employer contacts in week "
                           "%(week)s", done=f.get("contacts", 0), norm=f.get("norm", 0),
                           week=f.get("week", "")),
    remedy=lambda s: _("Cleared when the week's face-to-face contacts with employers and schools "
                       "reach the norm (%(n)d per FTE; log any that are missing), or by "
                       "recording an absence.", n=s.employer_contacts_per_week)))

register(Norm(
    name="caseload_size", query=caseload_size, scope="worker", source="item 1", state=True,
    settings=(Setting("clients_per_fte", 25, _l("Clients per FTE"), 1, 100, _l("clients")),),
    title=lambda s: _("Caseload above capacity"),
    details=lambda f, s: _("%(clients)d clients for a capacity of %(capacity)d",
                           clients=f.get("clients", 0), capacity=f.get("capacity", 0)),
    remedy=lambda s: _("Cleared when the caseload is within %(n)d clients per FTE.",
                       n=s.clients_per_fte)))
