"""Job development frequency (fidelity item 17): face-to-face employer contacts per worker per
week, 6 × FTE rounded up, 2 × job seekers where fewer than 3 seek work, pro rata for absence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseload.norms import evaluate

# The last complete ISO week before AS_OF (a Wednesday) is 2026-W11: Monday 9 .. Sunday 15 March.
AS_OF = date(2026, 3, 18)
MONDAY = date(2026, 3, 9)
SUNDAY = date(2026, 3, 15)
DAY = timedelta(days=1)


def weekly(as_of: date = AS_OF):
    return evaluate(as_of, norms=["employer_contacts_weekly"])


def worker_with_seekers(build, *, fte: str = "1.0", seekers: int = 3, team=None):
    team = team or build.team()
    worker = build.user(team, fte=fte)
    clients = []
    for _ in range(seekers):
        client = build.client(worker, entry=date(2026, 1, 5))
        build.phase(client, "job_finding", on=date(2026, 2, 1))
        clients.append(client)
    return worker, clients


def log_employer_contacts(build, worker, n: int, *, on: date = MONDAY, mode: str = "face_to_face",
                          client=None):
    employer = build.employer()
    for i in range(n):
        build.contact(worker, on=on + timedelta(days=i % 7), kind="employer", mode=mode,
                      client=client, employer=employer)


def test_five_contacts_at_fte_1_is_a_breach(build):
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 5)

    breaches = weekly()

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "employer_contacts_weekly"
    assert breach.subject_key == f"w{worker.id}"
    assert breach.anchor == MONDAY
    assert breach.worker_id == worker.id
    assert breach.trajectory_id is None
    assert breach.facts == {"contacts": 5, "norm": 6, "week": "2026-W11", "job_seekers": 3,
                            "absent_days": 0}


def test_six_contacts_at_fte_1_meet_the_norm(build):
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 6)

    assert weekly() == []


def test_contacts_on_monday_and_sunday_of_the_week_count(build):
    worker, _ = worker_with_seekers(build)
    employer = build.employer()
    for _ in range(3):
        build.contact(worker, on=MONDAY, kind="employer", employer=employer)
        build.contact(worker, on=SUNDAY, kind="employer", employer=employer)

    assert weekly() == []


def test_contacts_outside_the_week_do_not_count(build):
    worker, _ = worker_with_seekers(build)
    employer = build.employer()
    for _ in range(3):
        build.contact(worker, on=MONDAY - DAY, kind="employer", employer=employer)
        build.contact(worker, on=SUNDAY + DAY, kind="employer", employer=employer)
    log_employer_contacts(build, worker, 5)

    assert [b.facts["contacts"] for b in weekly()] == [5]


def test_phone_employer_contacts_do_not_count_for_the_weekly_norm(build):
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 5)
    log_employer_contacts(build, worker, 4, mode="phone")
    log_employer_contacts(build, worker, 2, mode="email")

    breaches = weekly()

    assert [b.facts["contacts"] for b in breaches] == [5]


def test_general_employer_contacts_without_a_client_count_for_the_weekly_norm(build):
    worker, clients = worker_with_seekers(build)
    log_employer_contacts(build, worker, 3, client=clients[0])
    log_employer_contacts(build, worker, 3, client=None)

    assert weekly() == []


def test_the_same_employer_twice_counts_twice(build):
    worker, _ = worker_with_seekers(build)
    employer = build.employer()
    for _ in range(6):
        build.contact(worker, on=MONDAY, kind="employer", employer=employer)

    assert weekly() == []


def test_contacts_of_another_worker_do_not_count(build):
    team = build.team()
    worker, _ = worker_with_seekers(build, team=team)
    colleague, _ = worker_with_seekers(build, team=team)
    log_employer_contacts(build, worker, 6)
    log_employer_contacts(build, colleague, 6)
    log_employer_contacts(build, colleague, 1)

    assert weekly() == []


@pytest.mark.parametrize("fte, norm", [("0.8", 5), ("0.5", 3), ("1.0", 6), ("0.9", 6)])
def test_part_time_norm_is_six_times_fte_rounded_up(build, fte, norm):
    worker, _ = worker_with_seekers(build, fte=fte)
    log_employer_contacts(build, worker, norm - 1)

    breaches = weekly()

    assert [(b.facts["contacts"], b.facts["norm"]) for b in breaches] == [(norm - 1, norm)]


@pytest.mark.parametrize("fte, norm", [("0.8", 5), ("0.5", 3)])
def test_part_time_worker_meeting_the_rounded_up_norm_has_no_breach(build, fte, norm):
    worker, _ = worker_with_seekers(build, fte=fte)
    log_employer_contacts(build, worker, norm)

    assert weekly() == []


def test_one_job_seeker_gives_a_norm_of_two(build):
    worker, _ = worker_with_seekers(build, seekers=1)
    log_employer_contacts(build, worker, 1)

    breaches = weekly()

    assert len(breaches) == 1
    assert breaches[0].facts["norm"] == 2
    assert breaches[0].facts["job_seekers"] == 1


def test_two_contacts_meet_the_norm_for_one_job_seeker(build):
    worker, _ = worker_with_seekers(build, seekers=1)
    log_employer_contacts(build, worker, 2)

    assert weekly() == []


def test_two_job_seekers_give_a_norm_of_four(build):
    worker, _ = worker_with_seekers(build, seekers=2)
    log_employer_contacts(build, worker, 3)

    assert [b.facts["norm"] for b in weekly()] == [4]


def test_no_job_seekers_means_no_weekly_breach(build):
    team = build.team()
    worker = build.user(team)
    build.client(worker, entry=date(2026, 1, 5))  # in intake, not looking for work

    assert weekly() == []


def test_three_job_seekers_give_six_times_fte(build):
    worker, _ = worker_with_seekers(build, seekers=3, fte="0.5")
    log_employer_contacts(build, worker, 2)

    assert [b.facts["norm"] for b in weekly()] == [3]


def test_clients_in_other_phases_are_not_job_seekers(build):
    worker, clients = worker_with_seekers(build, seekers=3)
    build.phase(clients[2], "coaching", on=date(2026, 3, 1))
    log_employer_contacts(build, worker, 3)

    breaches = weekly()

    assert [(b.facts["job_seekers"], b.facts["norm"]) for b in breaches] == [(2, 4)]


def test_job_seekers_are_counted_at_the_end_of_the_week(build):
    worker, clients = worker_with_seekers(build, seekers=3)
    build.phase(clients[2], "coaching", on=SUNDAY + DAY)  # after the week: still seeking then
    log_employer_contacts(build, worker, 5)

    assert [(b.facts["job_seekers"], b.facts["norm"]) for b in weekly()] == [(3, 6)]


def test_ended_trajectories_are_not_job_seekers(build):
    worker, clients = worker_with_seekers(build, seekers=3)
    build.end_trajectory(clients[0], on=date(2026, 3, 2))
    log_employer_contacts(build, worker, 3)

    assert [(b.facts["job_seekers"], b.facts["norm"]) for b in weekly()] == [(2, 4)]


def test_two_absent_working_days_make_the_norm_pro_rata(build):
    worker, _ = worker_with_seekers(build)
    build.absence(worker, start=MONDAY, end=MONDAY + DAY)
    log_employer_contacts(build, worker, 3, on=MONDAY + 2 * DAY)

    breaches = weekly()

    # ceil(6 × 3 / 5) = ceil(3.6) = 4
    assert [(b.facts["contacts"], b.facts["norm"], b.facts["absent_days"]) for b in breaches] == [
        (3, 4, 2)]


def test_four_contacts_meet_the_norm_with_two_absent_days(build):
    worker, _ = worker_with_seekers(build)
    build.absence(worker, start=MONDAY + 3 * DAY, end=MONDAY + 4 * DAY)
    log_employer_contacts(build, worker, 4)

    assert weekly() == []


def test_absence_on_the_weekend_does_not_reduce_the_norm(build):
    worker, _ = worker_with_seekers(build)
    build.absence(worker, start=SUNDAY - DAY, end=SUNDAY)
    log_employer_contacts(build, worker, 5)

    assert [(b.facts["norm"], b.facts["absent_days"]) for b in weekly()] == [(6, 0)]


def test_absence_overlapping_the_week_counts_only_its_days_in_the_week(build):
    worker, _ = worker_with_seekers(build)
    build.absence(worker, start=MONDAY - 10 * DAY, end=MONDAY)  # only Monday in the week
    log_employer_contacts(build, worker, 4)

    # ceil(6 × 4 / 5) = ceil(4.8) = 5
    assert [(b.facts["norm"], b.facts["absent_days"]) for b in weekly()] == [(5, 1)]


def test_a_whole_week_of_absence_has_no_weekly_norm(build):
    worker, _ = worker_with_seekers(build)
    build.absence(worker, start=MONDAY, end=MONDAY + 4 * DAY)

    assert weekly() == []


def test_absence_of_another_worker_does_not_change_the_norm(build):
    team = build.team()
    worker, _ = worker_with_seekers(build, team=team)
    colleague = build.user(team)
    build.absence(colleague, start=MONDAY, end=SUNDAY)
    log_employer_contacts(build, worker, 5)

    assert [(b.worker_id, b.facts["norm"]) for b in weekly()] == [(worker.id, 6)]


def test_the_week_judged_is_the_last_complete_week_before_as_of(build):
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 6, on=MONDAY)

    assert weekly(SUNDAY + DAY) == []  # Monday after: W11 is complete
    assert weekly(SUNDAY + 7 * DAY) == []  # Sunday of W12: W12 is not complete yet, W11 judged
    breaches = weekly(SUNDAY + 8 * DAY)  # Monday of W13: W12 had no contacts
    assert [(b.anchor, b.facts["week"]) for b in breaches] == [(MONDAY + 7 * DAY, "2026-W12")]


def test_week_label_uses_the_iso_year_at_new_year(build):
    team = build.team()
    worker = build.user(team)
    for _ in range(3):
        client = build.client(worker, entry=date(2025, 11, 3))
        build.phase(client, "job_finding", on=date(2025, 11, 10))

    breaches = weekly(date(2026, 1, 7))

    # Monday 29 December 2025 begins ISO week 2026-W01.
    assert [(b.anchor, b.facts["week"]) for b in breaches] == [(date(2025, 12, 29), "2026-W01")]


def test_inactive_workers_and_coordinators_have_no_weekly_norm(build):
    team = build.team()
    worker, _ = worker_with_seekers(build, team=team)
    build.deactivate(worker)
    coordinator = build.user(team, role="coordinator")
    for _ in range(3):
        client = build.client(coordinator, entry=date(2026, 1, 5))
        build.phase(client, "job_finding", on=date(2026, 2, 1))
    build.session.flush()

    assert weekly() == []


def test_employer_contacts_per_week_setting_changes_the_norm(build):
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 5)
    build.setting("employer_contacts_per_week", 5)

    assert weekly() == []


def test_contacts_per_job_seeker_setting_changes_the_small_caseload_norm(build):
    worker, _ = worker_with_seekers(build, seekers=1)
    log_employer_contacts(build, worker, 2)
    build.setting("contacts_per_job_seeker", 3)

    assert [b.facts["norm"] for b in weekly()] == [3]


@pytest.mark.parametrize("mode, breached", [("face_to_face", False), ("phone", True)])
def test_a_face_to_face_contact_with_a_school_counts_as_the_sixth(build, mode, breached):
    """Item 17: "contacten met werkgevers of onderwijsinstellingen"."""
    worker, _ = worker_with_seekers(build)
    log_employer_contacts(build, worker, 5)
    build.contact(worker, on=MONDAY + timedelta(days=2), kind="education", mode=mode)
    assert bool(weekly()) is breached


def test_a_job_seeker_handed_over_midweek_counts_for_the_worker_of_sunday(build):
    """The job seekers of a week are those the worker held on its Sunday."""
    worker, clients = worker_with_seekers(build)
    other = build.user(worker.teams[0])
    build.transfer(clients[0], other, on=MONDAY + timedelta(days=7))   # after the week
    build.transfer(clients[1], other, on=MONDAY + timedelta(days=3))   # in the week
    log_employer_contacts(build, worker, 3)
    [breach] = [b for b in weekly() if b.worker_id == worker.id]
    assert breach.facts["job_seekers"] == 2 and breach.facts["norm"] == 4


def test_statements_kept_between_evaluations_follow_the_week(build):
    # The week's statements are built once per process (norms.sql.built_once), the dates bound
    # on each evaluation: each week must get its own contacts, absences and job seekers.
    worker, clients = worker_with_seekers(build)
    build.absence(worker, start=MONDAY, end=MONDAY + DAY)            # W11: 2 days absent
    log_employer_contacts(build, worker, 4, on=MONDAY + 2 * DAY)      # W11: 4 of 4
    build.phase(clients[0], "coaching", on=SUNDAY + 2 * DAY)          # W12: 2 job seekers
    log_employer_contacts(build, worker, 3, on=MONDAY + 7 * DAY)      # W12: 3 of 4

    def week(as_of):
        return [(b.anchor, b.facts["contacts"], b.facts["norm"], b.facts["absent_days"],
                 b.facts["job_seekers"]) for b in weekly(as_of)]

    assert week(AS_OF) == []
    assert week(AS_OF + 7 * DAY) == [(MONDAY + 7 * DAY, 3, 4, 0, 2)]
    assert week(AS_OF) == []
