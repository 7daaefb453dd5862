"""Field helpers shared by the forms of several blueprints."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired, ValidationError

EARLIEST_DATE = date(2000, 1, 1)

LANGUAGE_CHOICES = (("nl", "Nederlands"), ("en", "English"))


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
