"""Malformed requests that used to answer 500: ids beyond the database's integer range, a
non-integer id in a form, years 0 and 10000 in quarters, weeks and dates, non-finite decimals.
Each now gets a refusal (400/404) or a clear message at the field, with the input kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseload import clock
from caseload.extensions import db
from caseload.models import Client, Placement, User, WorkerWeekReview
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value

HUGE = "99999999999999999999999"
JUST_OVER = "2147483648"  # one past PostgreSQL's INTEGER


@pytest.fixture
def team(app, build):
    team = build.team("Team Grens")
    worker = build.user(team, email="grens-worker@example.org")
    coordinator = build.user(team, role="coordinator", email="grens-coord@example.org")
    admin = build.user(team, role="admin", email="grens-admin@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=40), code="GRENS-1")
    placement = build.placement(client, start=TODAY - timedelta(days=5))
    build.commit()
    browsers = {}
    for role, user in (("worker", worker), ("coordinator", coordinator), ("admin", admin)):
        browsers[role] = app.test_client()
        login(browsers[role], user)
    return {"team_id": team.id, "worker_id": worker.id, "client": client.id,
            "placement": placement.id, **browsers}


@pytest.mark.parametrize("role, template", [
    ("worker", "/clients/{n}"), ("worker", "/clients/{n}/privacy/export"),
    ("worker", "/log/week/{n}/2026-W11"), ("worker", "/employers/{n}"),
    ("coordinator", "/fidelity/assessments/{n}"), ("admin", "/admin/users/{n}"),
    ("admin", "/admin/outbox/{n}"),
])
def test_ids_beyond_the_integer_range_in_the_path_are_not_found(team, role, template):
    for number in (HUGE, JUST_OVER, "9223372036854775808"):
        assert team[role].get(template.format(n=number)).status_code == 404, number


def test_the_largest_integer_id_is_still_an_id():
    from caseload.request_input import MAX_ID, parse_id
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("0") is None and parse_id("-1") is None and parse_id("１") is None


@pytest.mark.parametrize("role, path, arg", [
    ("worker", "/caseload", "worker"), ("coordinator", "/review/signals", "worker"),
    ("coordinator", "/checklist/", "team"), ("coordinator", "/outcomes/", "team"),
    ("coordinator", "/outcomes/work-monitor.csv", "team"), ("coordinator", "/fidelity/", "team"),
    ("coordinator", "/outcomes/export.xlsx", "team"),
])
def test_id_query_args_are_bounded(team, role, path, arg):
    browser = team[role]
    assert browser.get(path, query_string={arg: HUGE}).status_code == 404
    assert browser.get(path, query_string={arg: JUST_OVER}).status_code == 404
    # /caseload?worker= also takes the words "team" and "me"; another word shows the default
    not_a_number = 200 if path == "/caseload" else 400
    assert browser.get(path, query_string={arg: "abc"}).status_code == not_a_number
    own = team["worker_id"] if arg == "worker" else team["team_id"]
    assert browser.get(path, query_string={arg: str(own)}).status_code == 200


@pytest.mark.parametrize("worker_id", ["abc", HUGE, "", "1.5"])
def test_a_non_integer_worker_id_in_the_checklist_review_is_refused(team, worker_id):
    browser = team["coordinator"]
    response = browser.post("/checklist/review-line", query_string={"week": "2026-W11"}, data={
        "csrf_token": csrf_token(browser, "/checklist/"), "worker_id": worker_id, "note": "ok"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(WorkerWeekReview.id))) == 0


@pytest.mark.parametrize("query, status", [
    ({"quarter": "0000-Q1"}, 400), ({"quarter": "9999-Q4"}, 400), ({"quarter": "10000-Q1"}, 400),
    ({"quarter": "1999-Q4"}, 400), ({"start": "0001-01-01", "end": "2026-01-01"}, 400),
    ({"start": "2026-01-01", "end": "9999-12-31"}, 400), ({"quarter": "2100-Q4"}, 200),
])
def test_quarters_and_periods_have_year_bounds_on_downloads(team, query, status):
    browser = team["coordinator"]
    for path in ("/outcomes/work-monitor.csv", "/outcomes/export.xlsx", "/outcomes/export.csv"):
        if "start" in query and "work-monitor" in path:
            continue  # the work monitor takes quarters only
        assert browser.get(path, query_string=query).status_code == status, path


@pytest.mark.parametrize("quarter", ["0000-Q1", "9999-Q4"])
def test_a_quarter_out_of_range_on_the_page_falls_back_with_a_message(team, quarter):
    browser = team["coordinator"]
    for path in ("/outcomes/", "/fidelity/"):
        response = browser.get(path, query_string={"quarter": quarter})
        assert response.status_code == 200
        assert 'data-error="period"' in response.text


@pytest.mark.parametrize("week", ["9999-W52", "0000-W01", "10000-W01", "2026-W54", "2026-W00",
                                  "1999-W52"])
def test_weeks_out_of_range_are_not_found(team, week):
    assert team["coordinator"].get("/checklist/", query_string={"week": week}).status_code == 404
    assert team["worker"].get(f"/log/week/{team['worker_id']}/{week}").status_code == 404


def test_the_last_week_in_range_still_opens(team):
    assert team["coordinator"].get("/checklist/", query_string={"week": "2100-W52"}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "10000-01-01", "1999-12-31"])
def test_access_log_dates_out_of_range_get_a_message(team, day):
    for name in ("from", "to"):
        response = team["admin"].get("/admin/access-log", query_string={name: day})
        assert response.status_code == 200
        assert 'class="error"' in response.text


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_daily_log_ignores_a_date_out_of_range(team, day):
    response = team["worker"].get("/log", query_string={"date": day})
    assert response.status_code == 200
    assert input_value(response.text, "contact_date") == TODAY.isoformat()


def test_date_parsers_bound_the_year():
    assert clock.parse_date("2000-01-01") == date(2000, 1, 1)
    assert clock.parse_date("2100-12-31") == date(2100, 12, 31)
    assert clock.parse_iso_week("2026-W11") == date(2026, 3, 9)
    for bad in ("1999-12-31", "2101-01-01", "9999-12-31", "0001-01-01", "+2026-01-01", "",
                "２０２６-０３-１８"):
        with pytest.raises(ValueError):
            clock.parse_date(bad)
    for bad in ("9999-W52", "0000-W01", "2026-W54", "2026-W00", "2026-W1x", "26-W11", ""):
        with pytest.raises(ValueError):
            clock.parse_iso_week(bad)


NON_FINITE = ["sNaN", "NaN", "-NaN", "Infinity", "-inf", "inf"]


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("field", ["hours_per_week", "hourly_wage"])
def test_non_finite_decimals_are_refused_at_the_placement_field(team, field, value):
    browser = team["worker"]
    url = f"/clients/{team['client']}"
    data = {"csrf_token": csrf_token(browser, url), "employer_name": "Bakkerij",
            "job_title": "Bakker", "start_date": TODAY.isoformat(), "placement_type": "paid_job",
            "hours_per_week": "20", "hourly_wage": "15", "contract": "permanent", field: value}
    response = browser.post(f"{url}/placements", data=data)
    assert response.status_code == 422
    assert field_has_error(response.text, field)
    assert input_value(response.text, field) == value  # what was typed stays
    assert db.session.scalar(select(func.count(Placement.id))) == 1


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_decimals_are_refused_when_editing_a_placement(team, value):
    browser = team["worker"]
    url = f"/clients/{team['client']}/placements/{team['placement']}/edit"
    page = browser.get(url).text
    response = browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "version": input_value(page, "version"),
        "job_title": "Kok", "placement_type": "paid_job", "hours_per_week": value,
        "hourly_wage": value, "contract": "permanent"})
    assert response.status_code in (200, 422)
    assert field_has_error(response.text, "hours_per_week")
    assert field_has_error(response.text, "hourly_wage")
    assert input_value(response.text, "hours_per_week") == value


@pytest.mark.parametrize("value", NON_FINITE + ["abc"])
def test_non_finite_fte_is_refused_with_one_message(team, value):
    browser = team["admin"]
    url = f"/admin/users/{team['worker_id']}"
    response = browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "name": "W", "email": "grens-worker@example.org",
        "role": "worker", "fte": value, "language": "nl", "active": "y"})
    assert response.status_code in (200, 422)
    assert field_has_error(response.text, "fte")
    assert response.text.count('id="fte-error"') == 1
    assert input_value(response.text, "fte") == value
    db.session.expire_all()
    assert db.session.get(User, team["worker_id"]).fte == 1


@pytest.mark.parametrize("fields", [
    {"all": "1", "from_worker": HUGE}, {"all": "1", "from_worker": JUST_OVER},
    {"trajectory_id": HUGE}, {"trajectory_id": [JUST_OVER, "1"]},
])
def test_handover_ids_beyond_the_integer_range_are_refused(team, fields):
    browser = team["coordinator"]
    response = browser.post("/caseload/handover", data={
        "csrf_token": csrf_token(browser, "/caseload"), "handover-worker_id": "0",
        "handover-on": TODAY.isoformat(), **fields})
    # 422: no client ticked that is one (the caseload again, saying so); never a 500
    assert response.status_code in (302, 400, 404, 422)


@pytest.mark.parametrize("command", [["norms", "check"], ["jobs", "run", "daily_evaluation"]])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_the_cli_refuses_a_date_out_of_range(app, command, day):
    result = app.test_cli_runner().invoke(args=[*command, "--as-of", day])
    assert result.exit_code == 2
    assert "--as-of" in result.output and "YYYY-MM-DD" in result.output


# Digits that str.isdigit() accepts and int() does not ("²"), or int() reads ("٣"), and a
# final newline, which a regular expression's "$" lets through.
@pytest.mark.parametrize("path", [
    "/log?minutes=²", "/log?employer=²", "/log?employer=²²", "/log?minutes=٣",
    "/appointments/new?client=²", "/appointments/new?client=٣"])
def test_prefilled_numbers_that_only_look_like_digits_are_no_ids(team, path):
    """Not a 500; an employer that is no id is taken as a name typed (the daily log's link)."""
    response = team["worker"].get(path)
    assert response.status_code == 200
    if "employer" not in path:
        assert 'value="²"' not in response.text and 'value="3"' not in response.text


@pytest.mark.parametrize("quarter", ["2026-Q1\n", "٢٠٢٦-Q1"])
def test_a_quarter_with_a_final_newline_or_other_digits_is_refused_on_downloads(team, quarter):
    browser = team["coordinator"]
    for path in ("/outcomes/work-monitor.csv", "/outcomes/export.xlsx", "/outcomes/export.csv"):
        assert browser.get(path, query_string={"quarter": quarter}).status_code == 400, path


def test_a_client_code_with_a_final_newline_is_refused_at_the_field(team):
    browser = team["worker"]
    response = browser.post("/clients/new", data={
        "csrf_token": csrf_token(browser, "/clients/new"), "client_code": "GRENS-1\n",
        "name": "", "referral_source": "", "team_id": str(team["team_id"]),
        "worker_id": str(team["worker_id"]), "program_entry_date": TODAY.isoformat(),
        "trajectory_type": "ips_epa", "funder": "uwv", "planned_end": ""})
    assert response.status_code in (200, 422)
    assert field_has_error(response.text, "client_code")
    assert db.session.scalar(select(func.count(Client.id))) == 1  # GRENS-1 only
