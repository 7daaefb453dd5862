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
team). Each section is one query (entries grouped per reader and client first), whatever the
size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, exists, func, literal_column, or_, select, text

from caseload.logs.filters import local_midnight
from caseload.models import (
    AccessLogEntry,
    Client,
    PrivacyReview,
    Trajectory,
    TrajectoryAssignment,
    User,
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


def _groups(first: date, *conditions):
    """The month's entries that meet the conditions, one row per reader (as who, in which role)
    and client: a pure scan of the month on the access log's time index, grouped first, so the
    checks below run per group and not per entry."""
    start, end = local_midnight(first), local_midnight(next_month(first))
    entry = AccessLogEntry
    return (select(entry.user_id, entry.user_email, entry.user_role, entry.client_id,
                   func.count(entry.id).label("n"), func.min(entry.at).label("first_at"),
                   func.max(entry.at).label("last_at"),
                   func.min(entry.record_type).label("area_a"),
                   func.max(entry.record_type).label("area_b"))
            .where(entry.at >= start, entry.at < end, *conditions)
            .group_by(entry.user_id, entry.user_email, entry.user_role, entry.client_id)
            .subquery())


def _sections(session, groups, section) -> dict[str, list[ReadGroup]]:
    """The groups by section (a SQL expression naming each group's section, or NULL), at most
    SECTION_ROWS per section, the most frequent first: one statement for every section."""
    rank = func.row_number().over(partition_by=section, order_by=(
        groups.c.n.desc(), groups.c.user_email, groups.c.client_id)).label("rank")
    ranked = (select(section.label("section"), groups.c.user_email, _role(groups).label("role"),
                     groups.c.client_id, func.coalesce(Client.client_code, "").label("code"),
                     groups.c.n, groups.c.first_at, groups.c.last_at, groups.c.area_a,
                     groups.c.area_b, rank)
              .select_from(groups)
              .outerjoin(User, User.id == groups.c.user_id)
              .outerjoin(Client, Client.id == groups.c.client_id)
              .subquery())
    rows = session.execute(select(ranked).where(ranked.c.section.is_not(None),
                                                ranked.c.rank <= SECTION_ROWS)
                           .order_by(ranked.c.section, ranked.c.rank)).all()
    found: dict[str, list[ReadGroup]] = {}
    for r in rows:
        found.setdefault(r.section, []).append(ReadGroup(
            user_email=r.user_email, role=r.role or "", client_id=r.client_id,
            client_code=r.code, count=r.n, first_at=r.first_at, last_at=r.last_at,
            areas=sorted({r.area_a, r.area_b})))
    return found


def _role(groups):
    """The role at the time; entries from before the role was logged fall back to today's."""
    return func.coalesce(func.nullif(groups.c.user_role, literal_column("''")), User.role)


def _held_by_reader(groups, first: date):
    """The reader held a trajectory of the client on some day of the month."""
    last = next_month(first) - timedelta(days=1)
    return exists().where(
        TrajectoryAssignment.trajectory_id == Trajectory.id,
        Trajectory.client_id == groups.c.client_id,
        TrajectoryAssignment.worker_id == groups.c.user_id,
        TrajectoryAssignment.from_date <= last,
        or_(TrajectoryAssignment.until.is_(None), TrajectoryAssignment.until > first))


def month_report(session, first: date) -> MonthReport:
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL's JIT compiled these grouped statements for ~10 s on a month of a million
        # entries, against well under a second of work (bench/privacy_review.py); off for
        # this transaction only.
        session.execute(text("SET LOCAL jit = off"))
    reads = _groups(first, AccessLogEntry.action.in_(READ_ACTIONS),
                    AccessLogEntry.outcome == "allowed", AccessLogEntry.client_id.is_not(None))
    denied = _groups(first, AccessLogEntry.outcome == "denied")
    role = _role(reads)
    read_sections = _sections(session, reads, case(
        (role == "coordinator", literal_column("'coordinator'")),
        (role == "admin", literal_column("'admin'")),
        (~_held_by_reader(reads, first), literal_column("'outside'")),
        else_=None))
    denied_attempts = _sections(session, denied, literal_column("'denied'"))
    start, end = local_midnight(first), local_midnight(next_month(first))
    failed = session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.at >= start, AccessLogEntry.at < end,
        AccessLogEntry.action.in_(("login", "login_fail")), AccessLogEntry.outcome == "failed"))
    return MonthReport(
        month=first,
        outside_caseload=read_sections.get("outside", []),
        coordinator_reads=read_sections.get("coordinator", []),
        admin_reads=read_sections.get("admin", []),
        denied=denied_attempts.get("denied", []),
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
