"""Correction forms: the record's fields and why it is corrected."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseload.forms_common import Form, NoteField, NumberRange, date_field, fits
from caseload.models.base import NOTE_LENGTH
from caseload.models.contacts import Contact
from caseload.models.corrections import RecordVersion
from caseload.models.employers import Employer
from caseload.models.vocab import (
    CONTACT_KINDS,
    CONTACT_MODES,
    DISCLOSURE_DECISIONS,
    PLACES,
    choices,
)
from caseload.translating import lazy_gettext as _l


def reason_field():
    return NoteField(_l("Reason for the correction"), validators=[
        DataRequired(message=_l("Say why this is corrected.")), fits(RecordVersion.reason)])


class ContactCorrectionForm(Form):
    contact_date = date_field(_l("Date"))
    kind = SelectField(_l("Kind"), choices=choices(CONTACT_KINDS))
    employer = StringField(_l("Employer"), validators=[Optional(), fits(Employer.name)])
    mode = SelectField(_l("Mode"), choices=choices(CONTACT_MODES))
    place = SelectField(_l("Place"), choices=choices(PLACES))
    minutes = IntegerField(_l("Minutes"), validators=[
        Optional(), NumberRange(min=0, max=720, message=_l("Between 0 and 720 minutes."))])
    note = NoteField(_l("Short note"), validators=[Optional(), fits(Contact.note)])
    reason = reason_field()


class DisclosureCorrectionForm(Form):
    discussed_on = date_field(_l("Date"))
    decision = SelectField(_l("What the client decided"), choices=choices(DISCLOSURE_DECISIONS))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)])
    reason = reason_field()


class BenefitsCorrectionForm(Form):
    offered_on = date_field(_l("Date"))
    by_benefits_specialist = BooleanField(_l("By a benefits specialist"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)])
    reason = reason_field()


class DeleteRecordForm(Form):
    reason = reason_field()


FORMS = {"contact": ContactCorrectionForm, "disclosure": DisclosureCorrectionForm,
         "benefits_plan": BenefitsCorrectionForm}
