"""Erasing a client: the person disappears, the anonymous figures stay (GDPR art. 17).

What goes: the client code (replaced by a random pseudonym such as "ANON-7F3K9Q", so the row can
stay and nothing links it back), name, referral source, the vocational profile, every free-text
note about the client (contacts, disclosure discussions, benefits plans, acknowledgements of the
client's signals) and the placements' job titles (a title at a named employer can identify a
person; employer and job type stay, as employer data and for the outcome tables). Where the old
code was written into other free text (general notes, reviews, the mail outbox) it is replaced,
as a whole word, by the neutral mark "[ANON]": not by the pseudonym, which would link that text
to the anonymous record again.

What stays: dates, phases, kinds, modes, minutes, placement dates/hours/wage/contract, trajectory
type/entry/end/reason, signal facts (dates and counts). Outcome figures and the weekly employer
contact counts of the workers therefore do not change when a client is erased.

An open trajectory is ended on the day of erasure with reason "other": the support recorded in
this system stops that day, the client no longer counts in a worker's caseload or capacity and
no norm keeps raising signals about a person nobody can see. (A special end reason would show
"erased" in the outcome tables, which is itself information about the person.)
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select, update

from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    FidelityItemScore,
    OutboxMessage,
    Placement,
    Signal,
    Trajectory,
    VocationalProfile,
    WeekReview,
    WorkerWeekReview,
)

PSEUDONYM_PREFIX = "ANON-"
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or copied
PSEUDONYM_LENGTH = 6
ERASED_MARK = "[ANON]"  # replaces the old code in free text elsewhere

# Stored in Client.erasure_reason. "retention" is set by the scheduled job only.
ERASURE_REASONS = {
    "client_request": _l("The client asked to be erased"),
    "no_lawful_basis": _l("Recorded without a lawful basis (e.g. the wrong person)"),
    "other": _l("Other reason"),
    "retention": _l("Retention period expired"),
}
REQUESTABLE_REASONS = ("client_request", "no_lawful_basis", "other")

# Free text outside the client's own records that may name the client by code.
MENTION_COLUMNS = {
    Contact: ("note",),
    DisclosureDiscussion: ("note",),
    BenefitsPlan: ("note",),
    Signal: ("acknowledgement_note",),
    WeekReview: ("note",),
    WorkerWeekReview: ("note",),
    FidelityItemScore: ("note",),
    VocationalProfile: ("preferences", "experience", "skills", "strengths", "adjustments",
                        "network"),
    OutboxMessage: ("subject", "body_text", "body_html"),
}


def new_pseudonym(session) -> str:
    """A random code that is not in use. Random, not derived from the old code or the id, so
    nothing leads back to the person."""
    while True:
        code = PSEUDONYM_PREFIX + "".join(
            secrets.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))
        if session.scalar(select(Client.id).where(Client.client_code == code)) is None:
            return code


def erase_client(session, client: Client, *, reason: str, today: date, now: datetime) -> str:
    """Erase one client in the caller's transaction (the caller commits); returns the
    pseudonym. An already erased client is left as it is."""
    if client.erased_at is not None:
        return client.client_code
    old_code = client.client_code
    trajectory_ids = select(Trajectory.id).where(Trajectory.client_id == client.id)

    for model in (Contact, DisclosureDiscussion, BenefitsPlan):
        session.execute(update(model).where(model.client_id == client.id).values(note=""))
    session.execute(update(Placement).where(Placement.trajectory_id.in_(trajectory_ids))
                    .values(job_title="", version=Placement.version + 1))
    session.execute(update(Signal).where(Signal.trajectory_id.in_(trajectory_ids))
                    .values(acknowledgement_note=""))
    session.execute(update(Signal).where(Signal.trajectory_id.in_(trajectory_ids),
                                         Signal.resolved_at.is_(None))
                    .values(resolved_at=now, resolved_on=today, resolved_by="erased"))
    client.profile = None  # delete-orphan: the profile row goes

    trajectory = client.open_trajectory
    if trajectory is not None:
        end_on = max(today, trajectory.program_entry_date)
        trajectory.end(on=end_on, reason="other", today=end_on)

    pseudonym = new_pseudonym(session)
    client.client_code = pseudonym
    client.name = ""
    client.referral_source = ""
    client.erased_at = now
    client.erasure_reason = reason
    session.flush()
    replace_mentions(session, old_code, ERASED_MARK)
    return pseudonym


def replace_mentions(session, old_code: str, mark: str) -> None:
    """Replace the code, as a whole word and in any case, in free text written elsewhere."""
    pattern = re.compile(r"(?<!\w)" + re.escape(old_code) + r"(?!\w)", re.IGNORECASE)
    needle = old_code.lower()
    for model, names in MENTION_COLUMNS.items():
        columns = [getattr(model, name) for name in names]
        rows = session.scalars(select(model).where(or_(
            *(func.lower(column).contains(needle, autoescape=True) for column in columns))))
        for row in rows:
            for name, column in zip(names, columns):
                text = getattr(row, name) or ""
                replaced = pattern.sub(mark, text)
                if replaced != text:
                    limit = getattr(column.type, "length", None)
                    setattr(row, name, replaced[:limit] if limit else replaced)
    session.flush()


def expired_clients(session, as_of: date, retention_days: int) -> list[Client]:
    """Clients not yet erased whose last trajectory ended more than `retention_days` before
    as_of and who have no open trajectory; a client who never had a trajectory counts from
    the day the record was made."""
    cutoff = as_of - timedelta(days=retention_days)
    has_open = exists().where(Trajectory.client_id == Client.id, Trajectory.ended_on.is_(None))
    ended_long_ago = (select(Trajectory.client_id).group_by(Trajectory.client_id)
                      .having(func.max(Trajectory.ended_on) < cutoff))
    never_started = ~exists().where(Trajectory.client_id == Client.id)
    made_before = datetime.combine(cutoff, time.min, tzinfo=UTC)
    return list(session.scalars(
        select(Client).where(
            Client.erased_at.is_(None), ~has_open,
            or_(Client.id.in_(ended_long_ago),
                never_started & (Client.created_at < made_before)))
        .order_by(Client.id)))
