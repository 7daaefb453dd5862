"""Forms of the worker's week: planning and moving an appointment, logging an outreach attempt."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, Optional

from caseload.forms_common import Form, NoteField, NumberRange, date_field, fits
from caseload.models.appointments import PLAN_AHEAD_DAYS, Appointment, OutreachAttempt
from caseload.models.employers import Employer
from caseload.models.vocab import APPOINTMENT_KINDS, ATTEMPT_METHODS, CONTACT_MODES, PLACES, choices
from caseload.translating import lazy_gettext as _l


class WhenFields:
    starts_on = date_field(_l("Date"), future_days=PLAN_AHEAD_DAYS)
    starts_time = TimeField(_l("Time"), validators=[DataRequired(message=_l("Enter a time."))])


class AppointmentForm(WhenFields, Form):
    client_id = SelectField(_l("Client"), coerce=int, validate_choice=True)
    kind = SelectField(_l("With"), choices=choices(APPOINTMENT_KINDS))
    employer = StringField(_l("Employer"), validators=[Optional(), fits(Employer.name)])
    mode = SelectField(_l("Mode"), choices=choices(CONTACT_MODES))
    place = SelectField(_l("Place"), choices=choices(PLACES))
    location = StringField(_l("Where"), validators=[Optional(), fits(Appointment.location)])
    minutes = IntegerField(_l("Minutes"), default=60, validators=[
        DataRequired(message=_l("Between 1 and 720 minutes.")),
        NumberRange(min=1, max=720, message=_l("Between 1 and 720 minutes."))])


class MoveForm(WhenFields, Form):
    pass


class AttemptForm(Form):
    """Prefixed ("attempt-..."): its note never shares an id with the client page's other forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attempt")
        super().__init__(*args, **kwargs)

    attempted_on = date_field(_l("Date"))
    method = SelectField(_l("Attempt"), choices=choices(ATTEMPT_METHODS))
    note = NoteField(_l("Short note"), validators=[Optional(), fits(OutreachAttempt.note)])
