"""caseload/signal_list.py writes the list of open signals as templates/signals/_list.html's
loop wrote it (kept here as the reference): the same markup for signals of every norm and
subject, with and without the subject, in both languages. A difference is a difference for
the user (a lost link, an unescaped code, a text in the wrong language)."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from caseload.norms import NORMS
from caseload.signal_list import signal_list
from caseload.signal_texts import listed
from caseload.signals import SignalLine

# templates/signals/_list.html as it was before signal_list.py.
TEMPLATE = """\
{% if signals %}
{#- The client link built once, the id appended per signal (url_for costs ~15 us a call). -#}
{%- set client_url = url_for('clients.show', client_id=0)[:-1] if show_subject %}
<section class="card signals" id="signals">
  <h2>{{ _('Open signals') }} <small>({{ signals|length }})</small></h2>
  <ul class="signal-list">
  {% for s, title, details, remedy, week in signal_lines(signals) %}
    <li class="signal norm-{{ s.norm }}" data-norm="{{ s.norm }}">
      <strong>{{ title }}</strong>
      {% if show_subject %}
        {% if s.trajectory_id %} · <a href="{{ client_url }}{{ s.client_id }}">{{ s.client_code }}</a>
        {% elif s.worker_id %} · {{ s.worker_name }}{% endif %}
      {% endif %}
      {% if week %}
        · <a href="{{ url_for('dailylog.week', worker_id=s.worker_id, week=week) }}">{{ _('week %(week)s', week=week) }}</a>
      {% endif %}
      <span class="details">{{ details }}</span>
      <span class="remedy">{{ remedy }}</span>
    </li>
  {% endfor %}
  </ul>
</section>
{% endif %}"""

HOSTILE = '<b>"Tom & Jerry\'s"</b>'
FACTS = {
    "job_loss_contact": {"ended_on": "2024-12-29", "limit": 3},
    "disclosure_before_employer_contact": {"first_employer_contact_on": "2024-10-18"},
    "employer_contacts_weekly": {"contacts": 3, "norm": 4, "week": "2026-W11",
                                 "job_seekers": 4, "absent_days": 0},
    "caseload_size": {"clients": 3, "capacity": 2, "fte": "0.10"},
    "follow_along_after_start": {"started_on": "2026-03-15", "limit": 3},
    "follow_along_first_month": {"window_start": "2026-03-12", "window_end": "2026-03-18"},
    "follow_along_monthly": {"window_start": "2026-02-17", "window_end": "2026-03-18"},
    "benefits_plan_before_start": {"started_on": "2026-03-19"},
    "rapid_job_search": {"day": 31, "limit": 30, "late_contact_on": None},
    "treatment_team_contact": {"days": 15, "limit": 14, "last_contact_on": "2026-03-04"},
}


def lines():
    shown = []
    for i, (norm, facts) in enumerate(FACTS.items(), start=1):
        about_worker = norm in ("employer_contacts_weekly", "caseload_size")
        shown.append(SignalLine(
            id=i, norm=norm, facts=facts, worker_id=40 + i,
            trajectory_id=None if about_worker else 100 + i,
            client_id=None if about_worker else 200 + i,
            client_code=None if about_worker else f"C{i:04d}",
            worker_name=f"Worker {i}" if about_worker else None))
    return shown + [
        # a hostile client code and worker name; a weekly signal without a week; a late
        # contact day; no facts at all; a norm no longer registered; a signal about nothing
        SignalLine(20, "rapid_job_search", {"day": 40, "limit": 30,
                                            "late_contact_on": "2026-03-01"},
                   7, 30, 31, HOSTILE, None),
        SignalLine(21, "caseload_size", {"clients": 30, "capacity": 20, "fte": "0.8"}, 8, None,
                   None, None, HOSTILE),
        SignalLine(22, "employer_contacts_weekly", {"contacts": 1, "norm": 4}, 9, None, None,
                   None, "W"),
        SignalLine(23, "treatment_team_contact", {}, 9, 32, 33, "C0033", None),
        SignalLine(24, "retired_norm", {"days": 3}, 9, 34, 35, "C0035", None),
        SignalLine(25, "caseload_size", {"clients": 3, "capacity": 2, "fte": "1"}, None, None,
                   None, None, None),
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("show_subject", [True, False])
def test_the_list_is_the_templates_list(app, language, show_subject):
    assert set(FACTS) == set(NORMS)  # every norm's facts, as its query writes them
    with app.test_request_context("/caseload"), force_locale(language):
        shown = lines()
        expected = render_template_string(TEMPLATE, signals=shown, show_subject=show_subject,
                                          signal_lines=listed)
        written = str(signal_list(shown, show_subject))
    assert written == expected
    assert ("&lt;b&gt;&#34;Tom &amp; Jerry&#39;s&#34;&lt;/b&gt;" in written) == show_subject
    assert ("week 2026-W11" if language == "en" else "week 2026-W11") in written
    assert ("29-12-2024" if language == "nl" else "29 Dec 2024") in written


def test_no_signals_no_list(app):
    with app.test_request_context("/caseload"):
        assert str(signal_list([], True)) == render_template_string(
            TEMPLATE, signals=[], show_subject=True, signal_lines=listed) == ""
