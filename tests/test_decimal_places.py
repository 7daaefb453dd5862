"""Decimals no more precise than their column: a form refuses 16.25 hours (the column holds one
decimal) at the field, keeps what was typed and writes nothing, where the database would have
rounded it away unasked; the importer applies the same rule. A decimal comma (16,5) is read as
a point."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.importer.csv_files import BadValue, columns_of
from caseload.models import Placement, User
from caseload.models.base import decimal_places, places_of, read_amount
from caseload.models.corrections import RecordVersion
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value

ONE_PLACE = "Gebruik hoogstens 1 cijfer achter de komma."
TWO_PLACES = "Gebruik hoogstens 2 cijfers achter de komma."


@pytest.fixture
def team(app, build):
    team = build.team("Team Komma")
    worker = build.user(team, email="komma-worker@example.org")
    admin = build.user(team, role="admin", email="komma-admin@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=40), code="KOMMA-1")
    placement = build.placement(client, start=TODAY - timedelta(days=5))
    build.commit()
    browsers = {}
    for role, user in (("worker", worker), ("admin", admin)):
        browsers[role] = app.test_client()
        login(browsers[role], user)
    return {"team_id": team.id, "worker_id": worker.id, "client": client.id, "placement": placement.id, **browsers}


def test_the_columns_say_how_many_decimals_they_hold():
    assert places_of(Placement.hours_per_week) == 1
    assert places_of(Placement.hourly_wage) == 2
    assert places_of(User.fte) == 2


@pytest.mark.parametrize("text, places", [
    ("16", 0), ("16.5", 1), ("16.50", 1), ("16.25", 2), ("0.555", 3), ("0.000", 0),
    ("1E+2", 0), ("1.00000000000000000000000000001", 29),
])
def test_decimal_places_counts_what_the_amount_needs(text, places):
    assert decimal_places(Decimal(text)) == places


def _start_placement(browser, client_id, **fields):
    url = f"/clients/{client_id}"
    data = {"csrf_token": csrf_token(browser, url), "employer_name": "Bakkerij",
            "job_title": "Bakker", "start_date": TODAY.isoformat(), "placement_type": "paid_job",
            "hours_per_week": "20", "hourly_wage": "15", "contract": "permanent", **fields}
    return browser.post(f"{url}/placements", data=data)


def _placements() -> int:
    return db.session.scalar(select(func.count(Placement.id)))


@pytest.mark.parametrize("field, typed, message", [
    ("hours_per_week", "16.25", ONE_PLACE), ("hours_per_week", "16,25", ONE_PLACE),
    ("hourly_wage", "12.3456", TWO_PLACES), ("hourly_wage", "12,3456", TWO_PLACES),
])
def test_recording_a_placement_refuses_more_decimals_than_the_column_holds(
        team, field, typed, message):
    response = _start_placement(team["worker"], team["client"], **{field: typed})
    assert response.status_code == 422
    assert field_has_error(response.text, field)
    assert message in response.text
    assert input_value(response.text, field) == typed  # what was typed stays
    assert _placements() == 1  # only the builder's


@pytest.mark.parametrize("hours, wage, stored_hours, stored_wage", [
    ("16.2", "12.34", Decimal("16.2"), Decimal("12.34")),
    ("16,5", "12,5", Decimal("16.5"), Decimal("12.50")),  # the decimal comma Dutch users type
    ("16.50", "12.3400", Decimal("16.5"), Decimal("12.34")),  # a trailing zero rounds nothing
    ("60", "999.99", Decimal("60.0"), Decimal("999.99")),  # the most the import takes too
])
def test_recording_a_placement_keeps_as_many_decimals_as_the_column_holds(
        team, hours, wage, stored_hours, stored_wage):
    response = _start_placement(team["worker"], team["client"], hours_per_week=hours,
                                hourly_wage=wage)
    assert response.status_code == 302, response.text
    placement = db.session.scalars(select(Placement).where(Placement.job_title == "Bakker")).one()
    assert (placement.hours_per_week, placement.hourly_wage) == (stored_hours, stored_wage)


@pytest.mark.parametrize("field, typed", [("hours_per_week", "60.1"), ("hourly_wage", "1000")])
def test_recording_a_placement_refuses_more_than_the_most(team, field, typed):
    response = _start_placement(team["worker"], team["client"], **{field: typed})
    assert response.status_code == 422 and field_has_error(response.text, field)
    assert input_value(response.text, field) == typed
    assert _placements() == 1


def test_a_number_with_both_a_comma_and_a_point_is_refused_as_no_number(team):
    response = _start_placement(team["worker"], team["client"], hourly_wage="1.234,5")
    assert field_has_error(response.text, "hourly_wage")
    assert "Vul een getal in, bijvoorbeeld 12,5." in response.text
    assert input_value(response.text, "hourly_wage") == "1.234,5"
    assert _placements() == 1


def test_decimal_fields_are_text_inputs_with_a_decimal_keypad(team):
    # Chromium drops a comma typed into <input type=number>: 2,5 would reach the server as 25.
    page = team["worker"].get(f"/clients/{team['client']}").text
    for name in ("hours_per_week", "hourly_wage"):
        [tag] = re.findall(rf'<input[^>]*\bid="{name}"[^>]*>', page)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag, tag


def _correct_placement(browser, client_id, placement_id, **fields):
    url = f"/clients/{client_id}/placements/{placement_id}/edit"
    page = browser.get(url).text
    data = {"csrf_token": csrf_token(browser, url), "version": input_value(page, "version"),
            "job_title": "Medewerker", "job_type": "", "placement_type": "paid_job",
            "hours_per_week": "16", "hourly_wage": "", "contract": "temporary_lt6m",
            "competitive": "y", "start_date": (TODAY - timedelta(days=5)).isoformat(),
            "end_date": "", "end_reason": "", "reason": "Uren verkeerd", **fields}
    return browser.post(url, data=data)


@pytest.mark.parametrize("field, typed, message", [
    ("hours_per_week", "16.25", ONE_PLACE), ("hourly_wage", "12.3456", TWO_PLACES),
])
def test_correcting_a_placement_refuses_more_decimals_than_the_column_holds(
        team, field, typed, message):
    response = _correct_placement(team["worker"], team["client"], team["placement"],
                                  **{field: typed})
    assert response.status_code == 422
    assert field_has_error(response.text, field)
    assert message in response.text
    assert input_value(response.text, field) == typed
    db.session.expire_all()
    placement = db.session.get(Placement, team["placement"])
    assert (placement.hours_per_week, placement.hourly_wage, placement.version) == (
        Decimal("16"), None, 1)
    assert db.session.scalar(select(func.count(RecordVersion.id))) == 0


def test_correcting_a_placement_takes_one_decimal_hours_and_a_decimal_comma(team):
    response = _correct_placement(team["worker"], team["client"], team["placement"],
                                  hours_per_week="16,5", hourly_wage="12,35")
    assert response.status_code == 302, response.text
    db.session.expire_all()
    placement = db.session.get(Placement, team["placement"])
    assert (placement.hours_per_week, placement.hourly_wage) == (Decimal("16.5"),
                                                                 Decimal("12.35"))


def _save_user_fte(team, fte):
    browser = team["admin"]
    url = f"/admin/users/{team['worker_id']}"
    return browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "name": "W", "email": "komma-worker@example.org",
        "role": "worker", "fte": fte, "team_ids": team["team_id"], "language": "nl",
        "active": "y"})


def test_an_fte_with_three_decimals_is_refused_at_the_field(team):
    response = _save_user_fte(team, "0.555")
    assert response.status_code in (200, 422)
    assert field_has_error(response.text, "fte")
    assert TWO_PLACES in response.text
    assert input_value(response.text, "fte") == "0.555"
    db.session.expire_all()
    assert db.session.get(User, team["worker_id"]).fte == Decimal("1.00")


@pytest.mark.parametrize("typed, stored", [("0.55", Decimal("0.55")), ("0,8", Decimal("0.80"))])
def test_an_fte_with_two_decimals_or_a_comma_is_saved(team, typed, stored):
    response = _save_user_fte(team, typed)
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert db.session.get(User, team["worker_id"]).fte == stored


@pytest.mark.parametrize("file, column, good, bad", [
    ("placements.csv", "hours_per_week", "16,2", "16.25"),
    ("placements.csv", "hourly_wage", "12.34", "12,345"),
    ("workers.csv", "fte", "0,55", "0.555"),
    ("placements.csv", "hours_per_week", "0,5", "1,500"),   # read neither way
    ("workers.csv", "fte", "0,800", "1,000"),
])
def test_the_importer_applies_the_same_rule(app, file, column, good, bad):
    with app.test_request_context():
        parse = columns_of(TODAY)[file][column]
        assert parse(good) == Decimal(good.replace(",", "."))
        with pytest.raises(BadValue, match="hoogstens 1 decimaal," if column == "hours_per_week" else "hoogstens 2 decimalen"):
            parse(bad)


@pytest.mark.parametrize("typed, sign", [
    ("1,500", "de komma"), ("12,000", "de komma"), ("-1,250", "de komma"),
    ("1.500", "de punt"), ("12.000", "de punt"), ("-1.250", "de punt")])
def test_a_comma_or_a_point_before_three_digits_is_read_neither_way(team, typed, sign):
    """1,500: one and a half to a Dutch reader, fifteen hundred to an English one; 1.500 the
    other way round."""
    response = _start_placement(team["worker"], team["client"], hours_per_week=typed)
    assert response.status_code == 422 and field_has_error(response.text, "hours_per_week")
    assert f"Is {sign} een decimaalteken of scheidt hij duizendtallen?" in response.text
    assert input_value(response.text, "hours_per_week") == typed
    assert _placements() == 1


def test_a_comma_before_three_digits_after_a_zero_is_a_decimal_comma(team):
    response = _save_user_fte(team, "0,800")
    assert response.status_code == 302, response.text


# What Python's Decimal and int() read but nobody writes as an amount: an exponent, digit
# group underscores, digits of another script, NaN. The forms and the import refuse the same.
NO_AMOUNT = ["1e1", "1E2", "1_5", "١٥", "NaN", "Infinity", "15 5", "--5"]


@pytest.mark.parametrize("typed", NO_AMOUNT)
def test_what_decimal_reads_but_is_no_amount_is_refused_at_the_field(team, typed):
    response = _start_placement(team["worker"], team["client"], hourly_wage=typed)
    assert response.status_code == 422 and field_has_error(response.text, "hourly_wage")
    assert "Vul een getal in, bijvoorbeeld 12,5." in response.text
    assert input_value(response.text, "hourly_wage") == typed
    assert _placements() == 1


@pytest.mark.parametrize("typed", NO_AMOUNT)
def test_the_importer_refuses_the_same_text_as_no_amount(app, typed):
    with app.test_request_context():
        with pytest.raises(BadValue):
            columns_of(TODAY)["placements.csv"]["hourly_wage"](typed)


@pytest.mark.parametrize("typed, amount", [(",5", Decimal("0.5")), (".5", Decimal("0.5")),
                                           ("16.", Decimal("16")), ("16,5", Decimal("16.5"))])
def test_the_forms_and_the_importer_read_the_same_amounts(app, team, typed, amount):
    with app.test_request_context():
        assert columns_of(TODAY)["placements.csv"]["hours_per_week"](typed) == amount
    response = _start_placement(team["worker"], team["client"], hours_per_week=typed)
    assert response.status_code == 302, response.text
    placement = db.session.scalars(select(Placement).where(Placement.job_title == "Bakker")).one()
    assert placement.hours_per_week == amount


def _log_minutes(team, typed: str):
    """The worker's daily log sent with one contact of `typed` minutes."""
    token = csrf_token(team["worker"], "/log")
    return team["worker"].post("/log", data={
        "csrf_token": token, "rows-0-contact_date": TODAY.isoformat(),
        "rows-0-client_id": str(team["client"]), "rows-0-kind": "client",
        "rows-0-mode": "face_to_face", "rows-0-minutes": typed, "rows-0-note": "Gesprek"})


