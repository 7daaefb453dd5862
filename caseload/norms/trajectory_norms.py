"""Norms about one trajectory: rapid job search, treatment-team contact, disclosure."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select, true

from caseload.models import Contact, DisclosureDiscussion, Trajectory
from caseload.norms.breach import Breach, iso_text, trajectory_breach
from caseload.norms.registry import Norm, Setting, register
from caseload.norms.settings import NormSettings
from caseload.norms.sql import AS_OF, add_days, as_text, built_once, execute, open_on, written
from caseload.translating import gettext as _  # Flask-Babel's, through the request's catalogue
from caseload.translating import lazy_gettext as _l


def rapid_job_search_breached(as_of: date, settings: NormSettings):
    """SQL condition on Trajectory: open, past day N, and no face-to-face employer contact in
    its first N days (the breach of rapid_job_search, for pages that count breaches in SQL)."""
    return _rapid_job_search_breached(as_of, settings.rapid_job_search_days)


def _rapid_job_search_breached(as_of, limit: int):
    in_time = (
        select(Contact.id).where(
            Contact.client_id == Trajectory.client_id, Contact.kind == written("employer"),
            Contact.mode == written("face_to_face"),
            Contact.contact_date >= Trajectory.program_entry_date,
            Contact.contact_date <= add_days(Trajectory.program_entry_date, limit))
        .exists()
    )
    # Past day N: program entry before as_of - N, one date for all trajectories (entry + N
    # < as_of, as written before, computed a date per trajectory, a sixth of the statement on
    # SQLite). That entry also started before as_of, so of open_on only the end is left.
    # (The contacts in the first N days are all before as_of: day N itself is.)
    return and_(Trajectory.program_entry_date < add_days(as_of, -limit),
                or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= as_of), ~in_time)


def rapid_job_search(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Item 15: the first face-to-face employer contact (by worker or client) is within
    N days after program entry. From day N+1 on, a trajectory without one is a breach."""
    limit = settings.rapid_job_search_days
    today = as_of.toordinal()
    statement = _rapid_job_search_statement(limit, session.get_bind().dialect.name)
    # Breach tuples built in line, as trajectory_breach builds them: a call per breach was a
    # quarter of building them (bench/README.md).
    new = tuple.__new__
    return [
        new(Breach, ("rapid_job_search", f"t{tid}", entry, tid, wid, None, {
            "day": today - entry.toordinal(), "limit": limit,
            "late_contact_on": iso_text(late)}))
        for tid, wid, entry, late in execute(session, statement, as_of)
    ]


@built_once
def _rapid_job_search_statement(limit: int, dialect: str):
    # The late first contact, shown in the signal: the first in date order, one seek (min()
    # over the date range made SQLite read the whole range, a third of the statement's time),
    # read as text (it is shown, not computed with).
    first_f2f = (
        select(Contact.contact_date.label("first_on")).where(
            Contact.client_id == Trajectory.client_id, Contact.kind == written("employer"),
            Contact.mode == written("face_to_face"),
            Contact.contact_date >= Trajectory.program_entry_date, Contact.contact_date <= AS_OF)
        .order_by(Contact.contact_date).limit(1)
    )
    columns = (Trajectory.id, Trajectory.worker_id, Trajectory.program_entry_date)
    if dialect == "postgresql":
        # PostgreSQL: the first contact once per trajectory past day N (a lateral join) decides
        # the breach and is the late date shown: a second seek per breach for it, as a
        # subplan, cost a quarter of the statement (bench/README.md). SQLite has no lateral
        # join; its co-routine for the same was slower than the two seeks.
        # The trajectory's id among the lateral's columns (unused) puts it in the key of the
        # cache PostgreSQL would put over the seek (Memoize): keyed on the client and entry
        # date alone the planner expected repeats that never come (one trajectory, one key),
        # and the cache that missed every time cost a third of the statement (bench/README.md).
        first = first_f2f.add_columns(Trajectory.id.label("for_trajectory")).lateral("first_f2f")
        return (select(*columns, as_text(first.c.first_on))
                .outerjoin(first, true())
                .where(Trajectory.program_entry_date < add_days(AS_OF, -limit),
                       or_(Trajectory.ended_on.is_(None), Trajectory.ended_on >= AS_OF),
                       or_(first.c.first_on.is_(None),
                           first.c.first_on > add_days(Trajectory.program_entry_date, limit))))
    return (select(*columns, as_text(first_f2f.scalar_subquery()))
            .where(_rapid_job_search_breached(AS_OF, limit)))


