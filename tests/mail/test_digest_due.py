"""The digest reads the same due list as the week page: the mail and the screen agree,
item for item, including the model's tasks and a covered colleague's items."""

from __future__ import annotations

import re
from datetime import timedelta

from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_worker_digests, send_outbox
from caseload.mail.digests import worker_digests
from caseload.norms import NormSettings
from tests.conftest import TODAY, login
from tests.mail.conftest import text_part

D = timedelta


def test_digest_and_week_page_list_the_same_items(app, build, smtp):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    worker.language = "en"
    absent = build.user(team)
    countdown = build.client(worker, entry=TODAY - D(27), code="DUE-1")
    starting = build.client(worker, entry=TODAY - D(40), code="DUE-2")
    build.placement(starting, start=TODAY + D(4))        # week before start, benefits plan
    build.contact(worker, on=TODAY - D(10), kind="treatment_team", client=countdown)
    covered = build.client(absent, entry=TODAY - D(26), code="DUE-3")
    build.absence(absent, start=TODAY, end=TODAY + D(2), cover=worker)
    build.commit()

    digest = worker_digests(db.session, TODAY, NormSettings())[worker.id]
    mailed = sorted((i.kind, i.client_code, i.due_on, i.covering_for) for i in digest.due)
    assert {"rapid_job_search", "treatment_team", "before_start", "benefits_plan"} <= {
        kind for kind, *_rest in mailed}
    assert ("rapid_job_search", "DUE-3", TODAY + D(4), absent.name) in mailed

    browser = app.test_client()
    login(browser, worker)
    page = browser.get("/week").text
    shown = re.findall(r'data-kind="([^"]+)" data-client="(\d+)"', page)
    codes = {countdown.id: "DUE-1", starting.id: "DUE-2", covered.id: "DUE-3"}
    assert sorted((kind, codes[int(cid)]) for kind, cid in shown) == sorted(
        (kind, code) for kind, code, _on, _cover in mailed)

    queue_worker_digests(TODAY)
    send_outbox()
    [mail] = smtp.inbox.to("wim@example.org")
    body = text_part(mail)
    assert "Benefits plan before the job starts" in body and "DUE-2" in body
