"""Trajectories: at most one open per client (model and database), zero exclusion (a new start
after any ending, any number of times; no exclusion reasons), ending through the client page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from caseload.extensions import db
from caseload.models import DomainError, Trajectory
from caseload.models.vocab import END_REASONS
from tests.conftest import TODAY, csrf_token, login
from tests.pages import field_has_error, input_value, label, option_values, selected_value

ENTRY = TODAY - timedelta(days=300)

# Exclusion or closure reasons IPS forbids (fidelity items 9 and 25), in English and Dutch.
EXCLUSION_WORDS = (
    "substance", "drug", "alcohol", "addict", "verslav", "middelengebruik", "violen", "aggress",
    "agressi", "geweld", "symptom", "psychos", "crisis", "missed", "appointment", "no-show",
    "no_show", "noshow", "not show", "attend", "complian", "motivat", "afspra",
    "verschenen", "niet gekomen", "therapietrouw",
)


@pytest.fixture
def setting(build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=ENTRY, code="TR-1")
    build.commit()
    return worker, person


def trajectories_of(client_id: int) -> list[Trajectory]:
    db.session.expire_all()
    return list(db.session.scalars(select(Trajectory).where(Trajectory.client_id == client_id)
                                   .order_by(Trajectory.program_entry_date, Trajectory.id)))


# --- at most one open trajectory ----------------------------------------------------------------

def test_starting_a_second_open_trajectory_is_refused_by_the_model(setting):
    worker, person = setting
    with pytest.raises(DomainError) as error:
        person.start_trajectory(worker=worker, program_entry_date=TODAY, today=TODAY)
    assert error.value.field == "program_entry_date"
    assert len(person.trajectories) == 1


def test_database_refuses_a_second_open_trajectory_inserted_directly(setting):
    worker, person = setting
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Trajectory).values(
            client_id=person.id, worker_id=worker.id, program_entry_date=TODAY,
            trajectory_type="ips_epa", funder="uwv", version=1))
        db.session.flush()
    db.session.rollback()
    assert len(trajectories_of(person.id)) == 1


def test_database_allows_any_number_of_ended_trajectories_next_to_an_open_one(setting):
    worker, person = setting
    for start in (ENTRY - timedelta(days=200), ENTRY - timedelta(days=100)):
        db.session.execute(insert(Trajectory).values(
            client_id=person.id, worker_id=worker.id, program_entry_date=start,
            ended_on=start + timedelta(days=50), end_reason="moved",
            trajectory_type="ips_epa", funder="uwv", version=1))
    db.session.commit()
    assert [t.is_open for t in trajectories_of(person.id)] == [False, False, True]


def test_database_refuses_an_end_reason_outside_the_list(setting):
    worker, person = setting
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Trajectory).values(
            client_id=person.id, worker_id=worker.id, program_entry_date=ENTRY - timedelta(days=90),
            ended_on=ENTRY - timedelta(days=10), end_reason="substance_use",
            trajectory_type="ips_epa", funder="uwv", version=1))
        db.session.flush()
    db.session.rollback()


# --- zero exclusion ------------------------------------------------------------------------------

def test_a_new_trajectory_may_start_after_the_previous_one_ended_any_number_of_times(setting, build):
    worker, person = setting
    start = ENTRY
    for _attempt in range(5):
        end = start + timedelta(days=30)
        person.open_trajectory.end(on=end, reason="no_longer_wants_work", today=TODAY)
        start = end + timedelta(days=10)
        person.start_trajectory(worker=worker, program_entry_date=start, today=TODAY)
        build.commit()

    stored = trajectories_of(person.id)
    assert len(stored) == 6
    assert [t.is_open for t in stored] == [False] * 5 + [True]
    assert stored[-1].current_phase == "intake"


def test_a_new_trajectory_may_start_on_the_day_the_previous_one_ended(setting, build):
    worker, person = setting
    build.end_trajectory(person, on=TODAY - timedelta(days=3))
    person.start_trajectory(worker=worker, program_entry_date=TODAY - timedelta(days=3),
                            today=TODAY)
    build.commit()
    assert len(trajectories_of(person.id)) == 2


def test_a_new_trajectory_cannot_start_before_the_previous_one_ended(setting, build):
    worker, person = setting
    build.end_trajectory(person, on=TODAY - timedelta(days=3))
    with pytest.raises(DomainError) as error:
        person.start_trajectory(worker=worker, program_entry_date=TODAY - timedelta(days=4),
                                today=TODAY)
    assert error.value.field == "program_entry_date"


def test_end_reasons_hold_no_exclusion_reasons_in_tokens_or_labels(app):
    texts = list(END_REASONS)
    for locale in app.config["LANGUAGES"]:
        texts += [label(app, END_REASONS, token, locale) for token in END_REASONS]
    offending = [(text, word) for text in texts for word in EXCLUSION_WORDS
                 if word in text.lower()]
    assert offending == []


def test_end_form_offers_exactly_the_listed_end_reasons(client, setting):
    worker, person = setting
    login(client, worker)
    page = client.get(f"/clients/{person.id}")
    assert option_values(page.text, "end_reason") == list(END_REASONS)


# --- ending and restarting through the client page ----------------------------------------------

def post_end(client, person, reason: str, on) -> object:
    token = csrf_token(client, f"/clients/{person.id}")
    return client.post(f"/clients/{person.id}/end", data={
        "csrf_token": token, "ended_on": on.isoformat(), "end_reason": reason})


def post_new_trajectory(client, person, worker, on) -> object:
    token = csrf_token(client, f"/clients/{person.id}")
    return client.post(f"/clients/{person.id}/trajectory", data={
        "csrf_token": token, "worker_id": str(worker.id), "program_entry_date": on.isoformat(),
        "trajectory_type": "ips_epa", "funder": "uwv", "planned_end": ""})


def test_ending_a_trajectory_through_the_page_stores_date_and_reason(client, setting):
    worker, person = setting
    login(client, worker)

    response = post_end(client, person, "working_handed_over", TODAY - timedelta(days=1))

    assert response.status_code == 302
    [trajectory] = trajectories_of(person.id)
    assert (trajectory.ended_on, trajectory.end_reason) == (TODAY - timedelta(days=1),
                                                            "working_handed_over")
    page = client.get(f"/clients/{person.id}")
    assert f'action="/clients/{person.id}/trajectory"' in page.text  # a new start is offered


@pytest.mark.parametrize("reason, on, field", [
    ("substance_use", TODAY, "end_reason"),
    ("missed_appointments", TODAY, "end_reason"),
    ("moved", TODAY + timedelta(days=1), "ended_on"),
    ("moved", ENTRY - timedelta(days=1), "ended_on"),
])
def test_ending_with_an_unlisted_reason_or_an_impossible_date_is_rejected_at_the_field(
        client, setting, reason, on, field):
    worker, person = setting
    login(client, worker)

    response = post_end(client, person, reason, on)

    assert response.status_code == 422
    assert field_has_error(response.text, field)
    assert 'id="end_form" open' in response.text
    assert input_value(response.text, "ended_on") == on.isoformat()
    [trajectory] = trajectories_of(person.id)
    assert trajectory.is_open and trajectory.end_reason is None


def test_ending_an_already_ended_trajectory_through_the_page_changes_nothing(
        client, setting, build):
    worker, person = setting
    build.end_trajectory(person, on=TODAY - timedelta(days=5), reason="moved")
    build.commit()
    login(client, worker)

    response = post_end(client, person, "other", TODAY)

    assert response.status_code == 400
    [trajectory] = trajectories_of(person.id)
    assert (trajectory.ended_on, trajectory.end_reason) == (TODAY - timedelta(days=5), "moved")


def test_client_restarts_through_the_page_after_each_ending(client, setting):
    worker, person = setting
    login(client, worker)
    day = TODAY - timedelta(days=30)
    for _attempt in range(3):
        assert post_end(client, person, "no_longer_wants_work", day).status_code == 302
        day += timedelta(days=5)
        assert post_new_trajectory(client, person, worker, day).status_code == 302
        day += timedelta(days=5)

    stored = trajectories_of(person.id)
    assert [t.is_open for t in stored] == [False, False, False, True]
    assert stored[-1].program_entry_date == TODAY - timedelta(days=5)
    assert stored[-1].worker_id == worker.id


def test_new_trajectory_dated_before_the_previous_end_is_rejected_at_the_entry_date(
        client, setting, build):
    worker, person = setting
    build.end_trajectory(person, on=TODAY - timedelta(days=3))
    build.commit()
    login(client, worker)

    response = post_new_trajectory(client, person, worker, TODAY - timedelta(days=4))

    assert response.status_code == 422
    assert field_has_error(response.text, "program_entry_date")
    assert input_value(response.text, "program_entry_date") == (TODAY - timedelta(days=4)).isoformat()
    assert selected_value(response.text, "worker_id") == str(worker.id)
    assert len(trajectories_of(person.id)) == 1


def test_new_trajectory_while_one_is_open_is_rejected_and_nothing_is_added(client, setting):
    worker, person = setting
    login(client, worker)

    response = post_new_trajectory(client, person, worker, TODAY)

    assert response.status_code == 422
    assert len(trajectories_of(person.id)) == 1
    # The start form is not on the page of a client with an open trajectory (a stale page sent
    # it), so the reason shows in the trajectory card.
    assert re.search(r'id="trajectory">\s*<h2>[^<]*</h2>\s*<p class="error form-error"',
                     response.text)
