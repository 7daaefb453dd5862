"""The outcome tables as shown on the page and exported: one definition, so the HTML, the CSV and
the Excel file hold the same numbers. Rows are measures (or categories, months, weeks), columns
are teams."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from caseload.exports import safe_cell, safe_row, sheet_row
from caseload.models import Team
from caseload.models.vocab import CONTRACTS, END_REASONS, PLACEMENT_END_REASONS, PLACEMENT_TYPES
from caseload.outcomes.queries import TeamOutcomes, mean, median
from caseload.outcomes.series import MonthPoint, WeekPoint
from caseload.translating import lazy_gettext as _l


@dataclass
class Row:
    key: str
    label: str
    values: list


@dataclass
class Table:
    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def add(self, key: str, label, values) -> None:
        self.rows.append(Row(key, label, list(values)))


def raw(value) -> str:
    """The plain form of a value, as written to CSV and to the page's data-value attributes."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


TABLE_KEYS = ("summary", "workers", "placements_by_type", "contracts", "job_endings", "trajectory_endings",
              "employment_by_month", "employer_contacts_by_week")

SUMMARY = [
    ("caseload", _l("Clients on the caseload"), lambda o: o.caseload),
    ("new_referrals", _l("New referrals (program entry in the period)"), lambda o: o.new_referrals),
    ("worked", _l("Clients who worked (paid job at any day of the period)"), lambda o: o.worked),
    ("working_at_end", _l("Clients working at the end of the period"),
     lambda o: o.working_at_end),
    ("employment_rate", _l("Employment rate (% of clients on the caseload who worked)"),
     lambda o: o.employment_rate),
    ("out_of_work_caseload", _l("Clients on the caseload out of paid work at referral"),
     lambda o: o.out_of_work_caseload),
    ("out_of_work_rate",
     _l("Employment rate of clients out of paid work at referral (comparable rate, %)"),
     lambda o: o.out_of_work_rate),
    ("job_starts", _l("Job starts (paid jobs)"), lambda o: len(o.job_starts)),
    ("mean_hours", _l("Mean hours per week of job starts"),
     lambda o: mean(p.hours_per_week for p in o.job_starts)),
    ("median_hours", _l("Median hours per week of job starts"),
     lambda o: median(p.hours_per_week for p in o.job_starts)),
    ("competitive_share", _l("Competitive jobs (% of job starts)"),
     lambda o: o.competitive_share),
    ("minimum_wage_share", _l("At least minimum wage (% of job starts with a known wage)"),
     lambda o: o.minimum_wage_share),
    ("wage_unknown", _l("Job starts without a recorded wage"), lambda o: o.wages()["unknown"]),
    ("job_endings", _l("Job endings (paid jobs)"), lambda o: sum(o.job_endings.values())),
    ("median_days_first_employer_contact",
     _l("Median days from program entry to first face-to-face employer contact"),
     lambda o: median(o.days_to_first_employer_contact)),
    ("first_employer_contacts", _l("Trajectories with a first face-to-face employer contact"),
     lambda o: len(o.days_to_first_employer_contact)),
    ("median_days_first_job", _l("Median days from program entry to first job start"),
     lambda o: median(o.days_to_first_job)),
    ("first_jobs", _l("Trajectories with a first job start"), lambda o: len(o.days_to_first_job)),
    ("trajectories_ended", _l("Trajectories ended"),
     lambda o: sum(o.trajectory_endings.values())),
    ("retention_eligible", _l("Paid jobs held in the period, started 90 days or more before its end"),
     lambda o: o.retention_eligible),
    ("retained_90_days", _l("Of those, held 90 days or more"), lambda o: o.retained),
    ("retention_share", _l("Held 90 days or more (%)"), lambda o: o.retention_share),
]

# Per worker: one row per worker, one column per measure (outcomes/workers.py defines them).
WORKER_MEASURES = [
    ("caseload", _l("Clients on the caseload"), lambda w: w.caseload),
    ("job_starts", _l("Job starts (paid jobs)"), lambda w: w.job_starts),
    ("working", _l("Clients working"), lambda w: w.working),
    ("working_share", _l("Share of the caseload working (%)"), lambda w: w.working_share),
    ("out_of_work_rate", _l("Comparable rate: % working of those out of work at referral"),
     lambda w: w.out_of_work_rate),
    ("median_days_first_employer_contact",
     _l("Median days to first face-to-face employer contact"),
     lambda w: w.median_days_first_employer_contact),
    ("median_days_first_job", _l("Median days to first job start"),
     lambda w: w.median_days_first_job),
    ("retention_eligible", _l("Jobs started 90+ days before the period's end"),
     lambda w: w.retention_eligible),
    ("retained_90_days", _l("Of those, held 90 days or more"), lambda w: w.retained),
    ("retention_share", _l("Held 90 days or more (%)"), lambda w: w.retention_share),
]


