"""The daily log: several contacts of one day in one form; all are saved, or none."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.dailylog.forms import DailyLogForm
from caseload.extensions import db
from caseload.models import Contact, Employer
from tests.conftest import TODAY, csrf_token, login
from tests.pages import error_field_ids, field_has_error, input_value, selected_value

DAY = TODAY - timedelta(days=1)
BLANK = {"client": "", "kind": "client", "employer": "", "mode": "face_to_face",
         "place": "community", "minutes": "", "note": ""}


@pytest.fixture
def setting(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=40), code="DL-1")
    existing = build.employer("Bakkerij Bol")
    build.commit()
    return worker, person, existing


def form_data(token: str, rows: list[dict], *, day=DAY, button: str = "save") -> dict:
    """What the browser sends: every row on the page (at least five), filled in or not."""
    rows = rows + [{}] * (5 - len(rows))
    data = {"csrf_token": token, "contact_date": day.isoformat(), button: "1"}
    for index, row in enumerate(rows):
        for name, value in {**BLANK, **row}.items():
            data[f"rows-{index}-{name}"] = str(value)
    return data


def three_contacts(person) -> list[dict]:
    """A face-to-face client contact, a general contact with a new employer, a treatment-team
    phone call: an ordinary morning."""
    return [
        {"client": person.client_code, "kind": "client", "minutes": "45", "note": "Cv besproken"},
        {"kind": "employer", "employer": "  Garage  De Vries ", "minutes": "30",
         "note": "Vacature monteur"},
        {"client": person.client_code, "kind": "treatment_team", "mode": "phone", "place": "office",
         "minutes": "10", "note": "Overleg behandelaar"},
    ]


def stored_contacts() -> list[Contact]:
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).order_by(Contact.id)))


def employer_names() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Employer.name).order_by(Employer.name)))


def row_has_error(page: str, index: int) -> bool:
    return bool(re.search(rf'<fieldset class="log-row has-error" data-row="{index}"', page))


def test_several_contacts_of_a_day_are_saved_together(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    rows = three_contacts(person) + [{}, {}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    assert response.status_code == 302
    assert f"date={DAY.isoformat()}" in response.headers["Location"]
    saved = stored_contacts()
    assert [(c.kind, c.client_id, c.mode, c.place, c.minutes, c.note) for c in saved] == [
        ("client", person.id, "face_to_face", "community", 45, "Cv besproken"),
        ("employer", None, "face_to_face", "community", 30, "Vacature monteur"),
        ("treatment_team", person.id, "phone", "office", 10, "Overleg behandelaar"),
    ]
    assert {c.contact_date for c in saved} == {DAY}
    assert {c.worker_id for c in saved} == {worker.id}
    assert saved[0].client_present is True
    assert employer_names() == ["Bakkerij Bol", "Garage De Vries"]
    assert saved[1].employer.name == "Garage De Vries"


def test_an_employer_typed_in_another_case_is_matched_not_duplicated(client, setting):
    worker, person, existing = setting
    login(client, worker)
    rows = [{"client": person.client_code, "kind": "employer", "employer": "bakkerij BOL"},
            {"kind": "employer", "employer": "Nieuwe Werkgever"},
            {"kind": "employer", "employer": "nieuwe werkgever"}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    assert response.status_code == 302
    assert employer_names() == ["Bakkerij Bol", "Nieuwe Werkgever"]
    saved = stored_contacts()
    assert saved[0].employer_id == existing.id
    assert saved[1].employer_id == saved[2].employer_id


INVALID_ROWS = {
    "employer_contact_without_employer": ({"kind": "employer", "minutes": "20",
                                           "note": "Wie was het ook alweer"}, "employer"),
    "client_contact_without_client": ({"kind": "client", "minutes": "25",
                                       "note": "Vergeten te kiezen"}, "client"),
    "treatment_team_contact_without_client": ({"kind": "treatment_team", "minutes": "5",
                                               "note": "Welke cliënt"}, "client"),
    "minutes_out_of_range": ({"kind": "other", "minutes": "9999", "note": "Typfout"}, "minutes"),
}


@pytest.mark.parametrize("case", list(INVALID_ROWS))
def test_one_invalid_row_saves_nothing_marks_the_field_and_keeps_every_row(
        client, setting, case):
    worker, person, _existing = setting
    bad_row, bad_field = INVALID_ROWS[case]
    rows = three_contacts(person)[:2] + [bad_row] + three_contacts(person)[2:]
    login(client, worker)

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    page = response.text
    assert response.status_code == 422
    assert field_has_error(page, f"rows-2-{bad_field}")
    assert error_field_ids(page) == {f"rows-2-{bad_field}"}
    assert row_has_error(page, 2)
    assert not any(row_has_error(page, i) for i in (0, 1, 3))
    # What was typed is all still there, the invalid row included.
    assert input_value(page, "contact_date") == DAY.isoformat()
    assert input_value(page, "rows-0-client") == person.client_code
    assert input_value(page, "rows-0-minutes") == "45"
    assert input_value(page, "rows-0-note") == "Cv besproken"
    assert selected_value(page, "rows-1-kind") == "employer"
    assert input_value(page, "rows-1-employer") == "  Garage  De Vries "
    assert input_value(page, "rows-1-note") == "Vacature monteur"
    assert selected_value(page, "rows-2-kind") == bad_row["kind"]
    assert input_value(page, "rows-2-minutes") == bad_row["minutes"]
    assert input_value(page, "rows-2-note") == bad_row["note"]
    assert selected_value(page, "rows-3-kind") == "treatment_team"
    assert selected_value(page, "rows-3-mode") == "phone"
    assert selected_value(page, "rows-3-place") == "office"
    assert input_value(page, "rows-3-note") == "Overleg behandelaar"
    # And nothing of the submission reached the database, not even the new employer.
    assert stored_contacts() == []
    assert employer_names() == ["Bakkerij Bol"]


def test_an_invalid_row_before_a_new_employer_also_saves_nothing(client, setting):
    worker, person, _existing = setting
    rows = [{"kind": "employer", "note": "zonder naam"}] + three_contacts(person)
    login(client, worker)

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    assert response.status_code == 422
    assert error_field_ids(response.text) == {"rows-0-employer"}
    assert input_value(response.text, "rows-2-employer") == "  Garage  De Vries "
    assert stored_contacts() == [] and employer_names() == ["Bakkerij Bol"]


def test_a_future_date_saves_nothing_and_is_marked_at_the_date(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    tomorrow = TODAY + timedelta(days=1)

    response = client.post("/log", data=form_data(csrf_token(client, "/log"),
                                                   three_contacts(person), day=tomorrow))

    assert response.status_code == 422
    assert field_has_error(response.text, "contact_date")
    assert error_field_ids(response.text) == {"contact_date"}
    assert input_value(response.text, "contact_date") == tomorrow.isoformat()
    assert input_value(response.text, "rows-1-employer") == "  Garage  De Vries "
    assert input_value(response.text, "rows-2-note") == "Overleg behandelaar"
    assert stored_contacts() == [] and employer_names() == ["Bakkerij Bol"]


def test_blank_rows_are_ignored_wherever_they_are(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    # Untouched lines, one with its selects changed but nothing typed: not contacts.
    rows = [{}, {"kind": "employer", "mode": "phone", "place": "office"}, {},
            {"client": person.client_code, "kind": "client", "minutes": "60"}, {}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    assert response.status_code == 302
    assert [(c.kind, c.client_id, c.minutes) for c in stored_contacts()] == [
        ("client", person.id, 60)]


def test_a_form_of_blank_rows_only_saves_nothing_and_says_so(client, setting):
    worker, _person, _existing = setting
    login(client, worker)

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), [{}] * 5))

    assert response.status_code == 422
    assert 'class="error form-error"' in response.text
    assert stored_contacts() == []


def test_more_rows_adds_three_empty_rows_keeps_what_was_typed_and_saves_nothing(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    rows = three_contacts(person) + [{}, {}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows,
                                                   button="more_rows"))

    assert response.status_code == 200
    page = response.text
    assert len(re.findall(r'<fieldset class="log-row[^"]*" data-row="\d+"', page)) == 8
    assert input_value(page, "rows-7-note") == ""
    assert input_value(page, "rows-0-client") == person.client_code
    assert input_value(page, "rows-1-employer") == "  Garage  De Vries "
    assert input_value(page, "rows-2-minutes") == "10"
    assert error_field_ids(page) == set()
    assert stored_contacts() == [] and employer_names() == ["Bakkerij Bol"]

    # The rows added can be filled in and saved with the rest.
    rows = three_contacts(person) + [{}, {}, {}, {},
                                     {"client": person.client_code, "kind": "family", "minutes": "15"}]
    saved = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))
    assert saved.status_code == 302
    assert [c.kind for c in stored_contacts()] == ["client", "employer", "treatment_team",
                                                   "family"]


def test_more_rows_stops_at_the_most_rows_a_form_can_hold(client, setting):
    worker, _person, _existing = setting
    login(client, worker)
    most = DailyLogForm.rows.kwargs["max_entries"]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), [{}] * (most - 1),
                                                   button="more_rows"))

    assert response.status_code == 200
    assert len(re.findall(r'<fieldset class="log-row[^"]*" data-row="\d+"', response.text)) == most


def test_saved_contacts_are_listed_for_the_day_after_saving(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    client.post("/log", data=form_data(csrf_token(client, "/log"), three_contacts(person)))

    page = client.get(f"/log?date={DAY.isoformat()}")

    assert page.status_code == 200
    logged = page.text[page.text.index('id="logged"'):]
    assert logged.count("<li>") == 3
    assert f'href="/clients/{person.id}"' in logged and "Garage De Vries" in logged
    assert db.session.scalar(select(func.count(Contact.id))) == 3


def test_log_a_contact_links_fill_in_the_first_row_from_the_query(client, setting, build):
    worker, person, existing = setting
    other_team_client = build.client(build.user(build.team()), code="DL-X")
    build.commit()
    login(client, worker)

    page = client.get(f"/log?client={person.id}&employer={existing.id}&kind=employer"
                      f"&mode=phone&date={DAY.isoformat()}").text
    assert input_value(page, "rows-0-client") == person.client_code
    assert input_value(page, "rows-0-employer") == "Bakkerij Bol"
    assert selected_value(page, "rows-0-kind") == "employer"
    assert selected_value(page, "rows-0-mode") == "phone"
    assert input_value(page, "contact_date") == DAY.isoformat()

    # The kind alone sets its usual mode and place.
    page = client.get("/log?kind=benefits_agency").text
    assert (selected_value(page, "rows-0-mode"), selected_value(page, "rows-0-place")) == (
        "phone", "office")
    # Unknown, invisible or future values are ignored, never an error.
    future = (TODAY + timedelta(days=3)).isoformat()
    odd = client.get(f"/log?client={other_team_client.id}&employer=999999&kind=boss&mode=x"
                     f"&date={future}")
    assert odd.status_code == 200
    assert input_value(odd.text, "rows-0-client") == ""  # nobody chosen
    assert other_team_client.client_code not in odd.text
    assert input_value(odd.text, "contact_date") == TODAY.isoformat()
    assert input_value(odd.text, "rows-0-employer") == ""

    employer_page = client.get(f"/employers/{existing.id}").text
    assert f'href="/log?employer={existing.id}&amp;kind=employer"' in employer_page
    assert f'href="/log?client={person.id}"' in client.get(f"/clients/{person.id}").text


def test_an_employer_named_under_another_kind_is_an_error_at_the_employer(client, setting):
    worker, person, _existing = setting
    login(client, worker)
    rows = [{"client": person.client_code, "kind": "client", "employer": "Bakkerij Bol",
             "minutes": "30"}]
    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))
    assert response.status_code == 422
    assert field_has_error(response.text, "rows-0-employer")
    assert 'href="#row-0"' in response.text
    assert stored_contacts() == []


def test_a_rows_own_field_messages_are_in_the_pages_language(client, setting):
    """WTForms' own messages of a row (an unknown choice) in Dutch, as on every other form."""
    worker, person, _existing = setting
    login(client, worker)
    sent = client.post("/log", data=form_data(csrf_token(client, "/log"), [
        {"client": person.client_code, "kind": "client", "mode": "by_pigeon", "minutes": "20",
         "note": "Gesprek"}]))

    assert sent.status_code == 422
    assert field_has_error(sent.text, "rows-0-mode")
    assert "Ongeldige keuze." in sent.text and "Not a valid choice" not in sent.text
    assert stored_contacts() == []


def error_text(page: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page,
                      re.DOTALL)
    assert found, f"no error at {field_id}"
    return found.group(1)


@pytest.mark.parametrize("typed", ["abc", "1.5", "30 min"])
def test_minutes_that_are_no_whole_number_get_one_message_at_that_rows_minutes(
        client, setting, typed):
    worker, person, _existing = setting
    rows = three_contacts(person)[:2] + [{"kind": "other", "minutes": typed, "note": "Typfout"}]
    login(client, worker)

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows))

    page = response.text
    assert response.status_code == 422
    assert error_field_ids(page) == {"rows-2-minutes"}
    # One message, not "Not a valid integer value." followed by the range's message
    assert error_text(page, "rows-2-minutes") == "Vul een heel getal in, bijvoorbeeld 30."
    assert "Tussen 0 en 720 minuten" not in page
    assert page.count("Vul een heel getal in") == 2  # at the field and once in the summary
    assert input_value(page, "rows-2-minutes") == typed
    assert input_value(page, "rows-2-note") == "Typfout"
    assert input_value(page, "rows-0-minutes") == "45"
    assert stored_contacts() == [] and employer_names() == ["Bakkerij Bol"]
