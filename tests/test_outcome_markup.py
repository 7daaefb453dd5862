"""caseload/outcomes/markup.py writes the outcomes page's tables and charts as the page's
macros wrote them (templates/outcomes/_macros.html with its loops, kept here as the
reference): the same markup for tables with rows and without, lazy and hostile labels,
numbers of every kind, and charts with bars, a line with gaps, a norm or nothing at all, for a
team and for the per-worker charts' scope, in both languages. A difference is a difference for
the user. And the CSV links, built once for the eight tables, are url_for's."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from caseload.outcomes.charts import build_chart
from caseload.outcomes.markup import OutcomeMarkup
from caseload.outcomes.tables import TABLE_KEYS, Table, raw
from caseload.outcomes.texts import NumberTexts
from caseload.outcomes.views import _csv_urls

# The tables' and charts' macros of templates/outcomes/_macros.html as they were before
# outcomes/markup.py (a Jinja loop per row, cell and mark; the cells as texts.cell writes them).
MACROS = """\
{% macro outcome_table(table, csv_url) -%}
<section class="card" id="table-{{ table.key }}">
  <div class="heading"><h2>{{ table.title }}</h2>
    <a class="button secondary" href="{{ csv_url }}" data-download="csv" data-table="{{ table.key }}">{{ _('CSV') }}</a></div>
  <div class="table-wrap" tabindex="0"><table data-table="{{ table.key }}">
    <thead><tr><th scope="col">{{ table.row_header }}</th>{% for column in table.columns %}<th scope="col" class="num">{{ column }}</th>{% endfor %}</tr></thead>
    <tbody>
    {% for row in table.rows %}<tr data-key="{{ row.key }}"><th scope="row">{{ row.label }}</th>{% for value in row.values %}<td class="num" data-value="{{ raw(value) }}">{{ texts.cell(value) }}</td>{% endfor %}</tr>
    {% else %}<tr><td colspan="{{ table.columns|length + 1 }}">{{ _('No data in this period.') }}</td></tr>{% endfor %}
    </tbody>
  </table></div>
</section>
{%- endmacro %}

{% macro chart_svg(chart, team, short_labels=false) -%}
<figure class="card chart" data-chart="{{ chart.key }}" data-team="{{ team.id }}">
  <figcaption><strong>{{ chart.title }}</strong> · {{ team.name }}</figcaption>
  <svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="100%" role="img" aria-label="{{ chart.title }}, {{ team.name }}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">
    {% for y, label in chart.y_ticks %}<line x1="{{ chart.left }}" x2="{{ chart.right_edge }}" y1="{{ y }}" y2="{{ y }}" stroke="#d9dee4" stroke-width="1"/><text x="{{ chart.left - 6 }}" y="{{ y + 4 }}" text-anchor="end" font-size="11" fill="#5b6775">{{ label }}</text>
    {% endfor %}
    {% for bar in chart.bars %}<rect x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}" fill="#0b6e4f" opacity="0.85" data-label="{{ bar.label }}" data-value="{{ raw(bar.value) }}"><title>{{ bar.label }}: {{ texts.decimal(bar.value) }}</title></rect>
    {% endfor %}
    {% if chart.line %}<path d="{{ chart.line }}" fill="none" stroke="#0b6e4f" stroke-width="2" data-series="value"/>{% endif %}
    {% for point in chart.points %}<circle cx="{{ point.x }}" cy="{{ point.y }}" r="3.5" fill="#0b6e4f" data-label="{{ point.label }}" data-value="{{ raw(point.value) }}"><title>{{ point.label }}: {{ texts.one_decimal(point.value) }}</title></circle>
    {% endfor %}
    {% if chart.norm %}<path d="{{ chart.norm }}" fill="none" stroke="#b3261e" stroke-width="2" stroke-dasharray="6 4" data-series="norm"/>
    {% set norm_word = _('norm') %}{% for mark in chart.norm_marks %}<circle cx="{{ mark.x }}" cy="{{ mark.y }}" r="6" fill="transparent" data-norm="{{ raw(mark.value) }}" data-label="{{ mark.label }}"><title>{{ mark.label }}: {{ norm_word }} {{ mark.value }}</title></circle>{% endfor %}{% endif %}
    {% for x, label in chart.x_labels %}<text x="{{ x }}" y="{{ chart.height - 12 }}" text-anchor="middle" font-size="11" fill="#5b6775">{{ label[5:] if short_labels else label }}</text>
    {% endfor %}
    {% if not chart.bars and not chart.points %}<text x="{{ chart.width / 2 }}" y="{{ chart.height / 2 }}" text-anchor="middle" font-size="13" fill="#5b6775">{{ _('No data in this period.') }}</text>{% endif %}
  </svg>
  {% if chart.norm %}<p class="meta"><span class="legend-value">■</span> {{ _('contacts') }} · <span class="legend-norm">- -</span> {{ _("norm (sum of the workers' weekly norms)") }}</p>{% endif %}