@pytest.mark.parametrize("typed", ["1_0", "١٠", "3.0"])
def test_a_whole_number_is_ascii_digits_in_the_forms_and_the_import(app, team, typed):
    with app.test_request_context():
        with pytest.raises(BadValue):
            columns_of(TODAY)["contacts.csv"]["minutes"](typed)
    response = _log_minutes(team, typed)
    assert response.status_code == 422
    assert "Vul een heel getal in, bijvoorbeeld 30." in response.text


# More digits than int() reads from text (sys.get_int_max_str_digits(), 4300): int() raises a
# ValueError of its own, which the form showed as the field's message (English, about Python)
# and the import let through as an error of the whole request.
OVERLONG = "9" * 5000


def test_an_overlong_whole_number_is_refused_by_the_import_at_its_cell(app):
    with app.test_request_context():
        with pytest.raises(BadValue):
            columns_of(TODAY)["contacts.csv"]["minutes"](OVERLONG)


def test_an_overlong_whole_number_is_refused_at_the_field_with_its_message(app, team):
    response = _log_minutes(team, OVERLONG)
    assert response.status_code == 422
    assert "Vul een heel getal in, bijvoorbeeld 30." in response.text
    assert "Exceeds the limit" not in response.text
    assert OVERLONG in response.text   # what was typed is kept


