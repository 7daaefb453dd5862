"""Outcomes per IPS worker, attributed to the worker responsible on the day, and the comparable
employment rate over clients out of paid work at referral: figures worked out by hand.

The period is 2026-01-01 .. 2026-03-18 (TODAY, tests/conftest.py); 90 days before its end is
2025-12-18."""

from __future__ import annotations

import csv
import io
from datetime import date

from caseload.extensions import db
from caseload.outcomes.queries import team_outcomes
from caseload.outcomes.workers import retention_counts, worker_outcomes
from tests.conftest import login
from tests.test_outcomes import Tables, place, rows_by_key

START, END = date(2026, 1, 1), date(2026, 3, 18)


def supervised_team(build):
    """Workers Anna, Bram and Cor of Team Zuid (see the test for what each client adds)."""
    team = build.team("Team Zuid")
    coordinator = build.user(team, role="coordinator", name="Coördinator")
    anna = build.user(team, name="Anna")
    bram = build.user(team, name="Bram")
    cor = build.user(team, name="Cor")
    employer = build.employer("Bakkerij De Korenbloem")

    def client(worker, code, entry, in_work=None):
        made = build.client(worker, entry=entry, code=code)
        made.open_trajectory.in_work_at_referral = in_work
        return made

    x1 = client(anna, "X1", date(2025, 10, 1), in_work=False)
    build.contact(anna, on=date(2025, 12, 20), kind="employer", mode="phone", client=x1,
                  employer=employer)
    build.contact(anna, on=date(2026, 1, 5), kind="employer", client=x1, employer=employer)
    place(build, x1, start=date(2026, 1, 10))                 # Anna's start, still working
    build.transfer(x1, bram, on=date(2026, 2, 1))
    x2 = client(anna, "X2", date(2025, 9, 1), in_work=False)
    place(build, x2, start=date(2025, 12, 18), end=date(2026, 3, 17))   # 90 before END, 89 held
    x3 = client(anna, "X3", date(2025, 9, 1), in_work=True)
    place(build, x3, start=date(2025, 12, 19))                # 89 days before END: not counted
    x4 = client(bram, "X4", date(2025, 9, 1), in_work=False)
    place(build, x4, start=date(2025, 10, 7), end=date(2026, 1, 5))     # held 90 days
    x5 = client(bram, "X5", date(2025, 9, 1))
    place(build, x5, start=date(2025, 10, 8), end=date(2026, 1, 5))     # held 89 days
    x6 = client(bram, "X6", date(2026, 2, 1), in_work=False)
    place(build, x6, start=date(2026, 2, 10), kind="volunteer")         # not a job
    build.contact(bram, on=date(2026, 2, 20), kind="employer", client=x6, employer=employer)
    # Cor's whole caseload goes to Bram on 15 February.
    x8 = client(cor, "X8", date(2026, 1, 5))
    x9 = client(cor, "X9", date(2026, 1, 5))
    place(build, x9, start=date(2026, 1, 20), end=date(2026, 2, 10))
    build.transfer(x8, bram, on=date(2026, 2, 15))
    build.transfer(x9, bram, on=date(2026, 2, 15))
    place(build, x8, start=date(2026, 3, 1))
    # Another team's worker and client never appear.
    other = build.team("Team West")
    dirk = build.user(other, name="Dirk")
    y1 = client(dirk, "Y1", date(2026, 1, 2), in_work=False)
    place(build, y1, start=date(2026, 1, 3))
    build.commit()
    return team, coordinator, (anna, bram, cor)


