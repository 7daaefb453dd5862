"""What a signal says to people: its title, its details and what would clear it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

NORM_TITLES = {
    "rapid_job_search": _l("No employer contact within 30 days"),
    "employer_contacts_weekly": _l("Too few employer contacts last week"),
    "follow_along_after_start": _l("No contact within 3 days after a job start"),
    "follow_along_first_month": _l("No weekly contact in the first month of a job"),
    "follow_along_monthly": _l("No monthly contact during a job"),
    "job_loss_contact": _l("No contact within 3 days after a job ended"),
    "caseload_size": _l("Caseload above capacity"),
    "treatment_team_contact": _l("No treatment-team contact for over 2 weeks"),
    "disclosure_before_employer_contact": _l("Employer contact before a disclosure discussion"),
    "benefits_plan_before_start": _l("Job started without a benefits plan"),
}


DATE_FACTS = ("started_on", "ended_on", "late_contact_on", "window_start", "window_end",
              "first_employer_contact_on", "last_contact_on")


def details(norm: str, facts: dict) -> str:
    """One sentence about a breach; dates shown as dd-mm-yyyy like everywhere in the UI."""
    f = dict(facts or {})
    for key in DATE_FACTS:
        if f.get(key):
            f[key] = date.fromisoformat(f[key]).strftime("%d-%m-%Y")
    if norm == "rapid_job_search":
        if f.get("late_contact_on"):
            return _("day %(day)d; first face-to-face employer contact only on %(on)s",
                     day=f["day"], on=f["late_contact_on"])
        return _("day %(day)d without face-to-face employer contact", day=f.get("day", 0))
    if norm == "employer_contacts_weekly":
        return _("%(done)d of %(norm)d face-to-face employer contacts in week %(week)s",
                 done=f.get("contacts", 0), norm=f.get("norm", 0), week=f.get("week", ""))
    if norm == "follow_along_after_start":
        return _("job started on %(on)s; no face-to-face contact in the %(n)d days after",
                 on=f.get("started_on", ""), n=f.get("limit", 3))
    if norm in ("follow_along_first_month", "follow_along_monthly"):
        return _("no face-to-face client contact from %(start)s to %(end)s",
                 start=f.get("window_start", ""), end=f.get("window_end", ""))
    if norm == "job_loss_contact":
        return _("job ended on %(on)s; no client contact in the %(n)d days after",
                 on=f.get("ended_on", ""), n=f.get("limit", 3))
    if norm == "caseload_size":
        return _("%(clients)d clients for a capacity of %(capacity)d",
                 clients=f.get("clients", 0), capacity=f.get("capacity", 0))
    if norm == "treatment_team_contact":
        return _("%(days)d days without treatment-team contact", days=f.get("days", 0))
    if norm == "disclosure_before_employer_contact":
        return _("first employer contact on %(on)s, no disclosure discussion before it",
                 on=f.get("first_employer_contact_on", ""))
    if norm == "benefits_plan_before_start":
        return _("job started on %(on)s without a benefits plan offered before it",
                 on=f.get("started_on", ""))
    return ""


REMEDIES = {
    "rapid_job_search": _l("Cleared by a face-to-face employer contact for this client dated "
                           "within the first 30 days (logged late)."),
    "employer_contacts_weekly": _l("Cleared when the week's face-to-face employer contacts "
                                   "reach the norm (log any that are missing), or by recording "
                                   "an absence."),
    "follow_along_after_start": _l("Cleared by a face-to-face client contact dated within 3 days "
                                   "of the start."),
    "follow_along_first_month": _l("Cleared by a face-to-face client contact in that week."),
    "follow_along_monthly": _l("Cleared by a face-to-face client contact in that period."),
    "job_loss_contact": _l("Cleared by a client contact dated within 3 days of the ending."),
    "caseload_size": _l("Cleared when the caseload is within 25 clients per FTE."),
    "treatment_team_contact": _l("Cleared by logging a contact with the treatment team."),
    "disclosure_before_employer_contact": _l("Cleared by a disclosure discussion dated on or "
                                             "before the first employer contact."),
    "benefits_plan_before_start": _l("Cleared by a benefits plan dated on or before the start."),
}


DUE_LABELS = {
    "follow_along_start": _l("Face-to-face contact after the job start"),
    "job_loss": _l("Contact after the job ended"),
    "rapid_job_search": _l("First face-to-face employer contact (day 30)"),
}


MAIL_STATUSES = {
    "queued": _l("queued"), "sending": _l("sending"), "sent": _l("sent"), "failed": _l("failed"),
}
