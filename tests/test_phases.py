"""Phase rules: on the model (Trajectory.change_phase) and through POST /clients/<id>/phase."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import DomainError, PhaseChange, Trajectory
from caseload.models.vocab import PHASES
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value, label, selected_value

ENTRY = TODAY - timedelta(days=20)


@pytest.fixture
def setting(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=ENTRY, code="PH-1")
    build.commit()
    return worker, person


def stored_phases(client_id: int) -> list[tuple[str, object]]:
    db.session.expire_all()
    return [(c.phase, c.changed_on) for c in db.session.scalars(
        select(PhaseChange).join(Trajectory).where(Trajectory.client_id == client_id)
        .order_by(PhaseChange.changed_on, PhaseChange.id))]


# --- the model ---------------------------------------------------------------------------------

def test_phase_change_dated_in_the_future_is_rejected_on_the_date(setting):
    worker, person = setting
    with pytest.raises(DomainError) as error:
        person.open_trajectory.change_phase("engagement", on=TODAY + timedelta(days=1), by=worker,
                                            today=TODAY)
    assert error.value.field == "changed_on"
    assert person.open_trajectory.current_phase == "intake"


def test_phase_change_dated_before_program_entry_is_rejected_on_the_date(setting):
    worker, person = setting
    with pytest.raises(DomainError) as error:
        person.open_trajectory.change_phase("engagement", on=ENTRY - timedelta(days=1), by=worker,
                                            today=TODAY)
    assert error.value.field == "changed_on"


def test_phase_change_dated_before_the_previous_change_is_rejected_on_the_date(setting, build):
    worker, person = setting
    build.phase(person, "engagement", on=ENTRY + timedelta(days=5))
    with pytest.raises(DomainError) as error:
        person.open_trajectory.change_phase("assessment", on=ENTRY + timedelta(days=4), by=worker,
                                            today=TODAY)
    assert error.value.field == "changed_on"
    assert person.open_trajectory.current_phase == "engagement"


def test_phase_change_on_program_entry_and_on_today_are_allowed(setting, build):
    worker, person = setting
    trajectory = person.open_trajectory
    trajectory.change_phase("engagement", on=ENTRY, by=worker, today=TODAY)
    trajectory.change_phase("assessment", on=TODAY, by=worker, today=TODAY)
    build.commit()
    assert stored_phases(person.id) == [
        ("intake", ENTRY), ("engagement", ENTRY), ("assessment", TODAY)]


def test_two_phase_changes_on_the_same_date_are_allowed_and_the_later_one_counts(setting, build):
    _worker, person = setting
    day = ENTRY + timedelta(days=3)
    build.phase(person, "engagement", on=day)
    build.phase(person, "assessment", on=day)
    build.commit()
    db.session.expire_all()
    assert db.session.get(Trajectory, person.open_trajectory.id).current_phase == "assessment"


def test_moving_back_from_coaching_to_job_finding_is_allowed(setting, build):
    _worker, person = setting
    for offset, phase in enumerate(("engagement", "assessment", "job_finding", "coaching")):
        build.phase(person, phase, on=ENTRY + timedelta(days=offset + 1))
    build.phase(person, "job_finding", on=TODAY)
    build.commit()
    assert stored_phases(person.id)[-2:] == [
        ("coaching", ENTRY + timedelta(days=4)), ("job_finding", TODAY)]


def test_current_phase_is_derived_from_the_history_not_from_insertion_order(setting, build):
    worker, person = setting
    trajectory = person.open_trajectory
    build.phase(person, "engagement", on=ENTRY + timedelta(days=2))
    build.phase(person, "job_finding", on=ENTRY + timedelta(days=9))
    # Corrections entered later but dated earlier must not become "current".
    db.session.add(PhaseChange(trajectory=trajectory, phase="assessment",
                               changed_on=ENTRY + timedelta(days=5), changed_by=worker))
    build.commit()
    db.session.expire_all()
    assert db.session.get(Trajectory, trajectory.id).current_phase == "job_finding"


def test_changing_to_the_phase_the_client_is_already_in_is_rejected(setting):
    worker, person = setting
    with pytest.raises(DomainError) as error:
        person.open_trajectory.change_phase("intake", on=TODAY, by=worker, today=TODAY)
    assert error.value.field == "phase"


def test_phase_of_an_ended_trajectory_cannot_change(setting, build):
    worker, person = setting
    trajectory = build.end_trajectory(person, on=TODAY)
    with pytest.raises(DomainError):
        trajectory.change_phase("engagement", on=TODAY, by=worker, today=TODAY)


# --- the route ---------------------------------------------------------------------------------

def post_phase(client, person, phase: str, on) -> object:
    token = csrf_token(client, f"/clients/{person.id}")
    return client.post(f"/clients/{person.id}/phase", data={
        "csrf_token": token, "phase": phase, "changed_on": on.isoformat()})


@pytest.mark.parametrize("when", ["future", "before_entry", "before_previous"])
def test_invalid_phase_date_is_rejected_at_the_date_field_and_nothing_is_stored(
        client, setting, build, when):
    worker, person = setting
    build.phase(person, "engagement", on=ENTRY + timedelta(days=10))
    build.commit()
    day = {"future": TODAY + timedelta(days=1), "before_entry": ENTRY - timedelta(days=1),
           "before_previous": ENTRY + timedelta(days=9)}[when]
    login(client, worker)

    response = post_phase(client, person, "assessment", day)

    assert response.status_code == 422
    assert field_has_error(response.text, "changed_on")
    assert not field_has_error(response.text, "phase")
    assert 'id="phase_form" open' in response.text
    assert input_value(response.text, "changed_on") == day.isoformat()
    assert selected_value(response.text, "phase") == "assessment"
    assert stored_phases(person.id) == [("intake", ENTRY),
                                        ("engagement", ENTRY + timedelta(days=10))]


def test_valid_phase_change_through_the_page_is_stored_and_shown(client, setting):
    worker, person = setting
    login(client, worker)

    response = post_phase(client, person, "engagement", TODAY - timedelta(days=2))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clients/{person.id}")
    assert stored_phases(person.id) == [("intake", ENTRY),
                                        ("engagement", TODAY - timedelta(days=2))]
    change = db.session.scalars(select(PhaseChange).where(PhaseChange.phase == "engagement")).one()
    assert change.changed_by_id == worker.id
    page = client.get(f"/clients/{person.id}")
    assert page.status_code == 200


def test_moving_back_to_job_finding_through_the_page_is_allowed(client, setting, build):
    worker, person = setting
    build.phase(person, "job_finding", on=ENTRY + timedelta(days=5))
    build.phase(person, "coaching", on=ENTRY + timedelta(days=12))
    build.commit()
    login(client, worker)

    response = post_phase(client, person, "job_finding", TODAY)

    assert response.status_code == 302
    assert stored_phases(person.id)[-1] == ("job_finding", TODAY)
    db.session.expire_all()
    assert db.session.get(Trajectory, person.open_trajectory.id).current_phase == "job_finding"


def test_phase_change_on_the_same_date_as_the_previous_one_is_accepted_by_the_page(
        client, setting, build):
    worker, person = setting
    build.phase(person, "engagement", on=TODAY)
    build.commit()
    login(client, worker)

    response = post_phase(client, person, "assessment", TODAY)

    assert response.status_code == 302
    assert stored_phases(person.id)[-2:] == [("engagement", TODAY), ("assessment", TODAY)]


def test_unknown_phase_is_rejected_at_the_phase_field(client, setting):
    worker, person = setting
    login(client, worker)

    response = post_phase(client, person, "unemployable", TODAY)

    assert response.status_code == 422
    assert field_has_error(response.text, "phase")
    assert stored_phases(person.id) == [("intake", ENTRY)]


def test_phase_change_without_an_open_trajectory_changes_nothing(client, setting, build):
    worker, person = setting
    build.end_trajectory(person, on=TODAY)
    build.commit()
    login(client, worker)

    response = post_phase(client, person, "engagement", TODAY)

    assert response.status_code == 400
    assert stored_phases(person.id) == [("intake", ENTRY)]


def test_caseload_and_client_page_show_the_phase_of_the_latest_dated_change(
        app, client, setting, build):
    worker, person = setting
    trajectory = person.open_trajectory
    build.phase(person, "engagement", on=ENTRY + timedelta(days=2))
    build.phase(person, "job_finding", on=ENTRY + timedelta(days=9))
    db.session.add(PhaseChange(trajectory=trajectory, phase="assessment",
                               changed_on=ENTRY + timedelta(days=5), changed_by=worker))
    build.commit()
    login(client, worker)

    from caseload.clients.overview import caseload_rows
    rows = caseload_rows(as_of=TODAY, team_ids=worker.team_ids, worker_ids=[worker.id])
    page = client.get(f"/clients/{person.id}")

    assert [r.phase for r in rows] == ["job_finding"]
    assert page.status_code == 200
    assert f'id="current-phase">{escape(label(app, PHASES, "job_finding"))}</dd>' in page.text
