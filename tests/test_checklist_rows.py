"""caseload/checklist/rows.py writes the checklist's worker rows as the page's template wrote
them: the same markup, checked against that template's row loop (kept here as the reference)
for lines of every kind, in both languages, with and without the review form. A difference
is a difference for the user (a lost link, an unescaped name, a label in the wrong language)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale

from caseload.checklist.forms import ReviewForm
from caseload.checklist.queries import ChecklistLine, Review, Worker
from caseload.checklist.rows import RowParts, csrf_field, worker_rows
from caseload.models.base import NOTE_LENGTH
from caseload.norms.worker_norms import WeekFigures
from caseload.signal_texts import title

# The row loop of templates/checklist/week.html as it was before rows.py, with the labels, the
# CSRF field and the review address made once, as it made them.
TEMPLATE_ROWS = """\
{% set l = {'Worker': _('Worker'), 'Face-to-face employer contacts': _('Face-to-face employer contacts'), 'Job seekers': _('Job seekers'), 'Past day 30 without employer contact': _('Past day 30 without employer contact'), 'Follow-along contacts due / missed': _('Follow-along contacts due / missed'), 'Caseload / capacity': _('Caseload / capacity'), 'New referrals': _('New referrals'), 'Job starts / endings': _('Job starts / endings'), 'Open signals': _('Open signals'), 'Review': _('Review'), 'Note': _('Note'), 'Reviewed': _('Reviewed')} %}
{%- for line in lines %}{% set review = line_reviews.get(line.worker.id) %}
<tr data-worker="{{ line.worker.id }}" class="{% if line.below_norm %}below-norm{% endif %}">
  <td data-label="{{ l['Worker'] }}"><a href="{{ caseload_link(line.worker.id) }}">{{ line.worker.name }}</a></td>
  <td data-label="{{ l['Face-to-face employer contacts'] }}" class="num" data-value="{{ line.week.contacts if line.week else '' }}">
    {% if line.week and line.week.norm is not none %}<a href="{{ week_link(line.worker.id) }}">{{ line.week.contacts }} / {{ line.week.norm }}</a>{% else %}{{ _('no norm (absent)') }}{% endif %}</td>
  <td data-label="{{ l['Job seekers'] }}" class="num">{{ line.job_seekers }}</td>
  <td data-label="{{ l['Past day 30 without employer contact'] }}" class="num">{{ line.past_day_30 }}</td>
  <td data-label="{{ l['Follow-along contacts due / missed'] }}" class="num">{{ line.follow_along_due }} / {{ line.follow_along_missed }}</td>
  <td data-label="{{ l['Caseload / capacity'] }}" class="num {% if line.caseload > line.capacity %}over{% endif %}">{{ line.caseload }} / {{ line.capacity }}</td>
  <td data-label="{{ l['New referrals'] }}" class="num">{{ line.new_referrals }}</td>
  <td data-label="{{ l['Job starts / endings'] }}" class="num">{{ line.job_starts }} / {{ line.job_endings }}</td>
  <td data-label="{{ l['Open signals'] }}">{% for norm, n in line.signals_by_norm|dictsort %}{{ titles[norm] }}: {{ n }}<br>{% else %}0{% endfor %}</td>
  <td data-label="{{ l['Review'] }}" class="review">
    {% if review %}<span class="reviewed-mark">✓ {{ review.reviewer }}, {{ review.reviewed_at |moment }}</span>{% if review.note %}<span class="note">{{ review.note }}</span>{% endif %}{% endif %}
    {% if can_review %}
    <form method="post" action="{{ review_action }}" class="ack">
      {{ csrf_field }}<input type="hidden" name="worker_id" value="{{ line.worker.id }}">
      <input name="note" maxlength="{{ note_length }}" placeholder="{{ l['Note'] }}" aria-label="{{ l['Note'] }}" value="{{ review.note if review else '' }}">
      <button type="submit" class="secondary">{{ l['Reviewed'] }}</button>
    </form>{% endif %}
  </td>
</tr>
{% endfor %}"""

HOSTILE = '<b>"Tom & Jerry\'s"</b>'


def lines():
    def line(wid, name, week, **figures):
        return ChecklistLine(worker=Worker(wid, name, Decimal("0.8")), week=week,
                             capacity=figures.pop("capacity", 20), **{
                                 "caseload": 5, "signals_by_norm": {}, "job_starts": 0,
                                 "new_referrals": 0, **figures})
    return [
        # below the norm, signals in no particular order, every figure set
        line(7, HOSTILE, WeekFigures(contacts=3, norm=5, job_seekers=4, absent_days=0),
             caseload=21, signals_by_norm={"rapid_job_search": 2, "caseload_size": 1,
                                           "employer_contacts_weekly": 1},
             job_starts=1, new_referrals=2, job_endings=3, past_day_30=4, follow_along_due=2,
             follow_along_missed=1),
        # a week of absence: no norm
        line(8, "Bert", WeekFigures(contacts=0, norm=None, job_seekers=1, absent_days=5)),
        # no week figures at all (FTE 0)
        line(9, "Carla & Co", None, capacity=0),
        # at capacity, not over; the norm met
        line(10, "Dirk", WeekFigures(contacts=6, norm=6, job_seekers=3, absent_days=0),
             caseload=20),
    ]


REVIEWS = {7: Review("Coördinator <C>", datetime(2026, 3, 16, 9, 30), HOSTILE),
           10: Review("Eva", datetime(2026, 3, 16, 23, 45), "")}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("can_review", [True, False])
def test_rows_are_the_templates_rows(app, language, can_review):
    with app.test_request_context("/checklist/?team=3&week=2026-W11"), force_locale(language):
        shown = lines()
        titles = {norm: title(norm) for line in shown for norm in line.signals_by_norm}
        caseload_link = lambda wid: url_for("clients.caseload", worker=wid)  # noqa: E731
        week_link = lambda wid: url_for("dailylog.week", worker_id=wid, week="2026-W11")  # noqa: E731
        action = url_for("checklist.review_line", team=3, week="2026-W11")
        csrf = ReviewForm(formdata=None).csrf_token()
        expected = render_template_string(
            TEMPLATE_ROWS, lines=shown, line_reviews=REVIEWS, caseload_link=caseload_link,
            week_link=week_link, titles=titles, review_action=action, csrf_field=csrf,
            can_review=can_review, note_length=NOTE_LENGTH)
        written = worker_rows(shown, REVIEWS, RowParts(
            caseload_link=caseload_link, week_link=week_link, titles=titles,
            review_action=action if can_review else None, csrf_field=csrf,
            note_length=NOTE_LENGTH))
    assert str(written) == expected
    assert "&lt;b&gt;&#34;Tom &amp; Jerry&#39;s&#34;&lt;/b&gt;" in written  # name and note
    assert ("geen norm (afwezig)" if language == "nl" else "no norm (absent)") in written
    assert ("<form" in written) == can_review


def test_the_csrf_field_is_the_review_forms_own(app):
    with app.test_request_context("/checklist/"):
        assert str(csrf_field()) == str(ReviewForm(formdata=None).csrf_token())
