from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from caseload.forms_common import Form


class EmployerForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=120)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
