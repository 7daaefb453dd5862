"""The coordinator's week in a real browser: open last week's checklist, mark a worker
reviewed with a note, acknowledge a signal, download the outcomes as Excel and find the
numbers of the page in it."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Signal, WorkerWeekReview
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

LAST_MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)


def test_coordinator_reviews_the_week_acknowledges_a_signal_and_downloads_excel(
        page, log_in, build):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team, name="Wim Werkmaat")
    employer = build.employer()
    late = build.client(worker, entry=TODAY - timedelta(days=45), code="LATE-1")
    working = build.client(worker, entry=TODAY - timedelta(days=70), code="WORK-1")
    build.contact(worker, on=TODAY - timedelta(days=60), kind="employer", employer=employer,
                  client=working)
    build.placement(working, start=TODAY - timedelta(days=20), employer=employer)
    for day in range(3):
        build.contact(worker, on=LAST_MONDAY + timedelta(days=day), kind="employer",
                      employer=employer)
    build.commit()
    daily_evaluation(TODAY)
    signal_id = db.session.scalar(select(Signal.id).where(
        Signal.norm == "rapid_job_search", Signal.trajectory_id == late.open_trajectory.id))
    worker_id = worker.id

    log_in(coordinator)
    page.goto("/checklist/")  # defaults to the last complete week
    row = page.locator(f"tr[data-worker='{worker_id}']")
    assert row.locator("td").nth(1).get_attribute("data-value") == "3"
    row.locator("input[name=note]").fill("Drie bezoeken; plan er meer")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"tr[data-worker='{worker_id}'] .reviewed-mark").count() == 1
    review = db.session.scalars(select(WorkerWeekReview)).one()
    assert (review.week_start, review.note) == (LAST_MONDAY, "Drie bezoeken; plan er meer")

    page.goto("/review/signals")
    signal_row = page.locator(f"tr[data-signal='{signal_id}']")
    signal_row.locator("input[name=note]").fill("Besproken: start werkgeverscontact deze week")
    signal_row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"tr[data-signal='{signal_id}']").count() == 0
    db.session.expire_all()
    assert db.session.get(Signal, signal_id).acknowledged_at is not None

    page.goto("/outcomes/?quarter=2026-Q1")
    shown = {}
    for table_row in page.locator("table[data-table='summary'] tbody tr").all():
        cells = table_row.locator("td").all()
        shown[table_row.get_attribute("data-key")] = [c.get_attribute("data-value") for c in cells]
    assert shown, "the summary table shows figures"
    with page.expect_download() as download_info:
        page.click("a[data-download='xlsx']")
    workbook = openpyxl.load_workbook(BytesIO(open(download_info.value.path(), "rb").read()))
    sheet = workbook["summary"]
    in_excel = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(in_excel) == len(shown)
    for (key, values), excel_row in zip(shown.items(), in_excel):
        for value, excel_value in zip(values, excel_row[1:]):
            if value in ("", "None", None):
                assert excel_value in (None, ""), key
            else:
                assert float(excel_value) == pytest.approx(float(value)), key
