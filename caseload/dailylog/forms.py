"""The daily log: one form, several contacts of one day."""

from __future__ import annotations

import wtforms
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from caseload import lazy_text
from caseload.forms_common import (
    Form,
    NoteField,
    NumberRange,
    bind_clean_field,
    date_field,
    fits,
    typed_client_code,
)
from caseload.models.contacts import Contact
from caseload.models.employers import Employer
from caseload.models.vocab import CONTACT_KINDS, CONTACT_MODES, PLACES, choices
from caseload.translating import lazy_gettext as _l

# Rows come and go in the browser (static/dailylog.js); the limit only guards the server.
MAX_ROWS = 100


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ClientCodeField(StringField):
    """A line's client, by client code: typed into a text input with the page's one list of
    choices (without JavaScript), or chosen from the select static/dailylog.js makes of that
    list. Valid are the codes of `choices` (a dailylog.choices.ClientChoices the view sets: the
    caller's teams' clients); blank is no client. What was typed is kept on an error."""

    choices = None

    @property
    def choice(self):
        return self.choices.find(self.data) if self.data and self.choices is not None else None

    def pre_validate(self, form):
        if self.data and self.choice is None:
            raise ValidationError(_l(
                "No client with this code among your teams' clients with an open trajectory."))


class ContactRowForm(wtforms.Form):
    """One contact. Not a FlaskForm: the CSRF token belongs to the outer form."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return bind_clean_field(form, unbound_field, options)

        def get_translations(self, form):
            # WTForms' own messages ("Not a valid choice.") in the page's language, as a
            # FlaskForm's are: a plain wtforms.Form would say them in English.
            return wtforms_translations

    client = ClientCodeField(_l("Client"), filters=[_strip])
    kind = SelectField(_l("Kind"), choices=choices(CONTACT_KINDS))
    employer = StringField(_l("Employer"), validators=[Optional(), fits(Employer.name)])
    mode = SelectField(_l("Mode"), choices=choices(CONTACT_MODES))
    place = SelectField(_l("Place"), choices=choices(PLACES))
    minutes = IntegerField(_l("Minutes"), validators=[
        Optional(), NumberRange(min=0, max=720, message=_l("Between 0 and 720 minutes."))])
    note = NoteField(_l("Short note"), validators=[Optional(), fits(Contact.note)])

    def is_blank(self) -> bool:
        return not (self.client.data or (self.employer.data or "").strip()
                    or self.minutes.data or (self.note.data or "").strip())


class DailyLogForm(Form):
    contact_date = date_field(_l("Date"))
    # Labelled (never shown): without a label WTForms translates a made-up one ("Rows-0") for
    # the list and each line, which loads its own message catalogue from disk on every view.
    rows = FieldList(FormField(ContactRowForm, label=""), label="", min_entries=5,
                     max_entries=MAX_ROWS)

    def set_client_choices(self, choices) -> None:
        """The clients every line may name, and the other choices translated once for all
        lines (a lazy label is translated again at every option it renders otherwise)."""
        from wtforms import SelectChoice
        translated = {}
        for row in self.rows:
            row.form.client.choices = choices
            for name in ("kind", "mode", "place"):
                select = row.form[name]
                if name not in translated:
                    translated[name] = [
                        SelectChoice(c.value, lazy_text.text(c.label), c.optgroup)
                        for c in select.choices]
                select.choices = translated[name]

    def client_codes(self) -> list[str]:
        """The client codes the lines name, as stored (upper case; the field keeps them as
        typed, without the spaces around them)."""
        return [typed_client_code(row.form.client.data) for row in self.rows
                if row.form.client.data]

    @staticmethod
    def same_line_key(row):
        """What a line's fields render from (data and what was typed), or None for a line with
        an error: two lines with the same key differ in their number only, so the page renders
        the line once and copies it (five untouched lines cost one). A line whose input holds
        "rows-" is never copied: the copy renumbers that text too."""
        if row.errors:
            return None
        key = tuple((f.short_name, f.data, tuple(f.raw_data or ())) for f in row.form)
        return None if "rows-" in repr(key) else key

    def rows_in_error(self) -> list[tuple[int, list[str]]]:
        """(row number from 1, its messages) of every row with an error: the summary."""
        found = []
        for index, row in enumerate(self.rows, start=1):
            messages = [str(m) for field in row.form for m in field.errors]
            if messages:
                found.append((index, messages))
        return found
