"""A faster daily log on a phone: eight contacts in one go, lines added without a reload, the
kind setting mode and place and showing only the fields it needs, clients found by typing,
and "log a contact" on the client page opening the log filled in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Contact
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, user):
    from tests.builders import Builder
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", Builder.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("header nav")


def test_eight_contacts_in_one_go_at_phone_size_without_a_reload(phone_page, build):
    page = phone_page
    team = build.team()
    worker = build.user(team)
    mine = [build.client(worker, code=f"EIGHT-{n}") for n in range(4)]
    colleague = build.user(team)
    theirs = build.client(colleague, code="TEAM-1")
    codes = {c.id: c.client_code for c in mine + [theirs]}
    build.commit()

    log_in(page, worker)
    page.goto("/log")
    # My own clients are listed (their optgroup); the team's are found by typing.
    groups = page.eval_on_selector_all("#rows-0-client optgroup",
                                       "gs => gs.map(g => g.children.length)")
    assert groups == [4]
    page.evaluate("window.notReloaded = true")
    assert page.locator("button[name=more_rows]").is_hidden()
    for _n in range(3):
        page.click("#add-row")
    assert page.locator("fieldset.log-row").count() == 8

    # The kind sets mode and place; the employer field shows only for employer contacts.
    page.select_option("#rows-7-kind", "family")
    assert (page.input_value("#rows-7-mode"), page.input_value("#rows-7-place")) == (
        "phone", "office")
    assert page.locator("#rows-7-employer").is_hidden()
    page.select_option("#rows-7-kind", "employer")
    assert page.locator("#rows-7-employer").is_visible()
    assert (page.input_value("#rows-7-mode"), page.input_value("#rows-7-place")) == (
        "face_to_face", "community")

    plan = []
    for n in range(8):
        row = f"#rows-{n}-"
        if n == 7:
            page.fill(row + "employer", "Kwekerij Acht")
            plan.append(("employer", None))
        else:
            client = (mine + [theirs])[n % 5]
            page.select_option(row + "kind", "client" if n % 2 == 0 else "treatment_team")
            # Found by typing part of the code in the row's search box.
            page.fill(row + "client-filter", codes[client.id].lower())
            # A colleague's client after the page's lookup has answered.
            page.wait_for_function("([select, code]) => document.querySelector(select)"
                                   ".value === code", arg=[row + "client", codes[client.id]])
            plan.append(("client" if n % 2 == 0 else "treatment_team", client.id))
        page.fill(row + "minutes", str(10 + n))
        page.fill(row + "note", f"Contact nummer {n + 1}")
    assert page.evaluate("window.notReloaded === true")   # all of it without a page load
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_response(lambda r: r.request.method == "POST" and "/log" in r.url) as sent:
        page.click("#daily-log button[name=save]")
    assert sent.value.status == 302
    page.wait_for_load_state()
    assert page.locator("#logged .timeline li").count() == 8
    db.session.expire_all()
    saved = list(db.session.scalars(select(Contact).order_by(Contact.id)))
    assert [(c.kind, c.client_id) for c in saved] == plan
    assert [c.note for c in saved] == [f"Contact nummer {n + 1}" for n in range(8)]
    assert saved[1].mode == "face_to_face" and saved[1].place == "office"  # treatment team


def test_an_error_summary_names_the_row_links_to_it_and_takes_the_focus(phone_page, build):
    page = phone_page
    team = build.team()
    worker = build.user(team)
    build.client(worker)
    build.commit()
    log_in(page, worker)
    page.goto("/log")
    page.click("#add-row")
    page.select_option("#rows-5-kind", "employer")
    page.fill("#rows-5-note", "Zonder werkgever")
    page.click("#daily-log button[name=save]")
    page.wait_for_selector("#error-summary")

    assert page.title().startswith(("Fout", "Error"))
    # The page's script moves the focus once it runs, which may be after the summary is in
    # the document: wait for it (a timeout if the focus never gets there).
    # (expect polls in Playwright's own script: a string predicate polled in the page is an
    # eval, which the page's Content-Security-Policy refuses)
    expect(page.locator("#error-summary")).to_be_focused()
    link = page.locator("#error-summary a[href='#row-5']")
    assert link.count() == 1
    assert page.get_attribute("#rows-5-employer", "aria-invalid") == "true"
    assert page.get_attribute("#rows-5-employer", "aria-describedby") == "rows-5-employer-error"
    link.click()
    assert page.evaluate("document.activeElement.id") == "rows-5-employer"
    assert page.input_value("#rows-5-note") == "Zonder werkgever"


def test_log_a_contact_on_the_client_page_opens_the_log_filled_in(phone_page, build):
    page = phone_page
    team = build.team()
    worker = build.user(team)
    person = build.client(worker)
    person_id, person_code = person.id, person.client_code
    build.commit()
    log_in(page, worker)
    page.goto(f"/clients/{person_id}")
    page.click("#log-contact")
    page.wait_for_url(f"**/log?client={person_id}")
    assert page.input_value("#rows-0-client") == person_code
    assert page.input_value("#contact_date") == TODAY.isoformat()
