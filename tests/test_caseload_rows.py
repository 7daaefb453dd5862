"""caseload/clients/rows.py writes the caseload table's rows as the page's template wrote
them: the same markup, checked against that template's row loop (kept here as the
reference) for rows of every kind, for one worker's page and the team's, with and without the
hand-over boxes, in both languages. A difference is a difference for the user (a lost link,
an unescaped name, a label or date in the wrong language)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale

from caseload.clients.overview import CaseloadRow
from caseload.clients.rows import table_rows
from caseload.models.vocab import PHASES

# The row loop of templates/clients/caseload.html as it was before rows.py.
TEMPLATE = """\
{%- set client_url = url_for('clients.show', client_id=0)[:-1] %}
  {% set l = {'Client': _('Client'), 'To be assigned': _('To be assigned'), 'Worker': _('Worker'), 'Phase': _('Phase'), 'Days since entry': _('Days since entry'), 'Last face-to-face client contact': _('Last face-to-face client contact'), 'First employer contact': _('First employer contact'), 'Last employer contact': _('Last employer contact'), 'Current placement': _('Current placement'), 'Hand over': _('Hand over')} %}
  {% for row in listed %}
  <tr{% if not row.worker_id %} class="unassigned"{% endif %}>
    <td data-label="{{ l['Client'] }}"><a href="{{ client_url }}{{ row.client_id }}">{{ row.client_code }}</a> {{ row.client_name }}{% if not row.worker_id and worker %} <span class="badge">{{ l['To be assigned'] }}</span>{% endif %}</td>
    {% if not worker %}<td data-label="{{ l['Worker'] }}">{{ row.worker_name or l['To be assigned'] }}</td>{% endif %}
    <td data-label="{{ l['Phase'] }}">{{ phase_labels[row.phase] }}</td>
    <td data-label="{{ l['Days since entry'] }}" class="num">{{ row.days_since_entry }}</td>
    <td data-label="{{ l['Last face-to-face client contact'] }}">{{ row.last_face_to_face_client_contact|date }}</td>
    <td data-label="{{ l['First employer contact'] }}">{{ row.first_employer_contact|date }}</td>
    <td data-label="{{ l['Last employer contact'] }}">{{ row.last_employer_contact|date }}</td>
    <td data-label="{{ l['Current placement'] }}">{% if row.placement_title %}{{ row.placement_title }}, {{ row.placement_employer }}{% else %}—{% endif %}</td>
    {% if handover_form %}<td data-label="{{ l['Hand over'] }}"><input type="checkbox" name="trajectory_id" value="{{ row.trajectory_id }}" id="select-{{ row.trajectory_id }}" aria-label="{{ _('Select %(code)s', code=row.client_code) }}"></td>{% endif %}
  </tr>
  {% else %}
  <tr><td colspan="9">{{ _('No open trajectories.') }}</td></tr>
  {% endfor %}"""

HOSTILE = '<b>"Tom & Jerry\'s"</b>'


def row(i, **values):
    return CaseloadRow(**{
        "client_id": 100 + i, "client_code": f"C{i:04d}", "client_name": f"Client {i}",
        "worker_id": 7, "worker_name": "Ann", "trajectory_id": 300 + i,
        "trajectory_type": "ips", "program_entry_date": date(2026, 1, 5), "phase": "job_search",
        "days_since_entry": 72, "last_face_to_face_client_contact": date(2026, 3, 2),
        "first_employer_contact": date(2026, 1, 20), "last_employer_contact": date(2026, 3, 2),
        "placement_title": None, "placement_employer": None, **values})


ROWS = [
    row(1),
    row(2, client_code=HOSTILE, client_name=HOSTILE, worker_name=HOSTILE,
        placement_title=HOSTILE, placement_employer="Bakker & Zn", phase="follow_along"),
    row(3, worker_id=None, worker_name="", phase="intake", days_since_entry=0,
        last_face_to_face_client_contact=None, first_employer_contact=None,
        last_employer_contact=None),  # to be assigned, nothing yet
    row(4, placement_title="Kok", placement_employer="Werkgever BV", phase="retired_phase"),
    row(5, last_employer_contact=date(2025, 12, 31)),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("one_worker", [True, False])
@pytest.mark.parametrize("handover", [True, False])
@pytest.mark.parametrize("listed", [ROWS, []])
def test_rows_are_the_templates_rows(app, language, one_worker, handover, listed):
    with app.test_request_context("/caseload"), force_locale(language):
        phase_labels = {phase: str(label) for phase, label in PHASES.items()}
        expected = render_template_string(
            TEMPLATE, listed=listed, worker=object() if one_worker else None,
            handover_form=object() if handover else None, phase_labels=phase_labels)
        written = table_rows(listed, one_worker=one_worker, handover=handover,
                             phase_labels=phase_labels)
    # The template's label line and loop tag left their indentation before the rows.
    assert "\n  \n  " + str(written) == expected
    if listed:
        assert "&lt;b&gt;&#34;Tom &amp; Jerry&#39;s&#34;&lt;/b&gt;</a>" in written
        assert ("31-12-2025" if language == "nl" else "31 Dec 2025") in written
        assert ('class="badge"' in written) == one_worker
        assert ('type="checkbox"' in written) == handover
