"""What one due item is, what it is called, and what does it (a contact, or a record on the
client page). One vocabulary for the week page, the digests, the reminders and the feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseload.translating import lazy_gettext as _l

# What is due "this week": today and the next 7 days (the page, the digest and the feed).
HORIZON_DAYS = 7
# A task (profile update, disclosure again) shows from its moment on; it is due this many days
# later, and is no longer offered after TASK_LOOKBACK_DAYS (old imported data stay quiet).
TASK_DAYS = 14
TASK_LOOKBACK_DAYS = 90
# Item 13: discuss disclosure again after two months of job finding without work.
DISCLOSURE_AGAIN_DAYS = 60
# Item 23: a contact in the week before a job starts.
WEEK_BEFORE_START_DAYS = 7


@dataclass(frozen=True)
class Doing:
    """What does a due item: a contact of this kind (and mode, where a norm asks
    face-to-face), or a record on the client page (anchor)."""

    contact_kind: str | None = None
    face_to_face: bool = False
    anchor: str | None = None


# kind -> (label, what does it). Contact kinds come from the norms (README table); tasks from
# fidelity items 12, 13, 14 and 23.
KINDS: dict[str, tuple] = {
    "follow_along_start": (_l("Face-to-face contact after the job start"),
                           Doing("client", True)),
    "follow_along_week": (_l("Weekly face-to-face contact in the first month of the job"),
                          Doing("client", True)),
    "follow_along_month": (_l("Monthly face-to-face contact during the job"),
                           Doing("client", True)),
    "job_loss": (_l("Contact after the job ended"), Doing("client", False)),
    "rapid_job_search": (_l("First face-to-face employer contact (day 30)"),
                         Doing("employer", True)),
    "treatment_team": (_l("Contact with the treatment team (regular)"),
                       Doing("treatment_team", False)),
    "disclosure_first": (_l("Disclosure discussion before the first employer contact"),
                         Doing(anchor="disclosures")),
    "benefits_plan": (_l("Benefits plan before the job starts"), Doing(anchor="disclosures")),
    "before_start": (_l("Face-to-face contact in the week before the job starts"),
                     Doing("client", True)),
    "profile_update": (_l("Update the vocational profile after the job started or ended"),
                       Doing(anchor="profile")),
    "disclosure_again": (_l("Discuss disclosure again (2 months of job finding)"),
                         Doing(anchor="disclosures")),
}

TASKS = frozenset({"disclosure_first", "benefits_plan", "before_start", "profile_update",
                   "disclosure_again"})

LABELS = {kind: label for kind, (label, _doing) in KINDS.items()}


@dataclass
class DueItem:
    kind: str
    client_id: int
    client_code: str
    due_on: date
    covering_for: str = ""  # the absent colleague's name, when the recipient covers for them
    worker_id: int | None = None

    @property
    def doing(self) -> Doing:
        return KINDS[self.kind][1]

    @property
    def is_task(self) -> bool:
        return self.kind in TASKS

    @property
    def label(self):
        return LABELS[self.kind]

    def days_left(self, as_of: date) -> int:
        return (self.due_on - as_of).days

    def log_args(self, as_of: date) -> dict | None:
        """The daily log's query arguments that fill in the contact that does this item."""
        doing = self.doing
        if doing.contact_kind is None:
            return None
        return {"client": self.client_id, "kind": doing.contact_kind,
                "mode": "face_to_face" if doing.face_to_face else
                ("face_to_face" if doing.contact_kind == "client" else "phone"),
                "date": as_of.isoformat()}
