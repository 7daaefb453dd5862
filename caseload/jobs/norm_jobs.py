"""The norm jobs: evaluate the IPS norms and store the signals."""

from __future__ import annotations

from datetime import date

from caseload import norms, signals
from caseload.extensions import db
from caseload.signals import RecordResult

DAILY_NORMS = [name for name in norms.NORMS]
WEEKLY_NORMS = ["employer_contacts_weekly"]


def evaluate_norms(as_of: date, names: list[str] | None = None) -> RecordResult:
    """Evaluate and store in one transaction; a failure leaves the signals as they were."""
    try:
        breaches = norms.evaluate(as_of, session=db.session, norms=names)
        return signals.record(db.session, as_of, breaches, names)
    except Exception:
        db.session.rollback()
        raise


def daily_evaluation(as_of: date) -> RecordResult:
    """Every morning: all norms. It re-judges last week's employer contacts too, so a contact
    logged late still clears that week's signal."""
    return evaluate_norms(as_of, DAILY_NORMS)


def weekly_employer_contacts(as_of: date) -> RecordResult:
    """Monday morning: the employer-contact norm for the week before."""
    return evaluate_norms(as_of, WEEKLY_NORMS)