</figure>
{%- endmacro %}
"""

HOSTILE = '<b>"Tom & Jerry\'s"</b>'


def tables():
    full = Table("summary", _l("Outcomes"), _l("Measure"), ["Team A", HOSTILE])
    full.add("caseload", _l("Clients on the caseload"), [12, 0])
    full.add("employment_rate", _l("Employment rate (% of clients on the caseload who worked)"),
             [41.66666, None])
    full.add("mean_hours", HOSTILE, [Decimal("24.5"), 1.0])
    full.add("2026-01", "2026-01", [True, 3])
    empty = Table("employment_by_month", _l("Employment rate per month"), _l("Month"),
                  ["Team A: clients", "Team A: worked", "Team A: rate %"])
    lonely = Table("workers", HOSTILE, "IPS worker", [])
    return [full, empty, lonely]


def charts(texts):
    months = ["2025-10", "2025-11", "2025-12", "2026-01"]
    return [
        (build_chart("worker_job_starts", "Job starts per IPS worker", ["Ann", HOSTILE],
                     bars=[3, 0], texts=texts), False),
        (build_chart("employment_rate", "Employment rate per month (%)", months,
                     line=[10.0, None, 33.3, 50.0], y_max=100, texts=texts), False),
        (build_chart("employer_contacts", "Contacts & the norm, per week",
                     ["2026-01-05", "2026-01-12", "2026-01-19"], bars=[4, 7, 0],
                     norm=[6, 6, 3], texts=texts), True),
        (build_chart("employment_rate", HOSTILE, [], line=[], y_max=100, texts=texts), False),
        (build_chart("employer_contacts", "Empty weeks", [], bars=[], norm=[], texts=texts), True),
    ]


TEAMS = [SimpleNamespace(id=4, name=HOSTILE), {"id": "workers", "name": "Team A, Team B"}]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_tables_are_the_macros_tables(app, language):
    with app.test_request_context("/outcomes/"), force_locale(language):
        marks = OutcomeMarkup(NumberTexts())
        for table in tables():
            url = "/outcomes/export.csv?table=summary&quarter=2026-Q1&team=<4>"
            expected = render_template_string(
                MACROS + "{{ outcome_table(table, url) }}", table=table, url=url, raw=raw,
                texts=marks.texts)
            assert str(marks.table(table, url)) == expected.lstrip("\n")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_charts_are_the_macros_charts(app, language):
    with app.test_request_context("/outcomes/"), force_locale(language):
        texts = NumberTexts()
        marks = OutcomeMarkup(texts)
        for chart, short_labels in charts(texts):
            for team in TEAMS:
                expected = render_template_string(
                    MACROS + "{{ chart_svg(chart, team, short_labels) }}", chart=chart,
                    team=team, short_labels=short_labels, raw=raw, texts=texts)
                assert str(marks.chart(chart, team, short_labels)) == expected.lstrip("\n")


@pytest.mark.parametrize("args", [
    {}, {"quarter": "2026-Q1"}, {"start": "2025-02-01", "end": "2026-02-28"},
    {"quarter": "2025-Q4", "team": "4"}, {"start": "2026-01-14", "end": "2026-01-14",
                                          "team": "?table=summary&x=<é>"},
])
def test_the_csv_links_are_url_fors(app, args):
    with app.test_request_context("/outcomes/"):
        assert _csv_urls(args) == {key: url_for("outcomes.export_csv", table=key, **args)
                                   for key in TABLE_KEYS}
