"""Corrections with history: the worker who recorded a contact, placement, disclosure
discussion or benefits plan, and the team's coordinator, can correct or delete it with a
reason; the earlier version stays and shows on the client page, the access log has the change,
the norms follow at the next evaluation, and another team's record answers 404."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import (
    AccessLogEntry,
    BenefitsPlan,
    Contact,
    DisclosureDiscussion,
    Placement,
    RecordVersion,
    Signal,
)
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error

ENTRY = TODAY - timedelta(days=40)


@pytest.fixture
def team(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    coordinator = build.user(team, role="coordinator")
    person = build.client(worker, entry=ENTRY, code="CR-1")
    other_team = build.team()
    outsider = build.user(other_team)
    stranger = build.client(outsider, entry=TODAY - timedelta(days=5), code="CR-9")
    build.commit()
    return {"worker": worker, "colleague": colleague, "coordinator": coordinator,
            "client": person, "outsider": outsider, "stranger": stranger}


def open_signals(norm: str) -> list[Signal]:
    db.session.expire_all()
    return list(db.session.scalars(select(Signal).where(Signal.norm == norm,
                                                        Signal.resolved_at.is_(None))))


def log_entries(action: str) -> list[tuple]:
    return [(e.client_id, e.record_type) for e in db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.action == action))]


def correct(client, record_type, record_id, data, *, page=None):
    url = f"/records/{record_type}/{record_id}/edit"
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def contact_fields(**changes):
    return {"contact_date": (ENTRY + timedelta(days=20)).isoformat(), "kind": "client",
            "employer": "", "mode": "face_to_face", "place": "community", "minutes": "30",
            "note": "Gesprek bij de bakker", "reason": "", **changes}


def test_a_contact_logged_under_the_wrong_kind_is_corrected_and_its_signal_resolves(
        client, build, team):
    person = team["client"]
    wrong = build.contact(team["worker"], on=ENTRY + timedelta(days=20), kind="client",
                          client=person, note="Gesprek bij de bakker")
    build.commit()
    daily_evaluation(TODAY)
    assert len(open_signals("rapid_job_search")) == 1

    login(client, team["worker"])
    response = correct(client, "contact", wrong.id, contact_fields(
        kind="employer", employer="Bakkerij Bol", reason="Was een werkgeverscontact"))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clients/{person.id}#contact-{wrong.id}")
    db.session.expire_all()
    fixed = db.session.get(Contact, wrong.id)
    assert (fixed.kind, fixed.employer.name, fixed.client_present) == ("employer", "Bakkerij Bol",
                                                                       False)
    [version] = db.session.scalars(select(RecordVersion)).all()
    assert (version.record_type, version.record_id, version.action, version.client_id) == (
        "contact", wrong.id, "edit", person.id)
    assert version.values["kind"] == "client" and version.reason == "Was een werkgeverscontact"
    assert version.changed_by_id == team["worker"].id
    assert log_entries("correct") == [(person.id, "contact")]

    page = client.get(f"/clients/{person.id}").text
    assert f'id="history-contact-{wrong.id}"' in page and "Was een werkgeverscontact" in page

    # The norms follow at the next evaluation: the signal raised by the wrong kind resolves.
    daily_evaluation(TODAY)
    assert open_signals("rapid_job_search") == []


def test_a_correction_needs_a_reason_and_keeps_to_the_rules(client, build, team):
    contact = build.contact(team["worker"], on=TODAY, client=team["client"])
    build.commit()
    login(client, team["worker"])

    no_reason = correct(client, "contact", contact.id, contact_fields())
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text
    future = correct(client, "contact", contact.id, contact_fields(
        contact_date=(TODAY + timedelta(days=1)).isoformat(), reason="Datum"))
    assert future.status_code == 422 and 'id="contact_date-error"' in future.text
    employer_under_client = correct(client, "contact", contact.id, contact_fields(
        employer="Bakkerij Bol", reason="Werkgever"))
    assert employer_under_client.status_code == 422
    assert 'id="employer-error"' in employer_under_client.text
    assert db.session.scalars(select(RecordVersion)).all() == []  # nothing half-written


def test_a_deleted_contact_is_gone_from_the_norms_and_kept_in_the_history(client, build, team):
    person = team["client"]
    contact_id = build.contact(team["worker"], on=TODAY - timedelta(days=2), client=person,
                               note="Dubbel ingevoerd").id
    build.commit()
    login(client, team["worker"])
    url = f"/records/contact/{contact_id}/delete"
    token = csrf_token(client, f"/records/contact/{contact_id}/edit")

    refused = client.post(url, data={"csrf_token": token, "delete-reason": ""})
    assert refused.status_code == 422
    assert db.session.get(Contact, contact_id) is not None

    deleted = client.post(url, data={"csrf_token": token, "delete-reason": "Dubbel"})
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contact, contact_id) is None
    [version] = db.session.scalars(select(RecordVersion)).all()
    assert (version.action, version.reason, version.values["note"]) == (
        "delete", "Dubbel", "Dubbel ingevoerd")
    assert log_entries("delete") == [(person.id, "contact")]
    page = client.get(f"/clients/{person.id}").text
    assert 'id="deleted-records"' in page and "Dubbel ingevoerd" in page


def test_a_placement_is_corrected_with_history_and_its_wrong_start_signal_resolves(
        client, build, team):
    person = team["client"]
    # Entered with the wrong start date: the follow-along contact 3 days after start is missed.
    placement = build.placement(person, start=TODAY - timedelta(days=10))
    build.contact(team["worker"], on=TODAY - timedelta(days=5), client=person)
    build.commit()
    daily_evaluation(TODAY)
    assert len(open_signals("follow_along_after_start")) == 1

    login(client, team["worker"])  # holds the trajectory; the builder recorded no one
    url = f"/clients/{person.id}/placements/{placement.id}/edit"
    page = client.get(url).text
    version = __import__("re").search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "version": version, "job_title": "Bakker",
        "job_type": "", "placement_type": "paid_job", "hours_per_week": "16",
        "hourly_wage": "", "contract": "temporary_lt6m", "competitive": "y",
        "start_date": (TODAY - timedelta(days=6)).isoformat(), "end_date": "", "end_reason": "",
        "reason": "Startdatum verkeerd overgenomen"})

    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).start_date == TODAY - timedelta(days=6)
    [kept] = db.session.scalars(select(RecordVersion)).all()
    assert kept.values["start_date"] == (TODAY - timedelta(days=10)).isoformat()
    assert log_entries("correct") == [(person.id, "placement")]
    assert f'id="history-placement-{placement.id}"' in client.get(f"/clients/{person.id}").text
    daily_evaluation(TODAY)
    assert open_signals("follow_along_after_start") == []


def test_a_placement_entered_by_mistake_is_deleted_and_its_signals_resolve(client, build, team):
    person = team["client"]
    placement_id = build.placement(person, start=TODAY - timedelta(days=10)).id
    build.commit()
    daily_evaluation(TODAY)
    assert open_signals("follow_along_after_start")

    login(client, team["coordinator"])
    token = csrf_token(client, f"/clients/{person.id}/placements/{placement_id}/edit")
    response = client.post(f"/records/placement/{placement_id}/delete",
                           data={"csrf_token": token, "delete-reason": "Verkeerde client"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Placement, placement_id) is None
    assert [v.action for v in db.session.scalars(select(RecordVersion))] == ["delete"]
    daily_evaluation(TODAY)
    assert open_signals("follow_along_after_start") == []


def test_a_disclosure_discussion_dated_wrongly_is_corrected_and_its_signal_resolves(
        client, build, team):
    person = team["client"]
    build.contact(team["worker"], on=ENTRY + timedelta(days=5), kind="employer", client=person,
                  employer=build.employer("Garage"))
    discussion = build.disclosure(person, on=ENTRY + timedelta(days=8), worker=team["worker"])
    build.commit()
    daily_evaluation(TODAY)
    assert len(open_signals("disclosure_before_employer_contact")) == 1

    login(client, team["worker"])
    response = correct(client, "disclosure", discussion.id, {
        "discussed_on": (ENTRY + timedelta(days=3)).isoformat(), "decision": "partial",
        "note": "", "reason": "Datum van het gesprek"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(DisclosureDiscussion, discussion.id).decision == "partial"
    [kept] = db.session.scalars(select(RecordVersion)).all()
    assert (kept.record_type, kept.values["decision"]) == ("disclosure", "not_yet")
    assert log_entries("correct") == [(person.id, "disclosure")]
    daily_evaluation(TODAY)
    assert open_signals("disclosure_before_employer_contact") == []


def test_a_benefits_plan_dated_wrongly_is_corrected_and_its_signal_resolves(client, build, team):
    person = team["client"]
    build.placement(person, start=TODAY - timedelta(days=10))
    plan = build.benefits_plan(person, on=TODAY - timedelta(days=5), worker=team["worker"])
    build.commit()
    daily_evaluation(TODAY)
    assert len(open_signals("benefits_plan_before_start")) == 1

    login(client, team["coordinator"])  # the coordinator may correct a colleague's record
    response = correct(client, "benefits_plan", plan.id, {
        "offered_on": (TODAY - timedelta(days=20)).isoformat(), "by_benefits_specialist": "y",
        "note": "", "reason": "Plan was eerder besproken"})

    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(BenefitsPlan, plan.id)
    assert (stored.offered_on, stored.by_benefits_specialist) == (TODAY - timedelta(days=20), True)
    [kept] = db.session.scalars(select(RecordVersion)).all()
    assert kept.changed_by_id == team["coordinator"].id
    daily_evaluation(TODAY)
    assert open_signals("benefits_plan_before_start") == []


def records_of(build, team, person):
    return {
        "contact": build.contact(team["worker"], on=TODAY, client=person).id,
        "disclosure": build.disclosure(person, on=TODAY, worker=team["worker"]).id,
        "benefits_plan": build.benefits_plan(person, on=TODAY, worker=team["worker"]).id,
        "placement": build.placement(person, start=TODAY - timedelta(days=3)).id,
    }


@pytest.mark.parametrize("record_type", ["contact", "disclosure", "benefits_plan", "placement"])
def test_another_teams_record_answers_404_and_a_colleague_who_did_not_record_it_403(
        client, build, team, record_type):
    theirs = records_of(build, {"worker": team["outsider"]}, team["stranger"])[record_type]
    ours = records_of(build, team, team["client"])[record_type]
    build.commit()
    snapshot = db.session.scalars(select(RecordVersion)).all()

    login(client, team["coordinator"])
    token = csrf_token(client, "/caseload")
    assert client.get(f"/records/{record_type}/{theirs}/edit").status_code == 404
    assert client.post(f"/records/{record_type}/{theirs}/delete",
                       data={"csrf_token": token, "delete-reason": "x"}).status_code == 404
    assert client.get(f"/records/{record_type}/{ours}/edit").status_code in (200, 302)

    colleague = type(client)(client.application, client.response_wrapper)
    login(colleague, team["colleague"])
    token = csrf_token(colleague, "/caseload")
    assert colleague.get(f"/records/{record_type}/{ours}/edit").status_code == 403
    assert colleague.post(f"/records/{record_type}/{ours}/delete",
                          data={"csrf_token": token, "delete-reason": "x"}).status_code == 403
    assert db.session.scalars(select(RecordVersion)).all() == snapshot == []


def test_erasing_a_client_erases_the_earlier_versions_of_their_records_too(client, build, team):
    from caseload import clock
    from caseload.privacy.erase import erase_client
    person = team["client"]
    contact = build.contact(team["worker"], on=TODAY, client=person, note="Gevoelige notitie")
    build.commit()
    login(client, team["worker"])
    assert correct(client, "contact", contact.id, contact_fields(
        contact_date=TODAY.isoformat(), note="Nieuwe notitie",
        reason="Typefout")).status_code == 302
    assert len(db.session.scalars(select(RecordVersion)).all()) == 1

    erase_client(db.session, db.session.get(type(person), person.id), reason="client_request",
                 today=TODAY, now=clock.utcnow())
    db.session.commit()
    assert db.session.scalars(select(RecordVersion)).all() == []


@pytest.mark.parametrize("typed", ["", "   ", "Dubbel ingevoerd & " + "x" * 500])
def test_a_placement_deletion_without_a_good_reason_shows_its_page_again_and_deletes_nothing(
        client, build, team, typed):
    person = team["client"]
    placement_id = build.placement(person, start=TODAY - timedelta(days=10)).id
    build.commit()
    login(client, team["coordinator"])
    page = f"/clients/{person.id}/placements/{placement_id}/edit"
    response = client.post(f"/records/placement/{placement_id}/delete",
                           data={"csrf_token": csrf_token(client, page), "delete-reason": typed})

    assert response.status_code == 422
    assert field_has_error(response.text, "delete-reason")
    kept = re.search(r'<input[^>]*id="delete-reason"[^>]*value="([^"]*)"', response.text)
    assert html.unescape(kept.group(1) if kept else "").strip() == typed.strip()
    assert 'id="job_title"' in response.text  # the placement's own page, its form filled in
    db.session.expire_all()
    assert db.session.get(Placement, placement_id) is not None
    assert db.session.scalars(select(RecordVersion)).all() == []
