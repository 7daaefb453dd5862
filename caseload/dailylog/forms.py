"""The daily log: one form, several contacts of one day."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from caseload.forms_common import date_field
from caseload.models.vocab import CONTACT_KINDS, CONTACT_MODES, PLACES, choices


class ContactRowForm(Form):
    """One contact. Not a FlaskForm: the CSRF token belongs to the outer form."""

    client_id = SelectField(_l("Client"), coerce=int, validate_choice=True)
    kind = SelectField(_l("Kind"), choices=choices(CONTACT_KINDS))
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=160)])
    mode = SelectField(_l("Mode"), choices=choices(CONTACT_MODES))
    place = SelectField(_l("Place"), choices=choices(PLACES))
    minutes = IntegerField(_l("Minutes"), validators=[
        Optional(), NumberRange(min=0, max=720, message=_l("Between 0 and 720 minutes."))])
    note = StringField(_l("Short note"), validators=[Optional(), Length(max=500)])

    def is_blank(self) -> bool:
        return not (self.client_id.data or (self.employer.data or "").strip()
                    or self.minutes.data or (self.note.data or "").strip())


class DailyLogForm(FlaskForm):
    contact_date = date_field(_l("Date"))
    rows = FieldList(FormField(ContactRowForm), min_entries=5, max_entries=40)

    def set_client_choices(self, grouped: list) -> None:
        for row in self.rows:
            row.form.client_id.choices = grouped
