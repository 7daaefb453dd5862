"""Team outcomes per quarter or date range, with charts, CSV and Excel downloads, and the
quarterly work-monitor export. Coordinators only, for their own teams."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import login_required

from caseload import audit, clock
from caseload.access import coordinator_teams
from caseload.extensions import db
from caseload.outcomes.charts import build_chart
from caseload.outcomes.history import read_histories
from caseload.outcomes.markup import OutcomeMarkup
from caseload.outcomes.monitor import work_monitor_csv, work_monitor_rows
from caseload.outcomes.period import (
    PeriodError,
    chart_start,
    figures_first_day,
    parse_period,
    quarter_of,
    quarter_period,
)
from caseload.outcomes.queries import MINIMUM_HOURLY_WAGE, first_employer_contacts, team_outcomes
from caseload.outcomes.series import employer_contacts_by_week, employment_by_month
from caseload.outcomes.tables import (
    TABLE_KEYS,
    outcome_tables,
    table_csv,
    tables_xlsx,
    worker_table,
)
from caseload.outcomes.texts import NumberTexts
from caseload.outcomes.workers import worker_outcomes
from caseload.request_input import id_arg
from caseload.signal_texts import settings_in_force
from caseload.translating import gettext as _

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(*, strict: bool):
    """Teams and period from the query string. On the page a bad period falls back to the
    current quarter with a message; a download answers 400 instead."""
    teams = coordinator_teams(id_arg("team"))
    today = clock.today()
    error = None
    try:
        period = parse_period(request.args, today)
    except PeriodError as problem:
        if strict:
            abort(400, problem.message)
        error, period = problem.message, quarter_period(quarter_of(today))
    return teams, period, period.until(today), error


def _tables(teams, period, until):
    session, ids = db.session, [team.id for team in teams]
    since = chart_start(period, until)
    # Only the trajectories that can count on a day of the period or the charts' months
    # (history._in_range): what ended before them grows with the organisation's history.
    histories = read_histories(session, ids, figures_first_day(period.start, since), until)
    firsts = first_employer_contacts(session, ids, period.start, until, histories)
    outcomes = team_outcomes(session, ids, period.start, until, histories, firsts)
    months = employment_by_month(session, ids, since, until, histories)
    weeks = employer_contacts_by_week(session, ids, since, until, settings_in_force())
    tables = outcome_tables(teams, outcomes, months, weeks)
    per_worker = worker_outcomes(session, ids, period.start, until, firsts, histories)
    tables["workers"] = worker_table(per_worker)
    return tables, months, weeks, per_worker


def _worker_charts(per_worker, texts):
    """Bars per worker: job starts, and the share of the caseload working."""
    names = [o.worker.name for o in per_worker]
    return [build_chart("worker_job_starts", _("Job starts per IPS worker"), names,
                        bars=[o.job_starts for o in per_worker], texts=texts),
            build_chart("worker_working_share", _("Share of the caseload working per IPS worker (%)"),
                        names, bars=[o.working_share for o in per_worker], y_max=100,
                        texts=texts)]


def _charts(teams, months, weeks, texts):
    charts = []
    for team in teams:
        month_points, week_points = months[team.id], weeks[team.id]
        charts.append((team, build_chart(
            "employment_rate", _("Employment rate per month (%)"),
            [p.month.isoformat()[:7] for p in month_points],
            line=[p.rate for p in month_points], y_max=100, texts=texts), build_chart(
            "employer_contacts", _("Face-to-face employer contacts per week, with the norm"),
            [p.label for p in week_points], bars=[p.contacts for p in week_points],
            norm=[p.norm for p in week_points], texts=texts)))
    return charts


def _csv_urls(args) -> dict[str, str]:
    """Per table key: its CSV download's URL, as url_for(".export_csv", table=key, **args)
    writes it, built once: the table comes first in the query string and a key is written as
    it is (letters and underscores), so only the key differs between the eight."""
    first = TABLE_KEYS[0]
    url = url_for("outcomes.export_csv", table=first, **args)
    head, _sep, tail = url.partition(f"?table={first}")
    return {key: f"{head}?table={key}{tail}" for key in TABLE_KEYS}


@bp.route("/")
@login_required
def index():
    teams, period, until, error = _scope(strict=False)
    tables, months, weeks, per_worker = _tables(teams, period, until)
    args = dict(period.query_args())
    if request.args.get("team"):
        args["team"] = request.args["team"]
    texts = NumberTexts()
    return render_template(
        "outcomes/index.html", teams=teams, period=period, until=until, error=error,
        tables=tables, charts=_charts(teams, months, weeks, texts), args=args,
        worker_charts=_worker_charts(per_worker, texts),
        scope_label=", ".join(team.name for team in teams),
        all_teams=coordinator_teams(), team_id=id_arg("team"),
        minimum_wage=MINIMUM_HOURLY_WAGE, quarter=quarter_of(clock.today()),
        marks=OutcomeMarkup(texts), csv_urls=_csv_urls(args),
        monitor_url=url_for("outcomes.work_monitor", quarter=period.quarter
                            or quarter_of(until), team=request.args.get("team")))


@bp.route("/export.csv")
@login_required
def export_csv():
    teams, period, until, _error = _scope(strict=True)
    key = request.args.get("table", "summary")
    if key not in TABLE_KEYS:
        abort(404)
    tables, _months, _weeks, _workers = _tables(teams, period, until)
    return _download(table_csv(tables[key]), "text/csv; charset=utf-8",
                     f"outcomes_{key}_{period.label}.csv")


@bp.route("/export.xlsx")
@login_required
def export_xlsx():
    teams, period, until, _error = _scope(strict=True)
    tables, _months, _weeks, _workers = _tables(teams, period, until)
    return _download(tables_xlsx(tables), XLSX, f"outcomes_{period.label}.xlsx")


@bp.route("/work-monitor.csv")
@login_required
def work_monitor():
    teams = coordinator_teams(id_arg("team"))
    try:
        period = quarter_period(request.args.get("quarter") or quarter_of(clock.today()))
    except PeriodError as problem:
        abort(400, problem.message)
    rows = work_monitor_rows(db.session, [team.id for team in teams], period.start,
                             period.until(clock.today()))
    audit.record(sorted({row.client_id for row in rows}), "work_monitor", "export")
    return _download(work_monitor_csv(rows), "text/csv; charset=utf-8",
                     f"work_monitor_{period.label}.csv")


def _download(body, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
