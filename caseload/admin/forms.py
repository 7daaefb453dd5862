from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from caseload.forms_common import date_field
from caseload.models.vocab import ROLES, choices


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False),
                                                 Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    fte = DecimalField(_l("FTE"), places=2, validators=[DataRequired(), NumberRange(min=0, max=1.5)])
    team_ids = SelectMultipleField(_l("Teams"), coerce=int)
    language = SelectField(_l("Language"), choices=[("nl", "Nederlands"), ("en", "English")])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200)])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])


class AbsenceForm(FlaskForm):
    from_date = date_field(_l("From"), future_days=366)
    to_date = date_field(_l("To (inclusive)"), future_days=366 * 2)
