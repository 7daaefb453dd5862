"""The queries of the worker's week: appointments, outreach attempts and the clients the
coordinator should know are not being reached. Each scoped by the caller's teams
(caseload/scope.py) and each one query, whatever the number of clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from caseload.clock import ORGANISATION_TZ
from caseload.models import Appointment, Client, Contact, OutreachAttempt, Trajectory, User
from caseload.scope import appointments_of, clients_of

# A client with attempts but no contact for this many days shows up for the coordinator.
UNREACHED_DAYS = 14


def local_moment(day: date, at: time) -> datetime:
    """A local (Europe/Amsterdam) date and time as a UTC timestamp."""
    return datetime.combine(day, at, tzinfo=ORGANISATION_TZ).astimezone(timezone.utc)


def local_time(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ORGANISATION_TZ)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds of the local days first..last (inclusive)."""
    return local_moment(first, time()), local_moment(last + timedelta(days=1), time())


def appointments(team_ids, *, first: date, last: date, worker_id: int | None = None,
                 client_id: int | None = None, statuses=None):
    from caseload.extensions import db
    start, end = day_bounds(first, last)
    query = (select(Appointment)
             .where(appointments_of(team_ids), Appointment.starts_at >= start,
                    Appointment.starts_at < end)
             .options(selectinload(Appointment.client), selectinload(Appointment.employer),
                      selectinload(Appointment.worker))
             .order_by(Appointment.starts_at, Appointment.id))
    if worker_id is not None:
        query = query.where(Appointment.worker_id == worker_id)
    if client_id is not None:
        query = query.where(Appointment.client_id == client_id)
    if statuses is not None:
        query = query.where(Appointment.status.in_(list(statuses)))
    return list(db.session.scalars(query))


@cache
def _client_agenda_statements():
    """The client page's appointments and outreach attempts, built once per process with the
    client, the teams and the window as parameters (SQLAlchemy takes ~0.3 ms to build one)."""
    teams = clients_of(bindparam("team_ids", expanding=True))
    client_id = bindparam("client_id")
    appointments = (
        select(Appointment).join(Client, Client.id == Appointment.client_id)
        .where(Appointment.client_id == client_id, teams,
               Appointment.starts_at >= bindparam("start"), Appointment.starts_at < bindparam("end"))
        .options(selectinload(Appointment.client), selectinload(Appointment.employer),
                 selectinload(Appointment.worker))
        .order_by(Appointment.starts_at, Appointment.id))
    # what the client page shows of each attempt, as plain rows with the worker's name (was
    # OutreachAttempt objects with their workers: the ORM's loading for four values)
    attempts = (
        select(OutreachAttempt.id, OutreachAttempt.attempted_on, OutreachAttempt.method,
               OutreachAttempt.note,
               select(User.name).where(User.id == OutreachAttempt.worker_id)
               .scalar_subquery().label("worker_name"))
        .join(Client, Client.id == OutreachAttempt.client_id)
        .where(OutreachAttempt.client_id == client_id, teams)
        .order_by(OutreachAttempt.attempted_on.desc(), OutreachAttempt.id.desc()))
    return appointments, attempts


def client_window(today: date) -> tuple[date, date]:
    """The days of the client page's appointments: from a month back, a year ahead."""
    return today - timedelta(days=30), today + timedelta(days=366)


def appointments_of_client(client_id: int, team_ids, *, first: date, last: date):
    """appointments(team_ids, client_id=...) for the client page: the same rows, the teams'
    condition read from the joined client (appointments_of's list of every visible client and
    every member, for one client, is that client being visible)."""
    from caseload.extensions import db
    start, end = day_bounds(first, last)
    return list(db.session.scalars(_client_agenda_statements()[0], {
        "client_id": client_id, "team_ids": list(team_ids), "start": start, "end": end}))


