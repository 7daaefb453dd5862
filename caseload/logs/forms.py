from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from caseload.forms_common import Form
from caseload.models.base import NOTE_LENGTH
from caseload.translating import lazy_gettext as _l


class MonthReviewForm(Form):
    note = TextAreaField(_l("Note"), validators=[
        DataRequired(message=_l("Write what you checked and found.")), Length(max=NOTE_LENGTH)])
