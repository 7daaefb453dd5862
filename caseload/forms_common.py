"""Field helpers shared by the forms of several blueprints."""

from __future__ import annotations

import math
import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
    validators,
)
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError
from wtforms.widgets import TextInput

from caseload.models.base import (
    NotAnAmount,
    ThousandsOrDecimal,
    decimal_places,
    length_of,
    read_amount,
    read_whole_number,
)
from caseload.models.vocab import LANGUAGES
from caseload.numbers import decimal
from caseload.translating import gettext
from caseload.translating import lazy_gettext as _l

EARLIEST_DATE = date(2000, 1, 1)

LANGUAGE_CHOICES = tuple(LANGUAGES.items())


def fits(attribute) -> Length:
    """At most as many characters as the model's column holds (`fits(Client.client_code)`)."""
    return Length(max=length_of(attribute))


def typed_client_code(value):
    """A field's filter: a client code as typed, without the spaces around it and in upper
    case, as codes are stored ("ab123 " is client AB123)."""
    from caseload.models.clients import normalise_client_code
    return normalise_client_code(value.strip()) if isinstance(value, str) else value


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
# and PostgreSQL refuses NUL in text: they are removed from every text field. C1 (U+0080 to
# U+009F) comes from text decoded in the wrong code page, never from a keyboard.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A password keeps what it always kept (all but C0 and DEL): removing more now would lock out
# whoever chose one with such a character.
PASSWORD_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A one-line field (an input, not a textarea) holds no tab or line break: a browser drops the
# line breaks of what is pasted into an input itself; a tab (pasted from a spreadsheet) or a
# line break in a hand-made request becomes a space, as it reads.
LINE_BREAKS_AND_TABS = re.compile(r"[\t\n\r\u2028\u2029]")


def strip_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def strip_password_control_characters(value):
    return PASSWORD_CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def one_line(value):
    return LINE_BREAKS_AND_TABS.sub(" ", value) if isinstance(value, str) else value


class NoHiddenCharacters:
    """Refuses the characters that show nothing (typed_text): in a name or an identifier every
    one, in free text (`free_text`) those that turn the text direction. First in the field's
    chain, and the last word: the field's own rules would only add a misleading message."""

    def __init__(self, free_text: bool = False):
        self.free_text = free_text

    def __call__(self, form, field):
        from caseload import typed_text
        value = field.data if isinstance(field.data, str) else ""
        hidden = (typed_text.hidden_in_free_text if self.free_text
                  else typed_text.hidden_in_name)(value)
        if hidden is None:
            return
        field.errors[:] = []  # StopValidation with a message adds it after these
        if hidden.turns_direction:
            raise StopValidation(_l(
                "Holds a character that turns the text direction (%(code)s) at character "
                "%(position)d; remove it.", code=hidden.code, position=hidden.position))
        raise StopValidation(_l(
            "Holds an invisible character (%(code)s) at character %(position)d; remove it, "
            "else two names that look the same are different.", code=hidden.code,
            position=hidden.position))


class NoteField(StringField):
    """One line of free text (a short note, a reason): the free-text rule for hidden
    characters, not the rule for names."""


class OneMessageNumber:
    """What the project's number fields share (FiniteDecimalField, WholeNumberField): the
    field's own message for text that is no such number, an empty field read as no number
    (None, left to Optional or a required check; a browser sends ""), and no further checks
    after a refused value, whose "required" or range message would only mislead. The typed
    text stays in the field."""

    MESSAGE = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", self.MESSAGE)
        super().__init__(*args, **kwargs)

    @staticmethod
    def sent_empty(valuelist) -> bool:
        """The field was sent with nothing in it (not: not sent at all, which keeps the
        field's default or object value, as WTForms does)."""
        return bool(valuelist) and not str(valuelist[0]).strip()

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class NumberRange(validators.NumberRange):
    """WTForms' range check with its bounds written as the reader writes numbers (0,5 in Dutch,
    where WTForms wrote 0.5 and the decimal comma is asked for), and a field sent holding only
    spaces (read as no number, OneMessageNumber) called required rather than out of range when
    InputRequired passed it."""

    def __call__(self, form, field):
        low, high = self._resolve(self.min), self._resolve(self.max)
        data = field.data
        if data is None:
            raise StopValidation(gettext("This field is required."))
        if (not math.isnan(data) and (low is None or data >= low)
                and (high is None or data <= high)):
            return
        written = {name: None if bound is None else decimal(bound, digits=6)
                   for name, bound in (("min", low), ("max", high))}
        if self.message is not None:
            raise ValidationError(self.message % written)
        if high is None:
            raise ValidationError(gettext("Enter a number of at least %(min)s.", **written))
        if low is None:
            raise ValidationError(gettext("Enter a number of at most %(max)s.", **written))
        raise ValidationError(gettext("Enter a number from %(min)s to %(max)s.", **written))


