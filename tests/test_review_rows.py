"""caseload/review/rows.py writes the signals review's open rows as the page's template wrote
them: the same markup, checked against that template's row loop (kept here as the
reference) for signals of every subject, in both languages. A difference is a difference for
the user (a lost link, an unescaped code or name, a label in the wrong language)."""

from __future__ import annotations

from collections import namedtuple
from datetime import date

import pytest
from flask import render_template_string, request, url_for
from flask_babel import force_locale
from markupsafe import escape

from caseload import dates
from caseload.checklist.rows import csrf_field
from caseload.models.base import NOTE_LENGTH
from caseload.review import rows
from caseload.review.forms import AcknowledgeForm
from caseload.signal_texts import details, remedy, title
from caseload.translating import gettext

# The rows of templates/review/signals.html as they were before rows.py: the settings made
# once, the row loop over the values the view made per row.
TEMPLATE = """\
{# Labels, the CSRF field and the return address are the same on every row: made once; the
   links are built once and given each row's id, a day is formatted once (review/views.py). #}
{% set l_since, l_norm, l_concerns, l_details, l_ack, l_note = _('Since'), _('Norm'), _('Concerns'), _('Details'), _('Acknowledge'), _('Note') %}
{% set csrf_field, here = form.csrf_token(), request.full_path %}
{#- What is the same on every row, its parts rendered once (one output per part, not one per
    label in it). -#}
{% set td_since %}<td data-label="{{ l_since }}">{% endset %}{% set td_norm %}<td data-label="{{ l_norm }}">{% endset %}
{%- set td_concerns %}<td data-label="{{ l_concerns }}">{% endset %}{% set td_details %}<td data-label="{{ l_details }}">{% endset %}
{%- set td_ack %}<td data-label="{{ l_ack }}">{% endset %}
{%- set ack_tail %}{{ csrf_field }}<input type="hidden" name="next" value="{{ here }}">
      <input name="note" maxlength="{{ note_length }}" required placeholder="{{ l_note }}" aria-label="{{ l_note }}">
      <button type="submit" class="secondary">{{ l_ack }}</button>
    </form>
  </td>
</tr>{% endset %}
{% for s, since, norm_title, norm_remedy, details, row, client_url, ack_url in rows %}
<tr data-signal="{{ s.id }}">
  {{ td_since }}{{ since }}</td>
  {# the row's values come made from the view (review/views.py) #}
  {{ td_norm }}{{ norm_title }}</td>
  {{ td_concerns }}{% if row.client_id is not none %}<a href="{{ client_url }}">{{ row.client_code }}</a>{% endif %}{% if row.worker_name is not none %} {{ row.worker_name }}{% endif %}{% if s.norm == 'employer_contacts_weekly' and s.facts.week %} · <a href="{{ url_for('dailylog.week', worker_id=s.worker_id, week=s.facts.week) }}">{{ s.facts.week }}</a>{% endif %}</td>
  {{ td_details }}{{ details }}<br><small class="meta">{{ norm_remedy }}</small></td>
  {{ td_ack }}
    <form method="post" action="{{ ack_url }}" class="ack">
      {{ ack_tail }}
{% else %}<tr><td colspan="5">{{ _('No open signals.') }}</td></tr>{% endfor %}"""

HOSTILE = '<b>"Tom & Jerry\'s"</b>'
Row = namedtuple("Row", "id norm anchor facts worker_id client_id client_code worker_name")
SIGNALS = [
    Row(31, "treatment_team_contact", date(2026, 3, 18),
        {"days": 15, "limit": 14, "last_contact_on": "2026-03-04"}, 7, 201, "C0201", "Ann"),
    Row(30, "treatment_team_contact", date(2026, 3, 18),
        {"days": 15, "limit": 14, "last_contact_on": "2026-03-04"}, 7, 202, HOSTILE, HOSTILE),
    Row(29, "employer_contacts_weekly", date(2026, 3, 16),
        {"contacts": 3, "norm": 4, "week": "2026-W11", "job_seekers": 4, "absent_days": 0},
        8, None, None, "Bert"),
    Row(28, "employer_contacts_weekly", date(2026, 3, 9), {"contacts": 1, "norm": 4}, 8,
        None, None, "Bert"),
    Row(27, "caseload_size", date(2026, 3, 2), {"clients": 3, "capacity": 2, "fte": "0.10"},
        None, None, None, None),  # a signal whose worker is gone
    Row(26, "rapid_job_search", date(2025, 12, 31),
        {"day": 31, "limit": 30, "late_contact_on": None}, 9, 203, "C0203", None),
    Row(25, "follow_along_first_month", date(2025, 12, 31),
        {"window_start": "2026-03-12", "window_end": "2026-03-18", "flag": True}, 9, 204,
        "C0204", "Carla"),
    Row(24, "follow_along_first_month", date(2025, 12, 31),
        {"window_start": "2026-03-12", "window_end": "2026-03-18", "flag": 1}, 9, 204,
        "C0204", "Carla"),
    Row(23, "job_loss_contact", date(2025, 11, 1), {"ended_on": "2024-12-29", "list": [1]},
        9, 205, "C0205", "Carla"),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("shown", [SIGNALS, []])
def test_rows_are_the_templates_rows(app, language, shown):
    with app.test_request_context("/review/signals?norm=a&worker=<3>"), force_locale(language):
        texts = {s.norm: (title(s.norm), remedy(s.norm)) for s in shown}
        form = AcknowledgeForm(formdata=None)
        expected = render_template_string(TEMPLATE, form=form, note_length=NOTE_LENGTH, rows=[
            (s, dates.day(s.anchor), *texts[s.norm], details(s.norm, s.facts), s,
             url_for("clients.show", client_id=s.client_id) if s.client_id is not None else None,
             url_for("review.acknowledge", signal_id=s.id)) for s in shown])
        written = rows.open_rows(shown, rows.RowParts(
            day=dates.day, texts=texts, details=details,
            client_link=rows.link("clients.show", "client_id"),
            ack_link=rows.link("review.acknowledge", "signal_id"),
            csrf_field=csrf_field(), here=request.full_path, note_length=NOTE_LENGTH))
        here = request.full_path
        week_link = url_for("dailylog.week", worker_id=8, week="2026-W11")
        empty = "" if shown else f'<tr><td colspan="5">{gettext("No open signals.")}</td></tr>'
    # The template's settings left three blank lines before the rows (the page keeps them).
    assert "\n\n\n" + str(written) + empty == expected
    if shown:
        assert "&lt;b&gt;&#34;Tom &amp; Jerry&#39;s&#34;&lt;/b&gt;</a> &lt;b&gt;" in written
        assert "&" in here and f'name="next" value="{escape(here)}"' in written
        assert f' · <a href="{week_link}">2026-W11</a>' in written
