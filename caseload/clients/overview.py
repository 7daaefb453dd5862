"""The caseload overview: one set-based query, whatever the number of clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, literal, or_, select

from caseload.extensions import db
from caseload.models import (
    Absence,
    Client,
    Contact,
    Employer,
    PhaseChange,
    Placement,
    Trajectory,
    User,
)
from caseload.scope import clients_of


@dataclass(frozen=True)
class CaseloadRow:
    client_id: int
    client_code: str
    client_name: str
    worker_id: int | None
    worker_name: str
    trajectory_id: int
    trajectory_type: str
    program_entry_date: date
    phase: str
    days_since_entry: int
    last_face_to_face_client_contact: date | None
    first_employer_contact: date | None
    last_employer_contact: date | None
    placement_title: str | None
    placement_employer: str | None


SORT_KEYS = {
    "client": lambda r: r.client_code,
    "phase": lambda r: list_index(r.phase),
    "days": lambda r: r.days_since_entry,
    "last_client_contact": lambda r: r.last_face_to_face_client_contact or date.min,
    "first_employer_contact": lambda r: r.first_employer_contact or date.min,
    "last_employer_contact": lambda r: r.last_employer_contact or date.min,
    "worker": lambda r: r.worker_name,
}


def list_index(phase: str) -> int:
    from caseload.models.vocab import PHASES
    return list(PHASES).index(phase)


def caseload_rows(*, as_of: date, team_ids: list[int], worker_ids: list[int] | None = None,
                  unassigned: bool = False, trajectory_ids: list[int] | None = None,
                  ) -> list[CaseloadRow]:
    """Open trajectories of the teams' clients (of the given workers; or those on the teams'
    "to be assigned" list) with what a worker checks each morning.

    Contacts count from program entry on, so a returning client's old contacts do not hide a new
    trajectory's missing employer contact.
    """
    scope = (select(Trajectory.id, Trajectory.client_id, Trajectory.program_entry_date)
             .join(Client, Client.id == Trajectory.client_id)
             .where(Trajectory.ended_on.is_(None), clients_of(team_ids)))
    if worker_ids is not None:
        scope = scope.where(Trajectory.worker_id.in_(worker_ids))
    if unassigned:
        scope = scope.where(Trajectory.worker_id.is_(None))
    if trajectory_ids is not None:
        scope = scope.where(Trajectory.id.in_(trajectory_ids))
    scope = scope.cte("scope")

    in_trajectory = and_(Contact.client_id == scope.c.client_id,
                         Contact.contact_date >= scope.c.program_entry_date)
    client_contact = (
        select(scope.c.id.label("trajectory_id"),
               func.max(Contact.contact_date).label("last_f2f"))
        .join(Contact, in_trajectory)
        .where(Contact.kind == "client", Contact.mode == "face_to_face")
        .group_by(scope.c.id).subquery()
    )
    employer_contact = (
        select(scope.c.id.label("trajectory_id"),
               func.min(Contact.contact_date).label("first"),
               func.max(Contact.contact_date).label("last"))
        .join(Contact, in_trajectory)
        .where(Contact.kind == "employer")
        .group_by(scope.c.id).subquery()
    )
    latest_phase = (
        select(PhaseChange.trajectory_id, PhaseChange.phase,
               func.row_number().over(
                   partition_by=PhaseChange.trajectory_id,
                   order_by=(PhaseChange.changed_on.desc(), PhaseChange.id.desc()),
               ).label("rank"))
        .where(PhaseChange.trajectory_id.in_(select(scope.c.id)))
        .subquery()
    )
    current_placement = (
        select(Placement.trajectory_id, Placement.job_title, Employer.name.label("employer"),
               func.row_number().over(
                   partition_by=Placement.trajectory_id,
                   order_by=(Placement.start_date.desc(), Placement.id.desc()),
               ).label("rank"))
        .join(Employer, Employer.id == Placement.employer_id)
        .where(Placement.trajectory_id.in_(select(scope.c.id)),
               Placement.start_date <= as_of,
               or_(Placement.end_date.is_(None), Placement.end_date >= as_of))
        .subquery()
    )
    query = (
        select(Trajectory, Client.client_code, Client.name, User.name,
               func.coalesce(latest_phase.c.phase, literal("intake")),
               client_contact.c.last_f2f, employer_contact.c.first, employer_contact.c.last,
               current_placement.c.job_title, current_placement.c.employer)
        .join(scope, scope.c.id == Trajectory.id)
        .join(Client, Client.id == Trajectory.client_id)
        .outerjoin(User, User.id == Trajectory.worker_id)
        .outerjoin(latest_phase, and_(latest_phase.c.trajectory_id == Trajectory.id,
                                      latest_phase.c.rank == 1))
        .outerjoin(client_contact, client_contact.c.trajectory_id == Trajectory.id)
        .outerjoin(employer_contact, employer_contact.c.trajectory_id == Trajectory.id)
        .outerjoin(current_placement, and_(current_placement.c.trajectory_id == Trajectory.id,
                                           current_placement.c.rank == 1))
        .order_by(Client.client_code)
    )
    rows = []
    for (trajectory, code, name, worker_name, phase, last_f2f, first_emp, last_emp, title,
         employer) in db.session.execute(query):
        rows.append(CaseloadRow(
            trajectory_id=trajectory.id, client_id=trajectory.client_id, client_code=code, client_name=name,
            worker_id=trajectory.worker_id, worker_name=worker_name or "",
            trajectory_type=trajectory.trajectory_type,
            program_entry_date=trajectory.program_entry_date, phase=phase,
            days_since_entry=(as_of - trajectory.program_entry_date).days,
            last_face_to_face_client_contact=last_f2f, first_employer_contact=first_emp,
            last_employer_contact=last_emp, placement_title=title, placement_employer=employer,
        ))
    return rows


def cover_rows(as_of: date, cover: User, team_ids: list[int]) -> list[tuple[CaseloadRow, Absence]]:
    """The clients of absent colleagues whom `cover` covers today, with the absence, within
    the teams the cover may see."""
    absences = list(db.session.scalars(
        select(Absence).where(Absence.cover_id == cover.id, Absence.from_date <= as_of,
                              Absence.to_date >= as_of)))
    by_worker = {a.user_id: a for a in absences}
    if not by_worker:
        return []
    rows = caseload_rows(as_of=as_of, team_ids=team_ids, worker_ids=list(by_worker))
    return [(row, by_worker[row.worker_id]) for row in rows]


def sort_rows(rows: list[CaseloadRow], key: str, descending: bool) -> list[CaseloadRow]:
    return sorted(rows, key=SORT_KEYS.get(key, SORT_KEYS["client"]), reverse=descending)