def test_per_worker_outcomes_follow_the_worker_responsible_on_the_day(build):
    team, _coordinator, (anna, bram, cor) = supervised_team(build)
    by_name = {o.worker.name: o for o in worker_outcomes(db.session, [team.id], START, END)}
    assert list(by_name) == ["Anna", "Bram", "Cor"]           # not Dirk of Team West
    a, b, c = by_name["Anna"], by_name["Bram"], by_name["Cor"]
    # Anna held X1 (to 31 Jan), X2, X3; all three worked while she held them.
    assert (a.caseload, a.working, a.working_share) == (3, 3, 100.0)
    assert a.job_starts == 1                                  # X1 on 10 Jan
    # Out of work at referral: X1, X2 (X3 was in work); both worked.
    assert (a.out_of_work_caseload, a.out_of_work_working, a.out_of_work_rate) == (2, 2, 100.0)
    assert a.days_to_first_employer_contact == [96]           # X1: 1 Oct → 5 Jan (face to face)
    assert a.days_to_first_job == [101]                       # X1: 1 Oct → 10 Jan
    # Retention: X2 started 90 days before END (counted) and was held 89 days (not retained);
    # X3 started 89 days before END (not counted yet).
    assert (a.retention_eligible, a.retained, a.retention_share) == (1, 0, 0.0)
    # Bram: X1 (from 1 Feb), X4, X5, X6, and X8, X9 from Cor on 15 Feb. Working while his: X1,
    # X4 and X5 (to 5 Jan), X8 (from 1 Mar); X9's job ended before he took her on, X6 volunteers.
    assert (b.caseload, b.working, b.working_share) == (6, 4, 66.7)
    assert b.job_starts == 1                                  # X8 on 1 Mar, after the transfer
    assert (b.out_of_work_caseload, b.out_of_work_working) == (3, 2)   # X1, X4, X6; X1, X4
    assert b.out_of_work_rate == 66.7
    assert b.days_to_first_employer_contact == [19]           # X6: 1 Feb → 20 Feb
    assert b.days_to_first_job == [55]                        # X8: 5 Jan → 1 Mar
    # X4 held 90 days (retained), X5 89 days (not).
    assert (b.retention_eligible, b.retained, b.retention_share) == (2, 1, 50.0)
    # Cor, whose caseload went to Bram mid-period: X8, X9; X9 worked (20 Jan – 10 Feb).
    assert (c.caseload, c.working, c.working_share, c.job_starts) == (2, 1, 50.0, 1)
    assert c.days_to_first_job == [15]
    assert (c.out_of_work_caseload, c.out_of_work_rate) == (0, None)   # none recorded
    assert (c.retention_eligible, c.retention_share) == (0, None)


def test_retention_counts_at_89_and_90_days():
    end = date(2026, 3, 18)
    assert retention_counts([(date(2025, 12, 19), None)], end) == (0, 0)          # 89 before
    assert retention_counts([(date(2025, 12, 18), None)], end) == (1, 1)          # 90 before
    assert retention_counts([(date(2025, 12, 1), date(2026, 2, 28))], end) == (1, 0)  # 89 held
    assert retention_counts([(date(2025, 12, 1), date(2026, 3, 1))], end) == (1, 1)   # 90 held


def test_the_comparable_rate_of_the_team_counts_clients_out_of_work_at_referral(build):
    team, _coordinator, _workers = supervised_team(build)
    o = team_outcomes(db.session, [team.id], START, END)[team.id]
    # On the caseload: X1–X6, X8, X9 (8). Worked: X1, X2, X3, X4, X5, X8, X9 (7).
    assert (o.caseload, o.worked, o.employment_rate) == (8, 7, 87.5)
    # Out of work at referral: X1, X2, X4, X6; of them X1, X2, X4 worked: 3 of 4.
    assert (o.out_of_work_caseload, o.out_of_work_worked, o.out_of_work_rate) == (4, 3, 75.0)
    # Paid jobs held in the period that started by 18 Dec: X2 (89 days), X4 (90), X5 (89).
    assert (o.retention_eligible, o.retained) == (3, 1)


def test_the_outcomes_page_and_downloads_show_the_worker_figures(client, build):
    team, coordinator, (anna, bram, cor) = supervised_team(build)
    login(client, coordinator)
    args = "start=2026-01-01&end=2026-03-31"
    page = client.get(f"/outcomes/?{args}")
    assert page.status_code == 200
    tables = Tables(page.text).tables
    workers = rows_by_key(tables["workers"])
    assert list(workers) == [str(anna.id), str(bram.id), str(cor.id)]
    # caseload, starts, working, %, comparable %, days to contact, days to job, 90-day counts
    assert workers[str(bram.id)] == ["6", "1", "4", "66.7", "66.7", "19.0", "55.0", "2", "1", "50.0"]
    assert rows_by_key(tables["summary"])["out_of_work_rate"] == ["75.0"]
    assert 'id="comparable-rate-definition"' in page.text
    assert 'data-chart="worker_job_starts"' in page.text
    assert 'data-chart="worker_working_share"' in page.text
    assert 'data-label="Bram" data-value="66.7"' in page.text
    download = client.get(f"/outcomes/export.csv?{args}&table=workers")
    records = list(csv.reader(io.StringIO(download.text)))
    assert [r[0] for r in records[1:]] == ["Anna", "Bram", "Cor"]
    assert records[2][1:] == workers[str(bram.id)]


