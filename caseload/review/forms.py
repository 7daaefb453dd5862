from wtforms import TextAreaField
from wtforms.validators import DataRequired

from caseload.forms_common import Form, note_fits
from caseload.models.base import NOTE_LENGTH
from caseload.translating import lazy_gettext as _l


class AcknowledgeForm(Form):
    note = TextAreaField(_l("Note"), validators=[
        DataRequired(message=_l("Write a note to acknowledge a signal.")), note_fits(NOTE_LENGTH)])
