"""The daily log's lines (one fieldset of fields per contact) as the page writes them.

Written here in one string, not by the template's loop: per line the loop paid a translated
legend, a macro call and seven field_html calls through Jinja's runtime, and the lines are
most of the form. Lines with the same input and no error differ in their number only
(DailyLogForm.same_line_key), so such a line is written once and copied with its number
changed: five untouched lines cost one. The markup (whitespace included) is what the
template's loop wrote; tests/test_daily_log_listing.py compares them."""

from __future__ import annotations

from flask import current_app, url_for
from markupsafe import Markup
from wtforms.widgets import HiddenInput

from caseload.field_html import field_html, widget_html
from caseload.models import vocab
from caseload.translating import catalogue


def _fields(row, lookup_url: str) -> str:
    """One line's fields, as the template's `line_fields` macro wrote them."""
    form = row.form
    return "\n      ".join((
        field_html(form.client, class_="client", list="client-choices", autocomplete="off"),
        field_html(form.kind, class_="kind"),
        field_html(form.employer, class_="employer", autocomplete="off",
                   data_employer_lookup=lookup_url),
        field_html(form.mode, class_="mode"),
        field_html(form.place, class_="place"),
        field_html(form.minutes, inputmode="numeric", min=0, max=720),
        field_html(form.note)))


def lines_html(form) -> Markup:
    """Every line of `form` (a DailyLogForm), with the whitespace around them."""
    lookup_url = url_for("employers.lookup")
    legend = Markup(catalogue().ugettext("Contact %(n)d"))  # as the template's _() made it
    made_key, made_html, made_index = None, "", 0
    html = ["\n  \n  "]
    for index, row in enumerate(form.rows):
        key = form.same_line_key(row)
        if key is not None and key == made_key:
            fields = made_html.replace(f"rows-{made_index}-", f"rows-{index}-")
        else:
            fields = _fields(row, lookup_url)
            if key is not None:
                made_key, made_html, made_index = key, fields, index
        html.append(
            f'\n    <fieldset class="log-row{" has-error" if row.errors else ""}" '
            f'data-row="{index}" id="row-{index}">\n'
            f"      <legend>{legend % {'n': index + 1}}</legend>\n"
            f"      {fields}\n    </fieldset>\n  ")
    html.append("\n  ")
    return Markup("".join(html))


def hidden_html(form) -> Markup:
    """form.hidden_tag() (the CSRF token, with its id), its controls written by field_html:
    WTForms' widget looked through dir() of the field's flags and formatted every attribute
    through Markup.format."""
    return Markup("\n".join(widget_html(f) for f in form if isinstance(f.widget, HiddenInput)))


def form_attributes() -> Markup:
    """The form's data attributes for static/dailylog.js (each kind's default mode and place,
    the kinds that name an employer): constants, so written once per application, as the
    template's `tojson | forceescape` wrote them."""
    written = current_app.extensions.get("dailylog_form_attributes")
    if written is None:
        written = Markup(current_app.jinja_env.from_string(
            'data-kind-defaults="{{ kind_defaults | tojson | forceescape }}"\n'
            '      data-kinds-with-employer="{{ kinds_with_employer | list | tojson '
            '| forceescape }}"').render(kind_defaults=vocab.KIND_DEFAULTS,
                                         kinds_with_employer=vocab.KINDS_WITH_EMPLOYER))
        current_app.extensions["dailylog_form_attributes"] = written
    return written
