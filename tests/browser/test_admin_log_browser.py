"""The administration log and the privacy officer's review report in a real browser: an
administrator changes a user's role, finds the change in the administration log, opens the
month's review report and marks the month as reviewed with a note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import AdminLogEntry, PrivacyReview, User

pytestmark = pytest.mark.browser


def test_admin_changes_a_role_finds_it_in_the_log_and_marks_the_month_reviewed(
        page, log_in, build):
    team = build.team("Noord")
    admin = build.user(role="admin", email="admin@example.org", name="Anna Admin")
    worker = build.user(team, email="wim@example.org", name="Wim Werkmaat")
    build.commit()
    worker_id = worker.id

    log_in(admin)
    page.click("header nav a[href='/admin/users']")
    page.click("text=Wim Werkmaat")
    page.select_option("select#role", "coordinator")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".flash.success").count() == 1
    db.session.expire_all()
    assert db.session.get(User, worker_id).role == "coordinator"

    page.click("header nav a[href='/admin/admin-log']")
    page.fill("input[name=object]", "wim@example.org")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    row = page.locator("#admin-log tbody tr[data-field='role']")
    assert row.count() == 1
    cells = row.locator("td")
    assert "admin@example.org" in cells.nth(1).inner_text()
    assert cells.nth(3).inner_text() == "wim@example.org"
    assert cells.nth(6).inner_text() == "IPS-trajectbegeleider"
    assert cells.nth(7).inner_text() == "IPS-coördinator"
    [logged] = db.session.scalars(select(AdminLogEntry).where(
        AdminLogEntry.field == "role")).all()
    assert (logged.old_value, logged.new_value, logged.actor_email) == \
        ("worker", "coordinator", "admin@example.org")

    page.click("header nav a[href='/admin/privacy-review']")
    assert "2026-02" in page.locator("h1").inner_text()  # the last complete month
    page.click("text=Volgende maand")
    page.wait_for_load_state()
    assert "2026-03" in page.locator("h1").inner_text()
    page.fill("#review-status textarea[name=note]", "Maart nagekeken: geen bijzonderheden")
    page.click("#review-status button[type=submit]")
    page.wait_for_load_state()
    assert "Gecontroleerd door admin@example.org" in page.locator(".reviewed-mark").inner_text()
    assert page.locator("#review-status textarea").count() == 0
    db.session.expire_all()
    [review] = db.session.scalars(select(PrivacyReview)).all()
    assert (review.month, review.reviewed_by_email, review.note) == \
        ("2026-03", "admin@example.org", "Maart nagekeken: geen bijzonderheden")
    assert "2026-03" in page.locator("#review-months").inner_text()
