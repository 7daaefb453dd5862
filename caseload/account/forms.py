from wtforms import BooleanField, SelectField

from caseload.forms_common import LANGUAGE_CHOICES, Form, options
from caseload.translating import lazy_gettext as _l


class MailSettingsForm(Form):
    language = SelectField(_l("Language of the screens and mails"),
                           choices=options(LANGUAGE_CHOICES))
    wants_worker_digest = BooleanField(_l("Daily digest of my signals and what is due (working days)"))
    wants_coordinator_digest = BooleanField(_l("Weekly checklist of my team (Monday)"))
    wants_reminders = BooleanField(_l("Reminders when a contact after a job start or ending is due tomorrow"))


class EndSessionsForm(Form):
    """CSRF only: which session is in the URL."""
