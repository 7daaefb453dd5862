from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from caseload.forms_common import LANGUAGE_CHOICES, Form, NumberRange, date_field, fits, options
from caseload.models.base import places_of
from caseload.models.people import Team, User
from caseload.models.vocab import ROLES, choices
from caseload.translating import lazy_gettext as _l


class UserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), fits(User.name)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False),
                                                 fits(User.email)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    fte = DecimalField(_l("FTE"), places=places_of(User.fte),
                       validators=[InputRequired(), NumberRange(min=0, max=1.5)])
    team_ids = SelectMultipleField(_l("Teams"), coerce=int)
    language = SelectField(_l("Language"), choices=options(LANGUAGE_CHOICES))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200)])


class ResendForm(Form):
    """CSRF only: the message is in the URL."""


class TeamForm(Form):
    name = StringField(_l("Team name"), validators=[DataRequired(), fits(Team.name)])


class AbsenceForm(Form):
    from_date = date_field(_l("From"), future_days=366)
    to_date = date_field(_l("To (inclusive)"), future_days=366 * 2)


def norm_settings_form(current) -> Form:
    """One field per registered norm setting, with its label, unit and range."""
    from wtforms import IntegerField

    from caseload.norms.registry import SETTINGS, load_all
    load_all()

    class NormSettingsForm(Form):
        setting_names = list(SETTINGS)

    for name, setting in SETTINGS.items():
        label = f"{setting.label} ({setting.unit})" if setting.unit else setting.label
        setattr(NormSettingsForm, name, IntegerField(
            label, default=getattr(current, name),
            validators=[InputRequired(), NumberRange(min=setting.low, max=setting.high)]))
    return NormSettingsForm()
