"""My week on a phone: the worker opens the week page, logs a due contact from it in one step
(the log opens filled in; one tap saves and returns), and the item is gone from the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Contact
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_worker_logs_a_due_contact_from_the_week_page_on_a_phone(page, log_in, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.placement(person, start=TODAY - timedelta(days=2))  # 3-day contact due tomorrow
    build.client(worker, entry=TODAY - timedelta(days=27))      # another item stays
    person_id, person_code = person.id, person.client_code
    build.commit()

    page.set_viewport_size(PHONE)
    log_in(worker)
    page.click("#nav-week")
    item = page.locator(f'li.due-item[data-kind="follow_along_start"][data-client="{person_id}"]')
    assert item.count() == 1
    item.locator("a.log-it").click()
    page.wait_for_load_state()
    assert page.input_value("#rows-0-client") == person_code
    assert page.input_value("#rows-0-kind") == "client"
    assert page.input_value("#rows-0-mode") == "face_to_face"
    # The save button is reachable on a phone without zooming out.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#daily-log button[name=save]")
    page.wait_for_url("**/week")
    assert page.locator('li.due-item[data-kind="follow_along_start"]').count() == 0
    assert page.locator('li.due-item[data-kind="rapid_job_search"]').count() == 1
    contacts = db.session.scalars(select(Contact)).all()
    assert [(c.client_id, c.kind, c.mode, c.contact_date) for c in contacts] == [
        (person_id, "client", "face_to_face", TODAY)]
