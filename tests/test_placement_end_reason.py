"""A placement's end has a date and a reason, both or neither: a correction with an end reason
but no end date was saved with the reason dropped; now the model refuses it at the end date,
and the form shows that with what was typed. The reverse (a date without a reason) was and
stays refused at the reason, as is either half when a job ending is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import DomainError, Placement
from caseload.models.corrections import RecordVersion
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value, selected_value

START = TODAY - timedelta(days=20)
REASON_NEEDS_DATE = "Vul de einddatum in als je een reden van beëindiging kiest."


@pytest.fixture
def team(app, build):
    team = build.team("Team Einde")
    worker = build.user(team, email="einde-worker@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=60), code="EINDE-1")
    placement = build.placement(client, start=START)
    build.commit()
    browser = app.test_client()
    login(browser, worker)
    return {"client": client.id, "placement": placement.id, "browser": browser}


def _unchanged(placement_id):
    db.session.expire_all()
    placement = db.session.get(Placement, placement_id)
    assert (placement.end_date, placement.end_reason, placement.version) == (None, None, 1)
    assert db.session.scalar(select(func.count(RecordVersion.id))) == 0


def test_the_model_refuses_a_correction_with_an_end_reason_but_no_end_date(team):
    placement = db.session.get(Placement, team["placement"])
    with pytest.raises(DomainError) as refused:
        placement.correct(today=TODAY, start_date=START, end_date=None, end_reason="resigned",
                          job_title="Medewerker")
    assert refused.value.field == "end_date"
    assert placement.end_reason is None


def test_the_model_refuses_a_correction_with_an_end_date_but_no_reason(team):
    placement = db.session.get(Placement, team["placement"])
    with pytest.raises(DomainError) as refused:
        placement.correct(today=TODAY, start_date=START, end_date=TODAY, end_reason=None,
                          job_title="Medewerker")
    assert refused.value.field == "end_reason"
    assert placement.end_date is None


def _correct(team, **fields):
    browser = team["browser"]
    url = f"/clients/{team['client']}/placements/{team['placement']}/edit"
    page = browser.get(url).text
    return browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "version": input_value(page, "version"),
        "job_title": "Medewerker", "job_type": "", "placement_type": "paid_job",
        "hours_per_week": "16", "hourly_wage": "", "contract": "temporary_lt6m",
        "competitive": "y", "start_date": START.isoformat(), "end_date": "", "end_reason": "",
        "reason": "Einde vergeten", **fields})


def test_correcting_with_an_end_reason_but_no_end_date_is_refused_at_the_end_date(team):
    response = _correct(team, end_reason="resigned", job_title="Kok")
    assert response.status_code == 422
    assert field_has_error(response.text, "end_date")
    assert REASON_NEEDS_DATE in response.text
    assert selected_value(response.text, "end_reason") == "resigned"  # what was typed stays
    assert input_value(response.text, "job_title") == "Kok"
    _unchanged(team["placement"])


def test_correcting_with_an_end_date_but_no_reason_is_refused_at_the_reason(team):
    response = _correct(team, end_date=TODAY.isoformat())
    assert response.status_code == 422
    assert field_has_error(response.text, "end_reason")
    assert input_value(response.text, "end_date") == TODAY.isoformat()
    _unchanged(team["placement"])


def test_correcting_with_both_the_end_date_and_the_reason_ends_the_placement(team):
    response = _correct(team, end_date=TODAY.isoformat(), end_reason="resigned")
    assert response.status_code == 302, response.text
    db.session.expire_all()
    placement = db.session.get(Placement, team["placement"])
    assert (placement.end_date, placement.end_reason) == (TODAY, "resigned")


@pytest.mark.parametrize("end_date, end_reason, field", [
    ("", "resigned", "end_date"), (TODAY.isoformat(), "", "end_reason"),
])
def test_recording_a_job_ending_needs_both_the_date_and_the_reason(
        team, end_date, end_reason, field):
    browser, pid = team["browser"], team["placement"]
    url = f"/clients/{team['client']}"
    prefix = f"end-placement-{pid}-"
    response = browser.post(f"{url}/placements/{pid}/end", data={
        "csrf_token": csrf_token(browser, url), f"{prefix}placement_id": pid,
        f"{prefix}end_date": end_date, f"{prefix}end_reason": end_reason})
    assert response.status_code == 422
    assert field_has_error(response.text, prefix + field)
    _unchanged(pid)
