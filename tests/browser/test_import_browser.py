"""A coordinator uploads a workbook in a real browser, reads the dry run, confirms the import and
finds the clients on the team's caseload."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Client
from tests.test_import_formats import DATA, workbook

pytestmark = pytest.mark.browser


def test_coordinator_uploads_a_workbook_reads_the_dry_run_confirms_and_finds_the_clients(
        page, log_in, build, tmp_path):
    team = build.team("Team Noord")
    coordinator = build.user(team, role="coordinator", name="Cora Coördinator")
    build.commit()
    book = tmp_path / "caseload-team-noord.xlsx"
    book.write_bytes(workbook(DATA))

    log_in(coordinator)
    page.goto("/")
    page.click("nav a[href='/import/']")
    page.set_input_files("#files", str(book))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("#dry-run-summary").is_visible()
    clients = page.locator("section[data-file='clients.csv']")
    assert "clients" in clients.locator("h2").inner_text()
    assert clients.locator("tr[data-change='created']").count() == 3
    assert "C-002 2025-11-10 zoe@example.org coaching" in clients.inner_text()
    placements = page.locator("section[data-file='placements.csv']")
    assert placements.locator("tr[data-change='created']").count() == 3
    assert db.session.scalar(select(func.count(Client.id))) == 0   # the dry run wrote nothing
    db.session.rollback()

    page.click("#confirm-import")
    page.wait_for_load_state()
    assert page.locator("#import-done").is_visible()
    page.click("main a.button")
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "C-001" in body and "C-002" in body      # C-003's trajectory ended in February
    db.session.expire_all()
    assert set(db.session.scalars(select(Client.client_code))) == {"C-001", "C-002", "C-003"}
