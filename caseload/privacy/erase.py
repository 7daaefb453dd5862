"""Erasing a client: the person disappears, the anonymous figures stay (GDPR art. 17).

What goes: the client code (replaced by a random pseudonym such as "ANON-7F3K9Q", so the row can
stay and nothing links it back), name, referral source, the vocational profile, every free-text
note about the client (contacts, disclosure discussions, benefits plans, acknowledgements of the
client's signals, handover notes of the client's trajectories) and the placements' job titles (a title at a named employer can identify a
person; employer and job type stay, as employer data and for the outcome tables). Where the old
code or the client's full name was written into other free text (other clients' and employer
contacts' notes, checklist and week reviews, signal acknowledgements, fidelity notes, other
handover notes, employer-detail history, the mail outbox) it is replaced, as whole words and in any case, by the neutral mark "[ANON]": not by the
pseudonym, which would link that text to the anonymous record again. Mails already delivered or
failed that mention the client keep no body (only the mark), and the mail sink's files
(instance/mail/*.eml) that mention the client are deleted. A name shorter than
MIN_NAME_LENGTH characters is not searched for (it would erase ordinary words), nor a first name
written alone.

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

from sqlalchemy import delete, exists, func, or_, select, update

from caseload.models import (
    Appointment,
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    EmployerChange,
    FidelityItemScore,
    OutboxMessage,
    OutreachAttempt,
    Placement,
    Signal,
    Trajectory,
    TrajectoryAssignment,
    VocationalProfile,
    WeekReview,
    WorkerWeekReview,
)
from caseload.translating import lazy_gettext as _l

PSEUDONYM_PREFIX = "ANON-"
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or copied
PSEUDONYM_LENGTH = 6
ERASED_MARK = "[ANON]"  # replaces the old code and the name in free text elsewhere
MIN_NAME_LENGTH = 3

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
    TrajectoryAssignment: ("note",),
    EmployerChange: ("old_value", "new_value"),
    OutreachAttempt: ("note",),
    Appointment: ("location",),
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

    for model in (Contact, DisclosureDiscussion, BenefitsPlan, OutreachAttempt):
        session.execute(update(model).where(model.client_id == client.id).values(note=""))
    session.execute(update(Appointment).where(Appointment.client_id == client.id)
                    .values(location=""))
    session.execute(update(Placement).where(Placement.trajectory_id.in_(trajectory_ids))
                    .values(job_title="", version=Placement.version + 1))
    session.execute(update(Signal).where(Signal.trajectory_id.in_(trajectory_ids))
                    .values(acknowledgement_note=""))
    session.execute(update(TrajectoryAssignment)
                    .where(TrajectoryAssignment.trajectory_id.in_(trajectory_ids))
                    .values(note=""))  # handover notes are about the client
    session.execute(update(Signal).where(Signal.trajectory_id.in_(trajectory_ids),
                                         Signal.resolved_at.is_(None))
                    .values(resolved_at=now, resolved_on=today, resolved_by="erased"))
    client.profile = None  # delete-orphan: the profile row goes
    # Earlier versions of corrected records hold the same notes (caseload/corrections/).
    from caseload.models import RecordVersion
    session.execute(delete(RecordVersion).where(RecordVersion.client_id == client.id))

    trajectory = client.open_trajectory
    if trajectory is not None:
        end_on = max(today, trajectory.program_entry_date)
        trajectory.end(on=end_on, reason="other", today=end_on)

    old_name = client.name or ""
    pseudonym = new_pseudonym(session)
    client.client_code = pseudonym
    client.name = ""
    client.referral_source = ""
    client.erased_at = now
    client.erasure_reason = reason
    session.flush()
    mentions = [old_code] + ([old_name] if len(old_name.strip()) >= MIN_NAME_LENGTH else [])
    blank_delivered_mail(session, mentions, ERASED_MARK)
    replace_mentions(session, mentions, ERASED_MARK)
    forget_mail_files(mentions)
    return pseudonym


def mention_pattern(mention: str) -> re.Pattern:
    """The words of a code or name, whole and in any case, with any spacing between them."""
    words = [re.escape(word) for word in mention.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _may_mention(column, mentions: list[str]):
    """A set-based first sieve in SQL (by each mention's longest word); the pattern decides."""
    clauses = []
    for mention in mentions:
        word = max(mention.split(), key=len)
        clauses += [column.contains(word, autoescape=True),
                    func.lower(column).contains(word.lower(), autoescape=True)]
    return or_(*clauses)


def replace_mentions(session, mentions: list[str] | str, mark: str) -> None:
    """Replace the codes and names, as whole words and in any case, in free text elsewhere."""
    mentions = [mentions] if isinstance(mentions, str) else [m for m in mentions if m.strip()]
    patterns = [mention_pattern(mention) for mention in mentions]
    for model, names in MENTION_COLUMNS.items():
        columns = [getattr(model, name) for name in names]
        rows = session.scalars(select(model).where(or_(
            *(_may_mention(column, mentions) for column in columns))))
        for row in rows:
            for name, column in zip(names, columns):
                text = getattr(row, name) or ""
                replaced = text
                for pattern in patterns:
                    replaced = pattern.sub(mark, replaced)
                if replaced != text:
                    limit = getattr(column.type, "length", None)
                    setattr(row, name, replaced[:limit] if limit else replaced)
    session.flush()


def blank_delivered_mail(session, mentions: list[str], mark: str) -> None:
    """A mail already sent (or given up on) is a record of delivery only: when it mentions the
    client, its body goes. Queued mail keeps its body, with the mentions replaced, and is sent."""
    patterns = [mention_pattern(mention) for mention in mentions]
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.status.in_(("sent", "failed")),
        or_(_may_mention(OutboxMessage.body_text, mentions),
            _may_mention(OutboxMessage.body_html, mentions),
            _may_mention(OutboxMessage.subject, mentions))))
    for message in rows:
        if any(p.search(f"{message.subject}\n{message.body_text}\n{message.body_html}")
               for p in patterns):
            message.body_text = mark
            message.body_html = mark
    session.flush()


def forget_mail_files(mentions: list[str]) -> int:
    """Delete the mail sink's files that mention the client (the sink is a folder of the
    instance, also when SMTP took over later). Not undone if the transaction then fails:
    a sink copy gone too early harms nobody, the outbox keeps the message."""
    from flask import current_app, has_app_context

    from caseload.mail.sender import file_sink
    if not has_app_context():
        return 0
    return file_sink(current_app.config).forget([mention_pattern(m) for m in mentions])


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
