"""Caseload size (item 1), treatment-team contact (quality criterion 4), disclosure before the
first employer contact (item 13) and a benefits plan before a job starts (item 12)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseload.norms import evaluate

DAY = timedelta(days=1)
AS_OF = date(2026, 3, 18)


def judge(norm: str, as_of: date = AS_OF):
    return evaluate(as_of, norms=[norm])


# --- caseload size ----------------------------------------------------------------------------

def worker_with_clients(build, n: int, *, fte: str = "1.0"):
    team = build.team()
    worker = build.user(team, fte=fte)
    clients = [build.client(worker, entry=date(2026, 1, 5)) for _ in range(n)]
    return worker, clients


@pytest.mark.parametrize("fte, allowed", [("1.0", 25), ("0.8", 20)])
def test_caseload_at_capacity_is_no_breach(build, fte, allowed):
    worker_with_clients(build, allowed, fte=fte)

    assert judge("caseload_size") == []


@pytest.mark.parametrize("fte, allowed", [("1.0", 25), ("0.8", 20)])
def test_one_client_above_capacity_is_a_breach(build, fte, allowed):
    worker, _ = worker_with_clients(build, allowed + 1, fte=fte)

    breaches = judge("caseload_size")

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "caseload_size"
    assert breach.subject_key == f"w{worker.id}"
    assert breach.anchor == AS_OF
    assert breach.worker_id == worker.id
    assert breach.trajectory_id is None
    assert breach.facts["clients"] == allowed + 1
    assert breach.facts["capacity"] == allowed


@pytest.mark.parametrize("fte, allowed", [("1.16", 29), ("0.28", 7), ("0.56", 14)])
def test_caseload_capacity_is_exact_for_fte_values_without_an_exact_binary_form(build, fte,
                                                                                allowed):
    """25 × 1.16 is 28.999999999999996 in floating point; the capacity is still 29."""
    worker, _ = worker_with_clients(build, allowed, fte=fte)
    assert judge("caseload_size") == []

    build.client(worker, entry=date(2026, 1, 5))
    breaches = judge("caseload_size")
    assert [(b.facts["clients"], b.facts["capacity"]) for b in breaches] == [
        (allowed + 1, allowed)]


def test_ended_trajectories_do_not_count_for_caseload_size(build):
    _worker, clients = worker_with_clients(build, 26)
    build.end_trajectory(clients[0], on=date(2026, 3, 1))

    assert judge("caseload_size") == []
    assert len(judge("caseload_size", date(2026, 3, 1))) == 1  # still open on its end date


def test_trajectories_not_yet_started_do_not_count_for_caseload_size(build):
    _worker, clients = worker_with_clients(build, 25)
    build.client(clients[0].open_trajectory.worker, entry=date(2026, 3, 10))

    assert judge("caseload_size", date(2026, 3, 9)) == []
    assert len(judge("caseload_size", date(2026, 3, 10))) == 1


def test_clients_per_fte_setting_changes_caseload_capacity(build):
    worker_with_clients(build, 21)
    build.setting("clients_per_fte", 20)

    breaches = judge("caseload_size")

    assert [(b.facts["clients"], b.facts["capacity"]) for b in breaches] == [(21, 20)]


# --- treatment-team contact -------------------------------------------------------------------

T = date(2026, 2, 2)  # program entry


def client_in_care(build, entry: date = T):
    team = build.team()
    worker = build.user(team)
    return worker, build.client(worker, entry=entry)


def test_no_treatment_team_breach_on_day_14_after_entry(build):
    client_in_care(build)

    assert judge("treatment_team_contact", T + 14 * DAY) == []


def test_treatment_team_breach_from_day_15_after_entry(build):
    _worker, client = client_in_care(build)
    trajectory = client.open_trajectory

    breaches = judge("treatment_team_contact", T + 15 * DAY)

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "treatment_team_contact"
    assert breach.subject_key == f"t{trajectory.id}"
    assert breach.anchor == T + 15 * DAY
    assert breach.facts == {"days": 15, "limit": 14, "last_contact_on": None}


def test_treatment_team_contact_restarts_the_14_day_clock(build):
    worker, client = client_in_care(build)
    contact_on = T + 10 * DAY
    build.contact(worker, on=contact_on, kind="treatment_team", client=client)

    assert judge("treatment_team_contact", contact_on + 14 * DAY) == []
    breaches = judge("treatment_team_contact", contact_on + 15 * DAY)
    assert [(b.anchor, b.facts) for b in breaches] == [
        (contact_on + 15 * DAY,
         {"days": 15, "limit": 14, "last_contact_on": contact_on.isoformat()})]


def test_treatment_team_contact_by_phone_counts(build):
    worker, client = client_in_care(build)
    build.contact(worker, on=T + 10 * DAY, kind="treatment_team", mode="phone", client=client)

    assert judge("treatment_team_contact", T + 20 * DAY) == []


def test_treatment_team_contact_about_another_client_does_not_count(build):
    worker, client = client_in_care(build)
    other = build.client(worker, entry=T + 10 * DAY)
    build.contact(worker, on=T + 10 * DAY, kind="treatment_team", client=other)

    breaches = judge("treatment_team_contact", T + 15 * DAY)

    assert [b.trajectory_id for b in breaches] == [client.open_trajectory.id]


def test_client_contact_is_not_treatment_team_contact(build):
    worker, client = client_in_care(build)
    build.contact(worker, on=T + 10 * DAY, kind="client", client=client)

    assert len(judge("treatment_team_contact", T + 15 * DAY)) == 1


def test_treatment_team_contact_before_program_entry_does_not_count(build):
    worker, client = client_in_care(build, entry=date(2025, 11, 3))
    build.contact(worker, on=date(2026, 1, 20), kind="treatment_team", client=client)
    build.end_trajectory(client, on=date(2026, 1, 25))
    client.start_trajectory(worker=worker, program_entry_date=T, today=build.today)
    build.session.flush()

    breaches = judge("treatment_team_contact", T + 15 * DAY)

    assert [(b.trajectory_id, b.anchor) for b in breaches] == [
        (client.open_trajectory.id, T + 15 * DAY)]


def test_ended_trajectory_raises_no_treatment_team_breach_after_its_end_date(build):
    _worker, client = client_in_care(build)
    build.end_trajectory(client, on=T + 20 * DAY)

    assert len(judge("treatment_team_contact", T + 20 * DAY)) == 1
    assert judge("treatment_team_contact", T + 21 * DAY) == []


def test_treatment_team_days_setting_changes_the_interval(build):
    client_in_care(build)
    build.setting("treatment_team_days", 21)

    assert judge("treatment_team_contact", T + 21 * DAY) == []
    assert [b.anchor for b in judge("treatment_team_contact", T + 22 * DAY)] == [T + 22 * DAY]


# --- disclosure before the first employer contact ---------------------------------------------

D0 = date(2026, 2, 2)  # program entry
FIRST = date(2026, 2, 20)  # first employer contact


def client_with_employer_contact(build, *, mode: str = "face_to_face"):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=D0)
    build.contact(worker, on=FIRST, kind="employer", mode=mode, client=client,
                  employer=build.employer())
    return worker, client


def test_employer_contact_without_disclosure_discussion_is_a_breach(build):
    _worker, client = client_with_employer_contact(build)
    trajectory = client.open_trajectory

    breaches = judge("disclosure_before_employer_contact")

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "disclosure_before_employer_contact"
    assert breach.subject_key == f"t{trajectory.id}"
    assert breach.anchor == FIRST
    assert breach.facts == {"first_employer_contact_on": FIRST.isoformat()}


def test_disclosure_on_the_same_day_as_the_first_employer_contact_counts(build):
    _worker, client = client_with_employer_contact(build)
    build.disclosure(client, on=FIRST)

    assert judge("disclosure_before_employer_contact") == []


def test_disclosure_before_the_first_employer_contact_counts(build):
    _worker, client = client_with_employer_contact(build)
    build.disclosure(client, on=D0 + DAY)

    assert judge("disclosure_before_employer_contact") == []


def test_disclosure_the_day_after_the_first_employer_contact_is_too_late(build):
    _worker, client = client_with_employer_contact(build)
    build.disclosure(client, on=FIRST + DAY)

    assert [b.anchor for b in judge("disclosure_before_employer_contact")] == [FIRST]


def test_first_phone_employer_contact_also_needs_a_disclosure_discussion_before_it(build):
    _worker, client = client_with_employer_contact(build, mode="phone")
    build.disclosure(client, on=FIRST + 2 * DAY)

    assert [b.anchor for b in judge("disclosure_before_employer_contact")] == [FIRST]


def test_disclosure_discussed_in_an_earlier_trajectory_does_not_count(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=date(2025, 6, 2))
    build.disclosure(client, on=date(2025, 7, 1), decision="partial")
    build.end_trajectory(client, on=date(2025, 12, 1))
    client.start_trajectory(worker=worker, program_entry_date=D0, today=build.today)
    build.session.flush()
    build.contact(worker, on=FIRST, kind="employer", client=client, employer=build.employer())

    assert [(b.trajectory_id, b.anchor) for b in judge("disclosure_before_employer_contact")] == [
        (client.open_trajectory.id, FIRST)]


def test_later_employer_contacts_do_not_move_the_anchor(build):
    worker, client = client_with_employer_contact(build)
    build.disclosure(client, on=FIRST + DAY)
    build.contact(worker, on=FIRST + 5 * DAY, kind="employer", client=client,
                  employer=build.employer())

    assert [b.anchor for b in judge("disclosure_before_employer_contact")] == [FIRST]


def test_no_employer_contact_means_no_disclosure_breach(build):
    team = build.team()
    worker = build.user(team)
    build.client(worker, entry=D0)
    build.contact(worker, on=FIRST, kind="employer", employer=build.employer())  # general

    assert judge("disclosure_before_employer_contact") == []


def test_employer_contact_after_as_of_is_not_judged_yet(build):
    client_with_employer_contact(build)

    assert judge("disclosure_before_employer_contact", FIRST - DAY) == []
    assert len(judge("disclosure_before_employer_contact", FIRST)) == 1


def test_ended_trajectory_raises_no_disclosure_breach_after_its_end_date(build):
    _worker, client = client_with_employer_contact(build)
    build.end_trajectory(client, on=FIRST + DAY)

    assert len(judge("disclosure_before_employer_contact", FIRST + DAY)) == 1
    assert judge("disclosure_before_employer_contact", FIRST + 2 * DAY) == []


# --- benefits plan before a job starts --------------------------------------------------------

B0 = date(2026, 1, 5)  # program entry
START = date(2026, 3, 2)


def placed(build, *, placement_type: str = "paid_job"):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=B0)
    placement = build.placement(client, start=START)
    placement.placement_type = placement_type
    build.session.flush()
    return worker, client, placement


def test_job_start_without_benefits_plan_is_a_breach(build):
    _worker, client, placement = placed(build)
    trajectory = client.open_trajectory

    breaches = judge("benefits_plan_before_start")

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "benefits_plan_before_start"
    assert breach.subject_key == f"t{trajectory.id}p{placement.id}"
    assert breach.anchor == START
    assert breach.placement_id == placement.id
    assert breach.facts == {"started_on": START.isoformat()}


def test_benefits_plan_before_the_start_satisfies(build):
    _worker, client, _ = placed(build)
    build.benefits_plan(client, on=START - DAY)

    assert judge("benefits_plan_before_start") == []


def test_benefits_plan_on_the_start_day_satisfies(build):
    _worker, client, _ = placed(build)
    build.benefits_plan(client, on=START)

    assert judge("benefits_plan_before_start") == []


def test_benefits_plan_after_the_start_does_not_satisfy(build):
    _worker, client, _ = placed(build)
    build.benefits_plan(client, on=START + DAY)

    assert [b.anchor for b in judge("benefits_plan_before_start")] == [START]


def test_benefits_plan_from_an_earlier_trajectory_does_not_count(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=date(2025, 6, 2))
    build.benefits_plan(client, on=date(2025, 7, 1))
    build.end_trajectory(client, on=date(2025, 12, 1))
    client.start_trajectory(worker=worker, program_entry_date=B0, today=build.today)
    build.session.flush()
    build.placement(client, start=START)

    assert [b.anchor for b in judge("benefits_plan_before_start")] == [START]


def test_no_breach_before_the_job_starts(build):
    placed(build)

    assert judge("benefits_plan_before_start", START - DAY) == []
    assert len(judge("benefits_plan_before_start", START)) == 1


@pytest.mark.parametrize("placement_type", ["volunteer", "internship", "education"])
def test_unpaid_placements_need_no_benefits_plan(build, placement_type):
    placed(build, placement_type=placement_type)

    assert judge("benefits_plan_before_start") == []


def test_subsidised_paid_job_needs_a_benefits_plan(build):
    placed(build, placement_type="paid_job_subsidised")

    assert len(judge("benefits_plan_before_start")) == 1


def test_ended_trajectory_raises_no_benefits_breach_after_its_end_date(build):
    _worker, client, _ = placed(build)
    build.end_trajectory(client, on=START + 3 * DAY)

    assert len(judge("benefits_plan_before_start", START + 3 * DAY)) == 1
    assert judge("benefits_plan_before_start", START + 4 * DAY) == []


# --- all norms together -----------------------------------------------------------------------

def test_evaluate_without_names_judges_every_norm(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=date(2026, 1, 5))
    build.phase(client, "job_finding", on=date(2026, 1, 20))
    build.placement(client, start=date(2026, 3, 2))

    norms = {b.norm for b in evaluate(AS_OF)}

    assert norms == {"rapid_job_search", "employer_contacts_weekly", "follow_along_after_start",
                     "follow_along_first_month", "treatment_team_contact",
                     "benefits_plan_before_start"}