@pytest.mark.parametrize("typed, read", [("0.500", "0.5"), ("1.5", "1.5"), ("1500", "1500"),
                                         ("1.5000", "1.5"), ("12.50", "12.5")])
def test_a_point_is_a_decimal_point_where_it_cannot_separate_thousands(typed, read):
    assert read_amount(typed) == Decimal(read)


def test_the_importer_reads_a_point_before_three_digits_neither_way(app):
    with app.test_request_context():
        parse = columns_of(TODAY)["placements.csv"]["hourly_wage"]
        with pytest.raises(BadValue):
            parse("2.500")
        assert parse("2.50") == Decimal("2.50")


@pytest.mark.parametrize("language, typed, said", [
    ("nl", "0,2", "Vul een getal van 0,5 tot en met 60 in."),
    ("nl", "61", "Vul een getal van 0,5 tot en met 60 in."),
    ("en", "0.2", "Enter a number from 0.5 to 60."),
])
def test_a_range_is_written_as_the_reader_writes_numbers(team, language, typed, said):
    """A Dutch reader asked for a decimal comma is not told the range with a point."""
    with team["worker"].session_transaction() as session:
        session["language"] = language
    response = _start_placement(team["worker"], team["client"], hours_per_week=typed)
    assert response.status_code == 422 and field_has_error(response.text, "hours_per_week")
    assert said in response.text
    assert input_value(response.text, "hours_per_week") == typed
    assert _placements() == 1


def test_a_required_amount_sent_as_spaces_is_called_required_not_out_of_range(team):
    response = _start_placement(team["worker"], team["client"], hours_per_week="   ")
    assert response.status_code == 422 and field_has_error(response.text, "hours_per_week")
    assert "Dit veld is vereist." in response.text and "Vul een getal van" not in response.text
    assert _placements() == 1
