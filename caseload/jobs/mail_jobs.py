"""Mail jobs: queue digests and reminders (once per recipient and period), deliver the outbox."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from caseload.extensions import db
from caseload.mail import compose
from caseload.mail.digests import due_items, team_week_checklist, worker_digests
from caseload.mail.outbox import queue
from caseload.mail.sender import SendResult, deliver_outbox
from caseload.models import User
from caseload.models.vocab import CASELOAD_ROLES
from caseload.norms.settings import NormSettings
from caseload.norms.worker_norms import last_complete_week
from caseload.unit_of_work import unit_of_work


def _recipients(roles, preference) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role.in_(roles), User.active.is_(True), preference.is_(True)).order_by(User.id)))


def queue_reminders(as_of: date, missed_since: date | None = None) -> int:
    """A placement started or ended and the 3-day contact is due tomorrow: remind the worker
    now. After missed mornings (missed_since: the first missed day, before as_of) the reminders
    those mornings would have queued go out too while they are not past: contacts due today.
    Does not commit (runs inside the daily evaluation's transaction)."""
    settings = NormSettings.load(db.session)
    tomorrow = as_of + timedelta(days=1)
    first_due = as_of if missed_since is not None and missed_since < as_of else tomorrow
    # Whoever holds the client: a coordinator with a caseload of their own too.
    workers = {u.id: u for u in _recipients(CASELOAD_ROLES, User.wants_reminders)}
    mails = [compose.reminder(workers[worker_id], item)
             for worker_id, items in due_items(db.session, as_of, settings).items()
             if worker_id in workers
             for item in items
             if first_due <= item.due_on <= tomorrow
             and item.kind in ("follow_along_start", "job_loss")]
    return queue(db.session, mails)


def queue_worker_digests(as_of: date) -> int:
    """Working days only; nothing is queued for a worker with nothing to report."""
    if as_of.weekday() >= 5:
        return 0
    with unit_of_work():
        settings = NormSettings.load(db.session)
        digests = worker_digests(db.session, as_of, settings)
        mails = [compose.worker_digest(worker, digests[worker.id], as_of)
                 for worker in _recipients(CASELOAD_ROLES, User.wants_worker_digest)
                 if worker.id in digests and digests[worker.id].has_news]
        queued = queue(db.session, mails)
    return queued


def queue_coordinator_digests(as_of: date) -> int:
    """The weekly checklist of the week before as_of, for each coordinator's teams."""
    monday, _sunday = last_complete_week(as_of)
    with unit_of_work():
        settings = NormSettings.load(db.session)
        mails = []
        for coordinator in _recipients(("coordinator",), User.wants_coordinator_digest):
            if not coordinator.team_ids:
                continue
            lines = team_week_checklist(db.session, coordinator.team_ids, monday, settings)
            if lines:
                mails.append(compose.coordinator_digest(coordinator, lines, monday))
        queued = queue(db.session, mails)
    return queued


def send_outbox(now: datetime | None = None) -> SendResult:
    return deliver_outbox(db.session, now)
