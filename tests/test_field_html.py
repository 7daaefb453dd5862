"""caseload/field_html.py writes the client page's form fields as the `field` macro (WTForms'
widgets) does: the same markup, field by field, empty, filled in, and with errors, in both
languages. The page renders its forms through it, so a difference is a difference for the user
(a lost `required`, a value not kept, an error not shown at its field)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from caseload.clients import forms
from caseload.field_html import field_html, hidden_html, widget_html
from caseload.forms_common import options
from caseload.transfers.forms import HandoverForm, TeamMoveForm
from caseload.week.forms import AttemptForm
from tests.conftest import TODAY

MACROS = ('{% from "macros.html" import field, hidden_fields %}'
          '{{ field(f, **kw) }}|{{ hidden_fields(form) }}|{{ f(**kw) }}')
FAST = "{{ field_html(f, **kw) }}|{{ hidden_html(form) }}|{{ widget_html(f, **kw) }}"

# What a user may type, including what HTML escaping must handle.
HOSTILE = '<b>"Tom & Jerry\'s"</b>'


def page_forms():
    """Every form of the client page, built as the page builds them."""
    new_trajectory = forms.NewTrajectoryForm(formdata=None, program_entry_date=TODAY, worker_id=2)
    new_trajectory.worker_id.choices = [(1, "Anna <A>"), (2, 'Bob "B"')]
    workers = [SimpleNamespace(id=1, name="Anna <A>"), SimpleNamespace(id=2, name='Bob "B"')]
    handover = HandoverForm(on=TODAY, formdata=None)  # a coordinator's
    handover.set_workers(workers)
    move = TeamMoveForm(on=TODAY, formdata=None)
    move.set_targets([SimpleNamespace(id=3, name="Team & Co")], lambda team: workers)
    grouped = forms.PhaseChangeForm(changed_on=TODAY, formdata=None)  # options in optgroups
    grouped.phase.choices = (options([("a", "A"), ("b", "B <b>")], optgroup="First & one")
                             + options([("c", "C")], optgroup="Second"))
    return [handover, move, grouped,
        forms.PhaseChangeForm(changed_on=TODAY, formdata=None),
        forms.EndTrajectoryForm(ended_on=TODAY, formdata=None),
        forms.StartPlacementForm(start_date=TODAY, formdata=None),
        forms.DisclosureForm(discussed_on=TODAY, formdata=None),
        forms.benefits_plan_form(offered_on=TODAY, formdata=None),
        forms.ProfileForm(formdata=None),
        new_trajectory,
        forms.end_placement_form(7, end_date=TODAY, formdata=None),
        AttemptForm(formdata=None, attempted_on=TODAY),
    ]


def submitted(form):
    """The same form sent back with odd values in every field, then validated (errors)."""
    data = MultiDict()
    for f in form:
        if f.type == "CSRFTokenField":
            continue
        if f.type in ("DateField",):
            data[f.name] = "2026-02-30"  # no such day: an error, the text kept
        elif f.type in ("DecimalField", "FiniteDecimalField"):
            data[f.name] = "12,5x"
        elif f.type == "SelectField":  # a real choice (shown selected), else one there is not
            values = [str(c.value) for c in f.iter_choices()]
            data[f.name] = values[-1] if len(values) > 1 else "no-such-choice"
        elif f.type == "BooleanField":
            continue  # not ticked
        else:
            data[f.name] = HOSTILE * 200  # too long: an error
    again = type(form)(formdata=data, prefix=form._prefix.rstrip("-") if form._prefix else "")
    for name, f in form._fields.items():
        if f.type == "SelectField":
            again._fields[name].choices = f.choices
    again.validate()
    return again


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def render(app, template, form, f, kw):
    return normalised(app.jinja_env.from_string(template).render(form=form, f=f, kw=kw))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("state", ["empty", "submitted"])
def test_fields_of_the_client_page_are_written_as_the_macro_writes_them(app, language, state):
    with app.test_request_context("/"), force_locale(language):
        compared = selected = 0
        for form in page_forms():
            if state == "submitted":
                form = submitted(form)
            for f in form:
                for kw in ({}, {"rows": 2, "autocomplete": "off", "data_employer_lookup": "/x?a&b"}):
                    assert render(app, FAST, form, f, kw) == render(app, MACROS, form, f, kw), \
                        (type(form).__name__, f.name, kw)
                    compared += 1
                    selected += " selected" in str(widget_html(f))
        assert compared > 70 and selected >= (10 if state == "submitted" else 0)


def test_errors_and_typed_input_are_shown_at_the_field(app):
    with app.test_request_context("/"):
        form = submitted(forms.StartPlacementForm(formdata=None))
        html = str(field_html(form.hours_per_week)) + str(field_html(form.job_title))
        assert 'aria-invalid="true"' in html and 'class="field  has-error"' in html
        assert 'value="12,5x"' in html  # the typed text kept
        assert 'id="hours_per_week-error"' in html and 'id="job_title-error"' in html
        assert "<b>" not in html and "&lt;b&gt;" in html  # escaped, never markup
        empty = str(field_html(forms.StartPlacementForm(formdata=None).job_title))
        assert "required" in empty and 'maxlength="' in empty and "error" not in empty


def test_hidden_fields_carry_the_token_without_an_id(app):
    with app.test_request_context("/"):
        form = forms.ProfileForm(formdata=None, data={"version": "3"})
        html = str(hidden_html(form))
        assert 'name="csrf_token"' in html and 'id="csrf_token"' not in html
        assert '<input id="version" name="version" type="hidden" value="3">' in html
        assert str(widget_html(form.csrf_token, id=False)).count("id=") == 0
