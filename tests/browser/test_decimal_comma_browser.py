"""A decimal comma typed in a real browser: Chromium drops a comma typed into
<input type=number>, so "2,5" hours reached the server as 25 and was saved as 25 hours. The
decimal fields are text inputs with a decimal keypad, and the server reads the comma."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Placement

pytestmark = pytest.mark.browser


def test_hours_typed_with_a_decimal_comma_are_saved_as_typed(page, log_in, build):
    worker = build.user(build.team())
    person_id = build.client(worker, code="KOMMA-B").id
    build.commit()

    log_in(worker)
    page.goto(f"/clients/{person_id}")
    page.click("#placement_form summary")
    page.fill("#employer_name", "Bakkerij Komma")
    page.fill("#job_title", "Bakker")
    page.locator("#hours_per_week").press_sequentially("2,5")  # as typed, key by key
    page.locator("#hourly_wage").press_sequentially("14,75")
    with page.expect_response(lambda r: r.request.method == "POST"
                              and "/placements" in r.url) as sent:
        page.click("#placement_form button[type=submit]")
    assert sent.value.status == 302
    db.session.expire_all()
    placement = db.session.scalar(select(Placement))
    assert (placement.hours_per_week, placement.hourly_wage) == (Decimal("2.5"), Decimal("14.75"))
