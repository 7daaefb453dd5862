"""Team outcomes: figures from a small known data set worked out by hand, the CSV and Excel
downloads holding the numbers shown, the work-monitor export, access, and a fixed number of
queries whatever the team size. TODAY is Wednesday 2026-03-18 (tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest

from caseload.extensions import db
from caseload.models import Placement
from caseload.outcomes.queries import MINIMUM_HOURLY_WAGE, team_outcomes
from caseload.outcomes.series import employer_contacts_by_week, employment_by_month
from tests.conftest import login

Q1_START, Q1_END, UNTIL = date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 18)


def place(build, client, *, start, kind="paid_job", hours="16", wage=None,
          contract="temporary_lt6m", competitive=True, employer=None, end=None,
          reason="contract_ended", job_type=""):
    placement = Placement.start(
        trajectory=client.open_trajectory, employer=employer or build.employer(),
        job_title="Medewerker", start_date=start, hours_per_week=Decimal(hours),
        today=build.today, placement_type=kind, contract=contract, competitive=competitive,
        hourly_wage=None if wage is None else Decimal(wage), job_type=job_type)
    if end:
        placement.end_date, placement.end_reason = end, reason
    db.session.add(placement)
    db.session.flush()
    return placement


def known_team(build):
    """The data set of the hand-worked figures (see each test for the arithmetic)."""
    team = build.team("Team Noord")
    coordinator = build.user(team, role="coordinator")
    w1 = build.user(team, fte="1.0")
    w2 = build.user(team, fte="0.5")
    c1 = build.client(w1, entry=date(2025, 10, 1), code="C1")
    build.phase(c1, "job_finding", on=date(2025, 10, 20))
    build.contact(w1, on=date(2025, 10, 25), kind="employer", client=c1,
                  employer=build.employer())
    place(build, c1, start=date(2026, 1, 10), hours="20", wage="15.00", contract="permanent")
    c2 = build.client(w1, entry=date(2026, 1, 5), code="C2")
    build.contact(w1, on=date(2026, 1, 20), kind="employer", client=c2,
                  employer=build.employer())
    place(build, c2, start=date(2026, 2, 1), hours="32", wage="14.00", competitive=False,
          end=date(2026, 3, 1), reason="dismissed")
    c3 = build.client(w2, entry=date(2026, 2, 1), code="C3")
    build.contact(w2, on=date(2026, 2, 5), kind="employer", mode="phone", client=c3,
                  employer=build.employer())
    build.contact(w2, on=date(2026, 3, 3), kind="employer", client=c3, employer=build.employer())
    c4 = build.client(w2, entry=date(2025, 6, 1), code="C4")
    place(build, c4, start=date(2025, 12, 1), kind="volunteer")
    build.end_trajectory(c4, on=date(2026, 2, 15), reason="moved")
    c5 = build.client(w1, entry=date(2025, 1, 1), code="C5")
    place(build, c5, start=date(2025, 5, 1), hours="10", wage="20.00")
    build.end_trajectory(c5, on=date(2025, 12, 31), reason="working_handed_over")
    c6 = build.client(w1, entry=date(2026, 1, 15), code="C6")
    place(build, c6, start=date(2026, 3, 2), kind="paid_job_subsidised", hours="24",
          contract="temporary_ge6m")
    build.contact(w1, on=date(2026, 3, 10), kind="employer", employer=build.employer())
    build.contact(w1, on=date(2026, 3, 11), kind="employer", mode="phone",
                  employer=build.employer())
    build.absence(w1, start=date(2026, 3, 2), end=date(2026, 3, 6))
    build.commit()
    return team, coordinator, (w1, w2)


class Tables(HTMLParser):
    """data-table → [(row key, [data-value, ...])] from the outcomes page."""

    def __init__(self, text):
        super().__init__()
        self.tables, self._table, self._row = {}, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], [])
        elif tag == "tr" and self._table is not None and "data-key" in attrs:
            self._row = (attrs["data-key"], [])
            self._table.append(self._row)
        elif tag == "td" and self._row is not None and "data-value" in attrs:
            self._row[1].append(attrs["data-value"])

    def handle_endtag(self, tag):
        if tag == "table":
            self._table, self._row = None, None


def rows_by_key(table):
    return dict(table)


def test_period_figures_of_a_known_team_match_the_hand_worked_values(build):
    team, _coordinator, _workers = known_team(build)
    o = team_outcomes(db.session, [team.id], Q1_START, UNTIL)[team.id]
    # On the caseload: C1, C2, C3, C4 (ended 15 Feb), C6; C5 ended 31 Dec 2025.
    assert o.caseload == 5
    assert o.new_referrals == 3                      # C2, C3, C6
    assert o.worked == 3                             # C1, C2, C6; C4's volunteer work is no job
    assert o.working_at_end == 2                     # C1, C6 (C2's job ended 1 March)
    assert o.employment_rate == 60.0                 # 3 of 5
    assert len(o.job_starts) == 3
    assert o.started_by_type() == {"paid_job": 2, "paid_job_subsidised": 1}
    assert o.contracts() == {"permanent": 1, "temporary_lt6m": 1, "temporary_ge6m": 1}
    assert o.competitive_share == 66.7               # C2's job is not competitive
    assert o.wages() == {"yes": 1, "no": 1, "unknown": 1}   # 15.00, 14.00, none
    assert o.minimum_wage_share == 50.0
    assert o.job_endings == {"dismissed": 1}
    assert o.trajectory_endings == {"moved": 1}
    # First face-to-face employer contact in Q1: C2 after 15 days, C3 after 30 (the phone call
    # on day 4 does not count); C1's was in October.
    assert o.days_to_first_employer_contact == [15, 30]
    # First job in Q1: C2 after 27 days, C6 after 46, C1 after 101 (1 Oct → 10 Jan).
    assert o.days_to_first_job == [27, 46, 101]


def test_minimum_wage_is_the_2026_statutory_hourly_wage():
    assert Decimal("14.40") <= MINIMUM_HOURLY_WAGE <= Decimal("15.00")


def test_employment_rate_per_month_and_contacts_per_week_against_the_norm(build):
    team, _coordinator, _workers = known_team(build)
    months = {p.month: p for p in employment_by_month(db.session, [team.id], date(2025, 12, 1),
                                                      UNTIL)[team.id]}
    # December: C1, C4, C5 on the caseload; C5 worked (job since May). January: C1, C2, C4, C6,
    # C1 worked. February: C1–C4, C6; C1, C2 worked. March (to the 18th): C1, C2, C3, C6; C1,
    # C2 (ended 1 March) and C6 worked.
    assert [(p.caseload, p.worked, p.rate) for p in months.values()] == [
        (3, 1, 33.3), (4, 1, 25.0), (5, 2, 40.0), (4, 3, 75.0)]
    weeks = {p.label: p for p in employer_contacts_by_week(db.session, [team.id],
                                                            date(2026, 3, 2), UNTIL)[team.id]}
    # Week 10: W1 absent all week (no norm), W2 has no job seeker (norm 0); C3's visit counts.
    # Week 11: W1 has one job seeker (C1), so 2 × 1; the phone call does not count.
    assert (weeks["2026-W10"].contacts, weeks["2026-W10"].norm) == (1, 0)
    assert (weeks["2026-W11"].contacts, weeks["2026-W11"].norm) == (1, 2)
    assert "2026-W12" not in weeks                   # not complete on 18 March


def test_outcomes_page_shows_the_figures_and_both_charts(client, build):
    team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    page = client.get("/outcomes/?quarter=2026-Q1")
    assert page.status_code == 200
    summary = rows_by_key(Tables(page.text).tables["summary"])
    assert summary["caseload"] == ["5"]
    assert summary["employment_rate"] == ["60.0"]
    assert summary["mean_hours"] == ["25.3"]          # (20 + 32 + 24) / 3
    assert summary["median_hours"] == ["24.0"]
    assert summary["median_days_first_employer_contact"] == ["22.5"]
    assert summary["median_days_first_job"] == ["46.0"]
    assert f'data-chart="employment_rate" data-team="{team.id}"' in page.text
    assert f'data-chart="employer_contacts" data-team="{team.id}"' in page.text
    assert 'data-series="norm"' in page.text
    assert '<circle' in page.text and 'data-label="2026-03" data-value="75.0"' in page.text
    assert 'data-label="2026-W11" data-value="1"' in page.text
    assert 'data-norm="2" data-label="2026-W11"' in page.text


def test_csv_and_excel_downloads_hold_the_numbers_shown(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    shown = Tables(client.get("/outcomes/?quarter=2026-Q1").text).tables
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/outcomes/export.xlsx?quarter=2026-Q1").data))
    assert set(workbook.sheetnames) == set(shown)
    for key, rows in shown.items():
        response = client.get(f"/outcomes/export.csv?quarter=2026-Q1&table={key}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        records = list(csv.reader(io.StringIO(response.text)))[1:]
        assert [record[1:] for record in records] == [values for _key, values in rows]
        sheet = list(workbook[key].iter_rows(min_row=2, values_only=True))
        assert [[_number(v) for v in row[1:]] for row in sheet] == [
            [_number(v) for v in values] for _k, values in rows]
        assert [record[0] for record in records] == [row[0] for row in sheet]


def _number(value):
    """Excel gives 60.0 back as 60: compare the numbers, not their spelling."""
    return None if value in (None, "") else float(value)


def test_an_unknown_table_is_404_and_a_bad_quarter_400_for_downloads(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    assert client.get("/outcomes/export.csv?table=nope").status_code == 404
    assert client.get("/outcomes/export.xlsx?quarter=2026-Q5").status_code == 400
    page = client.get("/outcomes/?quarter=2026-Q5")
    assert page.status_code == 200 and 'data-error="period"' in page.text


def test_a_date_range_counts_only_its_days(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    page = client.get("/outcomes/?start=2026-03-02&end=2026-03-31")
    summary = rows_by_key(Tables(page.text).tables["summary"])
    # C1, C2, C3, C6 on the caseload; jobs in the range: C1 and C6 (C2's ended on 1 March).
    assert summary["caseload"] == ["4"] and summary["worked"] == ["2"]
    assert summary["job_starts"] == ["1"] and summary["new_referrals"] == ["0"]


def monitor_rows(client, quarter):
    response = client.get(f"/outcomes/work-monitor.csv?quarter={quarter}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.text)))


def test_work_monitor_has_a_row_per_trajectory_and_placement(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    rows = monitor_rows(client, "2026-Q1")
    assert [(r["client_code"], r["placement_type"]) for r in rows] == [
        ("C1", "paid_job"), ("C2", "paid_job"), ("C3", ""), ("C4", "volunteer"),
        ("C6", "paid_job_subsidised")]
    by_code = {r["client_code"]: r for r in rows}
    assert by_code["C1"]["first_employer_contact_date"] == "2025-10-25"
    assert by_code["C1"]["worker_fte"] == "1" and by_code["C3"]["worker_fte"] == "0.5"
    assert (by_code["C2"]["placement_start"], by_code["C2"]["placement_end"],
            by_code["C2"]["hours_per_week"], by_code["C2"]["wage_at_least_minimum"],
            by_code["C2"]["competitive"]) == ("2026-02-01", "2026-03-01", "32", "no", "no")
    assert by_code["C3"]["first_employer_contact_date"] == "2026-03-03"   # not the phone call
    assert by_code["C3"]["placement_start"] == "" and by_code["C3"]["hours_per_week"] == ""
    assert (by_code["C4"]["end_date"], by_code["C4"]["end_reason"]) == ("2026-02-15", "moved")
    assert by_code["C6"]["wage_at_least_minimum"] == "unknown"
    assert by_code["C1"]["trajectory_type"] == "ips_epa"
    assert by_code["C1"]["program_entry_date"] == "2025-10-01"


def test_work_monitor_shows_the_state_at_the_end_of_the_quarter(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    rows = {r["client_code"]: r for r in monitor_rows(client, "2025-Q4")}
    assert set(rows) == {"C1", "C4", "C5"}
    assert (rows["C4"]["end_date"], rows["C4"]["end_reason"]) == ("", "")   # ended in Q1
    assert rows["C5"]["end_reason"] == "working_handed_over"
    assert rows["C1"]["placement_type"] == ""          # C1's job started in January


@pytest.mark.parametrize("url", ["/outcomes/", "/outcomes/export.csv?table=summary",
                                 "/outcomes/export.xlsx", "/outcomes/work-monitor.csv"])
def test_workers_and_administrators_get_403(client, build, url):
    _team, _coordinator, (w1, _w2) = known_team(build)
    admin = build.user(role="admin")
    build.commit()
    login(client, w1)
    assert client.get(url).status_code == 403
    other = client.application.test_client()
    login(other, admin)
    assert other.get(url).status_code == 403


def test_coordinator_of_another_team_sees_only_their_own_team(client, build):
    team, _coordinator, _workers = known_team(build)
    stranger = build.user(build.team("Team Zuid"), role="coordinator")
    build.commit()
    login(client, stranger)
    assert client.get(f"/outcomes/?team={team.id}").status_code == 404
    assert client.get(f"/outcomes/work-monitor.csv?quarter=2026-Q1&team={team.id}"
                      ).status_code == 404
    own = rows_by_key(Tables(client.get("/outcomes/?quarter=2026-Q1").text).tables["summary"])
    assert own["caseload"] == ["0"]
    assert monitor_rows(client, "2026-Q1") == []


def grow_team(build, team, workers: int, clients_each: int):
    for _w in range(workers):
        worker = build.user(team, fte="0.8")
        for c in range(clients_each):
            person = build.client(worker, entry=date(2025, 11, 1 + c))
            build.phase(person, "job_finding", on=date(2025, 12, 1))
            build.contact(worker, on=date(2026, 1, 5 + c), kind="employer", client=person,
                          employer=build.employer())
            place(build, person, start=date(2026, 2, 1 + c), wage="16.00")
            build.disclosure(person, on=date(2026, 1, 2))
        build.absence(worker, start=date(2026, 2, 9), end=date(2026, 2, 10))
    build.commit()


def test_the_outcomes_page_sends_the_same_number_of_queries_for_a_larger_team(
        client, build, count_queries):
    small = build.team("Klein")
    coordinator = build.user(small, role="coordinator")
    grow_team(build, small, workers=1, clients_each=1)
    login(client, coordinator)
    client.get("/outcomes/")
    with count_queries() as few:
        assert client.get("/outcomes/?quarter=2026-Q1").status_code == 200
    grow_team(build, small, workers=4, clients_each=6)
    with count_queries() as many:
        page = client.get("/outcomes/?quarter=2026-Q1")
    assert rows_by_key(Tables(page.text).tables["summary"])["caseload"] == ["25"]
    assert many.count == few.count, "\n".join(many.statements)


def test_coordinator_sees_nav_links(client, build):
    _team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    page = client.get("/outcomes/")
    assert re.search(r'href="/outcomes/"', page.text) and re.search(r'href="/fidelity/"',
                                                                     page.text)


def test_a_coordinator_of_two_teams_sees_a_column_per_team_in_the_same_queries(
        client, build, count_queries):
    team, coordinator, _workers = known_team(build)
    login(client, coordinator)
    with count_queries() as one_team:
        client.get("/outcomes/?quarter=2026-Q1")
    second = build.team("Team Oost")
    coordinator.teams.append(second)
    grow_team(build, second, workers=2, clients_each=3)
    with count_queries() as two_teams:
        page = client.get("/outcomes/?quarter=2026-Q1")
    summary = rows_by_key(Tables(page.text).tables["summary"])
    assert summary["caseload"] == ["5", "6"]          # Team Noord, Team Oost (by name)
    assert two_teams.count == one_team.count
    only = rows_by_key(Tables(client.get(f"/outcomes/?quarter=2026-Q1&team={team.id}").text
                              ).tables["summary"])
    assert only["caseload"] == ["5"]


def test_a_competitive_job_below_the_minimum_wage_is_not_competitive_in_the_outcomes(build):
    """As item 21 counts it: open to anyone and at least the statutory minimum wage."""
    team = build.team("Team Zuid")
    worker = build.user(team)
    for code, wage in (("Z1", "14.70"), ("Z2", "14.71"), ("Z3", None)):
        client = build.client(worker, entry=date(2026, 1, 5), code=code)
        place(build, client, start=date(2026, 2, 1), wage=wage)
    build.commit()
    o = team_outcomes(db.session, [team.id], Q1_START, UNTIL)[team.id]
    assert o.competitive_share == 66.7   # Z2 and Z3 (unknown wage: the flag's word), not Z1
