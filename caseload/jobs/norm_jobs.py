"""The norm jobs: evaluate the IPS norms and store the signals."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from caseload import norms, signals
from caseload.extensions import db
from caseload.signals import RecordResult
from caseload.unit_of_work import unit_of_work

DAILY_NORMS = list(norms.NORMS)
WEEKLY_NORMS = sorted(norms.WEEKLY_NORMS)


@dataclass
class DailyResult(RecordResult):
    reminders_queued: int = 0


def evaluate_norms(as_of: date, names: list[str] | None = None,
                   also=None) -> RecordResult:
    """Evaluate and store in one transaction (with `also(as_of)`, e.g. queueing reminders);
    a failure leaves the signals and the outbox as they were."""
    with unit_of_work():
        breaches = norms.evaluate(as_of, session=db.session, norms=names)
        result = signals.record(db.session, as_of, breaches, names, commit=False)
        if also is not None:
            also(as_of)
    return result


def daily_evaluation(as_of: date, missed_since: date | None = None) -> DailyResult:
    """Every morning: all norms. It re-judges last week's employer contacts too, so a contact
    logged late still clears that week's signal. Reminders for contacts due tomorrow are
    queued in the same transaction; caught up after missed mornings (`missed_since`, the
    first missed day), also those the missed mornings would have queued that are still due."""
    from caseload.jobs.mail_jobs import queue_reminders
    reminders = []
    result = evaluate_norms(as_of, DAILY_NORMS, also=lambda day: reminders.append(
        queue_reminders(day, missed_since=missed_since)))
    return DailyResult(**asdict(result), reminders_queued=sum(reminders))


def weekly_employer_contacts(as_of: date) -> RecordResult:
    """Monday morning: the employer-contact norm for the week before."""
    return evaluate_norms(as_of, WEEKLY_NORMS)
