from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional


class ReviewForm(FlaskForm):
    worker_id = HiddenField()
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
