"""The privacy officer's monthly review of the access log.

For one calendar month (Europe/Amsterdam) it lists, grouped per reader and client:
- workers' reads of clients outside their own caseload: the reader held no trajectory of the
  client (trajectory_assignment) on any day of the month;
- coordinators' reads: their team's clients, expected by their role, listed apart;
- reads by administrators (any client);
- denied attempts (another team's record, a page the role may not open), and the number of
  failed log-ins.
"Reads" are the entries that opened a client's data: read and export (a list such as the caseload
or the daily log's client choice shows codes and names only, and every daily log lists the whole
team). Each section is one grouped query, whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, literal_column, or_, select

from caseload.logs.filters import local_midnight
from caseload.models import (
    AccessLogEntry, Client, PrivacyReview, Trajectory, TrajectoryAssignment, User,
)

READ_ACTIONS = ("read", "export")
SECTION_ROWS = 500


@dataclass
class ReadGroup:
    user_email: str
    role: str
    client_id: int | None
    client_code: str
    count: int
    first_at: datetime
    last_at: datetime
    areas: list[str] = field(default_factory=list)


@dataclass
class MonthReport:
    month: date
    outside_caseload: list[ReadGroup]
    coordinator_reads: list[ReadGroup]
    admin_reads: list[ReadGroup]
    denied: list[ReadGroup]
    failed_logins: int
    review: PrivacyReview | None

    @property
    def key(self) -> str:
        return month_key(self.month)


def month_key(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _role():
    """The role at the time; entries from before the role was logged fall back to today's."""
    # Literal SQL, no bound parameter: PostgreSQL matches the GROUP BY expression textually.
    return func.coalesce(func.nullif(AccessLogEntry.user_role, literal_column("''")), User.role)


def _grouped(session, first: date, *conditions) -> list[ReadGroup]:
    role = _role()
    start, end = local_midnight(first), local_midnight(next_month(first))
    rows = session.execute(
        select(AccessLogEntry.user_email, role.label("role"), AccessLogEntry.client_id,
               func.coalesce(Client.client_code, "").label("code"),
               func.count(AccessLogEntry.id), func.min(AccessLogEntry.at),
               func.max(AccessLogEntry.at), func.min(AccessLogEntry.record_type),
               func.max(AccessLogEntry.record_type))
        .select_from(AccessLogEntry)
        .outerjoin(User, User.id == AccessLogEntry.user_id)
        .outerjoin(Client, Client.id == AccessLogEntry.client_id)
        .where(AccessLogEntry.at >= start, AccessLogEntry.at < end, *conditions)
        .group_by(AccessLogEntry.user_email, role, AccessLogEntry.client_id, Client.client_code)
        .order_by(func.count(AccessLogEntry.id).desc(), AccessLogEntry.user_email,
                  AccessLogEntry.client_id)
        .limit(SECTION_ROWS)).all()
    return [ReadGroup(user_email=r[0], role=r[1] or "", client_id=r[2], client_code=r[3],
                      count=r[4], first_at=r[5], last_at=r[6],
                      areas=sorted({r[7], r[8]})) for r in rows]


def _held_by_reader(first: date):
    """The reader held a trajectory of the client on some day of the month."""
    last = next_month(first) - timedelta(days=1)
    return exists().where(
        TrajectoryAssignment.trajectory_id == Trajectory.id,
        Trajectory.client_id == AccessLogEntry.client_id,
        TrajectoryAssignment.worker_id == AccessLogEntry.user_id,
        TrajectoryAssignment.from_date <= last,
        or_(TrajectoryAssignment.until.is_(None), TrajectoryAssignment.until > first))


def month_report(session, first: date) -> MonthReport:
    reads = and_(AccessLogEntry.action.in_(READ_ACTIONS), AccessLogEntry.outcome == "allowed",
                 AccessLogEntry.client_id.is_not(None))
    role = _role()
    start, end = local_midnight(first), local_midnight(next_month(first))
    failed = session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.at >= start, AccessLogEntry.at < end, AccessLogEntry.action == "login",
        AccessLogEntry.outcome == "failed"))
    return MonthReport(
        month=first,
        outside_caseload=_grouped(session, first, reads, role.not_in(("coordinator", "admin")),
                                  ~_held_by_reader(first)),
        coordinator_reads=_grouped(session, first, reads, role == "coordinator"),
        admin_reads=_grouped(session, first, reads, role == "admin"),
        denied=_grouped(session, first, AccessLogEntry.outcome == "denied"),
        failed_logins=failed or 0,
        review=session.scalar(select(PrivacyReview).where(
            PrivacyReview.month == month_key(first))))


def recent_reviews(session, first: date, months: int = 12) -> list[tuple[str, PrivacyReview | None]]:
    """The months before and including `first`, newest first, with their review if any."""
    keys, month = [], first
    for _i in range(months):
        keys.append(month_key(month))
        month = previous_month(month)
    reviews = {r.month: r for r in session.scalars(
        select(PrivacyReview).where(PrivacyReview.month.in_(keys)))}
    return [(key, reviews.get(key)) for key in keys]
