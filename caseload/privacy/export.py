"""Everything held about one client, as plain data (GDPR art. 15; art. 20 for the JSON file).

One dictionary feeds both the JSON download and the readable page, so the two cannot drift
apart. A fixed number of queries, whatever the size of the record. Tokens (phases, modes,
reasons) are exported as stored; the page shows their labels.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseload.models import (
    AccessLogEntry,
    Appointment,
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    OutreachAttempt,
    PhaseChange,
    Placement,
    RecordVersion,
    Signal,
    Trajectory,
)

FORMAT_VERSION = 2   # 2: record_versions (the corrections' history) added


def plain(value):
    """JSON-ready values: ISO dates and timestamps, decimals as text (no rounding)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _row(obj, names: tuple[str, ...]) -> dict:
    return {name: plain(getattr(obj, name)) for name in names}


def _name(user) -> str | None:
    return user.name if user is not None else None


def client_export(session, client: Client, *, generated_at: datetime, generated_by: str) -> dict:
    trajectories = list(session.scalars(
        select(Trajectory).where(Trajectory.client_id == client.id)
        .options(selectinload(Trajectory.worker),
                 selectinload(Trajectory.phase_changes).selectinload(PhaseChange.changed_by))
        .order_by(Trajectory.program_entry_date, Trajectory.id)))
    trajectory_ids = [t.id for t in trajectories]
    placements = _records(session, Placement, Placement.trajectory_id.in_(trajectory_ids),
                          Placement.start_date, load=(Placement.employer,))
    contacts = _records(session, Contact, Contact.client_id == client.id, Contact.contact_date,
                        load=(Contact.worker, Contact.employer))
    disclosures = _records(session, DisclosureDiscussion,
                           DisclosureDiscussion.client_id == client.id,
                           DisclosureDiscussion.discussed_on, load=(DisclosureDiscussion.worker,))
    benefits = _records(session, BenefitsPlan, BenefitsPlan.client_id == client.id,
                        BenefitsPlan.offered_on, load=(BenefitsPlan.offered_by,))
    signals = _records(session, Signal, Signal.trajectory_id.in_(trajectory_ids), Signal.anchor,
                       load=(Signal.acknowledged_by,))
    # Who looked: the staff member's address, when, what and how; not their IP address,
    # which is the staff member's data and says nothing more about the client.
    accesses = session.execute(
        select(AccessLogEntry.at, AccessLogEntry.user_email, AccessLogEntry.record_type,
               AccessLogEntry.action)
        .where(AccessLogEntry.client_id == client.id, AccessLogEntry.outcome == "allowed")
        .order_by(AccessLogEntry.at, AccessLogEntry.id)).all()
    profile = client.profile
    appointments = _records(session, Appointment, Appointment.client_id == client.id,
                            Appointment.starts_at, load=(Appointment.worker,))
    attempts = _records(session, OutreachAttempt, OutreachAttempt.client_id == client.id,
                        OutreachAttempt.attempted_on, load=(OutreachAttempt.worker,))
    # Every kept version of the client's records (corrections and deletions), oldest first:
    # the values before the change, who changed it, when and why.
    versions = _records(session, RecordVersion, RecordVersion.client_id == client.id,
                        RecordVersion.changed_at, load=(RecordVersion.changed_by,))

    return {
        "format": "caseload-client-export",
        "format_version": FORMAT_VERSION,
        "generated_at": plain(generated_at),
        "generated_by": generated_by,
        "client": {
            **_row(client, ("id", "client_code", "name", "referral_source", "created_at")),
            "team": client.team.name,
        },
        "trajectories": [{
            **_row(t, ("id", "program_entry_date", "trajectory_type", "funder", "planned_end",
                       "ended_on", "end_reason", "in_work_at_referral")),
            "worker": _name(t.worker),
            "phase_history": [{
                **_row(change, ("phase", "changed_on")), "changed_by": _name(change.changed_by),
            } for change in t.phase_changes],
            "worker_history": [{
                **_row(a, ("from_date", "until", "note", "reason")), "worker": _name(a.worker),
                "team": a.team.name, "assigned_by": _name(a.assigned_by),
            } for a in t.assignments],
        } for t in trajectories],
        "placements": [{
            **_row(p, ("id", "trajectory_id", "job_title", "job_type", "placement_type",
                       "start_date", "end_date", "hours_per_week", "hourly_wage", "contract",
                       "competitive", "end_reason")),
            "employer": p.employer.name,
        } for p in placements],
        "contacts": [{
            **_row(c, ("id", "contact_date", "kind", "mode", "place", "minutes",
                       "client_present", "note")),
            "worker": _name(c.worker),
            "employer": c.employer.name if c.employer else None,
        } for c in contacts],
        "disclosure_discussions": [{
            **_row(d, ("id", "discussed_on", "decision", "note")), "worker": _name(d.worker),
        } for d in disclosures],
        "benefits_plans": [{
            **_row(b, ("id", "offered_on", "by_benefits_specialist", "note")),
            "offered_by": _name(b.offered_by),
        } for b in benefits],
        "appointments": [{
            **_row(a, ("id", "starts_at", "minutes", "kind", "mode", "place", "location",
                       "status")), "worker": _name(a.worker),
        } for a in appointments],
        "outreach_attempts": [{
            **_row(a, ("id", "attempted_on", "method", "note")), "worker": _name(a.worker),
        } for a in attempts],
        "vocational_profile": _row(profile, (
            "preferences", "experience", "skills", "strengths", "adjustments", "network",
            "updated_at")) if profile is not None else None,
        "signals": [{
            **_row(s, ("id", "norm", "trajectory_id", "anchor", "facts", "first_seen_on",
                       "last_seen_on", "resolved_on", "resolved_by", "acknowledged_at",
                       "acknowledgement_note")),
            "acknowledged_by": _name(s.acknowledged_by),
        } for s in signals],
        "record_versions": [{
            **_row(v, ("record_type", "record_id", "action", "reason", "changed_at")),
            "changed_by": _name(v.changed_by), "values": v.values,
        } for v in versions],
        "access_log": [
            {"at": plain(at), "user_email": email, "record_type": record_type, "action": action}
            for at, email, record_type, action in accesses],
    }


def _records(session, model, where, when, *, load=()) -> list:
    """The rows of `model` that `where` selects, oldest first (by `when`, then id), with the
    people and employers they name loaded in one statement each."""
    return list(session.scalars(
        select(model).where(where).options(*(selectinload(rel) for rel in load))
        .order_by(when, model.id)))
