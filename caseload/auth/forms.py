from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from caseload.forms_common import Form, fits
from caseload.models.people import User
from caseload.translating import lazy_gettext as _l


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), fits(User.email)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class CodeForm(Form):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=40)])


class EnrolForm(Form):
    code = StringField(_l("The 6-digit code your app shows"),
                       validators=[DataRequired(), Length(max=20)])


class NewPasswordForm(Form):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)])
