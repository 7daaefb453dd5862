"""The IPS norms. Each is a set-based query "breaches as of a date": pure, with no request
context, mail or scheduler. The number of queries does not grow with the number of clients."""

from __future__ import annotations

from datetime import date

from caseload.norms.breach import Breach
from caseload.norms.placement_norms import (
    benefits_plan_before_start, follow_along_after_start, follow_along_first_month,
    follow_along_monthly, job_loss_contact,
)
from caseload.norms.settings import NormSettings
from caseload.norms.trajectory_norms import (
    disclosure_before_employer_contact, rapid_job_search, treatment_team_contact,
)
from caseload.norms.worker_norms import caseload_size, employer_contacts_weekly

NORMS = {
    "rapid_job_search": rapid_job_search,
    "employer_contacts_weekly": employer_contacts_weekly,
    "follow_along_after_start": follow_along_after_start,
    "follow_along_first_month": follow_along_first_month,
    "follow_along_monthly": follow_along_monthly,
    "job_loss_contact": job_loss_contact,
    "caseload_size": caseload_size,
    "treatment_team_contact": treatment_team_contact,
    "disclosure_before_employer_contact": disclosure_before_employer_contact,
    "benefits_plan_before_start": benefits_plan_before_start,
}

# Norms describing a lasting state rather than an event: their open signal is matched by
# subject alone, so it is not re-opened every day under a new anchor.
STATE_NORMS = frozenset({"caseload_size"})


def evaluate(as_of: date, *, session=None, settings: NormSettings | None = None,
             norms: list[str] | None = None) -> list[Breach]:
    """All breaches as of a date (or of the named norms)."""
    if session is None:
        from caseload.extensions import db
        session = db.session
    settings = settings or NormSettings.load(session)
    breaches: list[Breach] = []
    for name in norms or NORMS:
        breaches.extend(NORMS[name](session, as_of, settings))
    return breaches


__all__ = ["Breach", "NORMS", "NormSettings", "STATE_NORMS", "evaluate"]
