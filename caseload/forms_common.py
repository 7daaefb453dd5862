"""Field helpers shared by the forms of several blueprints."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from caseload.models.base import length_of
from caseload.models.vocab import LANGUAGES
from caseload.translating import lazy_gettext as _l

EARLIEST_DATE = date(2000, 1, 1)

LANGUAGE_CHOICES = tuple(LANGUAGES.items())


def fits(attribute) -> Length:
    """At most as many characters as the model's column holds (`fits(Client.client_code)`)."""
    return Length(max=length_of(attribute))


def note_fits(limit: int) -> Length:
    """At most `limit` characters in a note, refused with the limit named ("at most 2000
    characters"), the project's one message for a note too long."""
    return Length(max=limit, message=_l("The note is too long (at most %(most)d characters).",
                                        most=limit))


def options(pairs, optgroup: str | None = None) -> list:
    """(value, label) pairs as WTForms select options, optionally inside one optgroup."""
    from wtforms import SelectChoice
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


class SaneDate:
    """Dates in a plausible range: not before 2000, and not in the future unless allowed."""

    def __init__(self, future_days: int = 0):
        self.future_days = future_days

    def __call__(self, form, field):
        from caseload import clock
        if field.data is None:
            return
        if field.data < EARLIEST_DATE:
            raise ValidationError(_l("Enter a date from the year 2000 on."))
        if (field.data - clock.today()).days > self.future_days:
            if self.future_days:
                raise ValidationError(_l("This date is too far in the future."))
            raise ValidationError(_l("This date cannot be in the future."))


def date_field(label, *, required: bool = True, future_days: int = 0, **kwargs) -> DateField:
    validators = [DataRequired(message=_l("Enter a date."))] if required else []
    from wtforms.validators import Optional
    if not required:
        validators.append(Optional())
    validators.append(SaneDate(future_days))
    return DateField(label, validators=validators, **kwargs)


# NUL and other control characters (but tab and newlines) have no place in a note or a name,
# and PostgreSQL refuses NUL in text: they are removed from every text field.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses what Python's Decimal accepts but no amount is: "NaN",
    "sNaN" (which even breaks comparisons), "Infinity", "-inf". The typed text stays in the
    field, with one clear message and no further checks on a value that is not there."""

    MESSAGE = _l("Enter a number, e.g. 12.5.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", self.MESSAGE)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None  # an empty optional field (a browser sends ""), not a bad number
            return
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_value_message)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # keep the one message; "required" or a range would mislead


class WholeNumberField(IntegerField):
    """An integer field that says one thing about text that is no whole number ("abc", "1.5"):
    WTForms' IntegerField added its range's message to its own ("Not a valid integer value.
    Between 0 and 720 minutes."), two messages for one mistake. The typed text stays in the
    field; an empty field is no number (None), left to Optional or a required check."""

    MESSAGE = _l("Enter a whole number, e.g. 30.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", self.MESSAGE)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None  # an empty optional field (a browser sends ""), not a bad number
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # keep the one message; "required" or a range would mislead


def bind_clean_field(form, unbound_field, options):
    """Bind a field; text fields get the control-character filter, every DecimalField is a
    FiniteDecimalField and every IntegerField a WholeNumberField (so a new form cannot forget
    them)."""
    if (issubclass(unbound_field.field_class, DecimalField)
            and not issubclass(unbound_field.field_class, FiniteDecimalField)):
        unbound_field.field_class = FiniteDecimalField
    if (issubclass(unbound_field.field_class, IntegerField)
            and not issubclass(unbound_field.field_class, WholeNumberField)):
        unbound_field.field_class = WholeNumberField
    filters = unbound_field.kwargs.get("filters", ())
    if (issubclass(unbound_field.field_class, StringField)
            and strip_control_characters not in filters):
        unbound_field.kwargs["filters"] = (*filters, strip_control_characters)
    return unbound_field.bind(form=form, **options)


class Form(FlaskForm):
    """The base of every form: CSRF (Flask-WTF) and clean text."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return bind_clean_field(form, unbound_field, options)


def attach_error(form, error, *, names: dict | None = None, default: str | None = None) -> None:
    """Show a refused change (a DomainError) at the field it names, else above the form.
    `names` maps the model's field names to the form's where they differ ({"client":
    "client_id"}); `default` is the field for an error that names none."""
    name = (names or {}).get(error.field, error.field) or default
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))