def test_the_worker_figures_take_a_fixed_number_of_queries(build, count_queries):
    team, _coordinator, _workers = supervised_team(build)
    team_ids = [team.id]
    with count_queries() as counted:
        worker_outcomes(db.session, team_ids, START, END)
    # Twice the clients, the same queries.
    for n in range(8):
        build.client(_workers[n % 3], entry=date(2026, 1, 2), code=f"Z{n}")
    build.commit()
    with count_queries() as more:
        worker_outcomes(db.session, team_ids, START, END)
    assert counted.count == more.count == 1  # the histories (outcomes/history.py)


def test_the_work_monitor_export_holds_funder_contract_and_in_work_at_referral(client, build):
    team, coordinator, _workers = supervised_team(build)
    login(client, coordinator)
    response = client.get("/outcomes/work-monitor.csv?quarter=2026-Q1")
    rows = {r["client_code"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert (rows["X1"]["funder"], rows["X1"]["contract"], rows["X1"]["in_work_at_referral"]) \
        == ("uwv", "temporary_lt6m", "no")
    assert rows["X3"]["in_work_at_referral"] == "yes"
    assert rows["X5"]["in_work_at_referral"] == ""                # not recorded
    assert "Y1" not in rows


def test_in_work_at_referral_is_kept_from_the_forms(client, build):
    from caseload.models import Client
    team = build.team()
    worker = build.user(team)
    build.commit()
    login(client, worker)
    from tests.conftest import csrf_token
    token = csrf_token(client, "/clients/new")
    response = client.post("/clients/new", data={
        "csrf_token": token, "client_code": "N1", "team_id": team.id, "worker_id": worker.id,
        "program_entry_date": "2026-03-02", "trajectory_type": "ips_epa", "funder": "uwv",
        "in_work_at_referral": "no"})
    assert response.status_code == 302
    made = db.session.query(Client).filter_by(client_code="N1").one()
    assert made.open_trajectory.in_work_at_referral is False
    page = client.get(f"/clients/{made.id}")
    assert 'id="in-work-at-referral"' in page.text
    edit = client.get(f"/clients/{made.id}/details")
    assert '<option selected value="no">' in edit.text
    response = client.post(f"/clients/{made.id}/details", data={
        "csrf_token": token, "client_code": "N1", "version": made.version,
        "in_work_at_referral": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert made.open_trajectory.in_work_at_referral is True
    # A value that is not one of the choices is refused at the field, nothing changes.
    response = client.post(f"/clients/{made.id}/details", data={
        "csrf_token": token, "client_code": "N1", "version": made.version,
        "in_work_at_referral": "maybe"})
    assert response.status_code == 422
    db.session.expire_all()
    assert made.open_trajectory.in_work_at_referral is True
    # A new trajectory after the first ended.
    made.open_trajectory.end(on=date(2026, 3, 10), reason="moved", today=date(2026, 3, 18))
    db.session.commit()
    response = client.post(f"/clients/{made.id}/trajectory", data={
        "csrf_token": token, "worker_id": worker.id, "program_entry_date": "2026-03-12",
        "trajectory_type": "ips_epa", "funder": "municipality", "in_work_at_referral": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert made.open_trajectory.in_work_at_referral is True


def test_a_handover_corrected_on_the_same_day_counts_for_nobody_in_between(build):
    team = build.team()
    first, mistaken, right = build.user(team), build.user(team), build.user(team)
    client = build.client(first, entry=date(2026, 1, 5), code="S1")
    build.transfer(client, mistaken, on=date(2026, 2, 2))
    build.transfer(client, right, on=date(2026, 2, 2))     # the wrong colleague, corrected
    build.commit()
    by_worker = {o.worker.id: o.caseload for o in worker_outcomes(db.session, [team.id],
                                                                  START, END)}
    assert by_worker == {first.id: 1, right.id: 1}
