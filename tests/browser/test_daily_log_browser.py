"""The daily log in a real browser: log in, enter a day's contacts, find them again on the
client and employer pages; a row with an error keeps everything that was typed.

Elements are found by their name and id attributes (WTForms ids such as rows-0-client), never
by translated text: the UI is Dutch by default and its texts may change.
"""

from __future__ import annotations

import re

import pytest

from caseload.extensions import db
from caseload.models import Contact, Employer
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

DAY = TODAY.strftime("%d-%m-%Y")  # how the date filter shows a date in Dutch (caseload/dates.py)


def fill_row(page, n: int, *, client: str = "", kind: str = "client",
             employer: str = "", mode: str = "face_to_face", place: str = "community",
             minutes: str = "", note: str = "") -> None:
    row = f"rows-{n}-"
    page.select_option(f"#{row}client", client)
    page.select_option(f"#{row}kind", kind)
    if employer or page.is_visible(f"#{row}employer"):  # shown for employer contacts only
        page.fill(f"#{row}employer", employer)
    page.select_option(f"#{row}mode", mode)
    page.select_option(f"#{row}place", place)
    page.fill(f"#{row}minutes", minutes)
    page.fill(f"#{row}note", note)


def submit_log(page, expected_status: int) -> None:
    with page.expect_response(lambda r: r.request.method == "POST"
                              and "/log" in r.url) as response:
        page.click("#daily-log button[name=save]")
    assert response.value.status == expected_status
    page.wait_for_load_state()


def test_daily_log_saves_contacts_that_show_on_client_and_employer_pages(page, log_in, build):
    team = build.team()
    worker = build.user(team)
    first, second = build.client(worker), build.client(worker)
    other_worker = build.user(team)
    team_code = build.client(other_worker).client_code  # found by typing, not listed
    first_id, second_id = first.id, second.id
    first_code, second_code = first.client_code, second.client_code
    build.commit()

    log_in(worker)
    page.goto("/log")
    assert page.input_value("#contact_date") == TODAY.isoformat()
    client_options = page.eval_on_selector_all(
        "#rows-0-client option", "options => options.map(o => o.value)")
    assert {first_code, second_code} <= set(client_options)
    assert team_code not in client_options

    fill_row(page, 0, client=first_code, minutes="45", note="Cv bijgewerkt met eerste")
    fill_row(page, 1, client=second_code, place="office", minutes="30",
             note="Werkwens besproken met tweede")
    fill_row(page, 2, kind="employer", employer="Bakkerij Browsertest", minutes="60",
             note="Kennismaking zonder client")
    submit_log(page, 302)

    # The success state: back on the log of that day, a success message, the three contacts
    # listed, and no errors.
    assert re.search(rf"/log\?date={TODAY.isoformat()}$", page.url), page.url
    assert page.locator(".flash.success").count() == 1
    assert page.locator("#daily-log .error, #daily-log .has-error").count() == 0
    assert page.locator("#logged .timeline li").count() == 3
    assert page.locator("#logged a[href$='/clients/%d']" % first_id).count() == 1
    assert page.locator("#logged a[href$='/clients/%d']" % second_id).count() == 1
    assert "Bakkerij Browsertest" in page.inner_text("#logged")
    # A fresh, empty form for the next contacts
    assert page.input_value("#rows-0-note") == ""
    assert page.input_value("#rows-0-client") == ""

    for client_id, code, note in ((first_id, first_code, "Cv bijgewerkt met eerste"),
                                  (second_id, second_code, "Werkwens besproken met tweede")):
        page.goto(f"/clients/{client_id}")
        assert code in page.inner_text("h1")
        contacts = page.locator("#timeline li.contact")
        assert contacts.count() == 1
        assert page.locator("#timeline li.contact.kind-client").count() == 1
        assert contacts.locator(".when").inner_text().strip() == DAY
        assert contacts.locator(".note").inner_text().strip() == note
        assert worker.name in contacts.locator(".who").inner_text()

    # The new employer exists, with the general contact in its job development log.
    page.goto("/employers/")
    link = page.locator("main table a", has_text="Bakkerij Browsertest")
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    assert re.search(r"/employers/\d+$", page.url), page.url
    assert page.inner_text("h1").strip() == "Bakkerij Browsertest"
    entries = page.locator("main .timeline li")
    assert entries.count() == 1
    assert entries.locator(".when").inner_text().strip() == DAY
    assert entries.locator(".note").inner_text().strip() == "Kennismaking zonder client"
    assert entries.locator("a[href*='/clients/']").count() == 0  # a general contact

    # And in the database: three contacts of the worker on that day, the employer one general.
    db.session.rollback()
    contacts = db.session.scalars(db.select(Contact).where(Contact.worker_id == worker.id)
                                  .order_by(Contact.id)).all()
    assert [(c.client_id, c.kind, c.mode, c.contact_date) for c in contacts] == [
        (first_id, "client", "face_to_face", TODAY),
        (second_id, "client", "face_to_face", TODAY),
        (None, "employer", "face_to_face", TODAY),
    ]
    employer = db.session.scalar(db.select(Employer).where(Employer.name == "Bakkerij Browsertest"))
    assert employer is not None and contacts[2].employer_id == employer.id
    assert [c.minutes for c in contacts] == [45, 30, 60]