class FiniteDecimalField(OneMessageNumber, DecimalField):
    """A decimal field that reads an amount as the import does (models/base.read_amount: a
    decimal comma as a point, 1,500 and 1.500 refused as ambiguous), refusing what Python's Decimal
    accepts but no one writes as an amount ("NaN", "sNaN", which even breaks comparisons,
    "Infinity", 1e3, 1_000, digits of other scripts); and more decimals than its `places`
    (the column's: `places=places_of(Placement.hours_per_week)`), which the database would
    round away unasked.

    Rendered as a text input with a decimal keypad, not <input type=number>: Chromium drops a
    typed comma from a number input (2,5 reaches the server as 25, silently), and an input it
    cannot read is sent empty, so what was typed could be neither kept nor explained."""

    MESSAGE = _l("Enter a number, e.g. 12.5.")
    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs["render_kw"] = {"inputmode": "decimal", **(kwargs.get("render_kw") or {})}
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if self.sent_empty(valuelist):
            self.data = None
            return
        if not valuelist:
            return
        self.data = None
        try:
            amount = read_amount(str(valuelist[0]).strip())
        except ThousandsOrDecimal as ambiguous:
            raise ValueError(
                _l("Is the comma a decimal sign or does it separate thousands? Write 1500 or 1.5.")
                if ambiguous.sign == "," else
                _l("Is the point a decimal sign or does it separate thousands? Write 1500 or 1.5.")
            ) from None
        except NotAnAmount:
            raise ValueError(self.invalid_value_message) from None
        self.data = amount
        if self.places is not None and decimal_places(amount) > self.places:
            self.data = None
            raise ValueError(too_many_places(self.places))


NAME_RULE = NoHiddenCharacters()
FREE_TEXT_RULE = NoHiddenCharacters(free_text=True)


def too_many_places(places: int) -> str:
    """The message for an amount with more decimals than its column holds."""
    from flask_babel import ngettext
    return ngettext("Use at most %(num)d decimal.", "Use at most %(num)d decimals.", places)


class WholeNumberField(OneMessageNumber, IntegerField):
    """An integer field that says one thing about text that is no whole number ("abc", "1.5"):
    WTForms' IntegerField added its range's message to its own ("Not a valid integer value.
    Between 0 and 720 minutes."), two messages for one mistake. Read as the import reads one
    (models/base.read_whole_number: ASCII digits, not int()'s 1_000 or ١٢)."""

    MESSAGE = _l("Enter a whole number, e.g. 30.")

    def process_formdata(self, valuelist):
        if self.sent_empty(valuelist):
            self.data = None
            return
        if not valuelist:
            return
        self.data = None
        try:
            self.data = read_whole_number(str(valuelist[0]).strip())
        except NotAnAmount:
            raise ValueError(self.invalid_value_message) from None


def bind_clean_field(form, unbound_field, options):
    """Bind a field; text fields get the control-character filter and the rule for hidden
    characters (one-line ones: no tabs or line breaks either), every DecimalField is a
    FiniteDecimalField and every IntegerField a WholeNumberField (so a new form cannot forget
    them). The unbound field is changed once (it belongs to the form class), not at every
    bind."""
    field_class = unbound_field.field_class
    if (issubclass(field_class, DecimalField)
            and not issubclass(field_class, FiniteDecimalField)):
        unbound_field.field_class = FiniteDecimalField
    if (issubclass(field_class, IntegerField)
            and not issubclass(field_class, WholeNumberField)):
        unbound_field.field_class = WholeNumberField
    if issubclass(field_class, StringField) and not getattr(unbound_field, "_cleaned", False):
        _add_text_rules(unbound_field, field_class)
    return unbound_field.bind(form=form, **options)


def _add_text_rules(unbound_field, field_class) -> None:
    filters = tuple(unbound_field.kwargs.get("filters", ()))
    if issubclass(field_class, PasswordField):
        unbound_field.kwargs["filters"] = (*filters, strip_password_control_characters)
    else:
        multiline = issubclass(field_class, TextAreaField)
        unbound_field.kwargs["filters"] = (
            *filters, strip_control_characters, *(() if multiline else (one_line,)))
        if not issubclass(field_class, HiddenField):
            rule = FREE_TEXT_RULE if multiline or issubclass(field_class, NoteField) \
                else NAME_RULE
            args = list(unbound_field.args)
            if len(args) > 1:  # validators given by position
                args[1] = [rule, *(args[1] or ())]
                unbound_field.args = tuple(args)
            else:
                unbound_field.kwargs["validators"] = [
                    rule, *(unbound_field.kwargs.get("validators") or ())]
    unbound_field._cleaned = True


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