def worker_table(per_worker) -> Table:
    table = Table("workers", _l("Outcomes per IPS worker"), _l("IPS worker"),
                  [label for _key, label, _measure in WORKER_MEASURES])
    for outcome in per_worker:
        table.add(str(outcome.worker.id), outcome.worker.name,
                  [measure(outcome) for _key, _label, measure in WORKER_MEASURES])
    return table


def outcome_tables(teams: list[Team], outcomes: dict[int, TeamOutcomes],
                   months: dict[int, list[MonthPoint]],
                   weeks: dict[int, list[WeekPoint]]) -> dict[str, Table]:
    names = [team.name for team in teams]
    per_team = [outcomes[team.id] for team in teams]
    tables = {}

    summary = Table("summary", _l("Outcomes"), _l("Measure"), names)
    for key, label, measure in SUMMARY:
        summary.add(key, label, [measure(o) for o in per_team])
    tables["summary"] = summary

    tables["placements_by_type"] = _categories(
        "placements_by_type", _l("Placements started, by type"), _l("Placement type"), names,
        PLACEMENT_TYPES, [o.started_by_type() for o in per_team])
    tables["contracts"] = _categories(
        "contracts", _l("Contract types of job starts"), _l("Contract"), names, CONTRACTS,
        [o.contracts() for o in per_team])
    tables["job_endings"] = _categories(
        "job_endings", _l("Job endings and reasons"), _l("Reason"), names, PLACEMENT_END_REASONS,
        [o.job_endings for o in per_team])
    tables["trajectory_endings"] = _categories(
        "trajectory_endings", _l("Trajectories ended and why"), _l("Reason"), names, END_REASONS,
        [o.trajectory_endings for o in per_team])

    by_month = Table("employment_by_month", _l("Employment rate per month"), _l("Month"),
                     [f"{name}: {label}" for name in names
                      for label in (_l("clients"), _l("worked"), _l("rate %"))])
    for i, point in enumerate(months[teams[0].id] if teams else []):
        values = []
        for team in teams:
            team_point = months[team.id][i]
            values += [team_point.caseload, team_point.worked, team_point.rate]
        by_month.add(point.month.isoformat()[:7], point.month.isoformat()[:7], values)
    tables["employment_by_month"] = by_month

    by_week = Table("employer_contacts_by_week",
                    _l("Face-to-face employer contacts per week"), _l("Week"),
                    [f"{name}: {label}" for name in names
                     for label in (_l("contacts"), _l("norm"))])
    for i, point in enumerate(weeks[teams[0].id] if teams else []):
        values = []
        for team in teams:
            values += [weeks[team.id][i].contacts, weeks[team.id][i].norm]
        by_week.add(point.label, point.label, values)
    tables["employer_contacts_by_week"] = by_week
    return tables


def _categories(key, title, row_header, names, vocabulary, counts_per_team) -> Table:
    table = Table(key, title, row_header, names)
    for token, label in vocabulary.items():
        table.add(token, label, [counts.get(token, 0) for counts in counts_per_team])
    table.add("total", _l("Total"), [sum(counts.values()) for counts in counts_per_team])
    return table


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(safe_row([str(table.row_header), *table.columns]))
    for row in table.rows:
        # safe before raw: numbers pass untouched, so a negative figure is no text to neutralise
        writer.writerow([safe_cell(str(row.label)), *(raw(safe_cell(value)) for value in row.values)])
    return out.getvalue()


def tables_xlsx(tables: dict[str, Table]) -> bytes:
    """One sheet per table, named by the table's key; numbers stay numbers."""
    from openpyxl import Workbook  # only for an export (its import cost every start)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables.values():
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append(sheet_row([str(table.row_header),
                              *(str(column) for column in table.columns)]))
        for row in table.rows:
            sheet.append(sheet_row([str(row.label), *row.values]))
        sheet.column_dimensions["A"].width = max(12, min(70, max(
            (len(str(row.label)) for row in table.rows), default=12)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
