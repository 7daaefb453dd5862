"""The administrators' Jobs page: each job's last run, next run and failures."""

from __future__ import annotations

from datetime import timedelta

from caseload import clock
from caseload.jobs.runs import run_job
from tests.conftest import login


def page(app, build, role="admin"):
    user = build.user(role=role, email=f"{role}@example.org")
    build.commit()
    client = app.test_client()
    login(client, user)
    return client.get("/admin/jobs")


def row(html: str, job_id: str) -> str:
    start = html.index(f'id="job-{job_id}"')
    return html[start:html.index("</tr>", start)]


def test_the_page_shows_last_run_next_run_and_failures(app, build, monkeypatch):
    now = clock.utcnow()
    run_job(app, "daily_evaluation", now - timedelta(hours=2))
    monkeypatch.setitem(app.config, "CASELOAD_RETENTION_DAYS", "seven years")
    run_job(app, "retention_erasure", now - timedelta(hours=1))
    run_job(app, "send_outbox", now - timedelta(minutes=1))

    response = page(app, build)

    assert response.status_code == 200
    html = response.text
    daily = row(html, "daily_evaluation")
    assert "Dagelijkse normcontrole en herinneringen" in daily and "elke dag om 06:00" in daily
    assert 'class="run-ok"' in daily and "opened=0" in daily
    assert '<span class="num">0</span>' in daily
    retention = row(html, "retention_erasure")
    assert '<span class="num">1</span>' in retention
    assert "ValueError: invalid literal for int()" in retention
    assert "mislukt" in retention
    assert "nooit" in row(html, "worker_digests")
    next_fire = clock.utcnow().astimezone(clock.ORGANISATION_TZ).replace(
        hour=3, minute=0, second=0, microsecond=0)
    if next_fire <= clock.utcnow():
        next_fire += timedelta(days=1)
    assert next_fire.strftime("%d-%m-%Y, 03:00") in retention
    assert 'id="scheduler-down"' not in html
    assert html.count('<tr class="run-') == 3


def test_the_page_warns_when_no_scheduler_has_delivered_mail_lately(app, build):
    run_job(app, "send_outbox", clock.utcnow() - timedelta(minutes=16))

    html = page(app, build).text

    assert 'id="scheduler-down"' in html


def test_only_administrators_see_the_page(app, build):
    assert page(app, build, role="coordinator").status_code == 403
