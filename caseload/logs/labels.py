"""What the log pages show instead of the stored tokens: actions, outcomes, areas (the record
type of an access-log entry, often the endpoint that answered), object types and fields of the
administration log. The CSV files keep the tokens, as the other exports do."""

from __future__ import annotations

from caseload.models.vocab import ROLES
from caseload.translating import lazy_gettext as _l

ACTIONS = {
    "read": _l("Read"),
    "list": _l("Listed"),
    "search": _l("Searched"),
    "change": _l("Changed"),
    "export": _l("Exported"),
    "erase": _l("Erased"),
    "login": _l("Log-in"),
    "logout": _l("Log-out"),
    "login_fail": _l("Failed log-in"),
    "sess_end": _l("Session ended by the user"),
    "sess_all": _l("Other sessions ended by the user"),
    "password": _l("Password changed"),
    "2fa_enrol": _l("Second factor enrolled"),
    "2fa_codes": _l("New recovery codes"),
    "2fa_key": _l("Security key added"),
    "2fa_key_rm": _l("Security key removed"),
    "2fa_reset": _l("Second factor reset"),
    "correct": _l("Corrected"),
    "dry_run": _l("Dry run"),
    "delete": _l("Deleted"),
}

OUTCOMES = {"allowed": _l("Allowed"), "denied": _l("Denied"), "failed": _l("Failed")}

# Fixed record types (written by the views) and endpoints of client pages.
AREAS = {
    "client": _l("Client record"),
    "caseload": _l("Caseload"),
    "daily_log": _l("Daily log"),
    "contact": _l("Contact"),
    "contact_week": _l("Contacts of a week"),
    "employer_log": _l("Employer's contacts"),
    "signals": _l("Open signals"),
    "signal_history": _l("Signal history"),
    "work_monitor": _l("Work monitor export"),
    "outbox_message": _l("Outbox message"),
    "privacy_export": _l("Privacy: export"),
    "privacy_erase": _l("Privacy: erasure"),
    "session": _l("Session"),
    "account": _l("Account"),
    "search": _l("Search"),
    "handover": _l("Handover"),
    "team_move": _l("Move to another team"),
    "access_log": _l("Access log"),
    "admin_log": _l("Administration log"),
    "privacy_review": _l("Privacy review"),
    "appointment": _l("Appointment"),
    "placement": _l("Placement"),
    "calendar_feed": _l("Calendar feed"),
    "week": _l("My week"),
    "import": _l("Import"),
    "disclosure": _l("Disclosure discussion"),
    "benefits_plan": _l("Benefits plan"),
    "clients.show": _l("Client record"),
    "clients.edit_client": _l("Client record: details"),
    "clients.edit_placement": _l("Client record: placement"),
    "clients.change_phase": _l("Client record: phase"),
    "clients.end_trajectory": _l("Client record: ending"),
    "clients.new_trajectory": _l("Client record: new trajectory"),
    "clients.start_placement": _l("Client record: placement"),
    "clients.end_placement": _l("Client record: placement"),
    "clients.add_disclosure": _l("Client record: disclosure"),
    "clients.add_benefits_plan": _l("Client record: benefits plan"),
    "clients.save_profile": _l("Client record: vocational profile"),
    "privacy.export": _l("Privacy: export"),
    "privacy.export_json": _l("Privacy: export"),
    "privacy.erase": _l("Privacy: erasure"),
}

# Any other endpoint (a refused attempt can name any page) by its blueprint.
BLUEPRINT_AREAS = {
    "clients": _l("Client record"),
    "privacy": _l("Privacy rights"),
    "dailylog": _l("Daily log"),
    "employers": _l("Employers"),
    "review": _l("Signals"),
    "checklist": _l("Weekly checklist"),
    "outcomes": _l("Outcomes"),
    "fidelity": _l("Fidelity"),
    "admin": _l("Administration"),
    "logs": _l("Logs"),
    "account": _l("Settings"),
    "search": _l("Search"),
    "team": _l("Team"),
    "transfers": _l("Handover"),
    "auth": _l("Session"),
    "week": _l("My week"),
    "importer": _l("Import"),
    "corrections": _l("Corrections"),
    "drafts": _l("Session"),
}

# Why a log-in failed, how it succeeded, why a session ended (record type "session").
SESSION_DETAILS = {
    "password": _l("password"),
    "inactive": _l("account not active"),
    "locked": _l("account locked"),
    "throttled": _l("too many failures from this address"),
    "totp": _l("authenticator code"),
    "recovery_code": _l("recovery code"),
    "oidc": _l("single sign-on"),
    "user": _l("by the user"),
    "idle": _l("after inactivity"),
    "expired": _l("session expired"),
}

OBJECT_TYPES = {"user": _l("User"), "team": _l("Team"), "absence": _l("Absence"),
                "norm_setting": _l("Norm setting"), "outbox_message": _l("Outbox message")}

CHANGE_ACTIONS = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"),
                  "resend": _l("Sent again")}

FIELDS = {
    "name": _l("Name"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "fte": _l("FTE"),
    "language": _l("Language"),
    "active": _l("Active"),
    "teams": _l("Teams"),
    "password": _l("Password"),
    "two_factor": _l("Two-factor authentication"),
    "from_date": _l("From"),
    "to_date": _l("To (inclusive)"),
    "cover": _l("Cover"),
    "status": _l("Status"),
    "recipient_email": _l("Recipient"),
    "attempts": _l("Attempts"),
    "last_error": _l("Last error"),
}

ROLE_LABELS = {**ROLES, "system": _l("System")}

VALUES = {"yes": _l("yes"), "no": _l("no"), "set": _l("set (not shown)"), "reset": _l("reset"),
          **ROLES}


def area_label(record_type: str) -> str:
    if record_type in AREAS:
        return AREAS[record_type]
    if record_type.startswith("account:"):  # an administrator acting on someone's account
        return AREAS["account"]
    blueprint = record_type.partition(".")[0]
    return BLUEPRINT_AREAS.get(blueprint, record_type)


def field_label(object_type: str, field: str) -> str:
    if object_type == "norm_setting":
        from caseload.norms.registry import SETTINGS, load_all
        load_all()
        if field in SETTINGS:
            return SETTINGS[field].label
    return FIELDS.get(field, field)


def value_label(field: str, value: str) -> str:
    if field == "status":  # an outbox message's
        from caseload.models.vocab import MAIL_STATUSES
        return MAIL_STATUSES.get(value, value)
    if field in ("role", "active", "password", "two_factor") and value in VALUES:
        return VALUES[value]
    return value


def detail_label(record_type: str, detail: str) -> str:
    if record_type == "session":
        return SESSION_DETAILS.get(detail, detail)
    return detail


def template_helpers() -> dict:
    return {"log_action": lambda t: ACTIONS.get(t, t), "log_outcome": lambda t: OUTCOMES.get(t, t),
            "log_area": area_label, "log_object_type": lambda t: OBJECT_TYPES.get(t, t),
            "log_change": lambda t: CHANGE_ACTIONS.get(t, t), "log_field": field_label,
            "log_value": value_label, "log_detail": detail_label, "role_label": lambda t: ROLE_LABELS.get(t, t or "—")}