def client_appointments_statement():
    """appointments_of_client's statement (client_id, team_ids, start, end) as rows of what
    the client page shows of each appointment (week/_appointments.html), with the employer's
    name, for a page that sends it with its other reads (clients/page.py)."""
    from caseload.models import Employer
    return _client_agenda_statements()[0].with_only_columns(
        Appointment.id, Appointment.worker_id, Appointment.client_id, Appointment.kind,
        Appointment.mode, Appointment.location, Appointment.status, Appointment.starts_at,
        select(Employer.name).where(Employer.id == Appointment.employer_id)
        .scalar_subquery().label("employer_name"))


@dataclass(frozen=True)
class EmployerName:
    name: str


@dataclass(frozen=True)
class AppointmentLine:
    """An appointment of the client page as week/_appointments.html reads it, from a row of
    client_appointments_statement: the client is the page's, the employer its name."""
    id: int
    worker_id: int
    client_id: int
    kind: str
    mode: str
    location: str
    status: str
    starts_at: datetime
    client: object
    employer: EmployerName | None

    @property
    def is_planned(self) -> bool:
        return self.status == "planned"

    @classmethod
    def of(cls, row, client) -> AppointmentLine:
        return cls(id=row.id, worker_id=row.worker_id, client_id=row.client_id, kind=row.kind,
                   mode=row.mode, location=row.location, status=row.status,
                   starts_at=row.starts_at, client=client,
                   employer=EmployerName(row.employer_name) if row.employer_name is not None
                   else None)


def client_attempts_statement():
    """attempts_of's statement (client_id, team_ids), for a page that sends it with its other
    reads (clients/page.py)."""
    return _client_agenda_statements()[1]


def attempts_of(client_id: int, team_ids) -> list:
    """The client's outreach attempts, newest first, as rows (id, attempted_on, method, note,
    worker_name), if the client is of one of the teams."""
    from caseload.clients.page import plain_rows
    return plain_rows(_client_agenda_statements()[1], {
        "client_id": client_id, "team_ids": list(team_ids)})


def unreached_clients(session, team_ids, as_of: date, days: int = UNREACHED_DAYS):
    """Open trajectories of the teams' clients with an outreach attempt since the last client
    contact (in any mode), and no client contact for `days` days or more (counted from program
    entry when there was none): (client id, code, worker name, last contact, attempts, last
    attempt)."""
    last_contact = (select(Contact.client_id, func.max(Contact.contact_date).label("last_on"))
                    .where(Contact.kind == "client", Contact.contact_date <= as_of,
                           Contact.client_id.in_(select(Client.id).where(clients_of(team_ids))))
                    .group_by(Contact.client_id).subquery())
    attempts = (select(OutreachAttempt.client_id,
                       func.count(OutreachAttempt.id).label("n"),
                       func.max(OutreachAttempt.attempted_on).label("last_attempt"))
                .join(Trajectory, and_(Trajectory.client_id == OutreachAttempt.client_id,
                                       Trajectory.ended_on.is_(None)))
                .outerjoin(last_contact, last_contact.c.client_id == OutreachAttempt.client_id)
                .where(OutreachAttempt.attempted_on <= as_of,
                       OutreachAttempt.attempted_on >= Trajectory.program_entry_date,
                       or_(last_contact.c.last_on.is_(None),
                           OutreachAttempt.attempted_on > last_contact.c.last_on))
                .group_by(OutreachAttempt.client_id).subquery())
    rows = session.execute(
        select(Client.id, Client.client_code, User.name, last_contact.c.last_on, attempts.c.n,
               attempts.c.last_attempt, Trajectory.program_entry_date)
        .join(Trajectory, and_(Trajectory.client_id == Client.id, Trajectory.ended_on.is_(None)))
        .join(attempts, attempts.c.client_id == Client.id)
        .outerjoin(last_contact, last_contact.c.client_id == Client.id)
        .outerjoin(User, User.id == Trajectory.worker_id)
        .where(clients_of(team_ids))
        .order_by(Client.client_code)).all()
    return [row for row in rows
            if (as_of - (row.last_on or row.program_entry_date)).days >= days]