def treatment_team_contact(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Quality criterion 4: contact with the treatment team about the client at least every
    N days. The breach starts the day after the gap passes N days, which anchors the signal:
    logging a contact closes this episode, and a later gap opens a new one."""
    limit = settings.treatment_team_days
    breaches = []
    for tid, wid, entry, last_on in execute(session, _treatment_team_statement(limit), as_of):
        start = last_on or entry
        breaches.append(trajectory_breach(
            "treatment_team_contact", start + timedelta(days=limit + 1), tid, wid, None,
            {"days": (as_of - start).days, "limit": limit,
             "last_contact_on": last_on.isoformat() if last_on else None}))
    return breaches


@built_once
def _treatment_team_statement(limit: int):
    # Correlated per trajectory (an index lookup on client, kind, date): grouping all clients'
    # contacts first made SQLite scan the whole contact index (bench/README.md).
    last_on = (
        select(func.max(Contact.contact_date))
        .where(Contact.client_id == Trajectory.client_id, Contact.kind == "treatment_team",
               Contact.contact_date >= Trajectory.program_entry_date,
               Contact.contact_date <= AS_OF)
        .scalar_subquery()
    )
    open_trajectories = (
        select(Trajectory.id, Trajectory.worker_id, Trajectory.program_entry_date,
               last_on.label("last_on"))
        .where(open_on(AS_OF)).subquery()
    )
    t = open_trajectories.c
    return (select(t.id, t.worker_id, t.program_entry_date, t.last_on)
            .where(add_days(func.coalesce(t.last_on, t.program_entry_date), limit) < AS_OF))


def disclosure_before_employer_contact(session, as_of: date, settings: NormSettings) -> list[Breach]:
    """Item 13: a disclosure discussion is offered before the first employer contact about the
    client (in this trajectory). A discussion on the same day counts as before."""
    return [trajectory_breach("disclosure_before_employer_contact", first_on, tid, wid, None,
                              {"first_employer_contact_on": first_on.isoformat()})
            for tid, wid, first_on in execute(session, _disclosure_statement(), as_of)]


@built_once
def _disclosure_statement():
    first = (
        select(Trajectory.id.label("trajectory_id"),
               func.min(Contact.contact_date).label("first_on"))
        .join(Contact, and_(Contact.client_id == Trajectory.client_id,
                            Contact.kind == "employer",
                            Contact.contact_date >= Trajectory.program_entry_date,
                            Contact.contact_date <= AS_OF))
        .where(open_on(AS_OF))
        .group_by(Trajectory.id).subquery()
    )
    discussed = (
        select(DisclosureDiscussion.id).where(
            DisclosureDiscussion.client_id == Trajectory.client_id,
            DisclosureDiscussion.discussed_on >= Trajectory.program_entry_date,
            DisclosureDiscussion.discussed_on <= first.c.first_on)
        .exists()
    )
    return (select(Trajectory.id, Trajectory.worker_id, first.c.first_on)
            .join(first, first.c.trajectory_id == Trajectory.id)
            .where(~discussed))


# --- registration: what these norms are and say (caseload/norms/registry.py) ---

def _rapid_job_search_details(f, s):
    if f.get("late_contact_on"):
        return _("day %(day)d; first face-to-face employer contact only on %(on)s",
                 day=f["day"], on=f["late_contact_on"])
    return _("day %(day)d without face-to-face employer contact", day=f.get("day", 0))


register(Norm(
    name="rapid_job_search", query=rapid_job_search, scope="trajectory", source="item 15",
    settings=(Setting("rapid_job_search_days", 30, _l("Days from program entry to the first "
                                                     "employer contact"), 1, 365, _l("days")),),
    title=lambda s: _("No employer contact within %(days)d days", days=s.rapid_job_search_days),
    details=_rapid_job_search_details,
    remedy=lambda s: _("Cleared by a face-to-face employer contact for this client dated within "
                       "the first %(days)d days (logged late).", days=s.rapid_job_search_days)))

register(Norm(
    name="treatment_team_contact", query=treatment_team_contact, scope="trajectory",
    source="quality criterion 4",
    settings=(Setting("treatment_team_days", 14, _l("Most days between treatment-team "
                                                   "contacts"), 1, 120, _l("days")),),
    title=lambda s: _("No treatment-team contact for over %(days)d days",
                      days=s.treatment_team_days),
    details=lambda f, s: _("%(days)d days without treatment-team contact", days=f.get("days", 0)),
    remedy=lambda s: _("Cleared by logging a contact with the treatment team.")))

register(Norm(
    name="disclosure_before_employer_contact", query=disclosure_before_employer_contact,
    scope="trajectory", source="item 13",
    title=lambda s: _("Employer contact before a disclosure discussion"),
    details=lambda f, s: _("first employer contact on %(on)s, no disclosure discussion before it",
                           on=f.get("first_employer_contact_on", "")),
    remedy=lambda s: _("Cleared by a disclosure discussion dated on or before the first "
                       "employer contact.")))
