from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from caseload.forms_common import Form, note_fits
from caseload.models.base import NOTE_LENGTH
from caseload.translating import lazy_gettext as _l


class ReviewForm(Form):
    worker_id = HiddenField()
    note = TextAreaField(_l("Note"), validators=[Optional(), note_fits(NOTE_LENGTH)])
