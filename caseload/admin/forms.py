from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from caseload.forms_common import LANGUAGE_CHOICES, Form, date_field, options
from caseload.models.vocab import ROLES, choices


class UserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False),
                                                 Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    fte = DecimalField(_l("FTE"), places=2, validators=[DataRequired(), NumberRange(min=0, max=1.5)])
    team_ids = SelectMultipleField(_l("Teams"), coerce=int)
    language = SelectField(_l("Language"), choices=options(LANGUAGE_CHOICES))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200)])


class TeamForm(Form):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])


class AbsenceForm(Form):
    from_date = date_field(_l("From"), future_days=366)
    to_date = date_field(_l("To (inclusive)"), future_days=366 * 2)


NORM_SETTING_LABELS = {
    "rapid_job_search_days": (_l("Days from program entry to the first employer contact"), 1, 365),
    "employer_contacts_per_week": (_l("Face-to-face employer contacts per week per FTE"), 0, 50),
    "contacts_per_job_seeker": (_l("Contacts per week per job seeker, for few job seekers"), 0, 20),
    "job_seeker_threshold": (_l("Below this many job seekers, the per-seeker norm applies"), 0, 50),
    "follow_along_start_days": (_l("Days after a job start for a face-to-face contact"), 0, 60),
    "follow_along_first_month_weeks": (_l("Weeks of weekly contact after a start"), 0, 12),
    "follow_along_month_days": (_l("Days between follow-along contacts after the first month"), 1, 120),
    "job_loss_days": (_l("Days after a job ended for a client contact"), 0, 60),
    "clients_per_fte": (_l("Clients per FTE"), 1, 100),
    "treatment_team_days": (_l("Most days between treatment-team contacts"), 1, 120),
}


def norm_settings_form(current) -> Form:
    from wtforms import IntegerField

    class NormSettingsForm(Form):
        setting_names = list(NORM_SETTING_LABELS)

    for name, (label, low, high) in NORM_SETTING_LABELS.items():
        setattr(NormSettingsForm, name, IntegerField(
            label, default=getattr(current, name),
            validators=[InputRequired(), NumberRange(min=low, max=high)]))
    return NormSettingsForm()
