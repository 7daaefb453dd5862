"""The fixed vocabularies of the domain: stored tokens and their (translatable) labels.

Tokens are what the database, the CSV import and the JSON output use; labels are what people see.
"""

from __future__ import annotations

from caseload.translating import lazy_gettext as _l

# The languages of the screens and mails, each named in itself; the first is the default.
LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = next(iter(LANGUAGES))

# An outbox message's status: queued -> sending (claimed) -> sent or failed (mail/sender.py).
MAIL_STATUSES = {
    "queued": _l("queued"), "sending": _l("sending"), "sent": _l("sent"), "failed": _l("failed"),
}

ROLES = {"worker": _l("IPS worker"), "coordinator": _l("Coordinator"), "admin": _l("Administrator")}
# The roles that may hold clients (a coordinator may carry a caseload of their own): who can
# take on a team's clients, and who gets the digest and reminders about the clients they hold.
CASELOAD_ROLES = ("worker", "coordinator")

# The six phases, in the order they usually come (domain.md).
PHASES = {
    "intake": _l("Intake"),
    "engagement": _l("Engagement"),
    "assessment": _l("Assessment"),
    "job_finding": _l("Job finding"),
    "coaching": _l("Coaching"),
    "follow_along": _l("Follow-along"),
}

TRAJECTORY_TYPES = {"ips_epa": _l("IPS-EPA"), "ips_cmd": _l("IPS-CMD"), "other": _l("Other")}

FUNDERS = {"uwv": _l("UWV"), "municipality": _l("Municipality"), "other": _l("Other")}

# Zero exclusion (fidelity item 9, domain.md): no reason here may exclude a client for substance
# use, violence, symptoms or missed appointments. tests/test_trajectories.py guards this list.
END_REASONS = {
    "working_handed_over": _l("Working steadily, support handed over"),
    "no_longer_wants_work": _l("Client no longer wants work"),
    "moved": _l("Moved away"),
    "term_reached": _l("Funded term reached, handed over to treatment team"),
    "education_handed_over": _l("In education, support handed over"),
    "deceased": _l("Deceased"),
    "other": _l("Other"),
}

CONTACT_KINDS = {
    "client": _l("Client"),
    "employer": _l("Employer"),
    "treatment_team": _l("Treatment team"),
    "family": _l("Family and network"),
    "benefits_agency": _l("Benefits agency / UWV / municipality"),
    "education": _l("Education institution"),
    "other": _l("Other"),
}

# Fidelity item 17 counts face-to-face contacts "met werkgevers of onderwijsinstellingen": job
# development with employers and with schools, in the weekly norm, the checklist and the outcomes.
JOB_DEVELOPMENT_KINDS = ("employer", "education")

CONTACT_MODES = {
    "face_to_face": _l("Face-to-face"),
    "phone": _l("Phone"),
    "video": _l("Video"),
    "email": _l("E-mail"),
    "text": _l("Text message"),
}

PLACES = {"community": _l("Community"), "office": _l("Office")}

# What the daily log preselects for each kind of contact (mode, place): IPS work with clients
# and employers is face-to-face in the community; the others are mostly calls from the office.
KIND_DEFAULTS = {
    "client": ("face_to_face", "community"),
    "employer": ("face_to_face", "community"),
    "treatment_team": ("face_to_face", "office"),
    "family": ("phone", "office"),
    "benefits_agency": ("phone", "office"),
    "education": ("phone", "office"),
    "other": ("phone", "office"),
}
# Only an employer contact names an employer.
KINDS_WITH_EMPLOYER = ("employer",)

CONTRACTS = {
    "temporary_lt6m": _l("Temporary, shorter than 6 months"),
    "temporary_ge6m": _l("Temporary, 6 months or longer"),
    "permanent": _l("Permanent"),
}

PLACEMENT_TYPES = {
    "paid_job": _l("Paid job"),
    "paid_job_subsidised": _l("Paid job with wage-cost subsidy"),
    "work_experience": _l("Work-experience placement"),
    "internship": _l("Internship"),
    "education": _l("Education"),
    "volunteer": _l("Volunteer work"),
}

PLACEMENT_END_REASONS = {
    "contract_ended": _l("Contract ended"),
    "resigned": _l("Client resigned"),
    "dismissed": _l("Dismissed"),
    "better_job": _l("Moved to a better job"),
    "education_completed": _l("Education completed"),
    "education_dropped": _l("Education stopped"),
    "other": _l("Other"),
}

DISCLOSURE_DECISIONS = {
    "not_yet": _l("Not decided yet"),
    "no_disclosure": _l("No disclosure"),
    "partial": _l("Partial disclosure"),
    "full": _l("Full disclosure"),
}


def choices(vocabulary: dict) -> list:
    """Select options for a vocabulary: stored token as value, translated label."""
    from wtforms import SelectChoice
    return [SelectChoice(token, label) for token, label in vocabulary.items()]


# Appointments and outreach attempts (the worker's week).
APPOINTMENT_KINDS = {
    "client": _l("Client"),
    "employer": _l("Employer"),
    "treatment_team": _l("Treatment team"),
}

APPOINTMENT_STATUSES = {
    "planned": _l("Planned"),
    "done": _l("Done"),
    "moved": _l("Moved"),
    "no_show": _l("No-show"),
}

# Fidelity item 25: outreach attempts are documented; none of them is a contact.
ATTEMPT_METHODS = {
    "no_show": _l("Did not come to an appointment"),
    "phone_unanswered": _l("Phone call not answered"),
    "message_left": _l("Message left"),
    "home_visit": _l("Home visit, nobody in"),
    "letter": _l("Letter or card sent"),
}
