"""The domain model, one module per aggregate."""

from caseload.models.appointments import Appointment, CalendarFeed, OutreachAttempt
from caseload.models.assignments import TrajectoryAssignment
from caseload.models.audit import AccessLogEntry, AdminLogEntry, LogPurge, PrivacyReview
from caseload.models.base import Base, DomainError
from caseload.models.checklists import WeekReview, WorkerWeekReview
from caseload.models.clients import Client, PhaseChange, Trajectory, VocationalProfile
from caseload.models.contacts import Contact
from caseload.models.corrections import RecordVersion
from caseload.models.drafts import FormDraft
from caseload.models.employers import Employer, EmployerChange
from caseload.models.fidelity import FidelityAssessment, FidelityItemScore
from caseload.models.jobs import JobRun, JobRunLog
from caseload.models.logins import LoginAttempt, RecoveryCode, SecurityKey, UserSession
from caseload.models.mail import OutboxMessage
from caseload.models.people import Absence, Team, User, team_members
from caseload.models.placements import Placement
from caseload.models.signals import NormSetting, Signal
from caseload.models.support import BenefitsPlan, DisclosureDiscussion

__all__ = [
    "AccessLogEntry", "AdminLogEntry", "Absence", "LogPurge", "PrivacyReview", "Appointment", "CalendarFeed", "OutreachAttempt", "Base", "BenefitsPlan", "Client", "Contact", "DisclosureDiscussion", "DomainError",
    "Employer", "EmployerChange", "FidelityAssessment", "FormDraft", "RecordVersion", "FidelityItemScore", "JobRun", "JobRunLog", "LoginAttempt", "NormSetting", "OutboxMessage", "PhaseChange", "Placement", "RecoveryCode", "SecurityKey", "Signal", "Team", "Trajectory", "TrajectoryAssignment", "User", "UserSession", "VocationalProfile", "WeekReview", "WorkerWeekReview",
    "team_members",
]

from caseload.models import guards  # noqa: E402,F401  (flush-time invariants across aggregates)
