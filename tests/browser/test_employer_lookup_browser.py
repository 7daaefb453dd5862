"""Employers found as the worker types (static/employer_lookup.js and /employers/lookup), on the
daily log and the client page; and the daily log without JavaScript: clients typed by code,
employers typed in full, from the one list of clients the page sends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Contact, Employer, Placement
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


def expect_suggestions(page, names: list[str]) -> None:
    """The list comes to show these names. Polled: while typing slowly the page may show the
    answer for the first letters ("ho") before the one for the whole text ("hoeve")."""
    expect(page.locator("#employer-suggestions li[role=option]")).to_have_text(names)


def test_typing_part_of_an_employer_name_suggests_it_and_the_pick_is_saved(page, log_in, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, code="LOOK-1")
    for name in ("Bakkerij Bol", "Bloemisterij Bolle", "Garage De Vries"):
        build.employer(name)
    bol = build.employer("Bolwerk Logistiek")
    person_id, bol_id = person.id, bol.id
    build.commit()

    log_in(worker)
    page.goto("/log")
    assert page.locator("datalist#employer-names").count() == 0  # no list of every employer
    page.select_option("#rows-0-client", "LOOK-1")
    page.select_option("#rows-0-kind", "employer")
    page.locator("#rows-0-employer").press_sequentially("lwe", delay=30)
    expect_suggestions(page, ["Bolwerk Logistiek"])
    assert page.get_attribute("#rows-0-employer", "aria-expanded") == "true"
    page.click("#employer-suggestions li[role=option]")
    assert page.input_value("#rows-0-employer") == "Bolwerk Logistiek"
    assert page.locator("#employer-suggestions").is_hidden()

    # The keyboard picks too: down to the second suggestion, Enter takes it and sends nothing.
    page.click("#add-row")
    page.select_option("#rows-5-kind", "employer")
    page.locator("#rows-5-employer").press_sequentially("bol", delay=30)
    expect_suggestions(page, ["Bolwerk Logistiek", "Bakkerij Bol", "Bloemisterij Bolle"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#rows-5-employer") == "Bakkerij Bol"
    page.fill("#rows-0-minutes", "25")

    with page.expect_response(lambda r: r.request.method == "POST" and "/log" in r.url) as sent:
        page.click("#daily-log button[name=save]")
    assert sent.value.status == 302
    page.wait_for_load_state()
    db.session.expire_all()
    saved = list(db.session.scalars(select(Contact).order_by(Contact.id)))
    assert [(c.client_id, c.kind, c.employer_id, c.minutes) for c in saved] == [
        (person_id, "employer", bol_id, 25),
        (None, "employer", db.session.scalar(
            select(Employer.id).where(Employer.name == "Bakkerij Bol")), 0)]
    assert db.session.scalar(select(func.count(Employer.id))) == 4  # none made twice


def test_a_new_name_typed_past_the_suggestions_creates_the_employer(page, log_in, build):
    worker = build.user(build.team())
    build.client(worker, code="LOOK-2")
    build.employer("Bakkerij Bol")
    build.commit()

    log_in(worker)
    page.goto("/log")
    page.select_option("#rows-0-kind", "employer")
    page.locator("#rows-0-employer").press_sequentially("Bakkerij", delay=30)
    expect_suggestions(page, ["Bakkerij Bol"])
    with page.expect_response(lambda r: "lookup?q=Bakkerij%20Nieuw" in r.url) as answer:
        page.locator("#rows-0-employer").press_sequentially(" Nieuw", delay=30)
    assert answer.value.json() == {"names": []}
    expect(page.locator("#employer-suggestions")).to_be_hidden()
    with page.expect_response(lambda r: r.request.method == "POST" and "/log" in r.url) as sent:
        page.click("#daily-log button[name=save]")
    assert sent.value.status == 302
    db.session.expire_all()
    assert list(db.session.scalars(select(Employer.name).order_by(Employer.name))) == [
        "Bakkerij Bol", "Bakkerij Nieuw"]


def test_the_client_page_finds_the_employer_of_a_placement_as_typed(page, log_in, build):
    worker = build.user(build.team())
    person = build.client(worker, code="LOOK-3")
    build.employer("Zorgboerderij De Hoeve")
    build.employer("Hoveniersbedrijf Groen")
    person_id = person.id
    build.commit()

    log_in(worker)
    page.goto(f"/clients/{person_id}")
    assert page.locator("datalist#employer-names").count() == 0
    page.click("#placement_form summary")
    page.locator("#employer_name").press_sequentially("hoeve", delay=30)
    expect_suggestions(page, ["Zorgboerderij De Hoeve"])
    page.click("#employer-suggestions li[role=option]")
    page.fill("#job_title", "Dierverzorger")
    page.fill("#hours_per_week", "16")
    with page.expect_response(lambda r: r.request.method == "POST"
                              and "/placements" in r.url) as sent:
        page.click("#placement_form button[type=submit]")
    assert sent.value.status == 302
    db.session.expire_all()
    placement = db.session.scalar(select(Placement))
    assert placement is not None and placement.employer.name == "Zorgboerderij De Hoeve"
    assert placement.job_title == "Dierverzorger"


def test_without_javascript_clients_are_typed_by_code_and_employers_in_full(
        browser, live_server, build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    build.client(worker, code="NOJS-1")
    theirs = build.client(colleague, code="NOJS-2")
    build.client(build.user(build.team()), code="NOJS-X")
    theirs_id = theirs.id
    build.employer("Bakkerij Bol")
    build.commit()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        from tests.builders import Builder
        page.goto("/login")
        page.fill("#email", worker.email)
        page.fill("#password", Builder.PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        page.goto("/log")
        # A text input with the page's one list of clients; no select, no script.
        assert page.get_attribute("#rows-0-client", "list") == "client-choices"
        assert page.eval_on_selector("#rows-0-client", "e => e.tagName") == "INPUT"
        page.fill("#rows-0-client", "NOJS-X")            # another team's client: refused
        page.select_option("#rows-0-kind", "employer")
        page.fill("#rows-0-employer", "bakkerij bol")
        page.fill("#rows-0-minutes", "30")
        with page.expect_navigation():
            page.click("#daily-log button[name=save]")
        expect(page.locator(".field.has-error #rows-0-client")).to_have_count(1)
        assert page.input_value("#rows-0-client") == "NOJS-X"
        assert page.input_value("#rows-0-employer") == "bakkerij bol"

        page.fill("#rows-0-client", "nojs-2")            # a colleague's client, any case
        with page.expect_navigation(url="**/log?date=*"):
            page.click("#daily-log button[name=save]")
        expect(page.locator(".flash.success")).to_have_count(1)
    finally:
        context.close()
    db.session.expire_all()
    [contact] = db.session.scalars(select(Contact)).all()
    assert (contact.client_id, contact.kind, contact.employer.name, contact.minutes,
            contact.contact_date) == (theirs_id, "employer", "Bakkerij Bol", 30, TODAY)
