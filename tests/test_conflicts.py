"""No lost updates: two people edit the same client or placement; the second save is a
conflict with their input kept, never a silent overwrite."""

from __future__ import annotations

import re
from datetime import timedelta

from caseload.extensions import db
from caseload.models import Client, Placement
from tests.conftest import TODAY, login


def form_values(page_text: str) -> dict:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text).group(1)
    version = re.search(r'id="version" name="version" type="hidden" value="([^"]*)"',
                        page_text).group(1)
    return {"csrf_token": token, "version": version}


def two_colleagues(app, build):
    team = build.team()
    anna, bert = build.user(team), build.user(team)
    client = build.client(anna, entry=TODAY - timedelta(days=30), code="CF-1")
    build.commit()
    first, second = app.test_client(), app.test_client()
    login(first, anna)
    login(second, bert)
    return client, first, second


def test_second_save_of_client_details_is_a_conflict_with_input_kept(app, build):
    client, first, second = two_colleagues(app, build)
    url = f"/clients/{client.id}/details"
    form_a = form_values(first.get(url).text)
    form_b = form_values(second.get(url).text)

    saved = first.post(url, data={**form_a, "client_code": "CF-1", "name": "Anna's edit",
                                  "referral_source": "FACT Noord"})
    assert saved.status_code == 302
    conflict = second.post(url, data={**form_b, "client_code": "CF-1", "name": "Bert's edit",
                                      "referral_source": "FACT Oost"})

    assert conflict.status_code == 409
    assert 'value="Bert\'s edit"' in conflict.text or 'value="Bert&#39;s edit"' in conflict.text
    assert 'id="their-values"' in conflict.text and "Anna" in conflict.text
    db.session.expire_all()
    stored = db.session.get(Client, client.id)
    assert (stored.name, stored.referral_source) == ("Anna's edit", "FACT Noord")

    # Having seen the other values, saving again is a deliberate overwrite.
    again = second.post(url, data={**form_values(conflict.text), "client_code": "CF-1",
                                   "name": "Bert's edit", "referral_source": "FACT Oost"})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Client, client.id).name == "Bert's edit"


def test_second_save_of_a_placement_is_a_conflict(app, build):
    # A placement is corrected by its worker or the team's coordinator (caseload/corrections/).
    client, first, _colleague = two_colleagues(app, build)
    coordinator = build.user(db.session.get(Client, client.id).team, role="coordinator")
    placement = build.placement(db.session.get(Client, client.id), start=TODAY - timedelta(days=5))
    build.commit()
    second = app.test_client()
    login(second, coordinator)
    url = f"/clients/{client.id}/placements/{placement.id}/edit"
    form_a = form_values(first.get(url).text)
    form_b = form_values(second.get(url).text)
    fields = {"job_type": "", "placement_type": "paid_job", "hourly_wage": "15.00",
              "contract": "permanent", "competitive": "y",
              "start_date": (TODAY - timedelta(days=5)).isoformat(), "end_date": "",
              "end_reason": "", "reason": "Gegevens van de werkgever"}

    assert first.post(url, data={**form_a, **fields, "job_title": "Kok",
                                 "hours_per_week": "24"}).status_code == 302
    conflict = second.post(url, data={**form_b, **fields, "job_title": "Afwasser",
                                      "hours_per_week": "12"})

    assert conflict.status_code == 409
    assert 'value="Afwasser"' in conflict.text and 'value="12"' in conflict.text
    db.session.expire_all()
    stored = db.session.get(Placement, placement.id)
    assert (stored.job_title, float(stored.hours_per_week)) == ("Kok", 24.0)


def test_a_save_without_a_conflict_goes_through(app, build):
    client, first, _second = two_colleagues(app, build)
    url = f"/clients/{client.id}/details"
    response = first.post(url, data={**form_values(first.get(url).text), "client_code": "CF-9",
                                     "name": "", "referral_source": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Client, client.id).client_code == "CF-9"