# Each case: the second row has an error; the first row is valid and names a new employer.
ERROR_CASES = {
    # Refused by the model (Contact.log): an employer contact without an employer.
    "employer contact without employer": (dict(kind="employer", minutes="20"),
                                          "rows-1-employer"),
    # Refused by the form: minutes out of range.
    "minutes out of range": (dict(kind="client", minutes="900"), "rows-1-minutes"),
}


@pytest.mark.parametrize("case", ERROR_CASES, ids=list(ERROR_CASES))
def test_row_with_error_keeps_every_typed_value(page, log_in, build, case):
    team = build.team()
    worker = build.user(team)
    first, second = build.client(worker), build.client(worker)
    first_code, second_code = first.client_code, second.client_code
    build.commit()
    second_row, error_field = ERROR_CASES[case]
    yesterday = TODAY - build.days(1)

    log_in(worker)
    page.goto("/log")
    page.fill("#contact_date", yesterday.isoformat())
    typed = {
        0: dict(client=first_code, kind="employer", employer="Nieuwe Werkgever & Zn",
                mode="phone", place="office", minutes="15", note="Over een proefplaats"),
        1: dict(client=second_code, mode="video", place="community",
                note="Tweede regel, met \"aanhalingstekens\" <en> tekens", **second_row),
    }
    for n, values in typed.items():
        fill_row(page, n, **values)
    submit_log(page, 422)

    # The marked field carries its error; nothing was saved.
    assert page.locator(f"#{error_field}-error").count() == 1
    assert page.locator(f".field.has-error #{error_field}").count() == 1
    assert page.locator("fieldset.log-row.has-error").count() == 1
    assert page.get_attribute("fieldset.log-row.has-error", "data-row") == "1"
    assert page.locator(".flash.success").count() == 0
    assert page.locator("#logged .timeline a").count() == 0
    # The employer typed in the valid row was not created (all or nothing).
    assert page.evaluate("fetch('/employers/lookup?q=Nieuwe').then(r => r.json())") == {
        "names": []}

    # Every typed value is still there.
    assert page.input_value("#contact_date") == yesterday.isoformat()
    for n, values in typed.items():
        row = f"#rows-{n}-"
        assert page.input_value(f"{row}client") == values["client"]
        assert page.input_value(f"{row}kind") == values["kind"]
        assert page.input_value(f"{row}employer") == values.get("employer", "")
        assert page.input_value(f"{row}mode") == values["mode"]
        assert page.input_value(f"{row}place") == values["place"]
        assert page.input_value(f"{row}minutes") == values["minutes"]
        assert page.input_value(f"{row}note") == values["note"]
    # The blank rows stay blank.
    assert page.input_value("#rows-2-note") == "" and page.input_value("#rows-2-client") == ""

    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Employer.id))) == 0


def test_a_colleagues_client_is_found_by_typing_announced_and_saved(page, log_in, build):
    """The page lists the worker's own clients; typing part of a colleague's client's name
    in a line's search box looks it up, adds it to the line's "Team" group, chooses it and
    says how many were found. Another team's client is never offered."""
    team = build.team()
    worker = build.user(team)
    own = build.client(worker, code="OWN-1")
    colleague_client = build.client(build.user(team), code="KEES-4")
    colleague_client.name = "Kees de Vries"
    stranger = build.client(build.user(build.team()), code="KEES-9")
    stranger.name = "Kees van Elders"
    ids = {"own": own.id, "colleague": colleague_client.id}
    build.commit()

    log_in(worker)
    page.goto("/log")
    options = "options => options.map(o => o.value)"
    assert page.eval_on_selector_all("#rows-1-client option", options) == ["", "OWN-1"]

    with page.expect_response(lambda r: "/log/clients" in r.url) as answered:
        page.fill("#rows-1-client-filter", "kees")
    assert answered.value.status == 200
    page.wait_for_function("() => document.querySelector('#rows-1-client').value === 'KEES-4'")
    assert page.eval_on_selector_all("#rows-1-client option", options) == [
        "", "OWN-1", "KEES-4"]
    assert page.eval_on_selector("#rows-1-client option[value='KEES-4']",
                                 "o => o.parentElement.tagName") == "OPTGROUP"
    page.wait_for_function(
        "() => document.querySelector('#client-lookup-status').textContent.includes('1')")
    assert "KEES-9" not in page.content()
    # The line's own search box only: another line is not changed.
    assert page.input_value("#rows-0-client") == ""

    fill_row(page, 0, client="OWN-1", minutes="20", note="Eigen cliënt")
    page.fill("#rows-1-minutes", "35")
    page.fill("#rows-1-note", "Voor een collega")
    submit_log(page, 302)

    db.session.rollback()
    contacts = db.session.scalars(db.select(Contact).where(Contact.worker_id == worker.id)
                                  .order_by(Contact.id)).all()
    assert [(c.client_id, c.minutes) for c in contacts] == [
        (ids["own"], 20), (ids["colleague"], 35)]
