from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from caseload.forms_common import Form, fits
from caseload.models.employers import Employer
from caseload.translating import lazy_gettext as _l


class EmployerForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), fits(Employer.name)])
    sector = StringField(_l("Sector"), validators=[Optional(), fits(Employer.sector)])
    place = StringField(_l("Place"), validators=[Optional(), fits(Employer.place)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), fits(Employer.contact_person)])
