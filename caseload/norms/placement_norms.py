"""Norms about placements (item 23 follow-along, item 12 benefits planning)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Integer, literal, or_, select

from caseload.clock import to_date
from caseload.models import BenefitsPlan, Contact, Placement, Trajectory
from caseload.norms.breach import Breach, trajectory_breach
from caseload.norms.registry import Norm, Setting, register
from caseload.norms.settings import NormSettings
from caseload.norms.sql import AS_OF, add_days, built_once, execute, numbers, open_on, written
from caseload.translating import gettext as _  # Flask-Babel's, through the request's catalogue
from caseload.translating import lazy_gettext as _l


def _client_contact_between(start, end, *, face_to_face: bool):
    conditions = [Contact.client_id == Trajectory.client_id, Contact.kind == written("client"),
                  Contact.contact_date >= start, Contact.contact_date <= end]
    if face_to_face:
        # ix_contact_client_f2f: the partial index of face-to-face client contacts
        conditions.append(Contact.mode == written("face_to_face"))
    return select(Contact.id).where(*conditions).exists()


def follow_along_after_start(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """A placement started on S: face-to-face client contact in S..S+N; a breach from S+N+1."""
    n = settings.follow_along_start_days
    rows = execute(session, _after_start_statement(n), as_of)
    return [trajectory_breach("follow_along_after_start", start, tid, wid, pid,
                              {"started_on": start.isoformat(), "limit": n})
            for pid, start, tid, wid in rows]


@built_once
def _after_start_statement(n: int):
    # Past day N after the start as one cutoff date, as in _job_loss_statement.
    return (select(Placement.id, Placement.start_date, Trajectory.id, Trajectory.worker_id)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .where(open_on(AS_OF), Placement.start_date < add_days(AS_OF, -n),
                   ~_client_contact_between(Placement.start_date,
                                            add_days(Placement.start_date, n),
                                            face_to_face=True)))


def _window_breaches(session, as_of, norm, first_offset, length, count, *, walked):
    """Placements with a passed window [S+first_offset+k*length, +length-1] (k < count) that
    began before the placement ended and holds no face-to-face client contact. One statement:
    each window is one seek in ix_contact_client_f2f (client, date), which finds a contact
    faster than reading all of a placement's contacts and grouping them by window would
    (bench/README.md, "The norm engine at national size"). No windows (count 0: the first
    month's weekly contact switched off in the settings), no breaches."""
    if count <= 0:
        return []
    build = _windows_walked if walked else _windows_numbered
    rows = execute(session, build(first_offset, length, count), as_of)
    last_day = timedelta(days=length - 1)
    iso = _IsoDates()
    breaches = []
    for pid, tid, wid, start in rows:
        start = to_date(start)
        breaches.append(trajectory_breach(norm, start, tid, wid, pid, {
            "window_start": iso(start), "window_end": iso(start + last_day)}))
    return breaches


@built_once
def _windows_numbered(first_offset, length, count):
    """The few windows of the first weeks: every running placement joined with the numbers
    0 .. count-1."""
    k = numbers(count)
    window_start = add_days(Placement.start_date, first_offset + k.c.k * length)
    window_end = add_days(Placement.start_date, first_offset + k.c.k * length + length - 1)
    return (select(Placement.id, Trajectory.id, Trajectory.worker_id, window_start)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(k, k.c.k >= 0)
            .where(open_on(AS_OF), window_end < AS_OF,
                   or_(Placement.end_date.is_(None), window_start <= Placement.end_date),
                   ~_client_contact_between(window_start, window_end, face_to_face=True)))


@built_once
def _windows_walked(first_offset, length, count):
    """The many windows of a long placement: each placement walks from its first window to the
    last one that has passed (and began before the placement ended), in a recursive CTE.
    Joining every placement with all the window numbers any placement could need made SQLite
    compute dates for pairs it then threw away (bench/README.md)."""
    start = (select(Placement.id.label("placement_id"), Trajectory.id.label("trajectory_id"),
                    Trajectory.worker_id, Trajectory.client_id, Placement.end_date,
                    literal(0, Integer).label("k"),
                    add_days(Placement.start_date, first_offset).label("first_day"),
                    add_days(Placement.start_date, first_offset + length - 1).label("last_day"))
             .join(Trajectory, Trajectory.id == Placement.trajectory_id)
             .where(open_on(AS_OF))
             .cte("windows", recursive=True))
    w = start.alias("previous")
    windows = start.union_all(
        select(w.c.placement_id, w.c.trajectory_id, w.c.worker_id, w.c.client_id,
               w.c.end_date, w.c.k + 1, add_days(w.c.first_day, length),
               add_days(w.c.last_day, length))
        .where(w.c.k + 1 < count, add_days(w.c.last_day, length) < AS_OF,
               or_(w.c.end_date.is_(None), add_days(w.c.first_day, length) <= w.c.end_date)))
    c = windows.c
    contact = (select(Contact.id).where(
        Contact.client_id == c.client_id, Contact.kind == written("client"),
        Contact.mode == written("face_to_face"),
        Contact.contact_date >= c.first_day, Contact.contact_date <= c.last_day).exists())
    return (select(c.placement_id, c.trajectory_id, c.worker_id, c.first_day)
            .where(c.last_day < AS_OF, or_(c.end_date.is_(None), c.first_day <= c.end_date),
                   ~contact))


class _IsoDates(dict):
    """date -> its ISO text, each computed once (windows share their first and last days)."""

    def __call__(self, day: date) -> str:
        text = self.get(day)
        if text is None:
            text = self[day] = day.isoformat()
        return text


def follow_along_first_month(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Weekly face-to-face contact in the first weeks after a start (week k = S+7k..S+7k+6)."""
    return _window_breaches(session, as_of, "follow_along_first_month", 0, 7,
                            settings.follow_along_first_month_weeks, walked=False)


# Follow-along is time-unlimited; windows are checked for up to ten years of one placement.
MONTHLY_WINDOWS = 120


def follow_along_monthly(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """After the first month, at least one face-to-face contact in every following window of
    N days while the placement lasts."""
    first = 7 * settings.follow_along_first_month_weeks
    return _window_breaches(session, as_of, "follow_along_monthly", first,
                            settings.follow_along_month_days, MONTHLY_WINDOWS, walked=True)


def job_loss_contact(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """A placement ended on E: a client contact in any mode in E..E+N; a breach from E+N+1."""
    n = settings.job_loss_days
    # Breach tuples built in line, as trajectory_breach builds them (a call per breach is a
    # tenth of this small norm; bench/README.md).
    new = tuple.__new__
    return [new(Breach, ("job_loss_contact", f"t{tid}p{pid}", end, tid, wid, pid,
                         {"ended_on": end.isoformat(), "limit": n}))
            for pid, end, tid, wid in execute(session, _job_loss_statement(n), as_of)]


@built_once
def _job_loss_statement(n: int):
    # Past day N after the end: end before as_of - N, one date for the statement (end + N <
    # as_of computed a date per ended placement; bench/README.md). No end date, no match.
    return (select(Placement.id, Placement.end_date, Trajectory.id, Trajectory.worker_id)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .where(open_on(AS_OF), Placement.end_date < add_days(AS_OF, -n),
                   ~_client_contact_between(Placement.end_date, add_days(Placement.end_date, n),
                                            face_to_face=False)))


def benefits_plan_before_start(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Item 12: a benefits plan is offered (in this trajectory) on or before a placement starts."""
    return [trajectory_breach("benefits_plan_before_start", start, tid, wid, pid,
                              {"started_on": start.isoformat()})
            for pid, start, tid, wid in execute(session, _benefits_plan_statement(), as_of)]


PAID_JOBS = ("paid_job", "paid_job_subsidised")


@built_once
def _benefits_plan_statement():
    offered = select(BenefitsPlan.id).where(
        BenefitsPlan.client_id == Trajectory.client_id,
        BenefitsPlan.offered_on >= Trajectory.program_entry_date,
        BenefitsPlan.offered_on <= Placement.start_date).exists()
    return (select(Placement.id, Placement.start_date, Trajectory.id, Trajectory.worker_id)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .where(open_on(AS_OF), Placement.start_date <= AS_OF,
                   Placement.placement_type.in_([written(kind) for kind in PAID_JOBS]), ~offered))


# --- registration: what these norms are and say (caseload/norms/registry.py) ---

register(Norm(
    name="follow_along_after_start", query=follow_along_after_start, scope="trajectory",
    source="item 23",
    settings=(Setting("follow_along_start_days", 3, _l("Days after a job start for a "
                                                      "face-to-face contact"), 0, 60, _l("days")),),
    title=lambda s: _("No contact within %(days)d days after a job start",
                      days=s.follow_along_start_days),
    details=lambda f, s: _("job started on %(on)s; no face-to-face contact in the %(n)d days "
                           "after", on=f.get("started_on", ""),
                           n=f.get("limit", s.follow_along_start_days)),
    remedy=lambda s: _("Cleared by a face-to-face client contact dated within %(days)d days of "
                       "the start.", days=s.follow_along_start_days)))


def _window_details(f, s):
    return _("no face-to-face client contact from %(start)s to %(end)s",
             start=f.get("window_start", ""), end=f.get("window_end", ""))


register(Norm(
    name="follow_along_first_month", query=follow_along_first_month, scope="trajectory",
    source="item 23",
    settings=(Setting("follow_along_first_month_weeks", 4, _l("Weeks of weekly contact after a "
                                                             "start"), 0, 12, _l("weeks")),),
    title=lambda s: _("No weekly contact in the first %(weeks)d weeks of a job",
                      weeks=s.follow_along_first_month_weeks),
    details=_window_details,
    remedy=lambda s: _("Cleared by a face-to-face client contact in that week.")))

register(Norm(
    name="follow_along_monthly", query=follow_along_monthly, scope="trajectory",
    source="item 23",
    settings=(Setting("follow_along_month_days", 30, _l("Days between follow-along contacts "
                                                       "after the first month"), 1, 120,
                      _l("days")),),
    title=lambda s: _("No contact for %(days)d days during a job",
                      days=s.follow_along_month_days),
    details=_window_details,
    remedy=lambda s: _("Cleared by a face-to-face client contact in that period.")))

register(Norm(
    name="job_loss_contact", query=job_loss_contact, scope="trajectory", source="item 23",
    settings=(Setting("job_loss_days", 3, _l("Days after a job ended for a client contact"),
                      0, 60, _l("days")),),
    title=lambda s: _("No contact within %(days)d days after a job ended", days=s.job_loss_days),
    details=lambda f, s: _("job ended on %(on)s; no client contact in the %(n)d days after",
                           on=f.get("ended_on", ""), n=f.get("limit", s.job_loss_days)),
    remedy=lambda s: _("Cleared by a client contact dated within %(days)d days of the ending.",
                       days=s.job_loss_days)))

register(Norm(
    name="benefits_plan_before_start", query=benefits_plan_before_start, scope="trajectory",
    source="item 12",
    title=lambda s: _("Job started without a benefits plan"),
    details=lambda f, s: _("job started on %(on)s without a benefits plan offered before it",
                           on=f.get("started_on", "")),
    remedy=lambda s: _("Cleared by a benefits plan dated on or before the start.")))
